//! An `extends` chain of two or three generated files: the input is split at lines
//! `====` into a.toml, b.toml and c.toml, written to a folder of this process's own,
//! and a.toml is loaded (the seeds have a.toml extend b.toml, which extends c.toml).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;
use techfund::scenario::Scenario;

const NAMES: [&str; 3] = ["a.toml", "b.toml", "c.toml"];

fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("techfund-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let sep = b"\n====\n";
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < NAMES.len() - 1 {
        let Some(at) = rest.windows(sep.len()).position(|w| w == sep) else {
            break;
        };
        parts.push(&rest[..at]);
        rest = &rest[at + sep.len()..];
    }
    parts.push(rest);
    let dir = folder();
    for (i, name) in NAMES.iter().enumerate() {
        let path = dir.join(name);
        match parts.get(i) {
            Some(text) => std::fs::write(path, text).unwrap(),
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let _ = Scenario::load(&dir.join("a.toml"));
});
