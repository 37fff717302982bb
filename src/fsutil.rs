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

/// Why an output folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error(
        "{} is being written by another revsim (pid {pid}: `{command}`; lock file {}): wait \
         for it to finish or choose another --out; if no revsim is running, delete the lock file",
        folder.display(),
        lock.display()
    )]
    Locked {
        folder: PathBuf,
        lock: PathBuf,
        pid: String,
        command: String,
    },
    #[error("refusing to write into {}: {why}; choose a folder of its own with --out", folder.display())]
    Refused { folder: PathBuf, why: &'static str },
    #[error(
        "{} already holds {what}, not a revsim {kind} folder: choose another --out{}",
        folder.display(),
        if *.forceable { ", or pass --force to replace it" } else { "" }
    )]
    Occupied {
        folder: PathBuf,
        what: &'static str,
        kind: &'static str,
        forceable: bool,
    },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl FolderError {
    /// Whether the error is in what the user asked for (exit status 2), not a busy folder
    /// or a failed write.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            FolderError::Refused { .. } | FolderError::Occupied { .. }
        )
    }

    fn io(path: &Path) -> impl FnOnce(io::Error) -> FolderError + '_ {
        move |source| FolderError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Whether process `pid` is running (on systems without `/proc`, every process is assumed to
/// be: a lock is then never taken over).
fn alive(pid: u32) -> bool {
    pid == std::process::id()
        || !Path::new("/proc").is_dir()
        || Path::new("/proc").join(pid.to_string()).exists()
}

/// The pid in a temporary name `.tmp-<pid>-...` or `.old-<pid>-...`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix(".tmp-")
        .or_else(|| name.strip_prefix(".old-"))?;
    rest.split('-').next()?.parse().ok()
}

/// Removes the temporary files and folders (`.tmp-<pid>-*`, `.old-<pid>-*`) that processes no
/// longer running left in `dir`; returns how many. Best effort: what cannot be read or removed
/// is left.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        if alive(pid) {
            continue;
        }
        let path = entry.path();
        let done = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if done.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The absolute form of `folder`, its parent and its name; refuses the file-system root, the
/// home folder, the current folder and those above it, and names such as `..`.
fn locate(folder: &Path) -> Result<(PathBuf, PathBuf, String), FolderError> {
    let refused = |why| FolderError::Refused {
        folder: folder.to_path_buf(),
        why,
    };
    let absolute = std::path::absolute(folder).map_err(FolderError::io(folder))?;
    let resolved = fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
    if resolved.parent().is_none() {
        return Err(refused("it is the root of the file system"));
    }
    if std::env::current_dir()
        .and_then(fs::canonicalize)
        .is_ok_and(|here| here.starts_with(&resolved))
    {
        return Err(refused("it holds the current folder"));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if home.is_some_and(|h| fs::canonicalize(&h).unwrap_or(h) == resolved) {
        return Err(refused("it is the home folder"));
    }
    let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        return Err(refused("it does not end in a folder name"));
    };
    Ok((
        absolute.clone(),
        parent.to_path_buf(),
        name.to_string_lossy().into_owned(),
    ))
}

/// An exclusive lock on an output folder: the file `.<name>.lock` beside it, holding the pid
/// and the command of the holder, removed when dropped. A lock whose process is no longer
/// running is taken over, with a note.
#[derive(Debug)]
pub struct FolderLock {
    folder: PathBuf,
    path: PathBuf,
    content: String,
}

impl FolderLock {
    /// Locks `folder` (which need not exist yet; its parent is created).
    pub fn acquire(folder: &Path) -> Result<FolderLock, FolderError> {
        let (absolute, parent, name) = locate(folder)?;
        fs::create_dir_all(&parent).map_err(FolderError::io(&parent))?;
        let path = parent.join(format!(".{name}.lock"));
        let command: Vec<String> = std::env::args().collect();
        let content = format!(
            "pid {}\ncommand {}\n",
            std::process::id(),
            command.join(" ")
        );
        for _ in 0..3 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(content.as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(FolderError::io(&path))?;
                    clean_stale(&parent);
                    return Ok(FolderLock {
                        folder: absolute,
                        path,
                        content,
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    let held = fs::read_to_string(&path).unwrap_or_default();
                    let field = |key: &str| {
                        held.lines()
                            .find_map(|l| l.strip_prefix(key))
                            .map(str::trim)
                            .unwrap_or("?")
                            .to_string()
                    };
                    let (pid, command) = (field("pid "), field("command "));
                    match pid.parse::<u32>() {
                        Ok(dead) if !alive(dead) => take_over(&path, &held, dead, &command)?,
                        _ => {
                            return Err(FolderError::Locked {
                                folder: folder.to_path_buf(),
                                lock: path,
                                pid,
                                command,
                            })
                        }
                    }
                }
                Err(error) => return Err(FolderError::io(&path)(error)),
            }
        }
        Err(FolderError::Locked {
            folder: folder.to_path_buf(),
            lock: path,
            pid: "?".to_string(),
            command: "(the lock changed hands while revsim waited for it)".to_string(),
        })
    }

    /// The locked folder, absolute.
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

/// Moves aside the stale lock `path` (which read `held`), unless another process took it first.
fn take_over(path: &Path, held: &str, pid: u32, command: &str) -> Result<(), FolderError> {
    let aside = path.with_file_name(format!(".tmp-{}-stale.lock", std::process::id()));
    if fs::rename(path, &aside).is_err() {
        return Ok(()); // gone already: try again
    }
    if fs::read_to_string(&aside).unwrap_or_default() == held {
        eprintln!(
            "revsim: note: took over the lock {} of pid {pid} (`{command}`), which is no longer \
             running",
            path.display()
        );
    } else {
        // Another process had just taken the lock: give it back.
        let _ = fs::hard_link(&aside, path);
    }
    fs::remove_file(&aside).map_err(FolderError::io(&aside))
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if fs::read_to_string(&self.path).is_ok_and(|c| c == self.content) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// What an output folder may already hold: its kind in words, and whether a folder holds
/// an output of that kind (which is replaced).
pub struct FolderKind {
    pub name: &'static str,
    pub is_own: fn(&Path) -> bool,
    /// Whether `--force` may replace a folder holding something else.
    pub forceable: bool,
}

/// Writes the folder `lock` guards as a whole: `fill` writes into a temporary sibling, which
/// is renamed into place only when `fill` succeeds, replacing the folder there (which must be
/// absent, empty, an output of `kind`, or anything with `force`). The folder is the old one or
/// the new one, never a mix; a failed `fill` leaves the old one.
pub fn replace_folder<T, E: From<FolderError>>(
    lock: &FolderLock,
    kind: &FolderKind,
    force: bool,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    let folder = lock.folder();
    let (_, parent, name) = locate(folder)?;
    let what = match fs::read_dir(folder).map(|mut entries| entries.next().is_none()) {
        Ok(empty) if empty || (kind.is_own)(folder) => None,
        Ok(_) => Some("other files"),
        Err(_) => fs::symlink_metadata(folder).ok().map(|_| "a file"),
    };
    if let Some(what) = what.filter(|_| !(force && kind.forceable)) {
        return Err(FolderError::Occupied {
            folder: folder.to_path_buf(),
            what,
            kind: kind.name,
            forceable: kind.forceable,
        }
        .into());
    }
    let (temp, value) = filled_temp(folder, fill)?;
    let pid = std::process::id();
    let old = parent.join(format!(".old-{pid}-{name}"));
    let had_old = fs::symlink_metadata(folder).is_ok();
    if had_old {
        fs::rename(folder, &old).map_err(FolderError::io(folder))?;
    }
    if let Err(error) = fs::rename(&temp, folder) {
        if had_old {
            let _ = fs::rename(&old, folder);
        }
        let _ = fs::remove_dir_all(&temp);
        return Err(FolderError::io(folder)(error).into());
    }
    if had_old {
        let removed = if old.is_dir() {
            fs::remove_dir_all(&old)
        } else {
            fs::remove_file(&old)
        };
        removed.map_err(FolderError::io(&old))?;
    }
    Ok(value)
}

/// Runs `fill` on a new temporary sibling of `folder`; removes it if `fill` fails.
fn filled_temp<T, E: From<FolderError>>(
    folder: &Path,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<(PathBuf, T), E> {
    let (_, parent, name) = locate(folder)?;
    let temp = parent.join(format!(".tmp-{}-{name}", std::process::id()));
    if temp.exists() {
        fs::remove_dir_all(&temp).map_err(FolderError::io(&temp))?;
    }
    fs::create_dir(&temp).map_err(FolderError::io(&temp))?;
    match fill(&temp) {
        Ok(value) => Ok((temp, value)),
        Err(error) => {
            let _ = fs::remove_dir_all(&temp);
            Err(error)
        }
    }
}

/// Moves what `fill` writes into a temporary sibling of the folder `lock` guards into that
/// folder (created if needed), entry by entry and `last` last, replacing entries of the same
/// names and leaving the others (a sweep's shard folders, say). The output is complete once
/// `last` is there; a failed `fill` changes nothing.
pub fn publish_into<T, E: From<FolderError>>(
    lock: &FolderLock,
    last: &str,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    let folder = lock.folder();
    let (temp, value) = filled_temp(folder, fill)?;
    let moved = (|| -> io::Result<()> {
        fs::create_dir_all(folder)?;
        let mut names = fs::read_dir(&temp)?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort_by_key(|name| name == last);
        for name in names {
            let to = folder.join(&name);
            if to.is_dir() && !to.is_symlink() {
                fs::remove_dir_all(&to)?;
            }
            fs::rename(temp.join(&name), &to)?;
        }
        fs::remove_dir(&temp)
    })();
    if let Err(error) = moved {
        let _ = fs::remove_dir_all(&temp);
        return Err(FolderError::io(folder)(error).into());
    }
    Ok(value)
}
