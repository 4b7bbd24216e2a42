//! Files parsed once per process: a proc macro invoked several times in one crate, or a build
//! script generating several documents that share one large OpenAPI description, reads and
//! parses it once. Entries are keyed by path and checked against the file's modification time
//! and size, so an edited file is read again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::node::{Node, Value};
use crate::source_map::{FileId, Span};

struct Entry {
    modified: SystemTime,
    len: u64,
    text: Arc<str>,
    root: Arc<Node>,
}

/// At most this many files are kept.
const CAPACITY: usize = 64;

fn cache() -> &'static Mutex<HashMap<PathBuf, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Entry>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The text and tree of `path` when it was parsed before and has not changed since.
pub fn get(path: &Path) -> Option<(Arc<str>, Arc<Node>)> {
    let (modified, len) = stamp(path)?;
    let cache = cache().lock().ok()?;
    let entry = cache.get(path)?;
    (entry.modified == modified && entry.len == len)
        .then(|| (entry.text.clone(), entry.root.clone()))
}

/// Remembers a file that parsed without any problem.
pub fn put(path: &Path, text: &str, root: &Node) {
    let Some((modified, len)) = stamp(path) else {
        return;
    };
    let Ok(mut cache) = cache().lock() else {
        return;
    };
    if cache.len() >= CAPACITY && !cache.contains_key(path) {
        return;
    }
    cache.insert(
        path.to_path_buf(),
        Entry {
            modified,
            len,
            text: Arc::from(text),
            root: Arc::new(root.clone()),
        },
    );
}

/// A copy of `root` whose spans point into `file`.
pub fn relocated(root: &Node, file: FileId) -> Node {
    let mut copy = root.clone();
    relocate(&mut copy, file);
    copy
}

fn relocate(node: &mut Node, file: FileId) {
    node.span = Span { file, ..node.span };
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| relocate(n, file)),
        Value::Map(map) => {
            for entry in &mut map.entries {
                entry.key_span = Span {
                    file,
                    ..entry.key_span
                };
                relocate(&mut entry.value, file);
            }
        }
        _ => {}
    }
}
