//! What verification found: operations called more or fewer times than expected, and requests
//! no operation matched.

/// Why a mock's verification failed. Its `Display` lists every problem, then every operation
/// with its count of requests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub(crate) shortfalls: Vec<Shortfall>,
    /// `METHOD /path` of each request no operation matched.
    pub(crate) unexpected: Vec<String>,
    /// Operations the mock could not serve (a path template no regular expression matches).
    pub(crate) unserved: Vec<String>,
    /// Each operation, with how many requests it got.
    pub(crate) received: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shortfall {
    pub(crate) operation: String,
    pub(crate) wanted: usize,
    pub(crate) got: usize,
}

impl Report {
    /// Requests that matched no operation (`METHOD /path`).
    pub fn unexpected(&self) -> &[String] {
        &self.unexpected
    }
}

fn times(n: usize) -> String {
    if n == 1 {
        "1 request".to_owned()
    } else {
        format!("{n} requests")
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the mock was not used as expected:")?;
        for s in &self.shortfalls {
            let what = if s.got < s.wanted {
                "missing"
            } else {
                "too many"
            };
            writeln!(
                f,
                "  - {what}: {} expected {}, got {}",
                s.operation,
                times(s.wanted),
                times(s.got)
            )?;
        }
        for line in &self.unexpected {
            writeln!(
                f,
                "  - unexpected: {line} matches no operation the workflows call (answered 404)"
            )?;
        }
        for operation in &self.unserved {
            writeln!(
                f,
                "  - not served: {operation} has a path template the mock cannot match"
            )?;
        }
        writeln!(f, "requests received:")?;
        for (operation, got) in &self.received {
            writeln!(f, "  {operation}: {}", times(*got))?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
