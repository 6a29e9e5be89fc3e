use super::marker::{entries, mark_index};
use super::swap::{leftover, Leftover};
use super::*;
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn leftover_names_are_read_strictly() {
    assert_eq!(
        leftover(".report.tmp-123"),
        Some(Leftover {
            name: "report".into(),
            old: false
        })
    );
    assert_eq!(
        leftover(".a.b.old-7"),
        Some(Leftover {
            name: "a.b".into(),
            old: true
        })
    );
    for not in [
        "report",
        ".report",
        ".report.tmp-",
        ".report.tmp-12x",
        ".report.new-1",
        "..tmp-1",
        ".git",
    ] {
        assert_eq!(leftover(not), None, "{not}");
    }
}

#[test]
fn the_marker_is_one_line_of_json() {
    let files = [Path::new("b.csv"), Path::new("charts/a.svg")];
    let m = String::from_utf8(marker(Command::Run, files)).unwrap();
    assert_eq!(
        m,
        format!(
            "{{\"tool\":\"techfund\",\"version\":\"{}\",\"command\":\"run\",\"files\":[\"b.csv\",\"charts/a.svg\"]}}\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn the_index_marker_follows_the_doctype() {
    let marked = mark_index(b"<!DOCTYPE html>\n<html></html>\n");
    assert_eq!(
        String::from_utf8(marked).unwrap(),
        format!("<!DOCTYPE html>\n{INDEX_MARKER}\n<html></html>\n")
    );
}

#[test]
fn a_swap_exchanges_and_deletes_the_old_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    for text in ["one", "two"] {
        write_atomically(
            &out,
            Command::Run,
            &[(PathBuf::from("sub/a.txt"), text.as_bytes().to_vec())],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("sub/a.txt")).unwrap(), text);
    }
    let mut names = entries(tmp.path()).unwrap();
    names.sort();
    assert_eq!(names, ["r/"]);
}
