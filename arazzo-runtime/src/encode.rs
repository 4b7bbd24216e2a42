//! Serialising parameter values the way OpenAPI's `style` and `explode` say, with encodings
//! that keep a value from ever changing the structure of the request.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use crate::value::scalar_text;

/// Everything except RFC 3986 unreserved characters is encoded: a path parameter containing
/// `/`, `?` or `#` stays inside its segment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value for a path segment or a query component.
pub fn component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// [`component`] as pieces, for appending without an intermediate string.
pub fn component_parts(text: &str) -> impl Iterator<Item = &str> {
    utf8_percent_encode(text, COMPONENT)
}

/// What a query string may hold as it is (RFC 3986 `query`): everything else is encoded.
const QUERY: &AsciiSet = &COMPONENT
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

/// A query string written by hand, made safe to put in a URL: its structure (`&`, `=`) and
/// its percent-escapes are kept; a space, `#` or a stray `%` is encoded.
pub fn query_ready(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, _) in text.match_indices('%') {
        out.extend(utf8_percent_encode(
            text.get(start..i).unwrap_or_default(),
            QUERY,
        ));
        let escape = bytes.get(i + 1..i + 3);
        if escape.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            out.push('%');
        } else {
            out.push_str("%25");
        }
        start = i + 1;
    }
    out.extend(utf8_percent_encode(
        text.get(start..).unwrap_or_default(),
        QUERY,
    ));
    out
}

/// OpenAPI parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Form,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// The `(name, value)` pairs a query parameter becomes, unencoded.
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
) -> Vec<(String, String)> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            match (style, explode) {
                (Style::Form, true) | (Style::DeepObject, _) => {
                    texts.into_iter().map(|t| (name.to_owned(), t)).collect()
                }
                (Style::SpaceDelimited, false) => vec![(name.to_owned(), texts.join(" "))],
                (Style::PipeDelimited, false) => vec![(name.to_owned(), texts.join("|"))],
                (Style::SpaceDelimited | Style::PipeDelimited, true) => {
                    texts.into_iter().map(|t| (name.to_owned(), t)).collect()
                }
                _ => vec![(name.to_owned(), texts.join(","))],
            }
        }
        Value::Object(map) => match (style, explode) {
            (Style::DeepObject, _) => map
                .iter()
                .filter_map(|(k, v)| scalar_text(v).map(|t| (format!("{name}[{k}]"), t)))
                .collect(),
            (_, true) => map
                .iter()
                .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
                .collect(),
            (_, false) => {
                let flat: Vec<String> = map
                    .iter()
                    .filter_map(|(k, v)| scalar_text(v).map(|t| format!("{k},{t}")))
                    .collect();
                vec![(name.to_owned(), flat.join(","))]
            }
        },
        scalar => scalar_text(scalar)
            .map(|t| vec![(name.to_owned(), t)])
            .unwrap_or_default(),
    }
}

/// An encoded query string from unencoded pairs.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", component(k), component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The text of a header (style `simple`) or path parameter value.
pub fn simple(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => {
            let sep = if explode { "=" } else { "," };
            Some(
                map.iter()
                    .filter_map(|(k, v)| scalar_text(v).map(|t| format!("{k}{sep}{t}")))
                    .collect::<Vec<_>>()
                    .join(","),
            )
        }
        scalar => scalar_text(scalar),
    }
}

/// A path parameter in `label` (`.a.b`) or `matrix` (`;id=a;id=b`) style, values encoded.
pub fn path_styled(name: &str, value: &Value, style: Style, explode: bool) -> String {
    let items: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(scalar_text)
            .map(|t| component(&t))
            .collect(),
        other => simple(other, explode)
            .map(|t| vec![component(&t)])
            .unwrap_or_default(),
    };
    match (style, explode) {
        (Style::Label, true) => items.iter().map(|i| format!(".{i}")).collect(),
        (Style::Label, false) => format!(".{}", items.join(",")),
        (Style::Matrix, true) => items
            .iter()
            .map(|i| format!(";{}={i}", component(name)))
            .collect(),
        (Style::Matrix, false) => format!(";{}={}", component(name), items.join(",")),
        _ => items.join(","),
    }
}

/// How one property of a form body is written (`encoding` in the OpenAPI description).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldEncoding {
    pub style: Style,
    pub explode: bool,
}

/// OpenAPI's default for form bodies: `form`, exploded (arrays become repeated keys).
pub const FORM_DEFAULT: FieldEncoding = FieldEncoding {
    style: Style::Form,
    explode: true,
};

/// The pairs of an `application/x-www-form-urlencoded` body. Keys are used literally
/// (Twilio's `Configuration.Url`); absent values are left out.
#[cfg(test)]
fn form_pairs(body: &Value, encodings: &[(&str, FieldEncoding)]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    each_form_pair(body, encodings, |k, v| {
        pairs.push((k.to_owned(), v.to_owned()))
    });
    pairs
}

/// Calls `f` with each pair of a form body; string values are lent, not copied.
fn each_form_pair(
    body: &Value,
    encodings: &[(&str, FieldEncoding)],
    mut f: impl FnMut(&str, &str),
) {
    let Value::Object(map) = body else {
        if let Some(t) = scalar_text(body) {
            f("", &t);
        }
        return;
    };
    each_field_pair(map.iter().map(|(k, v)| (k.as_str(), v)), encodings, f);
}

/// [`each_form_pair`] over an object's fields.
fn each_field_pair<'v>(
    fields: impl Iterator<Item = (&'v str, &'v Value)>,
    encodings: &[(&str, FieldEncoding)],
    mut f: impl FnMut(&str, &str),
) {
    for (key, value) in fields {
        field_pairs(key, value, field_encoding(encodings, key), &mut f);
    }
}

/// How the operation writes the form field `key`: as its `encoding` says, else by default.
pub fn field_encoding(encodings: &[(&str, FieldEncoding)], key: &str) -> FieldEncoding {
    encodings
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(FORM_DEFAULT, |(_, e)| *e)
}

/// Calls `f` with each pair one form field adds (none for null); a string is lent, not copied.
pub fn field_pairs(
    key: &str,
    value: &Value,
    encoding: FieldEncoding,
    f: &mut dyn FnMut(&str, &str),
) {
    match value {
        Value::Null => {}
        Value::String(s) => f(key, s),
        Value::Object(_) if encoding.style != Style::DeepObject => f(key, &value.to_string()),
        _ => {
            for (k, v) in query_pairs(key, value, encoding.style, encoding.explode) {
                f(&k, &v);
            }
        }
    }
}

/// Form pairs encoded as `application/x-www-form-urlencoded` (spaces as `+`).
#[cfg(test)]
fn form_urlencoded(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A form body encoded as `application/x-www-form-urlencoded`, without building its pairs.
pub fn form_body(body: &Value, encodings: &[(&str, FieldEncoding)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    each_form_pair(body, encodings, |k, v| {
        out.append_pair(k, v);
    });
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{FieldValue, form_fields};
    use serde_json::json;

    #[test]
    fn components_keep_values_inside_their_segment() {
        assert_eq!(component("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(component("../admin"), "..%2Fadmin");
        assert_eq!(component("sp ace+é"), "sp%20ace%2B%C3%A9");
        assert_eq!(component("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn hand_written_query_strings_keep_their_structure() {
        assert_eq!(
            query_ready("filter=active&sort=desc&limit=50"),
            "filter=active&sort=desc&limit=50"
        );
        assert_eq!(query_ready("q=a b#c"), "q=a%20b%23c");
        assert_eq!(query_ready("p=100%&e=%C3%A9"), "p=100%25&e=%C3%A9");
    }

    #[test]
    fn query_styles() {
        let list = json!(["a", "b"]);
        assert_eq!(
            query_pairs("x", &list, Style::Form, true),
            [("x".into(), "a".into()), ("x".into(), "b".into())]
        );
        assert_eq!(
            query_pairs("x", &list, Style::Form, false),
            [("x".into(), "a,b".into())]
        );
        assert_eq!(
            query_pairs("x", &list, Style::SpaceDelimited, false),
            [("x".into(), "a b".into())]
        );
        assert_eq!(
            query_pairs("x", &list, Style::PipeDelimited, false),
            [("x".into(), "a|b".into())]
        );
        // Keys in their sorted order: without `preserve_order`, objects iterate sorted.
        let obj = json!({"g": 200, "r": 100});
        assert_eq!(
            query_pairs("c", &obj, Style::Form, true),
            [("g".into(), "200".into()), ("r".into(), "100".into())]
        );
        assert_eq!(
            query_pairs("c", &obj, Style::Form, false),
            [("c".into(), "g,200,r,100".into())]
        );
        assert_eq!(
            query_pairs("c", &obj, Style::DeepObject, true),
            [("c[g]".into(), "200".into()), ("c[r]".into(), "100".into())]
        );
        assert_eq!(
            query_pairs("n", &json!(5), Style::Form, true),
            [("n".into(), "5".into())]
        );
        assert!(query_pairs("n", &Value::Null, Style::Form, true).is_empty());
        assert_eq!(
            query_string(&[("a b".into(), "c&d=e".into())]),
            "a%20b=c%26d%3De"
        );
    }

    #[test]
    fn label_and_matrix_path_styles() {
        let list = json!(["a b", "c"]);
        assert_eq!(path_styled("id", &list, Style::Label, false), ".a%20b,c");
        assert_eq!(path_styled("id", &list, Style::Label, true), ".a%20b.c");
        assert_eq!(
            path_styled("id", &list, Style::Matrix, false),
            ";id=a%20b,c"
        );
        assert_eq!(
            path_styled("id", &list, Style::Matrix, true),
            ";id=a%20b;id=c"
        );
        assert_eq!(path_styled("id", &json!(5), Style::Matrix, false), ";id=5");
        assert_eq!(
            path_styled("id", &json!("x/y"), Style::Label, false),
            ".x%2Fy"
        );
    }

    #[test]
    fn headers_use_the_simple_style() {
        assert_eq!(simple(&json!(["a", "b"]), false).as_deref(), Some("a,b"));
        assert_eq!(simple(&json!({"a": 1}), true).as_deref(), Some("a=1"));
        assert_eq!(simple(&json!({"a": 1}), false).as_deref(), Some("a,1"));
        assert_eq!(simple(&Value::Null, false), None);
    }

    #[test]
    fn form_bodies_repeat_array_keys_and_keep_dotted_keys() {
        let body = json!({"Configuration.Filters": ["onMessageAdded", "onMessageRemoved"], "Configuration.Url": "https://x.test/a b", "Type": "webhook"});
        let pairs = form_pairs(&body, &[]);
        assert_eq!(form_body(&body, &[]), form_urlencoded(&pairs));
        let values: Vec<(&str, Option<&Value>)> = body
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), Some(v))).collect())
            .unwrap_or_default();
        let fields: Vec<(&str, &dyn FieldValue)> = values
            .iter()
            .map(|(k, v)| (*k, v as &dyn FieldValue))
            .collect();
        assert_eq!(form_fields(&fields, &[]), form_urlencoded(&pairs));
        let (absent, one) = (None::<Value>, Some(json!(1)));
        assert_eq!(form_fields(&[("absent", &absent), ("a", &one)], &[]), "a=1");
        assert_eq!(
            form_urlencoded(&pairs),
            "Configuration.Filters=onMessageAdded&Configuration.Filters=onMessageRemoved&Configuration.Url=https%3A%2F%2Fx.test%2Fa+b&Type=webhook"
        );
        let joined = form_pairs(
            &body,
            &[(
                "Configuration.Filters",
                FieldEncoding {
                    style: Style::Form,
                    explode: false,
                },
            )],
        );
        assert!(joined.contains(&(
            "Configuration.Filters".to_owned(),
            "onMessageAdded,onMessageRemoved".to_owned()
        )));
    }
}
