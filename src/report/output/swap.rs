//! The atomic swap of a staged report into place, its fallback, and recovery of leftovers.

use super::marker::{has_techfund_manifest, inspect, marker, Command, Found, MARKER};
use crate::error::{Error, Result};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The new report, complete, at `staging`. The marker goes first, so a staging folder
/// a kill leaves half-written is already known as techfund's.
pub(super) fn stage(staging: &Path, command: Command, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    fs::create_dir(staging).map_err(|e| Error::io(format!("creating {}", staging.display()), e))?;
    let marker = marker(command, files.iter().map(|(p, _)| p.as_path()));
    let all = std::iter::once((Path::new(MARKER), marker.as_slice()))
        .chain(files.iter().map(|(p, b)| (p.as_path(), b.as_slice())));
    for (rel, bytes) in all {
        let path = staging.join(rel);
        if let Some(sub) = path.parent() {
            fs::create_dir_all(sub)
                .map_err(|e| Error::io(format!("creating {}", sub.display()), e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}

/// Puts the complete `staging` folder at `dir` and deletes the report it replaces.
pub(super) fn swap(
    staging: &Path,
    dir: &Path,
    parent: &Path,
    name: &str,
    command: Command,
) -> Result<()> {
    let moving = |e| Error::io(format!("moving the new report into {}", dir.display()), e);
    if fs::symlink_metadata(dir).is_err() {
        // Nothing to replace. No-replace, in case something appeared there after all.
        return match rename_noreplace(staging, dir) {
            Ok(true) => Ok(()),
            Ok(false) => fs::rename(staging, dir).map_err(moving),
            Err(e) => Err(moving(e)),
        };
    }
    let old = match exchange(staging, dir).map_err(moving)? {
        // The old report now sits at the staging name.
        true => staging.to_path_buf(),
        false => {
            // Two renames: between them `dir` is missing, and the next run puts the old
            // report back from `.NAME.old-PID` (see `recover`).
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(dir, &old).map_err(|e| {
                Error::io(
                    format!("moving the previous report {} aside", dir.display()),
                    e,
                )
            })?;
            if let Err(e) = fs::rename(staging, dir) {
                let _ = fs::rename(&old, dir);
                return Err(moving(e));
            }
            old
        }
    };
    // The new report is in place: a copy that cannot be deleted now is a leftover the
    // next write into this folder deletes (or fails on, naming the problem).
    let _ = remove_ours(&old, command);
    Ok(())
}

/// Swaps two paths atomically. `Ok(false)` where the platform or file system has no
/// such call, for the caller to fall back on renames.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    renameat2(a, b, RENAME_EXCHANGE)
}

/// Renames `from` to `to` unless `to` exists. `Ok(false)` where unsupported.
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<bool> {
    renameat2(from, to, RENAME_NOREPLACE)
}

#[cfg(target_os = "linux")]
const RENAME_EXCHANGE: u32 = libc::RENAME_EXCHANGE;
#[cfg(target_os = "linux")]
const RENAME_NOREPLACE: u32 = libc::RENAME_NOREPLACE;
#[cfg(not(target_os = "linux"))]
const RENAME_EXCHANGE: u32 = 2;
#[cfg(not(target_os = "linux"))]
const RENAME_NOREPLACE: u32 = 1;

/// The raw system call, so it works whatever the C library (glibc before 2.28 and
/// musl may lack the wrapper). EINVAL, ENOSYS and EOPNOTSUPP mean the kernel or the
/// file system cannot do it.
#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: u32) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let from = CString::new(from.as_os_str().as_bytes())?;
    let to = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated C strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn renameat2(_: &Path, _: &Path, _: u32) -> io::Result<bool> {
    Ok(false)
}

/// Deletes a folder techfund wrote, its marker last, so a kill part-way leaves a
/// folder still known as techfund's, which the next run finishes deleting. A folder
/// without a marker (an earlier version's report) gets one first.
pub(super) fn remove_ours(dir: &Path, command: Command) -> io::Result<()> {
    let marker_path = dir.join(MARKER);
    if fs::symlink_metadata(&marker_path).is_err() {
        fs::write(&marker_path, marker(command, []))?;
    }
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_name() != MARKER {
            remove_path(&e.path())?;
        }
    }
    fs::remove_file(&marker_path)?;
    fs::remove_dir(dir)
}

/// Deletes a file, link or folder tree, one path at a time (links are not followed).
fn remove_path(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        for e in fs::read_dir(path)? {
            remove_path(&e?.path())?;
        }
        fs::remove_dir(path)
    } else {
        fs::remove_file(path)
    }
}

/// A name a write leaves beside its target while it runs: `.NAME.tmp-PID` (the new
/// report being staged, or after an exchange the old one being deleted) or
/// `.NAME.old-PID` (the old report between two renames).
#[derive(Debug, PartialEq)]
pub(super) struct Leftover {
    pub(super) name: String,
    pub(super) old: bool,
}

pub(super) fn leftover(file_name: &str) -> Option<Leftover> {
    let rest = file_name.strip_prefix('.')?;
    let (head, pid) = rest.rsplit_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (name, old) = if let Some(n) = head.strip_suffix(".tmp") {
        (n, false)
    } else {
        (head.strip_suffix(".old")?, true)
    };
    (!name.is_empty()).then(|| Leftover {
        name: name.to_string(),
        old,
    })
}

/// Files techfund writes one at a time through `.NAME.tmp-PID`.
const SINGLE_FILES: [&str; 4] = [
    "index.html",
    crate::dataset::FOOTPRINTS_FILE,
    crate::dataset::PROJECTS_FILE,
    MARKER,
];

/// A leftover folder techfund may delete: one it wrote (marker, run.json, or an
/// earlier report's files), or an empty one (a staging folder killed before its
/// marker).
fn leftover_is_ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok()
        || has_techfund_manifest(dir)
        || [Command::Sweep, Command::Target, Command::Compare]
            .into_iter()
            .any(|c| matches!(inspect(dir, c), Ok(Found::Ours)))
        || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Puts back and clears what killed runs left in `parent`; the caller holds the lock
/// on `parent`, so no live run is writing there. A report folder that is missing while
/// its old copy waits at `.NAME.old-PID` gets it back (the newest, if several); every
/// other leftover of techfund's is deleted. Anything not recognisably techfund's is
/// left alone.
pub fn recover(parent: &Path) -> io::Result<()> {
    let mut found: Vec<(PathBuf, Leftover)> = Vec::new();
    for e in fs::read_dir(parent)? {
        let e = e?;
        if let Some(l) = leftover(&e.file_name().to_string_lossy()) {
            found.push((e.path(), l));
        }
    }
    // Newest first, so the newest old copy is the one put back.
    found.sort_by_key(|(p, _)| {
        std::cmp::Reverse(fs::symlink_metadata(p).and_then(|m| m.modified()).ok())
    });
    for (path, l) in &found {
        let target = parent.join(&l.name);
        if l.old
            && fs::symlink_metadata(&target).is_err()
            && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
            && leftover_is_ours(path)
        {
            fs::rename(path, &target)?;
        }
    }
    for (path, l) in &found {
        let Ok(meta) = fs::symlink_metadata(path) else {
            continue; // put back above
        };
        if meta.is_dir() {
            if leftover_is_ours(path) {
                remove_ours(path, Command::Run)?;
            }
        } else if meta.is_file() && !l.old && SINGLE_FILES.contains(&l.name.as_str()) {
            fs::remove_file(path)?;
        }
    }
    Ok(())
}
