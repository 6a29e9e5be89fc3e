//! The scenario parser from text. The scenario sits in a folder of its own that holds
//! nothing else, so an `extends` can only reach files that do not exist (or, through
//! `..`, ordinary files elsewhere, which are read but not changed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use techfund::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Scenario::parse(Path::new("/nonexistent-techfund-fuzz/x.toml"), text);
    }
});
