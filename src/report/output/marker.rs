//! Ownership markers, and recognising the folders and index pages techfund wrote.

use crate::error::{Error, InputError, Result};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::Path;

/// The marker file in every folder techfund wrote.
pub const MARKER: &str = ".techfund";

/// Marks a batch's index.html as techfund's, so the next batch may replace it.
pub const INDEX_MARKER: &str =
    "<!-- written by techfund run: the next run into this folder replaces this page -->";

/// The command that wrote a folder, as its marker records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Run,
    Sweep,
    Target,
    Compare,
    Generate,
}

impl Command {
    pub fn name(self) -> &'static str {
        match self {
            Command::Run => "run",
            Command::Sweep => "sweep",
            Command::Target => "target",
            Command::Compare => "compare",
            Command::Generate => "generate",
        }
    }

    fn named(name: &str) -> Option<Command> {
        [
            Command::Run,
            Command::Sweep,
            Command::Target,
            Command::Compare,
            Command::Generate,
        ]
        .into_iter()
        .find(|c| c.name() == name)
    }

    /// Whether the command's output is a whole folder, which the next report may
    /// replace. `generate` writes two files into a folder it does not own.
    fn is_report(self) -> bool {
        self != Command::Generate
    }

    /// The files the command wrote before reports carried a marker, with the one that
    /// must be there: a folder holding only these is an earlier report of the command.
    /// (Earlier `run` reports are known by their run.json instead.)
    fn legacy(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Command::Sweep => Some((
                "frontier.csv",
                &[
                    "frontier.csv",
                    "portfolio_changes.csv",
                    "summary.md",
                    "frontier.svg",
                    "frontier.png",
                ],
            )),
            Command::Target => Some((
                "target.md",
                &[
                    "target.md",
                    "target_footprints.csv",
                    "target_projects.csv",
                    "target_capabilities.svg",
                    "target_capabilities.png",
                ],
            )),
            Command::Compare => Some((
                "comparison.md",
                &[
                    "comparison.md",
                    "comparison.csv",
                    "comparison.svg",
                    "comparison.png",
                ],
            )),
            Command::Run | Command::Generate => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct Marker {
    tool: String,
    version: String,
    pub(super) command: String,
    /// Every file written with the marker, by relative path (`/` between folders), so
    /// a file someone adds to the folder later is known not to be techfund's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    files: Option<Vec<String>>,
}

/// The marker's bytes: one line of JSON, e.g.
/// `{"tool":"techfund","version":"0.1.0","command":"run","files":["allocation.csv",…]}`.
pub fn marker<'a>(command: Command, files: impl IntoIterator<Item = &'a Path>) -> Vec<u8> {
    let mut names: Vec<String> = files.into_iter().map(slash_path).collect();
    names.sort();
    let m = Marker {
        tool: "techfund".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: command.name().into(),
        files: Some(names),
    };
    let mut bytes = serde_json::to_vec(&m).expect("a marker serialises");
    bytes.push(b'\n');
    bytes
}

/// A relative path with `/` between its parts, whatever the platform.
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `dir`'s marker: `None` without one, `Err(())` for one that is not techfund's (or
/// not readable as one).
pub(super) fn marked_by(dir: &Path) -> Option<std::result::Result<Marker, ()>> {
    let bytes = fs::read(dir.join(MARKER)).ok()?;
    Some(match serde_json::from_slice::<Marker>(&bytes) {
        Ok(m) if m.tool == "techfund" => Ok(m),
        _ => Err(()),
    })
}

/// Every file (or link) under `dir` but the marker, by relative path.
fn files_under(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        for e in fs::read_dir(dir)? {
            let path = e?.path();
            if fs::symlink_metadata(&path)?.is_dir() {
                walk(root, &path, out)?;
            } else {
                out.push(slash_path(path.strip_prefix(root).expect("under the root")));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.retain(|f| f != MARKER);
    out.sort();
    Ok(out)
}

/// A report of an earlier version: run.json says techfund wrote it.
pub(super) fn has_techfund_manifest(dir: &Path) -> bool {
    #[derive(Deserialize)]
    struct Manifest {
        tool: String,
    }
    fs::read(dir.join("run.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        .is_some_and(|m| m.tool == "techfund")
}

/// Entry names of a folder, sorted, folders with a trailing `/`.
pub(super) fn entries(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let mut name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            name.push('/');
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// What a folder is, as far as replacing it with a `command` report goes.
pub(super) enum Found {
    /// Missing, or an empty folder.
    Free,
    /// A report folder techfund wrote.
    Ours,
    /// Not to be replaced: the problem, in words.
    Foreign(String),
}

pub(super) fn examples(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 3 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// `dir` as it is now; `dir` is not a symbolic link (see [`locate`]).
pub(super) fn inspect(dir: &Path, command: Command) -> io::Result<Found> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Free),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(Found::Foreign(
            "the output path is a file, not a folder; techfund writes a folder of files there, which would replace it".into(),
        ));
    }
    let names = entries(dir)?;
    if names.is_empty() {
        return Ok(Found::Free);
    }
    if let Some(Ok(m)) = marked_by(dir) {
        if !Command::named(&m.command).is_some_and(Command::is_report) {
            return Ok(Found::Foreign(format!(
                "the output folder holds files written by `techfund {}` (e.g. {}), not a report folder, and writing the report replaces the whole folder",
                m.command,
                examples(&names)
            )));
        }
        if let Some(written) = m.files {
            let added: Vec<String> = files_under(dir)?
                .into_iter()
                .filter(|f| !written.contains(f))
                .collect();
            if !added.is_empty() {
                return Ok(Found::Foreign(format!(
                    "the output folder is a techfund report, but it also holds files techfund did not write (e.g. {}), and writing the report replaces the whole folder",
                    examples(&added)
                )));
            }
        }
        return Ok(Found::Ours);
    }
    if has_techfund_manifest(dir) {
        return Ok(Found::Ours);
    }
    let mut strange = names.clone();
    if let Some((main, files)) = command.legacy() {
        strange.retain(|n| !files.contains(&n.as_str()));
        if strange.is_empty() && names.iter().any(|n| n == main) {
            return Ok(Found::Ours);
        }
    }
    // Name the files that are not the command's own, if that leaves any.
    if strange.is_empty() {
        strange = names;
    }
    Ok(Found::Foreign(format!(
        "the output folder holds files techfund did not write (e.g. {}), and writing the report replaces the whole folder",
        examples(&strange)
    )))
}

/// index.html is techfund's if it carries [`INDEX_MARKER`], or is the index of an
/// earlier version (which had no marker, but this title).
pub(super) fn check_index(index: &Path) -> Result<()> {
    let Ok(meta) = fs::symlink_metadata(index) else {
        return Ok(());
    };
    let head = if meta.is_file() {
        let bytes =
            fs::read(index).map_err(|e| Error::io(format!("reading {}", index.display()), e))?;
        String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).into_owned()
    } else {
        String::new()
    };
    let ours = head.contains(INDEX_MARKER)
        || (head.contains("<title>techfund scenarios</title>")
            && head.contains("<h1>Technology fund scenarios</h1>"));
    if ours {
        return Ok(());
    }
    Err(InputError::file(
        index,
        "the batch's index page would replace this index.html, which techfund did not write",
        "choose an empty or new folder for --out, or move index.html out of it",
    )
    .into())
}

/// The page with [`INDEX_MARKER`] after its doctype line.
pub(super) fn mark_index(html: &[u8]) -> Vec<u8> {
    let split = if html.starts_with(b"<!DOCTYPE") {
        html.iter()
            .position(|&b| b == b'\n')
            .map_or(html.len(), |i| i + 1)
    } else {
        0
    };
    let mut out = Vec::with_capacity(html.len() + INDEX_MARKER.len() + 1);
    out.extend_from_slice(&html[..split]);
    out.extend_from_slice(INDEX_MARKER.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&html[split..]);
    out
}
