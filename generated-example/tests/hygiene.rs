//! Generated code keeps its meaning whatever the user's module around it defines: types named
//! like the prelude's (`Option`, `Result`, `Some`, `Ok`, `String`, `Vec`, …) and a `vec!` macro
//! of the user's own cannot change what it refers to.

#![deny(warnings)]

mod hostile {
    #![allow(dead_code, non_camel_case_types, unused_macros)]

    pub struct Option;
    pub struct Result;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub struct Value;
    pub struct Future;
    pub struct Default;
    pub struct Clone;
    pub struct rt;

    macro_rules! vec {
        ($($t:tt)*) => {
            compile_error!("the user's vec! was used")
        };
    }

    include!(concat!(env!("OUT_DIR"), "/control_flow.rs"));
}

mod hostile_seed {
    #![allow(dead_code)]

    pub struct Option;
    pub struct Result;
    pub struct Ok;
    pub struct Some;

    include!(concat!(env!("OUT_DIR"), "/conversations.rs"));
}

#[tokio::test]
async fn a_workflow_generated_among_hostile_names_still_runs() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"rows": 3})))
        .mount(&server)
        .await;
    let output = hostile::Client::new()
        .with_jobs_url(server.uri())
        .fetch_report()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.rows, std::option::Option::Some(3));
    // The seed module compiled beside its own hostile names too.
    let _ = hostile_seed::Client::new();
}
