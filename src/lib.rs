//! techfund: allocates a fixed national technology fund across digital footprints
//! and their projects, exactly, with HiGHS.
//!
//! The pipeline, one module per stage:
//! load ([`dataset`]) → [`scenario`] → [`model`] → [`solve`] → [`allocation`] → [`report`].

pub mod allocation;
pub mod appraisal;
pub mod batch;
pub mod cmd;
pub mod compare;
pub mod csvio;
pub mod dataset;
pub mod domain;
pub mod error;
pub mod format;
pub mod generate;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod solve;
