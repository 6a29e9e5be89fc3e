//! Where techfund writes: checks and writes that never delete what techfund did not write.
//!
//! Every folder techfund replaces whole (a `run`, `sweep`, `target` or `compare`
//! report) carries a marker file, [`MARKER`], written with the report in one atomic
//! step. techfund replaces a folder only if it carries the marker, or is a report of an
//! earlier version (see [`Command::legacy`]); an empty or missing folder is fine, and
//! anything else is refused before any solving starts. `generate` never replaces its
//! folder: it writes its two files into it, and only over files its own marker claims.
//!
//! A report is staged beside its folder as `.NAME.tmp-PID` and swapped in with one
//! atomic exchange where the file system has one (Linux `renameat2(RENAME_EXCHANGE)`);
//! the old report then sits at the staging name and is deleted, marker last. Elsewhere
//! two renames do the swap, with the old report at `.NAME.old-PID` in between. Every
//! write into a folder first takes a lock on it and puts back or deletes whatever a
//! killed run left there ([`recover`]), so a kill at any instant loses neither report.

mod lock;
mod marker;
mod model;
mod swap;
#[cfg(test)]
mod tests;

pub use marker::{marker, Command, INDEX_MARKER, MARKER};
pub use model::{check_model_file, model_scratch, write_model_file};
pub use swap::recover;

use crate::error::{Error, InputError, Result};
use lock::Lock;
use marker::{check_index, examples, inspect, mark_index, marked_by, Found};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use swap::{remove_ours, stage, swap};

const FIX: &str = "choose an empty or new folder for --out (techfund replaces only folders it wrote, which carry a `.techfund` file)";

fn refuse(out: &Path, problem: impl Into<String>) -> Error {
    InputError::file(out, problem, FIX).into()
}

/// Where a report for `out` goes: the folder to replace and the folder it sits in. A
/// symbolic link is followed to a folder (the link stays; what it points at is
/// replaced), but a link to anything else is refused.
struct Place {
    dir: PathBuf,
    parent: PathBuf,
    name: String,
}

fn locate(out: &Path) -> Result<Place> {
    let mut dir = out.to_path_buf();
    let is_link = fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        match fs::metadata(out) {
            Ok(m) if m.is_dir() => {}
            _ => {
                return Err(refuse(
                    out,
                    "the output path is a symbolic link to something that is not a folder",
                ))
            }
        }
    }
    if is_link || out.file_name().is_none() {
        // `.`, `..` or a link: name the folder itself.
        dir = out
            .canonicalize()
            .map_err(|e| Error::io(format!("resolving {}", out.display()), e))?;
    }
    let (Some(name), Some(parent)) = (dir.file_name(), dir.parent()) else {
        return Err(refuse(
            out,
            "the output path names no folder techfund could replace",
        ));
    };
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent.to_path_buf()
    };
    Ok(Place {
        name: name.to_string_lossy().into_owned(),
        dir: parent.join(name),
        parent,
    })
}

/// Refuses an `out` that `command` may not replace, before any work is done: a file, a
/// link to something not techfund's, a folder holding the files it reads (`inputs`) or
/// the folder it runs in, or a folder holding files techfund did not write. Puts back
/// or clears what a killed run left beside `out` first, so the check sees the folder
/// as the last complete run left it.
pub fn check(out: &Path, command: Command, inputs: &[PathBuf]) -> Result<()> {
    let place = locate(out)?;
    let _lock = if place.parent.is_dir() {
        Some(take_and_recover(&place.parent)?)
    } else {
        None
    };
    if let Ok(real) = place.dir.canonicalize() {
        for input in inputs {
            if input.canonicalize().is_ok_and(|i| i.starts_with(&real)) {
                return Err(InputError::file(
                    out,
                    format!(
                        "the output folder holds {}, which this run reads, and writing the report replaces the whole folder",
                        input.display()
                    ),
                    "choose an output folder outside the scenario's and the dataset's folders, e.g. `reports/<name>`",
                )
                .into());
            }
        }
        if std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .is_ok_and(|cwd| cwd.starts_with(&real))
        {
            return Err(InputError::file(
                out,
                "the output folder holds the folder techfund was started in, and writing the report replaces the whole folder",
                "choose a new folder for --out, e.g. `reports/<name>`",
            )
            .into());
        }
    }
    match inspect(&place.dir, command)
        .map_err(|e| Error::io(format!("reading {}", place.dir.display()), e))?
    {
        Found::Foreign(problem) => Err(refuse(out, problem)),
        Found::Free | Found::Ours => Ok(()),
    }
}

/// Writes `files` (relative path → bytes) as the folder `out`, with the marker of
/// `command`, replacing the report there in one atomic step. If anything fails, or
/// the run is killed, `out` holds either the old report or the new one, complete.
pub fn write_atomically(out: &Path, command: Command, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let place = locate(out)?;
    let Place { dir, parent, name } = &place;
    let _lock = open_for_writing(parent)?;
    // Again, under the lock: the folder may have changed while the run was solving.
    if let Found::Foreign(problem) =
        inspect(dir, command).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?
    {
        return Err(refuse(out, problem));
    }
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result =
        stage(&staging, command, files).and_then(|()| swap(&staging, dir, parent, name, command));
    if result.is_err() && staging.exists() {
        // The new report, never swapped in.
        let _ = remove_ours(&staging, command);
    }
    result
}

/// Takes the lock on `dir` and puts back or clears what a stopped run left there, so
/// what follows sees the folder as the last complete write left it.
fn take_and_recover(dir: &Path) -> Result<Lock> {
    let lock = Lock::take(dir)?;
    recover(dir).map_err(|e| {
        Error::io(
            format!("clearing what a stopped run left in {}", dir.display()),
            e,
        )
    })?;
    Ok(lock)
}

/// [`take_and_recover`] on `dir`, made first if it is missing.
fn open_for_writing(dir: &Path) -> Result<Lock> {
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    take_and_recover(dir)
}

/// Whether `dir` is a folder techfund may write into: `Ok(false)` when it is missing,
/// refused (`file_problem` saying why) when it is a file, or a link to anything but a
/// folder.
fn existing_folder(dir: &Path, file_problem: &str) -> Result<bool> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(dir).is_ok() {
                return Err(refuse(
                    dir,
                    "the output path is a symbolic link to something that is not a folder",
                ));
            }
            Ok(false)
        }
        Err(e) => Err(Error::io(format!("reading {}", dir.display()), e)),
        Ok(m) if !m.is_dir() => Err(refuse(dir, file_problem)),
        Ok(_) => Ok(true),
    }
}

/// Writes one file through a temporary name in the same folder, so a reader (or a
/// kill) never sees it half-written. The caller holds the folder's lock.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(format!("moving {name} into place in {}", dir.display()), e)
    })
}

/// The batch root (`run a.toml b.toml --out ROOT`) is never replaced, only the report
/// folders in it; it must be a folder (or missing) whose index.html, if any, techfund
/// wrote.
pub fn check_batch_root(root: &Path) -> Result<()> {
    let problem = "the output path is a file, not a folder; a batch writes a folder per scenario and index.html there";
    if existing_folder(root, problem)? {
        check_index(&root.join("index.html"))
    } else {
        Ok(())
    }
}

/// Writes a batch's index.html into `root`, marked as techfund's, unless an
/// index.html there is someone else's.
pub fn write_index(root: &Path, html: &[u8]) -> Result<()> {
    let _lock = open_for_writing(root)?;
    let index = root.join("index.html");
    check_index(&index)?;
    write_file(&index, &mark_index(html))
}

/// `generate` writes `names` into `dir` without replacing `dir`: refused if `dir` is a
/// file, a techfund report folder, or already holds one of `names` that its marker does
/// not say `generate` wrote.
pub fn check_files(dir: &Path, command: Command, names: &[&str]) -> Result<()> {
    let fix = "choose an empty or new folder for --out, or delete those files first if you mean to replace them";
    if !existing_folder(dir, "the output path is a file, not a folder")? {
        return Ok(());
    }
    if let Some(Ok(m)) = marked_by(dir) {
        if m.command != command.name() {
            return Err(InputError::file(
                dir,
                format!(
                    "the output folder holds files written by `techfund {}`, not by `techfund {}`",
                    m.command,
                    command.name()
                ),
                fix,
            )
            .into());
        }
        return Ok(());
    }
    let present: Vec<String> = names
        .iter()
        .filter(|n| fs::symlink_metadata(dir.join(n)).is_ok())
        .map(|n| n.to_string())
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    Err(InputError::file(
        dir,
        format!(
            "the output folder already holds {}, which `techfund {}` did not write (the folder has no `.techfund` file saying so), and would be overwritten",
            examples(&present),
            command.name()
        ),
        fix,
    )
    .into())
}

/// Writes each of `files` (name → bytes) into `dir` through a temporary name, after
/// the marker of `command`; nothing else in `dir` is touched.
pub fn write_files(dir: &Path, command: Command, files: &[(&str, &[u8])]) -> Result<()> {
    let _lock = open_for_writing(dir)?;
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    check_files(dir, command, &names)?;
    let marker_path = dir.join(MARKER);
    let marker = marker(command, files.iter().map(|(n, _)| Path::new(n)));
    if fs::read(&marker_path).ok().as_deref() != Some(marker.as_slice()) {
        write_file(&marker_path, &marker)?;
    }
    for (name, bytes) in files {
        write_file(&dir.join(name), bytes)?;
    }
    Ok(())
}
