//! Runtime expressions embedded in `regex`, `jsonpath` and `xpath` conditions (Arazzo 1.1):
//! where each one sits in the query, inside a quoted string or bare, so that its value can be
//! written there without changing the query's structure.

use super::parse::template;
use super::{ExprError, Expression, TemplatePart};

/// The query language of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Regex,
    JsonPath,
    XPath,
}

/// Where an embedded value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Inside a string literal opened by this quote.
    Quoted(char),
    /// Where a literal goes (a number, a string with its quotes), or a regex's literal text.
    Bare,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EmbeddedPart {
    Text(String),
    Value(Expression, Slot),
}

/// The parts of a condition with embedded expressions; `None` when it has none.
pub fn embedded(text: &str, language: Language) -> Result<Option<Vec<EmbeddedPart>>, ExprError> {
    if !text.contains("{$") {
        return Ok(None);
    }
    let mut open: Option<char> = None;
    let mut parts = Vec::new();
    for part in template(text)? {
        match part {
            TemplatePart::Literal(t) => {
                open = quotes_after(&t, open, language);
                parts.push(EmbeddedPart::Text(t));
            }
            TemplatePart::Expression(e) => {
                let slot = open.map_or(Slot::Bare, Slot::Quoted);
                parts.push(EmbeddedPart::Value(e, slot));
            }
        }
    }
    Ok(Some(parts))
}

/// The string literal still open after `text`, given the one open before it.
fn quotes_after(text: &str, mut open: Option<char>, language: Language) -> Option<char> {
    if language == Language::Regex {
        return None;
    }
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match open {
            // JSONPath strings escape with a backslash; XPath doubles the quote, which closes
            // and reopens the literal here with the same effect.
            Some(_) if c == '\\' && language == Language::JsonPath => {
                chars.next();
            }
            Some(q) if c == q => open = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => open = Some(c),
            None => {}
        }
    }
    open
}

/// The query with a stand-in value in each slot, to check its structure at build time.
pub fn with_stand_ins(parts: &[EmbeddedPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            EmbeddedPart::Text(t) => t.as_str(),
            EmbeddedPart::Value(_, Slot::Quoted(_)) => "x",
            EmbeddedPart::Value(_, Slot::Bare) => "0",
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(text: &str, language: Language) -> Vec<Slot> {
        embedded(text, language)
            .ok()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| match p {
                EmbeddedPart::Value(_, slot) => Some(slot),
                EmbeddedPart::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_value_knows_whether_it_is_inside_a_string() {
        assert_eq!(
            slots(r#"$[?(@.status == "{$inputs.s}")]"#, Language::JsonPath),
            [Slot::Quoted('"')]
        );
        assert_eq!(
            slots(
                "$[?@.n > {$inputs.min} && @.t == 'a\\'{$inputs.t}']",
                Language::JsonPath
            ),
            [Slot::Bare, Slot::Quoted('\'')]
        );
        assert_eq!(
            slots(
                "/r/i[price > {$inputs.p}][@n = 'it''s {$inputs.n}']",
                Language::XPath
            ),
            [Slot::Bare, Slot::Quoted('\'')]
        );
        assert_eq!(slots("^({$inputs.p})$", Language::Regex), [Slot::Bare]);
        assert!(embedded("^a{2}$", Language::Regex).ok().flatten().is_none());
    }
}
