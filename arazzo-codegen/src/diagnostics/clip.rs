//! Long lines shown as a window around what a label points at. A minified JSON description is
//! one line of megabytes, and a template of thousands of parts one line of many kilobytes:
//! printing the whole line under each of its diagnostics makes the report grow with the
//! number of diagnostics times the line's length. A window keeps each snippet short and its
//! line and column true.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::source_map::{FileId, SourceMap, Span};

/// A line longer than this (in bytes) is shown as a window.
const LONG_LINE: usize = 240;

/// How much of the line a window shows on each side of what it points at.
const CONTEXT: usize = 60;

/// At most this much of a long span is shown.
const LONGEST_SPAN: usize = 120;

/// The files of a report, and the windows of its long lines.
pub struct View<'a> {
    sources: &'a SourceMap,
    windows: Vec<Window>,
}

/// A file as it is, or the window numbered so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewId {
    File(FileId),
    Window(usize),
}

/// Part of one long line: what is shown, and where it is in its file.
struct Window {
    file: FileId,
    /// The text shown: `…`, the part of the line, `…`.
    text: String,
    /// Where the part starts in the file, and how many bytes were put before it in `text`.
    start: usize,
    lead: usize,
}

impl<'a> View<'a> {
    pub fn new(sources: &'a SourceMap) -> Self {
        View {
            sources,
            windows: Vec::new(),
        }
    }

    /// Where a label on `span` points in this view: the file itself, or a window of its line
    /// when the line is long.
    pub fn place(&mut self, span: Span) -> (ViewId, Range<usize>) {
        let range = span.range();
        let Some(file) = self.sources.get(span.file) else {
            return (ViewId::File(span.file), range);
        };
        let line = file.line_index(range.start);
        let Some(line_range) = file.line_range(line) else {
            return (ViewId::File(span.file), range);
        };
        if line_range.len() <= LONG_LINE {
            return (ViewId::File(span.file), range);
        }
        let text = file.text();
        let boundary = |mut at: usize, forward: bool| {
            at = at.clamp(line_range.start, line_range.end);
            while !text.is_char_boundary(at) {
                if forward {
                    at += 1;
                } else {
                    at -= 1;
                }
            }
            at
        };
        let span_end = boundary(
            range
                .end
                .min(range.start.saturating_add(LONGEST_SPAN))
                .min(line_range.end),
            false,
        )
        .max(range.start.min(line_range.end));
        let start = boundary(range.start.saturating_sub(CONTEXT), false);
        // Without the line break: it ends the window's one line.
        let line_end = text.get(line_range.clone()).map_or(line_range.end, |l| {
            line_range.start + l.trim_end_matches(['\n', '\r']).len()
        });
        let end = boundary(span_end.saturating_add(CONTEXT).min(line_end), true);
        let (before, after) = (
            if start > line_range.start { "…" } else { "" },
            if end < line_end { "…" } else { "" },
        );
        let shown = format!(
            "{before}{}{after}",
            text.get(start..end).unwrap_or_default()
        );
        let lead = before.len();
        self.windows.push(Window {
            file: span.file,
            text: shown,
            start,
            lead,
        });
        let at = |byte: usize| byte.saturating_sub(start) + lead;
        (
            ViewId::Window(self.windows.len() - 1),
            at(range.start.max(start))..at(span_end.max(range.start)),
        )
    }

    fn window(&self, id: usize) -> Result<&Window, Error> {
        self.windows.get(id).ok_or(Error::FileMissing)
    }

    /// The byte of the file a byte of a window stands for.
    fn in_file(window: &Window, byte: usize) -> usize {
        window.start + byte.saturating_sub(window.lead)
    }
}

impl<'a> Files<'a> for View<'a> {
    type FileId = ViewId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: ViewId) -> Result<&'a str, Error> {
        match id {
            ViewId::File(f) => self.sources.name(f),
            ViewId::Window(w) => self.sources.name(self.window(w)?.file),
        }
    }

    fn source(&'a self, id: ViewId) -> Result<&'a str, Error> {
        match id {
            ViewId::File(f) => self.sources.source(f),
            ViewId::Window(w) => Ok(self.window(w)?.text.as_str()),
        }
    }

    fn line_index(&'a self, id: ViewId, byte: usize) -> Result<usize, Error> {
        match id {
            ViewId::File(f) => self.sources.line_index(f, byte),
            ViewId::Window(_) => Ok(0),
        }
    }

    fn line_number(&'a self, id: ViewId, line: usize) -> Result<usize, Error> {
        match id {
            ViewId::File(f) => self.sources.line_number(f, line),
            ViewId::Window(w) => {
                let w = self.window(w)?;
                Ok(self.sources.line_index(w.file, w.start)? + 1)
            }
        }
    }

    fn column_number(&'a self, id: ViewId, line: usize, byte: usize) -> Result<usize, Error> {
        match id {
            ViewId::File(f) => self.sources.column_number(f, line, byte),
            ViewId::Window(w) => {
                let w = self.window(w)?;
                let file = self.sources.get(w.file).ok_or(Error::FileMissing)?;
                Ok(file.line_col(Self::in_file(w, byte)).col)
            }
        }
    }

    fn line_range(&'a self, id: ViewId, line: usize) -> Result<Range<usize>, Error> {
        match id {
            ViewId::File(f) => self.sources.line_range(f, line),
            ViewId::Window(w) => Ok(0..self.window(w)?.text.len()),
        }
    }
}
