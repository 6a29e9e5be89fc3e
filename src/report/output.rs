//! Where techfund writes, and the rule that keeps it from deleting what it did not
//! write.
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

use crate::error::{Error, InputError, Result};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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
struct Marker {
    tool: String,
    version: String,
    command: String,
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
fn marked_by(dir: &Path) -> Option<std::result::Result<Marker, ()>> {
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
fn has_techfund_manifest(dir: &Path) -> bool {
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
fn entries(dir: &Path) -> io::Result<Vec<String>> {
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
enum Found {
    /// Missing, or an empty folder.
    Free,
    /// A report folder techfund wrote.
    Ours,
    /// Not to be replaced: the problem, in words.
    Foreign(String),
}

fn examples(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 3 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// `dir` as it is now; `dir` is not a symbolic link (see [`locate`]).
fn inspect(dir: &Path, command: Command) -> io::Result<Found> {
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
        let lock = Lock::take(&place.parent)?;
        recover(&place.parent).map_err(|e| {
            Error::io(
                format!(
                    "clearing what a stopped run left in {}",
                    place.parent.display()
                ),
                e,
            )
        })?;
        Some(lock)
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
    fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    let _lock = Lock::take(parent)?;
    recover(parent).map_err(|e| {
        Error::io(
            format!("clearing what a stopped run left in {}", parent.display()),
            e,
        )
    })?;
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

/// The new report, complete, at `staging`. The marker goes first, so a staging folder
/// a kill leaves half-written is already known as techfund's.
fn stage(staging: &Path, command: Command, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
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
fn swap(staging: &Path, dir: &Path, parent: &Path, name: &str, command: Command) -> Result<()> {
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
fn remove_ours(dir: &Path, command: Command) -> io::Result<()> {
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
struct Leftover {
    name: String,
    old: bool,
}

fn leftover(file_name: &str) -> Option<Leftover> {
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

/// An exclusive lock on a folder (flock on the folder itself, so no lock file is left
/// behind), held by every write into it: two runs into one folder take turns, and
/// [`recover`] never mistakes a live run's staging folder for a leftover. Released
/// when dropped, or by the kernel when the process dies.
struct Lock {
    #[cfg(unix)]
    _file: fs::File,
}

impl Lock {
    #[cfg(unix)]
    fn take(dir: &Path) -> Result<Lock> {
        use std::os::unix::io::AsRawFd;
        let file = fs::File::open(dir)
            .map_err(|e| Error::io(format!("opening {} to lock it", dir.display()), e))?;
        loop {
            // SAFETY: a valid open descriptor for the life of `file`.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                break;
            }
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                // A file system without locks (some network mounts): go on unlocked
                // rather than refuse to write at all.
                Some(libc::ENOLCK | libc::EOPNOTSUPP | libc::EINVAL) => break,
                _ => return Err(Error::io(format!("locking {}", dir.display()), e)),
            }
        }
        Ok(Lock { _file: file })
    }

    /// Elsewhere techfund does not lock: concurrent runs into one folder are not
    /// serialised there.
    #[cfg(not(unix))]
    fn take(_: &Path) -> Result<Lock> {
        Ok(Lock {})
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
    match fs::metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(root).is_ok() {
                return Err(refuse(
                    root,
                    "the output path is a symbolic link to something that is not a folder",
                ));
            }
            Ok(())
        }
        Err(e) => Err(Error::io(format!("reading {}", root.display()), e)),
        Ok(m) if !m.is_dir() => Err(refuse(
            root,
            "the output path is a file, not a folder; a batch writes a folder per scenario and index.html there",
        )),
        Ok(_) => check_index(&root.join("index.html")),
    }
}

/// index.html is techfund's if it carries [`INDEX_MARKER`], or is the index of an
/// earlier version (which had no marker, but this title).
fn check_index(index: &Path) -> Result<()> {
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

/// Writes a batch's index.html into `root`, marked as techfund's, unless an
/// index.html there is someone else's.
pub fn write_index(root: &Path, html: &[u8]) -> Result<()> {
    fs::create_dir_all(root).map_err(|e| Error::io(format!("creating {}", root.display()), e))?;
    let _lock = Lock::take(root)?;
    recover(root).map_err(|e| {
        Error::io(
            format!("clearing what a stopped run left in {}", root.display()),
            e,
        )
    })?;
    let index = root.join("index.html");
    check_index(&index)?;
    write_file(&index, &mark_index(html))
}

/// The page with [`INDEX_MARKER`] after its doctype line.
fn mark_index(html: &[u8]) -> Vec<u8> {
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

/// `generate` writes `names` into `dir` without replacing `dir`: refused if `dir` is a
/// file, a techfund report folder, or already holds one of `names` that its marker does
/// not say `generate` wrote.
pub fn check_files(dir: &Path, command: Command, names: &[&str]) -> Result<()> {
    let fix = "choose an empty or new folder for --out, or delete those files first if you mean to replace them";
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(dir).is_ok() {
                return Err(refuse(
                    dir,
                    "the output path is a symbolic link to something that is not a folder",
                ));
            }
            return Ok(());
        }
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
        Ok(m) if !m.is_dir() => {
            return Err(refuse(dir, "the output path is a file, not a folder"));
        }
        Ok(_) => {}
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
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let _lock = Lock::take(dir)?;
    recover(dir).map_err(|e| {
        Error::io(
            format!("clearing what a stopped run left in {}", dir.display()),
            e,
        )
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
