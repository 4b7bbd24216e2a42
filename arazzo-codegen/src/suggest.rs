//! "Did you mean …?" for misspelt names.

/// The closest candidate to `wanted`, if one is close enough to be a likely typo.
/// Case-only differences (`pet_id`/`petId`, `PAR`/`Par`) always count as close.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let normalized = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted_norm = normalized(wanted);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == wanted {
            continue;
        }
        let score = if normalized(candidate) == wanted_norm {
            1.0
        } else {
            strsim::jaro_winkler(&wanted.to_lowercase(), &candidate.to_lowercase())
        };
        if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean `x`?` when a close candidate exists.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "Did you mean" for an operationId: a close spelling first (case, separators, a slip), else
/// the operations about the same thing, by the words of their names (`getBatch` →
/// `retrieveBatch`: `batch` in common, and `get` and `retrieve` say the same). Bounded: each
/// candidate's words are read once.
pub fn operation<'a, I>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    if let Some(help) = did_you_mean(wanted, candidates.clone()) {
        return Some(help);
    }
    let wanted_words = words(wanted);
    let (verb, nouns) = split_verb(&wanted_words);
    if nouns.is_empty() {
        return None;
    }
    let mut scored: Vec<(usize, bool, &str)> = Vec::new();
    for candidate in candidates {
        let their_words = words(candidate);
        let (their_verb, their_nouns) = split_verb(&their_words);
        let shared = nouns.iter().filter(|n| their_nouns.contains(n)).count();
        if shared == 0 {
            continue;
        }
        let same_verb = verb.is_some() && verb == their_verb;
        scored.push((shared, same_verb, candidate));
    }
    scored.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.len().cmp(&b.2.len())));
    match scored.as_slice() {
        [] => None,
        [(_, _, only)] => Some(format!("did you mean `{only}`?")),
        [(best, true, first), rest @ ..]
            if rest.first().is_none_or(|r| (r.0, r.1) < (*best, true)) =>
        {
            Some(format!("did you mean `{first}`?"))
        }
        many => Some(format!(
            "operations about the same thing: {}",
            list(many.iter().take(5).map(|(_, _, c)| *c))
        )),
    }
}

/// The words of a name, lowercase, singular: `listBatches` → `list`, `batch`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        let boundary = !c.is_alphanumeric() || (c.is_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter().map(|w| singular(&w)).collect()
}

fn singular(word: &str) -> String {
    for (plural, one) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("xes", "x"),
    ] {
        if let Some(stem) = word.strip_suffix(plural) {
            return format!("{stem}{one}");
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// The leading verb of an operation's words, as one of a few meanings, and the other words.
fn split_verb(words: &[String]) -> (Option<&'static str>, Vec<&str>) {
    let meaning = |w: &str| -> Option<&'static str> {
        Some(match w {
            "get" | "retrieve" | "fetch" | "read" | "show" | "describe" | "find" | "lookup" => {
                "get"
            }
            "list" | "search" | "query" | "all" => "list",
            "create" | "add" | "new" | "post" | "insert" | "make" | "register" => "create",
            "update" | "modify" | "edit" | "patch" | "put" | "set" | "change" | "replace" => {
                "update"
            }
            "delete" | "remove" | "destroy" | "cancel" | "del" | "drop" => "delete",
            _ => return None,
        })
    };
    match words.split_first() {
        Some((first, rest)) if meaning(first).is_some() => {
            (meaning(first), rest.iter().map(String::as_str).collect())
        }
        _ => (None, words.iter().map(String::as_str).collect()),
    }
}

/// A short, readable list of names for "expected one of …" notes.
pub fn list<'a, I>(names: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    const SHOWN: usize = 12;
    let names: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    let mut text = shown.join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    if text.is_empty() {
        text.push_str("(none)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_separator_slips_are_found() {
        assert_eq!(closest("pet_id", ["petId", "status"]), Some("petId"));
        assert_eq!(closest("PAR", ["Par", "Foo"]), Some("Par"));
        assert_eq!(
            closest("workflowid", ["workflowId", "steps"]),
            Some("workflowId")
        );
    }

    #[test]
    fn operations_are_suggested_by_what_they_are_about() {
        let openai = [
            "createBatch",
            "retrieveBatch",
            "cancelBatch",
            "listBatches",
            "createFile",
            "listFiles",
        ];
        // `get` and `retrieve` mean the same; `batch` is the thing.
        assert_eq!(
            operation("getBatch", openai).as_deref(),
            Some("did you mean `retrieveBatch`?")
        );
        assert_eq!(
            operation("get_batches", openai).as_deref(),
            Some("did you mean `retrieveBatch`?")
        );
        // No verb to go by: every operation about batches (shortest names first, then in the
        // description's order).
        assert_eq!(
            operation("batchStatus", openai).as_deref(),
            Some(
                "operations about the same thing: `createBatch`, `cancelBatch`, `listBatches`, `retrieveBatch`"
            )
        );
        // Spelling still comes first.
        assert_eq!(
            operation("ListBatches", openai).as_deref(),
            Some("did you mean `listBatches`?")
        );
        assert_eq!(operation("getPet", openai), None);
    }

    #[test]
    fn unrelated_names_are_not_suggested() {
        assert_eq!(closest("colour", ["petId", "status"]), None);
    }
}
