//! JSON Pointers (RFC 6901) over located trees.

use super::{Node, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    #[error("a JSON pointer must be empty or start with `/`")]
    MissingSlash,
    #[error("`~` must be followed by `0` (for `~`) or `1` (for `/`) in a JSON pointer")]
    BadEscape,
}

/// Splits a pointer into its unescaped reference tokens.
pub fn parse(pointer: &str) -> Result<Vec<String>, PointerError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer
        .strip_prefix('/')
        .ok_or(PointerError::MissingSlash)?;
    rest.split('/').map(unescape).collect()
}

fn unescape(token: &str) -> Result<String, PointerError> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return Err(PointerError::BadEscape),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Escapes one token for use in a pointer.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins tokens into a pointer string.
pub fn join<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape(t.as_ref())))
        .collect()
}

impl Node {
    /// The node at the given reference tokens, if there is one.
    pub fn at<S: AsRef<str>>(&self, tokens: &[S]) -> Option<&Node> {
        let mut node = self;
        for token in tokens {
            let token = token.as_ref();
            node = match &node.value {
                Value::Map(map) => map.get(token)?,
                Value::Seq(items) => {
                    if token.len() > 1 && token.starts_with('0') {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        assert_eq!(
            parse("/paths/~1pets~1{petId}/get").ok(),
            Some(vec![
                "paths".to_owned(),
                "/pets/{petId}".to_owned(),
                "get".to_owned()
            ])
        );
        assert_eq!(parse("/a~0b").ok(), Some(vec!["a~b".to_owned()]));
        assert_eq!(join(["/pets/{id}", "a~b"]), "/~1pets~1{id}/a~0b");
    }

    #[test]
    fn malformed_pointers_are_rejected() {
        assert_eq!(parse("paths"), Err(PointerError::MissingSlash));
        assert_eq!(parse("/a~2"), Err(PointerError::BadEscape));
    }
}
