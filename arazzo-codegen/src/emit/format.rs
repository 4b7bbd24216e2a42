//! Generated code laid out as rustfmt would lay it out: prettyplease's formatting, doc
//! comments wrapped to the 100-column line, a blank line between items.

use proc_macro2::TokenStream;
use quote::quote;

/// The width rustfmt formats to (100), less the 4 columns every line is indented by inside the
/// runtime's `__generated!`.
pub const MAX_WIDTH: usize = 96;

/// Doc attributes for `text`, its paragraphs wrapped so that `/// ` lines indented by `indent`
/// columns fit the line. Lines that look like lists or code keep their breaks.
pub fn docs(text: &str, indent: usize) -> TokenStream {
    let lines = doc_lines(text, MAX_WIDTH.saturating_sub(indent + 4).max(40));
    quote! { #( #[doc = #lines] )* }
}

/// The lines of a doc comment, each with its leading space (`/// text`).
pub fn doc_lines(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            let words: Vec<&str> = paragraph
                .iter()
                .flat_map(|l| l.split_whitespace())
                .collect();
            out.extend(wrap(&words, width, "", ""));
            paragraph.clear();
        }
    };
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
        if in_fence || fence {
            // Code keeps its lines, from the opening fence to the closing one.
            flush(&mut paragraph, &mut out);
            out.push(format!(" {line}"));
            in_fence ^= fence;
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
        } else if let Some(marker) = list_marker(line) {
            // A list item starts its own line; its continuation lines hang under its text.
            flush(&mut paragraph, &mut out);
            let rest = line.trim_start().get(marker.len()..).unwrap_or("");
            let words: Vec<&str> = rest.split_whitespace().collect();
            let hang = " ".repeat(marker.len());
            out.extend(wrap(&words, width, &marker, &hang));
        } else if keeps_its_line(line) {
            flush(&mut paragraph, &mut out);
            out.push(format!(" {line}"));
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `words` as lines of at most `width` (a word longer than that has a line of its own), the
/// first starting with `first`, the others with `rest`.
fn wrap(words: &[&str], width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in words {
        if !empty && line.len() + 1 + word.len() > width {
            out.push(format!(" {line}"));
            line = rest.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push(format!(" {line}"));
    }
    out
}

/// `- `, `* ` or `12. ` at the start of a list item (after its indentation).
fn list_marker(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if line.len() != trimmed.len() {
        return None;
    }
    if let Some(bullet) = ["- ", "* "].into_iter().find(|b| trimmed.starts_with(b)) {
        return Some(bullet.to_owned());
    }
    let (n, _) = trimmed.split_once(". ")?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then(|| format!("{n}. "))
}

/// Headings, tables, quotes and indented code keep their own lines (fenced code too, above).
fn keeps_its_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    // A line that opens with inline code (`` `steps` and … ``) is prose, not a fence.
    line.starts_with("    ") || trimmed.starts_with(['#', '|', '>'])
}

/// Formats a whole file, or says why the tokens are not Rust (a bug of the emitter).
pub fn file(tokens: TokenStream) -> Result<String, String> {
    let parsed = syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string())?;
    Ok(blank_lines_between_items(&prettyplease::unparse(&parsed)))
}

/// prettyplease writes items back to back; rustfmt keeps (and users write) a blank line
/// between them. A blank line goes before an item that follows the end of another at the same
/// indentation: after a closing brace, or after a `use`, `const` or `static` when the next
/// item is of another kind, or after a top-level item that ends over several lines.
fn blank_lines_between_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous
            && indent(prev) == indent(line)
            && starts_item(line)
            && ends_item(prev, line)
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

const ITEM_STARTS: &[&str] = &[
    "///",
    "//!",
    "#[",
    "pub ",
    "pub(",
    "fn ",
    "async fn ",
    "const fn ",
    "impl",
    "struct ",
    "enum ",
    "mod ",
    "const ",
    "static ",
    "use ",
    "type ",
    "trait ",
];

fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    ITEM_STARTS.iter().any(|s| t.starts_with(s))
}

fn ends_item(prev: &str, next: &str) -> bool {
    let p = prev.trim_start();
    if p == "}" || p == "};" {
        return true;
    }
    let kind = |l: &str| {
        let l = l
            .trim_start()
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ");
        ["use ", "const ", "static "]
            .into_iter()
            .find(|k| l.starts_with(k))
    };
    match (kind(p), kind(next)) {
        (Some(a), Some(b)) => p.ends_with(';') && a != b,
        (Some(_), None) => p.ends_with(';'),
        // The last line of an item written over several lines (`>();`).
        (None, _) => p.ends_with(';') && indent(prev) == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_wrap_and_lists_keep_their_lines() {
        let text = "A long sentence that goes on and on well past the width we allow here.\n\n\
                    Steps:\n1. `a`: first\n2. `b`: second";
        let lines = doc_lines(text, 30);
        assert_eq!(
            lines,
            [
                " A long sentence that goes on",
                " and on well past the width we",
                " allow here.",
                "",
                " Steps:",
                " 1. `a`: first",
                " 2. `b`: second",
            ]
        );
        let item = doc_lines(
            "1. `attach`: `Create` (`POST /v1/Conversations/{Sid}/Webhooks`)",
            30,
        );
        assert_eq!(
            item,
            [
                " 1. `attach`: `Create` (`POST",
                "    /v1/Conversations/{Sid}/Webhooks`)",
            ]
        );
    }

    #[test]
    fn prose_that_opens_with_inline_code_wraps_and_fences_do_not() {
        let lines = doc_lines("`steps` and `base` are relative URLs resolved here", 30);
        assert_eq!(
            lines,
            [" `steps` and `base` are", " relative URLs resolved here"]
        );
        let fence = doc_lines(
            "```yaml\nurl: a very long line that must stay whole\n```",
            30,
        );
        assert_eq!(fence.len(), 3);
    }

    #[test]
    fn items_get_a_blank_line_between_them() {
        let text = "use a::b;\nconst X: u8 = 1;\nconst Y: u8 = 2;\nfn f() {\n    let x = 1;\n}\nfn g() {}\n";
        assert_eq!(
            blank_lines_between_items(text),
            "use a::b;\n\nconst X: u8 = 1;\nconst Y: u8 = 2;\n\nfn f() {\n    let x = 1;\n}\n\nfn g() {}\n"
        );
    }
}
