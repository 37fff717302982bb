//! Atomic file output: every file is written under a temporary name in its own folder and
//! renamed into place, so an interrupted run never leaves a half-written file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A temporary path beside `path` that keeps its extension (image encoders read it).
pub fn temp_sibling(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".tmp-{}-{}", std::process::id(), file_name))
}

/// Moves a finished temporary file into place.
pub fn commit(temp: &Path, path: &Path) -> io::Result<()> {
    fs::rename(temp, path)
}

/// Writes `path` atomically with whatever `write` puts into the buffered writer.
pub fn write_atomic<F>(path: &Path, write: F) -> io::Result<()>
where
    F: FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
{
    let temp = temp_sibling(path);
    let result = (|| {
        let mut writer = io::BufWriter::new(fs::File::create(&temp)?);
        write(&mut writer)?;
        writer.flush()?;
        writer.get_ref().sync_all()
    })();
    match result {
        Ok(()) => commit(&temp, path),
        Err(error) => {
            let _ = fs::remove_file(&temp);
            Err(error)
        }
    }
}
