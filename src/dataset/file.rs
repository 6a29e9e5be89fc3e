//! Reading an input file safely: only a regular file, and only up to a size cap, so a
//! path that names a FIFO, a device such as `/dev/zero` or a folder gives an error
//! instead of a hang or an out-of-memory, and so does a file far larger than any
//! real dataset.

use std::io::Read;
use std::path::Path;

/// The most a dataset CSV may hold: 256 MiB, about 100 times the largest real
/// dataset techfund is sized for (20,000 projects are about 4 MiB).
pub const CSV_LIMIT: u64 = 256 * 1024 * 1024;

/// The most a scenario TOML (and each file it extends) may hold: 1 MiB; a real
/// scenario is a few kilobytes.
pub const SCENARIO_LIMIT: u64 = 1024 * 1024;

/// Why a file could not be read: the problem, in words, to put before a fix.
#[derive(Debug, PartialEq)]
pub struct Unreadable(pub String);

/// Reads `path` whole if it is a regular file (a symbolic link to one is fine) of at
/// most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    // Look before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(|e| Unreadable(cannot_read(&e)))?;
    check_kind(&meta, limit)?;
    let file = std::fs::File::open(path).map_err(|e| Unreadable(cannot_read(&e)))?;
    // Look again at what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(|e| Unreadable(cannot_read(&e)))?;
    check_kind(&meta, limit)?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    // A file that grows while it is read still stops at the cap.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Unreadable(cannot_read(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable(too_big(limit)));
    }
    Ok(bytes)
}

fn check_kind(meta: &std::fs::Metadata, limit: u64) -> Result<(), Unreadable> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(Unreadable("this is a folder, not a file".into()));
    }
    if !kind.is_file() {
        return Err(Unreadable(
            "this is not a regular file (it is a device, a pipe or a socket)".into(),
        ));
    }
    if meta.len() > limit {
        return Err(Unreadable(too_big(limit)));
    }
    Ok(())
}

fn too_big(limit: u64) -> String {
    format!(
        "the file is larger than {} MiB, more than any real input of this kind",
        limit / (1024 * 1024)
    )
}

fn cannot_read(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "cannot read the file: it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot read the file: permission denied".into(),
        _ => format!("cannot read the file: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_devices_and_big_files_are_refused_without_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_regular(dir.path(), 10)
            .unwrap_err()
            .0
            .contains("folder"));
        #[cfg(unix)]
        assert!(read_regular(Path::new("/dev/zero"), 10)
            .unwrap_err()
            .0
            .contains("not a regular file"));
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 11]).unwrap();
        assert!(read_regular(&big, 10)
            .unwrap_err()
            .0
            .contains("larger than"));
        assert_eq!(read_regular(&big, 11).unwrap().len(), 11);
        assert!(read_regular(&dir.path().join("nope"), 10)
            .unwrap_err()
            .0
            .contains("does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_instead_of_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here; the device case above covers the same branch
        }
        assert!(read_regular(&fifo, 10)
            .unwrap_err()
            .0
            .contains("not a regular file"));
    }
}
