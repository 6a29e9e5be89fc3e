//! The lock every write into a folder takes first.

use crate::error::{Error, Result};
use std::fs;
use std::io;
use std::path::Path;

/// An exclusive lock on a folder (flock on the folder itself, so no lock file is left
/// behind), held by every write into it: two runs into one folder take turns, and
/// [`super::recover`] never mistakes a live run's staging folder for a leftover. Released
/// when dropped, or by the kernel when the process dies.
pub(super) struct Lock {
    #[cfg(unix)]
    _file: fs::File,
}

impl Lock {
    #[cfg(unix)]
    pub(super) fn take(dir: &Path) -> Result<Lock> {
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
    pub(super) fn take(_: &Path) -> Result<Lock> {
        Ok(Lock {})
    }
}
