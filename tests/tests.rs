//! The integration tests, in one binary (one link of HiGHS instead of one per file).
//! Each module runs the built `techfund` binary, or the library, as a user would, each
//! test in its own temporary folder.

mod cli;
mod compare;
mod edges;
mod export;
mod golden;
mod inputs;
mod output;
mod properties;
mod scenario_analysis;
