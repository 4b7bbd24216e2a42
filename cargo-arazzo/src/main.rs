//! `cargo arazzo`: check Arazzo workflows, and generate typed Rust from them.
//!
//! Works as a cargo subcommand (`cargo arazzo check FILE`) and run directly
//! (`cargo-arazzo check FILE`). Exit codes: 0 no errors (warnings may be printed), 1 errors
//! found, 2 usage or I/O failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use arazzo_codegen::{Compatibility, JsonPathDialect, Settings, check_file};
use clap::{Parser, Subcommand, ValueEnum};

mod new_crate;

#[derive(Parser)]
#[command(
    name = "cargo-arazzo",
    bin_name = "cargo arazzo",
    version,
    about = "Check Arazzo workflow documents against their OpenAPI descriptions, and generate Rust",
    long_about = "Check Arazzo workflow documents against their OpenAPI descriptions, and generate \
                  strongly typed async Rust from them.\n\n\
                  Every problem is reported at once, each with file:line:col, a message and, \
                  where possible, a suggestion.\n\n\
                  Exit status: 0 when there are no errors (warnings are printed), 1 when there \
                  are errors, 2 on a usage or I/O failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load, resolve and check Arazzo documents without generating code.
    Check(CheckArgs),
    /// Generate the Rust module for one Arazzo document (to standard output by default).
    Generate(GenerateArgs),
    /// Draw the workflows of one Arazzo document as a graph (Mermaid or Graphviz DOT): steps in
    /// the order they run, default next steps, gotos, retries, ends, sub-workflows and
    /// dependsOn, failure paths dotted and red.
    Graph(GraphArgs),
}

#[derive(clap::Args)]
struct GraphArgs {
    /// The Arazzo document (YAML or JSON).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// `mermaid` (a flowchart GitHub renders) or `dot` (Graphviz).
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Mermaid)]
    format: GraphFormatArg,

    /// Write the graph to this file instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormatArg {
    Mermaid,
    Dot,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The Arazzo document (YAML or JSON).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Write the module to this file instead of standard output.
    #[arg(short, long, value_name = "OUT.rs", conflicts_with = "krate")]
    output: Option<PathBuf>,

    /// Write a standalone library crate to this directory, named after it (`Cargo.toml`
    /// depending on the `arazzo-runtime` the module fits, and `src/lib.rs`).
    #[arg(long = "crate", value_name = "DIR")]
    krate: Option<PathBuf>,

    /// With `--crate`: depend on the `arazzo-runtime` at this path (a checkout) instead of
    /// crates.io's.
    #[arg(long, value_name = "PATH", requires = "krate")]
    runtime_path: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

/// Settings shared by every command.
#[derive(clap::Args)]
struct CommonArgs {
    /// Use a local file for a source description: `NAME=PATH` or `URL=PATH`. Remote sources
    /// are never fetched; map them to a downloaded copy. May be repeated.
    #[arg(long = "source", value_name = "NAME=PATH", value_parser = parse_mapping)]
    sources: Vec<(String, PathBuf)>,

    /// JSONPath accepted in `jsonpath` criteria: `rfc9535`, or `lenient` to also accept bare
    /// comparisons such as `$.state != "closed"` (read as `$[?@.state != 'closed']`).
    #[arg(long, value_enum, default_value_t = Dialect::Rfc9535)]
    jsonpath_dialect: Dialect,

    /// `strict`: the specification's forms only. `lenient`: also the shorthands of documents
    /// written for other runners (`<source>.<operationId>`, `$dependencies.…`, operationPaths
    /// without `{…url}`, …), each read as its specification form with a warning; implies
    /// `--jsonpath-dialect lenient`.
    #[arg(long, value_enum, default_value_t = CompatibilityArg::Strict)]
    compatibility: CompatibilityArg,

    /// Check and generate only this workflow and what it reaches (child workflows,
    /// `dependsOn`, goto targets); problems in the other workflows are not reported. May be
    /// repeated.
    #[arg(long = "workflow", value_name = "ID")]
    workflows: Vec<String>,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

impl CommonArgs {
    fn settings(&self) -> Settings {
        let mut settings = Settings::new()
            .with_jsonpath_dialect(match self.jsonpath_dialect {
                Dialect::Rfc9535 => JsonPathDialect::Rfc9535,
                Dialect::Lenient => JsonPathDialect::Lenient,
            })
            .with_compatibility(match self.compatibility {
                CompatibilityArg::Strict => Compatibility::Strict,
                CompatibilityArg::Lenient => Compatibility::Lenient,
            });
        settings = settings.with_workflows(self.workflows.iter().cloned());
        for (name, path) in &self.sources {
            settings = settings.with_source_file(name.clone(), path.clone());
        }
        settings
    }
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Arazzo documents (YAML or JSON) to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// How to print diagnostics: `human` (rustc style) or `json` (one object per line).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Dialect {
    Rfc9535,
    Lenient,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompatibilityArg {
    Strict,
    Lenient,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn parse_mapping(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=PATH, found `{text}`")),
    }
}

fn main() -> ExitCode {
    // `cargo arazzo …` runs us as `cargo-arazzo arazzo …`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "arazzo") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Generate(args) => generate(&args),
        Command::Graph(args) => graph(&args),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let settings = args.common.settings();
    let mut errors = false;
    let mut io_failure = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        if !file.is_file() {
            eprintln!("error: no file at `{}`", file.display());
            io_failure = true;
            continue;
        }
        let report = check_file(file, &settings);
        errors |= report.has_errors();
        let written = match args.message_format {
            MessageFormat::Json => write!(out, "{}", report.render_json()),
            MessageFormat::Human => print_human(&report, args.common.color),
        };
        if written.is_err() {
            io_failure = true;
        }
    }
    if io_failure {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(args: &GenerateArgs) -> ExitCode {
    if !args.file.is_file() {
        eprintln!("error: no file at `{}`", args.file.display());
        return ExitCode::from(2);
    }
    let generated = arazzo_codegen::generate_file(&args.file, &args.common.settings());
    finish(generated, args.common.color, |code| {
        match (&args.output, &args.krate) {
            (Some(path), _) => write_file(path, code),
            (None, Some(dir)) => new_crate::write(dir, code, args.runtime_path.as_deref()),
            (None, None) => write_stdout(code),
        }
    })
}

fn graph(args: &GraphArgs) -> ExitCode {
    if !args.file.is_file() {
        eprintln!("error: no file at `{}`", args.file.display());
        return ExitCode::from(2);
    }
    let format = match args.format {
        GraphFormatArg::Mermaid => arazzo_codegen::GraphFormat::Mermaid,
        GraphFormatArg::Dot => arazzo_codegen::GraphFormat::Dot,
    };
    let settings = args.common.settings();
    let drawn = arazzo_codegen::graph_file(&args.file, &settings, &args.common.workflows, format);
    finish(drawn, args.common.color, |graph| match &args.output {
        Some(path) => write_file(path, graph),
        None => write_stdout(graph),
    })
}

/// What `generate` and `graph` do with their result: warnings (and workflows left out) shown,
/// the text written by `write`; errors shown with exit status 1; a failed write is status 2.
fn finish(
    result: Result<(String, arazzo_codegen::Report), arazzo_codegen::Report>,
    color: Color,
    write: impl FnOnce(&str) -> Result<(), String>,
) -> ExitCode {
    match result {
        Ok((text, report)) => {
            if (!report.diagnostics().is_empty() || report.skipped_workflows() > 0)
                && print_human(&report, color).is_err()
            {
                return ExitCode::from(2);
            }
            match write(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(report) => match print_human(&report, color) {
            Ok(()) => ExitCode::from(1),
            Err(_) => ExitCode::from(2),
        },
    }
}

fn write_file(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn write_stdout(text: &str) -> Result<(), String> {
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())
}

fn print_human(report: &arazzo_codegen::Report, color: Color) -> std::io::Result<()> {
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let text = if colored {
        report.render_colored()
    } else {
        report.render()
    };
    std::io::stderr().write_all(text.as_bytes())
}
