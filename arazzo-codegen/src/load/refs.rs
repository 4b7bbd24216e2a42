//! File references between the documents being loaded: `other.yaml#/components/x`, relative to
//! the file that writes it.

use std::path::Path;

use super::absolute;

/// Splits `other.yaml#/components/x` into its file part and its pointer.
pub fn split(reference: &str) -> (&str, &str) {
    match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    }
}

/// The file a reference's file part names, relative to the referring file.
pub fn referenced_path(from: &Path, file_part: &str) -> std::path::PathBuf {
    let decoded = percent_decode(file_part);
    absolute(&from.parent().unwrap_or(Path::new(".")).join(decoded))
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map_or_else(|| text.to_owned(), |(_, v)| v.into_owned())
}
