//! Many solves at once: scenarios in parallel, budget sweeps.
//! Each solve builds its own model inside its rayon task (HiGHS models are not `Send`)
//! with one HiGHS thread, so the cores are shared out by rayon and never oversubscribed.

pub mod parallel;
pub mod progress;
pub mod sweep;
pub mod target;
