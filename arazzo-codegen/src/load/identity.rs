//! Base URIs and identities of Arazzo documents (1.1 `$self`, RFC 3986 section 5.1).
//!
//! A document's base URI is its `$self` when that is absolute; a relative `$self` resolved
//! against where the document was read from; without `$self`, where it was read from. Source
//! `url`s resolve against it. A URI that is not a local file is never fetched: it names a
//! document the build was given (an Arazzo document whose `$self` it is), or, for a relative
//! `url`, the file at the same place relative to the document's own file, as the specification
//! allows for retrieval URIs.

use std::path::Path;

use url::Url;

/// The base URI of a document read from `retrieval`, with its `$self` if any.
pub fn base_uri(retrieval: &Path, self_uri: Option<&str>) -> Option<Url> {
    let retrieval = Url::from_file_path(retrieval).ok()?;
    match self_uri {
        Some(uri) => retrieval.join(uri).ok(),
        None => Some(retrieval),
    }
}

/// Whether `reference` is a URI of its own (has a scheme), not a relative reference.
pub fn is_absolute(reference: &str) -> bool {
    Url::parse(reference).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(retrieval: &str, self_uri: Option<&str>, url: &str) -> String {
        base_uri(Path::new(retrieval), self_uri)
            .and_then(|b| b.join(url).ok())
            .map(String::from)
            .unwrap_or_default()
    }

    #[test]
    fn an_absolute_self_is_the_base_wherever_the_file_is() {
        assert_eq!(
            resolved(
                "/home/ana/flows/buy.arazzo.yaml",
                Some("https://flows.example.org/shop/buy.arazzo.yaml"),
                "../apis/shop.openapi.yaml"
            ),
            "https://flows.example.org/apis/shop.openapi.yaml"
        );
    }

    #[test]
    fn without_self_the_file_is_the_base() {
        assert_eq!(
            resolved(
                "/home/ana/flows/buy.arazzo.yaml",
                None,
                "../apis/shop.openapi.yaml"
            ),
            "file:///home/ana/apis/shop.openapi.yaml"
        );
    }

    #[test]
    fn a_relative_self_is_resolved_against_the_file_first() {
        assert_eq!(
            resolved(
                "/srv/v3/all.yaml",
                Some("flows/buy.arazzo.yaml"),
                "../apis/shop.openapi.yaml"
            ),
            "file:///srv/v3/apis/shop.openapi.yaml"
        );
        assert!(is_absolute("https://flows.example.org/x.yaml"));
        assert!(!is_absolute("../x.yaml"));
    }
}
