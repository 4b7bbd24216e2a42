//! A count of the work the generator does, for tests that hold each stage's cost to the size
//! of its input by counting, never by timing (docs/decisions.md, "Bounded by construction").
//! The stages add to it in the loops that grow with their input: schema walks, the steps'
//! order and control-flow graphs, the data flow of what a run has at its end.

use std::cell::Cell;

thread_local! {
    static UNITS: Cell<u64> = const { Cell::new(0) };
}

/// Counts `units` of work on this thread.
pub(crate) fn add(units: u64) {
    UNITS.with(|u| u.set(u.get().saturating_add(units)));
}

/// Runs `f` and says how many units of work it did on this thread.
///
/// For tests and benchmarks: a unit is one step of a loop that grows with the input (a schema
/// entered, a graph node visited), so the count of a stage on an input twice as large should be
/// at most about twice as large.
pub fn counted<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = UNITS.with(Cell::get);
    let out = f();
    let after = UNITS.with(Cell::get);
    (out, after.saturating_sub(before))
}
