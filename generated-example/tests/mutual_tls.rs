//! Mutual TLS: the requests of operations that require a `mutualTLS` scheme go through a
//! client that presents the user's certificate. The server is a loopback TLS server that
//! accepts only clients with a certificate of a test CA, all generated here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use generated_example::kennel;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server: (CertificateDer<'static>, Vec<u8>),
    /// The partner's certificate and key, as one PEM.
    client_pem: String,
}

fn pki() -> Pki {
    let fail = |e: rcgen::Error| -> ! { panic!("test PKI: {e}") };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| fail(e));
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Kennel test CA");
    let ca_key = KeyPair::generate().unwrap_or_else(|e| fail(e));
    let ca = CertifiedIssuer::self_signed(ca, ca_key).unwrap_or_else(|e| fail(e));
    let leaf = |names: Vec<String>, cn: &str| {
        let key = KeyPair::generate().unwrap_or_else(|e| fail(e));
        let mut params = CertificateParams::new(names).unwrap_or_else(|e| fail(e));
        params.distinguished_name.push(DnType::CommonName, cn);
        let cert = params.signed_by(&key, &ca).unwrap_or_else(|e| fail(e));
        (cert, key)
    };
    let (server, server_key) = leaf(vec!["127.0.0.1".to_owned()], "kennel.test");
    let (client, client_key) = leaf(Vec::new(), "partner-7");
    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server: (server.der().clone(), server_key.serialize_der()),
        client_pem: format!("{}{}", client.pem(), client_key.serialize_pem()),
    }
}

/// Serves `{"bookings": 3}` over TLS to clients the CA vouches for; counts the handshakes
/// refused. Runs until the test ends.
async fn serve(pki: &Pki) -> (String, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(pki.ca_der.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server.1.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|e| panic!("{e}"))
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![pki.server.0.clone()], key)
        .unwrap_or_else(|e| panic!("{e}"));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let refused = Arc::new(AtomicUsize::new(0));
    let count = refused.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, count) = (acceptor.clone(), count.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    count.fetch_add(1, Ordering::SeqCst);
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
                    }
                }
                let body = r#"{"bookings": 3}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://127.0.0.1:{port}"), refused)
}

fn trusting(pki: &Pki) -> reqwest::ClientBuilder {
    let ca =
        reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    reqwest::Client::builder().add_root_certificate(ca)
}

#[tokio::test]
async fn the_partners_certificate_is_presented_for_mutual_tls_operations() {
    let pki = pki();
    let (url, refused) = serve(&pki).await;
    let identity =
        reqwest::Identity::from_pem(pki.client_pem.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let with_identity = trusting(&pki)
        .identity(identity)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = kennel::Client::new()
        .with_kennel_url(&url)
        .with_partner_tls_http_client(with_identity)
        .partner_bookings()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.bookings, Some(3));
    assert_eq!(refused.load(Ordering::SeqCst), 0);

    // The client's own HTTP client (trusting the CA, with no certificate) is not used for the
    // operation: without the scheme's credential it is not even tried.
    let plain = trusting(&pki).build().unwrap_or_else(|e| panic!("{e}"));
    let err = kennel::Client::new()
        .with_kennel_url(&url)
        .with_http_client(plain.clone())
        .partner_bookings()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains(
            "requires `partner_tls` credentials; set them on the client with `with_partner_tls`"
        ),
        "{err}"
    );

    // A client for the scheme that has no certificate: the server refuses the handshake.
    let err = kennel::Client::new()
        .with_kennel_url(&url)
        .with_partner_tls_http_client(plain)
        .partner_bookings()
        .await
        .err();
    assert!(
        matches!(
            err,
            Some(arazzo_runtime::Error::Transport {
                step: "bookings",
                ..
            })
        ),
        "{err:?}"
    );
}
