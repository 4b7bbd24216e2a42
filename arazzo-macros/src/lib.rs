//! `arazzo!("path/to/workflow.arazzo.yaml")`: the generated module of an Arazzo document, in
//! place.
//!
//! The macro only reads its arguments and hands them to `arazzo-codegen`: nothing is
//! implemented twice. Paths are relative to the crate's `Cargo.toml`; absolute paths are refused
//! so that builds stay reproducible elsewhere. Settings follow as `key = value`:
//!
//! ```ignore
//! pub mod twilio {
//!     arazzo_macros::arazzo!(
//!         "workflows/create-conversation-with-webhook.arazzo.yaml",
//!         step_budget = 100,
//!         jsonpath_dialect = "lenient",
//!         compatibility = "lenient",
//!         workflows = ["createConversation"],
//!         source = ("conversations", "specs/twilio_conversations_v1.yaml"),
//!     );
//! }
//! ```
//!
//! Every problem in the document is a compile error on the path literal, with the same text
//! `cargo arazzo check` prints. Warnings appear as compiler warnings, through a deprecated
//! marker item (the one way a macro can warn on stable Rust): rustc's "use of deprecated
//! constant `arazzo::<check>`" is followed by the warning as `cargo arazzo check` shows it.
//! Cargo rebuilds when any file the generation read changes.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitInt, LitStr, Token};

#[proc_macro]
pub fn arazzo(input: TokenStream) -> TokenStream {
    match syn::parse::<Args>(input) {
        Ok(args) => expand(&args)
            .unwrap_or_else(|e| e.to_compile_error())
            .into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct Args {
    path: LitStr,
    settings: Vec<(Ident, Value)>,
}

enum Value {
    Str(LitStr),
    Int(LitInt),
    Pair(LitStr, LitStr),
    List(Vec<LitStr>),
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut settings = Vec::new();
        while input.parse::<Token![,]>().is_ok() {
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = if input.peek(syn::token::Bracket) {
                let inner;
                syn::bracketed!(inner in input);
                let items = inner.parse_terminated(<LitStr as Parse>::parse, Token![,])?;
                Value::List(items.into_iter().collect())
            } else if input.peek(syn::token::Paren) {
                let inner;
                syn::parenthesized!(inner in input);
                let a: LitStr = inner.parse()?;
                inner.parse::<Token![,]>()?;
                let b: LitStr = inner.parse()?;
                Value::Pair(a, b)
            } else if input.peek(LitInt) {
                Value::Int(input.parse()?)
            } else {
                Value::Str(input.parse()?)
            };
            settings.push((key, value));
        }
        Ok(Args { path, settings })
    }
}

fn settings(args: &Args, root: &std::path::Path) -> syn::Result<arazzo_codegen::Settings> {
    let mut settings = arazzo_codegen::Settings::new();
    // A setting given twice is refused on its second key, as sqlx does: the first would
    // otherwise be silently overridden. `source` repeats, once per source name.
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in &args.settings {
        let name = match value {
            Value::Pair(source, _) => format!("source {}", source.value()),
            _ => key.to_string(),
        };
        if seen.contains(&name) {
            return Err(syn::Error::new(
                key.span(),
                format!("`{name}` is set twice; keep one"),
            ));
        }
        seen.push(name);
        match (key.to_string().as_str(), value) {
            ("step_budget", Value::Int(n)) => {
                settings = settings.with_step_budget(n.base10_parse()?);
            }
            ("jsonpath_dialect", Value::Str(s)) => {
                let dialect = match s.value().as_str() {
                    "rfc9535" => arazzo_codegen::JsonPathDialect::Rfc9535,
                    "lenient" => arazzo_codegen::JsonPathDialect::Lenient,
                    other => {
                        return Err(syn::Error::new(
                            s.span(),
                            format!(
                                "unknown JSONPath dialect `{other}`: use \"rfc9535\" or \"lenient\""
                            ),
                        ));
                    }
                };
                settings = settings.with_jsonpath_dialect(dialect);
            }
            ("compatibility", Value::Str(s)) => {
                let compatibility = match s.value().as_str() {
                    "strict" => arazzo_codegen::Compatibility::Strict,
                    "lenient" => arazzo_codegen::Compatibility::Lenient,
                    other => {
                        return Err(syn::Error::new(
                            s.span(),
                            format!(
                                "unknown compatibility `{other}`: use \"strict\" or \"lenient\""
                            ),
                        ));
                    }
                };
                settings = settings.with_compatibility(compatibility);
            }
            ("workflows", Value::List(ids)) => {
                settings = settings.with_workflows(ids.iter().map(LitStr::value));
            }
            ("source", Value::Pair(name, path)) => {
                settings = settings.with_source_file(name.value(), root.join(path.value()));
            }
            (other, _) => {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown setting `{other}`: expected `step_budget = 100`, `jsonpath_dialect = \"lenient\"`, `compatibility = \"lenient\"`, `workflows = [\"id\", …]` or `source = (\"name\", \"path\")`"
                    ),
                ));
            }
        }
    }
    Ok(settings)
}

fn expand(args: &Args) -> syn::Result<Tokens> {
    let literal = &args.path;
    let relative = std::path::PathBuf::from(literal.value());
    if relative.is_absolute() {
        return Err(syn::Error::new(
            literal.span(),
            "absolute paths are not accepted: a path relative to the crate's Cargo.toml keeps the build reproducible on other machines",
        ));
    }
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                literal.span(),
                "CARGO_MANIFEST_DIR is not set; build through cargo",
            )
        })?;
    let settings = settings(args, &root)?;
    let (code, report) = match arazzo_codegen::generate_file(&root.join(&relative), &settings) {
        Ok(generated) => generated,
        Err(report) => {
            let watched = watch(&report);
            let error = syn::Error::new(literal.span(), report.render()).to_compile_error();
            return Ok(quote! { #error #watched });
        }
    };
    let module: Tokens = code.parse().map_err(|e| {
        syn::Error::new(
            literal.span(),
            format!("arazzo-rs generated code that does not parse (a bug, please report it): {e}"),
        )
    })?;
    // rustc writes "use of deprecated constant `<path>`: <note>": the path names the check
    // (`arazzo::undeclared_status`), the note is the warning as `cargo arazzo check` shows it.
    let warnings = report.diagnostics().iter().map(|d| {
        let note = format!("\n{}", report.render_diagnostic(d).trim_end());
        let marker = quote::format_ident!("{}", d.code.to_string().replace('-', "_"));
        quote! {
            const _: () = {
                mod arazzo {
                    #[deprecated(note = #note)]
                    #[allow(non_upper_case_globals)]
                    pub const #marker: () = ();
                }
                arazzo::#marker
            };
        }
    });
    let watched = watch(&report);
    Ok(quote! {
        #module
        #( #warnings )*
        #watched
    })
}

/// `include_bytes!` of every file read, so Cargo rebuilds when one changes.
fn watch(report: &arazzo_codegen::Report) -> Tokens {
    let files = report.files_read().map(|f| f.display().to_string());
    quote! { #( const _: &[u8] = include_bytes!(#files); )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ends a test that reads the workspace's `fixtures/` when it runs from the published package,
    /// which does not ship them (cargo writes `Cargo.toml.orig` into every package it makes); says so.
    macro_rules! skip_when_packaged {
        () => {
            if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("Cargo.toml.orig")
                .is_file()
            {
                eprintln!(
                    "{}: not run: it reads the workspace's fixtures/, which the package does not ship",
                    module_path!()
                );
                return;
            }
        };
    }

    fn expand_str(input: &str) -> String {
        let args: Args = syn::parse_str(input).unwrap_or_else(|e| panic!("{e}"));
        match expand(&args) {
            Ok(tokens) => tokens.to_string(),
            Err(e) => e.to_compile_error().to_string(),
        }
    }

    #[test]
    fn a_valid_document_expands_to_its_module_and_watches_its_files() {
        skip_when_packaged!();
        let out =
            expand_str(r#""../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml""#);
        assert!(out.contains("pub struct Client"), "{out}");
        assert!(out.contains("create_conversation_with_webhook"), "{out}");
        assert!(
            out.contains("include_bytes !") && out.contains("conversations.openapi.yaml"),
            "{out}"
        );
    }

    #[test]
    fn errors_are_compile_errors_with_every_diagnostic() {
        skip_when_packaged!();
        let out = expand_str(r#""../fixtures/invalid/unknown-parameter--snake-case.arazzo.yaml""#);
        assert!(out.contains("compile_error !"), "{out}");
        assert!(
            out.contains(
                "error[unknown-parameter]: operation `getPetById` has no path parameter `pet_id`"
            ),
            "{out}"
        );
        assert!(out.contains("did you mean `petId`?"), "{out}");
    }

    #[test]
    fn warnings_become_deprecation_warnings() {
        skip_when_packaged!();
        let out = expand_str(r#""../fixtures/invalid/undeclared-status--200-for-201.arazzo.yaml""#);
        assert!(out.contains("deprecated"), "{out}");
        // rustc shows `arazzo::undeclared_status` and then the warning as the CLI shows it.
        assert!(out.contains("arazzo :: undeclared_status"), "{out}");
        for expected in [
            "warning[undeclared-status]: `createPet` declares no `200` response",
            "undeclared-status--200-for-201.arazzo.yaml:19:24",
            "= help: did you mean `$statusCode == 201`?",
        ] {
            assert!(out.contains(expected), "{expected} not in {out}");
        }
    }

    #[test]
    fn absolute_paths_and_unknown_settings_are_refused() {
        skip_when_packaged!();
        assert!(
            expand_str(r#""/etc/flow.arazzo.yaml""#).contains("absolute paths are not accepted")
        );
        let out = expand_str(
            r#""../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml", colour = "blue""#,
        );
        assert!(out.contains("unknown setting `colour`"), "{out}");
        let out = expand_str(
            r#""../fixtures/invalid/invalid-jsonpath--bare-comparison.arazzo.yaml", jsonpath_dialect = "lenient", step_budget = 10"#,
        );
        assert!(out.contains("pub struct Client"), "{out}");
    }

    #[test]
    fn lenient_compatibility_is_a_setting() {
        skip_when_packaged!();
        let fixture = r#""../fixtures/compat/runner-shorthands.arazzo.yaml""#;
        assert!(expand_str(fixture).contains("compile_error"));
        let out = expand_str(&format!(r#"{fixture}, compatibility = "lenient""#));
        assert!(out.contains("pub struct Client"), "{out}");
        let out = expand_str(&format!(r#"{fixture}, compatibility = "loose""#));
        assert!(out.contains("unknown compatibility `loose`"), "{out}");
    }

    #[test]
    fn workflows_pick_the_good_part_of_a_document() {
        skip_when_packaged!();
        let fixture = r#""../fixtures/selection/pick.arazzo.yaml""#;
        assert!(expand_str(fixture).contains("unknown-operation"));
        let out = expand_str(&format!(r#"{fixture}, workflows = ["pet-report"]"#));
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains("pet_report") && !out.contains("broken_sync"),
            "{out}"
        );
        let out = expand_str(&format!(r#"{fixture}, workflows = ["pet-reprt"]"#));
        assert!(
            out.contains("no workflow `pet-reprt` to select") && out.contains("pet-report"),
            "{out}"
        );
    }

    #[test]
    fn a_setting_given_twice_is_refused_on_its_second_key() {
        skip_when_packaged!();
        let fixture = r#""../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml""#;
        let out = expand_str(&format!(r#"{fixture}, step_budget = 5, step_budget = 10"#));
        assert!(
            out.contains("`step_budget` is set twice; keep one"),
            "{out}"
        );
        let out = expand_str(&format!(
            r#"{fixture}, source = ("a", "x.yaml"), source = ("a", "y.yaml")"#
        ));
        assert!(out.contains("`source a` is set twice; keep one"), "{out}");
    }
}
