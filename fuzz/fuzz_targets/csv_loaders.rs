//! The two CSV loaders from bytes: the input is footprints.csv and projects.csv
//! separated by a line `====`; without one, the input is tried as either file beside
//! a good copy of the other. Any error is fine; a panic, a hang or a slow input is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use techfund::dataset;
use techfund::domain::FinancialYear;

const FOOTPRINTS: &[u8] = include_bytes!("../../tests/fixtures/tiny/footprints.csv");
const PROJECTS: &[u8] = include_bytes!("../../tests/fixtures/tiny/projects.csv");

fuzz_target!(|data: &[u8]| {
    let years = [
        FinancialYear::parse("2016/17").unwrap(),
        FinancialYear::parse("2017/18").unwrap(),
    ];
    let fp = Path::new("footprints.csv");
    let pr = Path::new("projects.csv");
    let sep = b"\n====\n";
    match data.windows(sep.len()).position(|w| w == sep) {
        Some(at) => {
            let _ = dataset::parse((fp, &data[..at]), (pr, &data[at + sep.len()..]), &years);
        }
        None => {
            let _ = dataset::parse((fp, data), (pr, PROJECTS), &years);
            let _ = dataset::parse((fp, FOOTPRINTS), (pr, data), &years);
        }
    }
});
