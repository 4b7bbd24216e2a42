//! Generates the code of each case under `$ARAZZO_CONFORMANCE_CASES` (one folder per case, with
//! `flow.arazzo.yaml` and `api.openapi.json`), as a module of one crate, and a `run` function
//! that runs a case's workflow `main` by name. Without the variable, there are no cases.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=ARAZZO_CONFORMANCE_CASES");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let mut modules = String::new();
    let mut arms = String::new();
    let mut failed = String::new();
    if let Some(dir) = std::env::var_os("ARAZZO_CONFORMANCE_CASES") {
        let dir = PathBuf::from(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("flow.arazzo.yaml").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .collect();
        names.sort();
        for name in names {
            let doc = dir.join(&name).join("flow.arazzo.yaml");
            println!("cargo:rerun-if-changed={}", doc.display());
            match arazzo_codegen::generate_file(&doc, &arazzo_codegen::Settings::default()) {
                Ok((code, _)) => {
                    let file = out.join(format!("{name}.rs"));
                    if std::fs::write(&file, &code).is_err() {
                        continue;
                    }
                    let _ = writeln!(
                        modules,
                        "#[deny(warnings)]\n#[allow(dead_code)]\npub mod {name} {{ include!({:?}); }}",
                        file.display().to_string()
                    );
                    // A workflow without inputs (a project fixture's) is run without any.
                    let (prelude, call) = if code.contains("pub struct MainInput") {
                        (
                            format!(
                                "let input: {name}::MainInput = match ::serde_json::from_value(inputs) {{
                Ok(input) => input,
                Err(e) => return Some(Err(format!(\"the inputs do not fit: {{e}}\"))),
            }};"
                            ),
                            "client.main(input)",
                        )
                    } else {
                        ("let _ = inputs;".to_owned(), "client.main()")
                    };
                    let _ = writeln!(
                        arms,
                        "        {name:?} => {{
            let client = {name}::Client::new().with_api_url(base).with_step_budget(budget).with_sleeper(sleeper);
            {prelude}
            Some(Ok({call}.await.map(|o| ::serde_json::to_value(o).unwrap_or_default())))
        }}"
                    );
                }
                Err(report) => {
                    let _ = writeln!(failed, "    ({name:?}, {:?}),", report.render());
                }
            }
        }
    }
    let code = format!(
        "{modules}
/// The cases whose code could not be generated, with why.
pub const NOT_GENERATED: &[(&str, &str)] = &[
{failed}];

/// Runs workflow `main` of case `name` against `base`: `None` for an unknown case, `Err` when
/// the inputs do not fit its input type.
#[allow(unused_variables, clippy::match_single_binding)]
pub async fn run(
    name: &str,
    base: &str,
    inputs: ::serde_json::Value,
    budget: usize,
    sleeper: ::arazzo_runtime::Sleeper,
) -> Option<Result<::arazzo_runtime::Result<::serde_json::Value>, String>> {{
    match name {{
{arms}        _ => None,
    }}
}}
"
    );
    let _ = std::fs::write(out.join("cases.rs"), code);
}
