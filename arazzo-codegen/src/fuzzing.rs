//! What the fuzz targets (`tests/fuzz_targets.rs`) reach that the crate does not make public:
//! the expression and condition parsers, and a way to turn fuzz bytes into documents near a
//! valid one. Not part of the API: the names may change with any release.

use std::ops::Range;

/// Parses `text` as a value (literal, expression or template), an expression and a condition,
/// and says which promise the parsers broke, if any: every error and warning they report must
/// lie inside the text, on character boundaries, so that a diagnostic can point at it.
pub fn expression(text: &str) -> Result<(), String> {
    let inside = |what: &str, range: &Range<usize>| {
        let ok = range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if ok {
            Ok(())
        } else {
            Err(format!("{what} range {range:?} outside {text:?}"))
        }
    };
    if let Err(e) = crate::expr::string_value(text) {
        inside("value error", &e.range)?;
    }
    if let Err(e) = crate::expr::expression(text) {
        inside("expression error", &e.range)?;
    }
    match crate::expr::condition::condition(text) {
        Err(e) => inside("condition error", &e.range)?,
        Ok(parsed) => {
            for w in &parsed.warnings {
                inside("condition warning", &w.range)?;
            }
        }
    }
    Ok(())
}

/// Pieces of Arazzo and YAML that fuzz bytes insert into a document.
const PIECES: &[&str] = &[
    "$steps.",
    ".outputs.",
    "$inputs.",
    "$response.body#/",
    "$statusCode == ",
    "{$",
    "}",
    "'",
    "\n",
    "  ",
    "- ",
    ": ",
    "type: goto\n",
    "type: retry\n",
    "type: end\n",
    "stepId: ",
    "workflowId: ",
    "dependsOn: [",
    "]",
    "retryLimit: ",
    "criteria:\n",
    "condition: ",
    "&a ",
    "*a",
    "é",
    "\u{1F600}",
    "0",
    "-1",
    "1e999",
    "null",
];

/// `seed` changed by `edits`, read three bytes at a time: what to do (insert a piece, delete,
/// duplicate a line), where (a fraction of the text), and which piece or how much. Most results
/// stay close to the seed, so they reach past the loader into the checks, the planner and the
/// emitter.
pub fn mutate(seed: &str, edits: &[u8]) -> String {
    let mut text = seed.to_owned();
    for chunk in edits.chunks(3) {
        let [op, at, arg] = [0, 1, 2].map(|i| chunk.get(i).copied().unwrap_or(0));
        let mut cut = (usize::from(at) * text.len()) / 256;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        match op % 4 {
            0 => {
                let piece = PIECES
                    .get(usize::from(arg) % PIECES.len())
                    .copied()
                    .unwrap_or("");
                text.insert_str(cut, piece);
            }
            1 => {
                let mut end = (cut + usize::from(arg % 16)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(cut..end.max(cut), "");
            }
            2 => {
                let line_start = text
                    .get(..cut)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let line_end = text
                    .get(cut..)
                    .and_then(|t| t.find('\n'))
                    .map_or(text.len(), |i| cut + i + 1);
                let line = text.get(line_start..line_end).unwrap_or("").to_owned();
                text.insert_str(line_start, &line);
            }
            _ => {
                let digit = char::from(b'0' + arg % 10);
                text.insert(cut, digit);
            }
        }
    }
    text
}
