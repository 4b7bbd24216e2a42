//! XPath expressions (`xpath` criteria and selectors) compiled at build time by the engine the
//! runtime evaluates them with (`xee-xpath`, an XPath 3.1 engine), when this crate has its
//! `xpath` feature. Without it they are generated unchecked, and the checker says so once.

use std::ops::Range;

/// Whether this build compiles XPath expressions.
pub const CHECKED: bool = cfg!(feature = "xpath");

/// Why an XPath expression does not compile, and where in it (byte offsets), when the engine
/// says.
#[derive(Debug, Clone, PartialEq)]
pub struct XPathError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

#[cfg(feature = "xpath")]
pub fn check(query: &str) -> Result<(), XPathError> {
    match xee_xpath::Queries::default().sequence(query) {
        Ok(_) => Ok(()),
        Err(e) => Err(XPathError {
            message: format!("{} ({})", e.error.message().trim_end_matches('.'), e.error),
            span: e.span.map(|s| s.range()),
        }),
    }
}

#[cfg(not(feature = "xpath"))]
pub fn check(_: &str) -> Result<(), XPathError> {
    Ok(())
}

#[cfg(all(test, feature = "xpath"))]
mod tests {
    use super::*;

    #[test]
    fn queries_are_compiled() {
        assert_eq!(check("/order/status = 'shipped'"), Ok(()));
        assert_eq!(check("count(//item[@price > 2]) gt 1"), Ok(()));
        let e = check("/order/[").err();
        assert!(e.is_some_and(|e| e.message.contains("XPST0003")));
        let e = check("unknown:f(1)").err();
        assert!(
            e.is_some_and(|e| e.message.contains("XPST0081")),
            "unknown prefix"
        );
    }
}
