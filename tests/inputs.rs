//! Bad or odd input as real spreadsheets and editors produce it: each case runs the
//! binary on a copy of the tiny fixture changed to show the problem, and expects one
//! clear message (file:line:column or key, what is wrong, how to fix it), exit code 2
//! and no report. Inputs built to be slow are here too (module `slow_inputs`).

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A work folder holding a copy of the tiny fixture, so tests can break it freely.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tiny")).unwrap();
    for name in ["footprints.csv", "projects.csv"] {
        std::fs::copy(
            fixtures().join("tiny").join(name),
            dir.path().join("tiny").join(name),
        )
        .unwrap();
    }
    std::fs::copy(fixtures().join("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    dir
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn replace_in(file: &Path, from: &str, to: &str) {
    let text = read(file);
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

fn run(dir: &Path, scenario: &str) -> (Option<i32>, String) {
    let out = Command::cargo_bin("techfund")
        .unwrap()
        .current_dir(dir)
        .args(["run", scenario, "--out", "out"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `techfund run tiny.toml` after `edit` breaks the work folder; expects exit 2,
/// a message holding every fragment, no panic and no report. Returns the message.
fn refused(edit: impl FnOnce(&Path), fragments: &[&str]) -> String {
    refused_scenario("tiny.toml", edit, fragments)
}

fn refused_scenario(scenario: &str, edit: impl FnOnce(&Path), fragments: &[&str]) -> String {
    let dir = workdir();
    edit(dir.path());
    let (code, stderr) = run(dir.path(), scenario);
    assert_eq!(code, Some(2), "{stderr}");
    for f in fragments {
        assert!(stderr.contains(f), "expected {f:?} in:\n{stderr}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("out").exists(),
        "a report was written for bad input"
    );
    stderr
}

/// Runs a bad-input case twice: on the CSV files as `edit` leaves them, and on their
/// twin workbook (the same cells in tiny.xlsx, which tiny.toml then names), where each
/// `file.csv:line:column` fragment is expected as `tiny.xlsx: Sheet!<cell>`.
fn refused_twin(edit: impl Fn(&Path), fragments: &[&str]) -> String {
    let csv = refused(&edit, fragments);
    let on_sheet: Vec<String> = fragments.iter().map(|f| on_sheet(f)).collect();
    let on_sheet: Vec<&str> = on_sheet.iter().map(String::as_str).collect();
    let book = refused(
        |d| {
            edit(d);
            to_workbook(d);
        },
        &on_sheet,
    );
    assert!(!book.contains(".csv:"), "{book}");
    csv
}

/// Turns the work folder's dataset, as it is now, into tiny.xlsx (cell for cell) and
/// points tiny.toml at it.
pub(crate) fn to_workbook(d: &Path) {
    let bytes = techfund::report::bids::from_csv(
        &std::fs::read(footprints(d)).unwrap(),
        &std::fs::read(projects(d)).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("tiny.xlsx"), bytes).unwrap();
    replace_in(
        &d.join("tiny.toml"),
        "data = \"tiny\"",
        "data = \"tiny.xlsx\"",
    );
}

/// A CSV message fragment as the workbook twin words it: `projects.csv:2:7` →
/// `tiny.xlsx: Projects!G2`, `footprints.csv:1:` → `tiny.xlsx: Footprints!`, and
/// `(column 5)` → `(column E)`.
pub(crate) fn on_sheet(fragment: &str) -> String {
    for (file, sheet) in [
        ("projects.csv:", "Projects"),
        ("footprints.csv:", "Footprints"),
    ] {
        if let Some(rest) = fragment.strip_prefix(file) {
            let (line, rest) = rest.split_once(':').unwrap();
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 {
                return format!("tiny.xlsx: {sheet}!");
            }
            let column: u64 = rest[..digits].parse().unwrap();
            return format!(
                "tiny.xlsx: {sheet}!{}{line}{}",
                techfund::error::column_letters(column),
                &rest[digits..]
            );
        }
    }
    if let Some((before, after)) = fragment.split_once("(column ") {
        if let Some((n, after)) = after.split_once(')') {
            if let Ok(n) = n.parse::<u64>() {
                let letters = techfund::error::column_letters(n);
                return format!("{before}(column {letters}){after}");
            }
        }
    }
    fragment.replace("footprints.csv", "sheet Footprints")
}

fn projects(d: &Path) -> PathBuf {
    d.join("tiny/projects.csv")
}

fn footprints(d: &Path) -> PathBuf {
    d.join("tiny/footprints.csv")
}

mod numbers {
    use super::*;

    #[test]
    fn a_decimal_comma_is_refused_not_read_as_thousands() {
        // Regression: `583,3` was read as 5833.
        refused_twin(
            |d| replace_in(&projects(d), "3000,1000,0,200", "\"583,3\",1000,0,200"),
            &[
                "projects.csv:2:7 (`capital_2016_17`)",
                "`583,3` has a comma that is not a thousands separator",
                "decimal commas are not supported; save the sheet with a decimal point",
            ],
        );
        refused_twin(
            |d| replace_in(&projects(d), "9000,12", "\"1.234,5\",12"),
            &["projects.csv:2:5 (`benefit`)", "decimal commas"],
        );
    }

    #[test]
    fn thousands_separators_pound_signs_and_percent_shares_give_the_same_report() {
        let plain = workdir();
        let (code, stderr) = run(plain.path(), "tiny.toml");
        assert_eq!(code, Some(0), "{stderr}");
        let styled = workdir();
        replace_in(
            &projects(styled.path()),
            "N1,NORTH,EPR for North Acute Trust,EPR,9000,12,3000,1000,0,200,1,",
            "N1,NORTH,EPR for North Acute Trust,EPR,\"£9,000\",12,\"£3,000.0\",\"1,000\",0,200,100%,",
        );
        replace_in(&projects(styled.path()), ",0.25,,,,", ",25%,,,,");
        replace_in(&footprints(styled.path()), "2000000", "\"2,000,000\"");
        let (code, stderr) = run(styled.path(), "tiny.toml");
        assert_eq!(code, Some(0), "{stderr}");
        for name in ["allocation.csv", "footprints.csv", "summary.md"] {
            assert_eq!(
                read(&plain.path().join("out").join(name)),
                read(&styled.path().join("out").join(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn a_percent_outside_the_share_column_shows_the_right_form() {
        let money = refused_twin(
            |d| replace_in(&projects(d), "9000,12", "50%,12"),
            &["projects.csv:2:5 (`benefit`)", "`50%` is a percentage"],
        );
        assert!(money.contains("amount in £k"), "{money}");
        let score = refused_twin(
            |d| replace_in(&footprints(d), "80,30,70", "80%,30,70"),
            &["footprints.csv:2:5 (`readiness`)", "percentage"],
        );
        assert!(
            score.contains("0–100") && !score.contains("1250.5"),
            "{score}"
        );
    }
}

mod bounds {
    use super::*;

    #[test]
    fn money_beyond_a_trillion_or_below_a_pound_is_refused() {
        refused_twin(
            |d| replace_in(&projects(d), "3000,1000,0,200", "2e9,1000,0,200"),
            &[
                "projects.csv:2:7 (`capital_2016_17`)",
                "more than £1 trillion",
            ],
        );
        refused_twin(
            |d| replace_in(&projects(d), "9000,12", "0.0004,12"),
            &["projects.csv:2:5 (`benefit`)", "less than £1"],
        );
    }

    #[test]
    fn a_bid_far_beyond_the_fund_is_blamed_on_its_row() {
        // Checked after loading, against the scenario: the row still names the sheet.
        refused_twin(
            |d| replace_in(&projects(d), "3000,1000,0,200", "2000000,1000,0,200"),
            &[
                "projects.csv:2:1: project `N1` asks for",
                "more than 100 times the whole fund",
            ],
        );
    }

    #[test]
    fn populations_must_be_people() {
        refused_twin(
            |d| replace_in(&footprints(d), "1000000", "2000000000"),
            &["footprints.csv:2:4 (`population`)", "more than a billion"],
        );
        refused_twin(
            |d| replace_in(&footprints(d), "1000000", "1e400"),
            &["footprints.csv:2:4 (`population`)", "not a finite number"],
        );
    }
}

mod text {
    use super::*;

    #[test]
    fn an_invisible_override_in_a_title_is_refused() {
        refused_twin(
            |d| replace_in(&projects(d), "EPR for North", "EPR for \u{202E}htroN"),
            &[
                "projects.csv:2:3 (`title`)",
                "contains an invisible control character U+202E (right-to-left override)",
                "delete it",
            ],
        );
    }

    #[test]
    fn over_long_ids_and_categories_are_refused() {
        let long = "E".repeat(201);
        let msg = refused_twin(
            |d| replace_in(&projects(d), ",EPR,9000", &format!(",{long},9000")),
            &[
                "projects.csv:2:4 (`category`)",
                "201 characters long, more than the 200 allowed",
            ],
        );
        assert!(!msg.contains(&long), "the value is echoed whole: {msg}");
    }

    #[test]
    fn over_long_scenario_name_and_description_are_refused() {
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "name = \"tiny\"",
                    &format!("name = \"{}\"", "n".repeat(101)),
                )
            },
            &["tiny.toml:1:1 (`name`)", "101 characters long"],
        );
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "description = \"A hand-made",
                    &format!("description = \"{}", "d".repeat(32_768)),
                )
            },
            &[
                "tiny.toml:2:1 (`description`)",
                "more than the 32767 allowed",
            ],
        );
    }
}

mod echo {
    use super::*;

    #[test]
    fn a_huge_value_is_cut_in_the_message() {
        let huge = "W".repeat(100_000);
        let msg = refused(
            |d| replace_in(&projects(d), "E1,EAST", &format!("E1,{huge}")),
            &[
                "projects.csv:8:2 (`footprint_id`)",
                "100000 characters long",
            ],
        );
        // The id is over the 200-character limit, so it is refused before it is looked up.
        assert!(msg.len() < 600, "{} characters", msg.len());
        // A sheet's cell holds at most 32,767 characters (Excel's limit), so the
        // workbook twin is as long as a cell allows.
        let huge = "W".repeat(32_767);
        let msg = refused(
            |d| {
                replace_in(&projects(d), "E1,EAST", &format!("E1,{huge}"));
                to_workbook(d);
            },
            &[
                "tiny.xlsx: Projects!B8 (`footprint_id`)",
                "32767 characters long",
            ],
        );
        assert!(msg.len() < 600, "{} characters", msg.len());
        let long_number = "9".repeat(5_000) + "x";
        let msg = refused_twin(
            |d| replace_in(&projects(d), "9000,12", &format!("{long_number},12")),
            &["projects.csv:2:5", "is not a number", "…"],
        );
        assert!(msg.len() < 600, "{} characters", msg.len());
    }

    #[test]
    fn a_header_of_thousands_of_columns_is_listed_briefly() {
        let msg = refused_twin(
            |d| {
                let extra: Vec<String> = (0..5_000).map(|i| format!("extra_{i}")).collect();
                let text = read(&footprints(d));
                let mut lines = text.lines();
                let header = lines.next().unwrap().replace("region", "zone");
                let mut out = format!("{header},{}\n", extra.join(","));
                for l in lines {
                    out += &format!("{l},{}\n", vec!["1"; 5_000].join(","));
                }
                std::fs::write(footprints(d), out).unwrap();
            },
            &["footprints.csv:1:", "no `region` column", "and 4997 more"],
        );
        assert!(msg.len() < 1_500, "{} characters", msg.len());
    }
}

mod headers {
    use super::*;

    #[test]
    fn a_misspelt_column_is_matched_to_the_header_cell_that_looks_like_it() {
        refused_twin(
            |d| replace_in(&projects(d), ",benefit,", ",benfit,"),
            &[
                "projects.csv:1:5 (`benfit`)",
                "`benfit` (column 5) looks like `benefit`; rename it",
            ],
        );
        refused_twin(
            |d| replace_in(&footprints(d), "footprint_id", "Footprint ID"),
            &["footprints.csv:1:1", "looks like `footprint_id`"],
        );
    }

    #[test]
    fn a_semicolon_separated_file_says_how_to_save_it() {
        refused(
            |d| {
                let text = read(&footprints(d)).replace(',', ";");
                std::fs::write(footprints(d), text).unwrap();
            },
            &[
                "footprints.csv:1:1",
                "this looks like a semicolon-separated file",
                "save it as CSV with commas",
            ],
        );
    }

    #[test]
    fn an_empty_file_says_so() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b" \r\n"] {
            refused(
                |d| std::fs::write(projects(d), bytes).unwrap(),
                &["projects.csv:1:1", "the file is empty"],
            );
        }
    }

    #[test]
    fn a_windows_1252_file_names_the_byte_and_says_save_as_csv_utf_8() {
        refused(
            |d| {
                let text = read(&projects(d)).replace("EPR for North", "EPR for £North");
                let bytes: Vec<u8> = text
                    .chars()
                    .map(|c| if c == '£' { 0xA3 } else { c as u8 })
                    .collect();
                std::fs::write(projects(d), bytes).unwrap();
            },
            &[
                "projects.csv:2:3",
                "byte 0xA3",
                "save it as CSV UTF-8 (Excel: Save As → CSV UTF-8)",
            ],
        );
    }
}

/// What only a workbook can get wrong, end to end: exit 2, one message, no report.
mod workbooks {
    use super::*;
    use rust_xlsxwriter::{Formula, Workbook, Worksheet};

    /// Writes CSV text into a sheet: plain numbers as numbers, the rest as text.
    fn fill(ws: &mut Worksheet, csv: &str) {
        for (r, line) in csv.lines().enumerate() {
            for (c, field) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                match field.parse::<f64>() {
                    Ok(v) => ws.write_number(r, c, v).unwrap(),
                    Err(_) if field.is_empty() => continue,
                    Err(_) => ws.write_string(r, c, field).unwrap(),
                };
            }
        }
    }

    /// tiny.xlsx with sheets named `names` holding the fixture's two tables, after
    /// `edit` changes the second; tiny.toml names it.
    fn book(d: &Path, names: [&str; 2], edit: impl FnOnce(&mut Worksheet)) {
        let mut wb = Workbook::new();
        fill(
            wb.add_worksheet().set_name(names[0]).unwrap(),
            &read(&footprints(d)),
        );
        let ws = wb.add_worksheet().set_name(names[1]).unwrap();
        fill(ws, &read(&projects(d)));
        edit(ws);
        std::fs::write(d.join("tiny.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
        replace_in(
            &d.join("tiny.toml"),
            "data = \"tiny\"",
            "data = \"tiny.xlsx\"",
        );
    }

    #[test]
    fn a_good_workbook_runs() {
        let dir = workdir();
        book(dir.path(), ["Footprints", "Projects"], |_| {});
        let (code, stderr) = run(dir.path(), "tiny.toml");
        assert_eq!(code, Some(0), "{stderr}");
    }

    #[test]
    fn missing_sheets_are_listed() {
        refused(
            |d| book(d, ["Footprints", "Sheet2"], |_| {}),
            &[
                "tiny.xlsx: the workbook has no sheet `Projects`; its sheets are `Footprints`, `Sheet2`",
                "techfund template --out bids.xlsx",
            ],
        );
    }

    #[test]
    fn a_formula_error_is_named_at_its_cell() {
        refused(
            |d| {
                book(d, ["Footprints", "Projects"], |ws| {
                    ws.write_formula(3, 7, Formula::new("=#REF!").set_result("#REF!"))
                        .unwrap();
                })
            },
            &[
                "tiny.xlsx: Projects!H4 (`capital_2017_18`)",
                "the cell holds the error #REF!",
            ],
        );
    }

    #[test]
    fn merged_cells_are_named() {
        refused(
            |d| {
                book(d, ["Footprints", "Projects"], |ws| {
                    ws.merge_range(4, 1, 5, 1, "SOUTH", &Default::default())
                        .unwrap();
                })
            },
            &["tiny.xlsx: Projects!B5", "cells B5:B6 are merged"],
        );
    }

    #[test]
    fn files_that_are_no_workbook_are_refused() {
        let set_data = |d: &Path| {
            replace_in(
                &d.join("tiny.toml"),
                "data = \"tiny\"",
                "data = \"tiny.xlsx\"",
            )
        };
        refused(
            |d| {
                set_data(d);
                std::fs::write(d.join("tiny.xlsx"), "").unwrap();
            },
            &["tiny.xlsx: this is not an Excel workbook (.xlsx): the file is empty"],
        );
        refused(
            |d| {
                set_data(d);
                std::fs::copy(projects(d), d.join("tiny.xlsx")).unwrap();
            },
            &["tiny.xlsx", "it is text (a CSV file renamed .xlsx?)"],
        );
        refused(
            |d| {
                set_data(d);
                std::fs::create_dir(d.join("tiny.xlsx")).unwrap();
            },
            &["tiny.xlsx", "this is a folder, not a file"],
        );
        refused(set_data, &["tiny.xlsx", "it does not exist"]);
        refused(
            |d| {
                set_data(d);
                // Sparse: the size is seen before a byte is read.
                let f = std::fs::File::create(d.join("tiny.xlsx")).unwrap();
                f.set_len(65 * 1024 * 1024).unwrap();
            },
            &["tiny.xlsx", "larger than 64 MiB"],
        );
        #[cfg(unix)]
        refused(
            |d| {
                set_data(d);
                std::os::unix::fs::symlink("/dev/zero", d.join("tiny.xlsx")).unwrap();
            },
            &["tiny.xlsx", "not a regular file"],
        );
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "data = \"tiny\"",
                    "data = \"tiny/projects.csv\"",
                )
            },
            &[
                "projects.csv",
                "`data` names a file, but a dataset is a folder",
            ],
        );
    }
}

mod files {
    use super::*;

    #[test]
    fn a_folder_in_place_of_a_file_is_refused() {
        refused(
            |d| {
                std::fs::remove_file(projects(d)).unwrap();
                std::fs::create_dir(projects(d)).unwrap();
            },
            &["projects.csv", "this is a folder, not a file"],
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_hanging() {
        let start = Instant::now();
        refused(
            |d| {
                std::fs::remove_file(projects(d)).unwrap();
                std::os::unix::fs::symlink("/dev/zero", projects(d)).unwrap();
            },
            &["projects.csv", "not a regular file"],
        );
        refused_scenario(
            "child.toml",
            |d| {
                std::fs::write(
                    d.join("child.toml"),
                    "extends = \"/dev/zero\"\nname = \"child\"\n",
                )
                .unwrap();
            },
            &[
                "child.toml:1:1 (`extends`)",
                "cannot read `/dev/zero`",
                "not a regular file",
            ],
        );
        let dir = workdir();
        std::fs::write(
            dir.path().join("child.toml"),
            "extends = \"fifo.toml\"\nname = \"child\"\n",
        )
        .unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("fifo.toml"))
            .status();
        if made.is_ok_and(|s| s.success()) {
            let (code, stderr) = run(dir.path(), "child.toml");
            assert_eq!(code, Some(2), "{stderr}");
            assert!(
                stderr.contains("child.toml:1:1 (`extends`)")
                    && stderr.contains("not a regular file"),
                "{stderr}"
            );
            let (code, stderr) = run(dir.path(), "fifo.toml");
            assert_eq!(code, Some(2), "{stderr}");
            assert!(stderr.contains("not a regular file"), "{stderr}");
        }
        assert!(start.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn an_over_large_scenario_is_refused() {
        refused(
            |d| {
                let mut text = read(&d.join("tiny.toml"));
                text += &format!("# {}\n", "x".repeat(1024 * 1024));
                std::fs::write(d.join("tiny.toml"), text).unwrap();
            },
            &["tiny.toml", "larger than 1 MiB"],
        );
    }
}

mod scenario_keys {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_type_names_its_key() {
        refused(
            |d| replace_in(&d.join("tiny.toml"), "mip_gap = 0", "mip_gap = \"0.001\""),
            &[
                "tiny.toml:20:1 (`solver.mip_gap`)",
                "`[solver] mip_gap` must be a number, but it is text (\"0.001\")",
            ],
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_found_in_the_file_of_an_extends_chain_that_has_it() {
        refused_scenario(
            "child.toml",
            |d| {
                std::fs::write(
                    d.join("child.toml"),
                    "extends = \"tiny.toml\"\nname = \"child\"\n\n[solver]\ntime_limit_s = \"30\"\n",
                )
                .unwrap();
            },
            &["child.toml:5:1 (`solver.time_limit_s`)", "must be a number"],
        );
        refused_scenario(
            "child.toml",
            |d| {
                std::fs::write(
                    d.join("child.toml"),
                    "extends = \"tiny.toml\"\nname = \"child\"\n",
                )
                .unwrap();
                replace_in(
                    &d.join("tiny.toml"),
                    "capital = [6000, 3000]",
                    "capital = [6000, \"3000\"]",
                );
            },
            &[
                "tiny.toml:7:1 (`budget.capital`)",
                "item 2 of `[budget] capital` must be a number",
            ],
        );
    }

    #[test]
    fn a_year_the_data_does_not_cost_blames_the_scenario_years() {
        refused_twin(
            |d| {
                let toml = d.join("tiny.toml");
                replace_in(&toml, "\"2017/18\"]", "\"2017/18\", \"2018/19\"]");
                replace_in(&toml, "[6000, 3000]", "[6000, 3000, 3000]");
                replace_in(&toml, "[200, 600]", "[200, 600, 600]");
            },
            &[
                "tiny.toml:4:1 (`years`)",
                "the scenario's years include 2018/19",
                "no `capital_2018_19` or `revenue_2018_19` column",
                "it costs 2016/17 to 2017/18",
                "list only years the data costs in `years`",
            ],
        );
    }

    #[test]
    fn a_year_set_by_the_parent_is_blamed_on_the_parent() {
        refused_scenario(
            "child.toml",
            |d| {
                std::fs::write(
                    d.join("child.toml"),
                    "extends = \"tiny.toml\"\nname = \"child\"\n",
                )
                .unwrap();
                let toml = d.join("tiny.toml");
                replace_in(
                    &toml,
                    "[\"2016/17\", \"2017/18\"]",
                    "[\"2015/16\", \"2016/17\"]",
                );
            },
            &["tiny.toml:4:1 (`years`)", "2015/16"],
        );
    }
}

mod category_rules {
    use super::*;

    #[test]
    fn a_child_rule_replaces_only_its_own_category() {
        let dir = workdir();
        replace_in(
            &dir.path().join("tiny.toml"),
            "[solver]",
            "[[rules.category]]\ncategory = \"EPR\"\nmax_share = 0.9\n\n[[rules.category]]\ncategory = \"Shared care record\"\nmin_share = 0.05\n\n[solver]",
        );
        std::fs::write(
            dir.path().join("child.toml"),
            "extends = \"tiny.toml\"\nname = \"child\"\n\n[[rules.category]]\ncategory = \"EPR\"\nmax_share = 0.8\n",
        )
        .unwrap();
        let (code, stderr) = run(dir.path(), "child.toml");
        assert_eq!(code, Some(0), "{stderr}");
        let summary = read(&dir.path().join("out/summary.md"));
        assert!(
            summary.contains("category = \"Shared care record\"")
                && summary.contains("max_share = 0.8"),
            "{summary}"
        );
        assert!(!summary.contains("max_share = 0.9"), "{summary}");
    }
}

/// Inputs built to be slow: each once took time that grew faster than the input.
mod slow_inputs {
    use super::*;

    #[test]
    fn thousands_of_category_rules_merge_in_linear_time() {
        // Checking each category rule against every earlier one was quadratic.
        let dir = workdir();
        let rules = |from: usize, to: usize| -> String {
            (from..to)
                .map(|i| format!("[[rules.category]]\ncategory = \"c{i}\"\nmax_share = 0.9\n"))
                .collect()
        };
        replace_in(
            &dir.path().join("tiny.toml"),
            "[solver]",
            &format!("{}\n[solver]", rules(0, 15_000)),
        );
        std::fs::write(
            dir.path().join("child.toml"),
            format!(
                "extends = \"tiny.toml\"\nname = \"child\"\n{}",
                rules(7_500, 22_500)
            ),
        )
        .unwrap();
        let start = Instant::now();
        let s = techfund::scenario::Scenario::load(&dir.path().join("child.toml")).unwrap();
        assert_eq!(s.rules.categories.len(), 22_500);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "took {:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_wide_projects_file_loads_quickly() {
        let dir = workdir();
        let text = read(&projects(dir.path()));
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let extra: Vec<String> = (0..1_000).map(|i| format!("note_{i}")).collect();
        let mut out = format!("{},{}\n", extra.join(","), header);
        let blanks = vec![""; 1_000].join(",");
        let rows: Vec<&str> = lines.collect();
        for i in 0..125 {
            for r in &rows {
                out += &format!(
                    "{blanks},{}\n",
                    r.replacen(',', &format!("_{i},"), 1)
                        .replace(",N1,", &format!(",N1_{i},"))
                );
            }
        }
        std::fs::write(projects(dir.path()), out).unwrap();
        let start = Instant::now();
        let out = Command::cargo_bin("techfund")
            .unwrap()
            .current_dir(dir.path())
            .args(["validate", "tiny.toml"])
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "took {:?}",
            start.elapsed()
        );
    }
}
