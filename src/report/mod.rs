//! Report: an `Allocation` → files. Each output is a function from the allocation to bytes.

pub mod format;
