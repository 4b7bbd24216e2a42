//! Every file the compiler reads, kept in memory so that any later stage can point into it.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Identifies one file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

impl FileId {
    pub fn index(self) -> u32 {
        self.0
    }
}

/// A byte range inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end.max(range.start)),
        }
    }

    /// An empty span at the start of a file: for problems that concern the file as a whole.
    pub fn file_start(file: FileId) -> Self {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// A sub-range of this span, given in bytes relative to its start.
    pub fn sub(&self, range: Range<usize>) -> Span {
        let start = (self.start as usize).saturating_add(range.start);
        let end = (self.start as usize).saturating_add(range.end);
        Span::new(
            self.file,
            start.min(self.end as usize)..end.min(self.end as usize),
        )
    }
}

/// A 1-based line and column (in characters), as editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    display: String,
    text: String,
    line_starts: Vec<usize>,
    /// Whether the file is ASCII throughout: then a column is a byte offset, found at once
    /// (many diagnostics on one long line would otherwise each count its characters).
    ascii: bool,
}

impl SourceFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn display_name(&self) -> &str {
        &self.display
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_col(&self, byte: usize) -> LineCol {
        let line = self.line_index(byte);
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let byte = byte.min(self.text.len());
        let col = if self.ascii {
            byte.saturating_sub(line_start)
        } else {
            self.text
                .get(line_start..byte)
                .map_or(0, |prefix| prefix.chars().count())
        };
        LineCol {
            line: line + 1,
            col: col + 1,
        }
    }

    pub(crate) fn line_index(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    pub(crate) fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// Byte offset of a (0-based line, 0-based character column) position.
    pub fn byte_of(&self, line: usize, col_chars: usize) -> usize {
        let Some(range) = self.line_range(line) else {
            return self.text.len();
        };
        let line_text = self.text.get(range.clone()).unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(col_chars)
            .map_or(line_text.len(), |(i, _)| i);
        range.start + within
    }
}

/// All files read during one compilation. File names are shown relative to the working
/// directory when possible, so diagnostics stay short and clickable.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let display = display_path(&path);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path,
            display,
            ascii: text.is_ascii(),
            text,
            line_starts,
        });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| u32::try_from(i).ok().map(|i| (FileId(i), f)))
    }

    /// A file's name as diagnostics show it (empty for an unknown file).
    pub fn display_name(&self, file: FileId) -> String {
        self.get(file)
            .map(|f| f.display_name().to_owned())
            .unwrap_or_default()
    }

    /// `file:line:col` of the start of a span.
    pub fn location(&self, span: Span) -> String {
        match self.get(span.file) {
            Some(file) => {
                let lc = file.line_col(span.start as usize);
                format!("{}:{}:{}", file.display, lc.line, lc.col)
            }
            None => "<unknown>".to_owned(),
        }
    }
}

/// Absolute paths are shown relative to the working directory (with `..` where needed) so that
/// diagnostics stay short and do not depend on where a checkout lives.
pub(crate) fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .filter(|_| path.is_absolute())
        .and_then(|cwd| relative_to(path, &cwd));
    relative.as_deref().unwrap_or(path).display().to_string()
}

fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for c in path.iter().skip(common) {
        out.push(c);
    }
    Some(out)
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.display.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.line_index(byte))
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        file.line_range(line)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: file.line_starts.len().saturating_sub(1),
            })
    }
}
