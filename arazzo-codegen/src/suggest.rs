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
    fn unrelated_names_are_not_suggested() {
        assert_eq!(closest("colour", ["petId", "status"]), None);
    }
}
