//! Turning document names into Rust identifiers: one sanitising function, and a namer that
//! keeps generated names distinct. Every identifier of the generated code is chosen here; the
//! emitter only writes them.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Snake,
    UpperCamel,
    /// `SCREAMING_SNAKE`, for constants.
    Shouty,
}

/// Any string as a valid identifier in `case`: words split and re-cased, non-identifier
/// characters dropped, a leading digit prefixed, a keyword suffixed with `_` (`try_`, not
/// `r#try`, as typify does: it reads as a name and works where raw identifiers do not).
pub fn sanitize(name: &str, case: Case) -> String {
    let cased = match case {
        Case::Snake => name.to_snake_case(),
        Case::UpperCamel => name.to_upper_camel_case(),
        Case::Shouty => name.to_shouty_snake_case(),
    };
    // ASCII only: every name is then an identifier in every edition and toolchain.
    let mut cleaned: String = cased
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '_') {
        cleaned = match case {
            Case::Snake => "value".to_owned(),
            Case::UpperCamel => "Value".to_owned(),
            Case::Shouty => "VALUE".to_owned(),
        };
    }
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        cleaned = match case {
            Case::Snake => format!("n{cleaned}"),
            Case::UpperCamel | Case::Shouty => format!("N{cleaned}"),
        };
    }
    if KEYWORDS.contains(&cleaned.as_str()) {
        cleaned.push('_');
    }
    cleaned
}

/// Hands out distinct names within one scope (a module, a struct's fields).
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a name the generator uses itself.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// A fresh sanitised name for `wanted`, suffixed `_2`, `_3`… (or `2`, `3`… in UpperCamel)
    /// when taken.
    pub fn name(&mut self, wanted: &str, case: Case) -> String {
        let base = sanitize(wanted, case);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = match case {
                Case::Snake | Case::Shouty => format!("{base}_{n}"),
                Case::UpperCamel => format!("{base}{n}"),
            };
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(
            sanitize("create-conversation-with-webhook", Case::Snake),
            "create_conversation_with_webhook"
        );
        assert_eq!(
            sanitize("create-conversation-with-webhook", Case::UpperCamel),
            "CreateConversationWithWebhook"
        );
        assert_eq!(
            sanitize("Configuration.Url", Case::Snake),
            "configuration_url"
        );
        assert_eq!(sanitize("2fa", Case::Snake), "n2fa");
        assert_eq!(sanitize("2fa", Case::UpperCamel), "N2fa");
        assert_eq!(sanitize("$$$", Case::Snake), "value");
        assert_eq!(sanitize("friendlyName", Case::Snake), "friendly_name");
        assert_eq!(sanitize("type", Case::Snake), "type_");
        assert_eq!(sanitize("try", Case::Snake), "try_");
        assert_eq!(sanitize("self", Case::Snake), "self_");
        assert_eq!(sanitize("Self", Case::UpperCamel), "Self_");
        assert_eq!(sanitize("sid", Case::Snake), "sid");
        assert_eq!(sanitize("back-off", Case::Shouty), "BACK_OFF");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut namer = Namer::new();
        namer.reserve("client");
        assert_eq!(namer.name("get-pet", Case::Snake), "get_pet");
        assert_eq!(namer.name("get_pet", Case::Snake), "get_pet_2");
        assert_eq!(namer.name("GetPet", Case::Snake), "get_pet_3");
        assert_eq!(namer.name("client", Case::Snake), "client_2");
    }

    proptest::proptest! {
        #[test]
        fn any_text_becomes_an_identifier(text in "\\PC{0,24}") {
            for case in [Case::Snake, Case::UpperCamel, Case::Shouty] {
                let name = sanitize(&text, case);
                assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{text:?} -> {name:?}");
            }
        }
    }
}
