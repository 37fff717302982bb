//! `revsim merge`: joins the folders of a sharded sweep into one folder whose files are
//! identical to those of the same sweep run unsharded.
//!
//! Every folder must hold a complete shard of one sweep (the same design hash and format),
//! with the same shard count and every shard present once. Rows are streamed: run `r` is the
//! next row of shard `r % N`, so memory does not grow with the number of runs. Tables are read
//! and written through `record::TableReader` and `record::write_table`, in either format.

use std::fs;
use std::path::{Path, PathBuf};

use crate::fsutil::{publish_into, FolderLock};
use crate::record::{write_table, Column, TableReader, TIMESERIES};

use super::adequacy::write_points;
use super::store::{fan_columns, fans_header, open_table, Manifest, FANS, MANIFEST, RUNS};
use super::{plot_sweep, Shard, SweepError};

/// Merges the shard folders `dirs` into `out`; returns the plots drawn (none without `plots`).
pub fn merge(dirs: &[PathBuf], out: &Path, plots: bool) -> Result<Vec<PathBuf>, SweepError> {
    if dirs.is_empty() {
        return Err(SweepError::Usage(
            "merge needs the folders of a sweep's shards".to_string(),
        ));
    }
    if let Some(dir) = dirs.iter().find(|dir| !super::is_sweep_folder(dir)) {
        return Err(SweepError::Usage(format!(
            "{} is not a sweep folder (no manifest.json of a sweep): merge takes the folders \
             `revsim sweep --shard I/N` wrote",
            dir.display()
        )));
    }
    let manifests = dirs
        .iter()
        .map(|dir| Manifest::read(dir))
        .collect::<Result<Vec<_>, _>>()?;
    let first = &manifests[0];
    for (dir, manifest) in dirs.iter().zip(&manifests).skip(1) {
        if manifest.build != first.build {
            return Err(SweepError::Usage(format!(
                "{} and {} were written by different builds of revsim: build {} and build {}; \
                 merging them would mix two models' runs: run every shard with one build",
                dirs[0].display(),
                dir.display(),
                first.build.describe(),
                manifest.build.describe()
            )));
        }
        if manifest.design_hash != first.design_hash {
            return Err(SweepError::Usage(format!(
                "{} and {} belong to different sweeps (`{}` with design hash {}, `{}` with \
                 design hash {}): only shards of one sweep file (same design, base scenario and \
                 build) can be merged",
                dirs[0].display(),
                dir.display(),
                first.sweep,
                &first.design_hash[..12.min(first.design_hash.len())],
                manifest.sweep,
                &manifest.design_hash[..12.min(manifest.design_hash.len())],
            )));
        }
        if manifest.format != first.format {
            return Err(SweepError::Usage(format!(
                "{} is written as {} but {} as {}: run every shard with the same `format` in \
                 [sweep]",
                dirs[0].display(),
                first.format,
                dir.display(),
                manifest.format
            )));
        }
    }

    // One folder per shard, every shard present.
    let whole = Shard { index: 0, count: 1 };
    let count = first.shard.unwrap_or(whole).count;
    let mut by_index: Vec<Option<&Path>> = vec![None; count as usize];
    for (dir, manifest) in dirs.iter().zip(&manifests) {
        let shard = manifest.shard.unwrap_or(whole);
        if shard.count != count {
            let name = |s: Option<Shard>| {
                s.map_or("the whole sweep".to_string(), |s| format!("shard {s}"))
            };
            return Err(SweepError::Usage(format!(
                "{} holds {} but {} holds {}: the folders come from splits into different \
                 numbers of shards",
                dir.display(),
                name(manifest.shard),
                dirs[0].display(),
                name(first.shard)
            )));
        }
        if let Some(other) = by_index[shard.index as usize] {
            return Err(SweepError::Usage(format!(
                "{} and {} both hold shard {shard}",
                other.display(),
                dir.display()
            )));
        }
        by_index[shard.index as usize] = Some(dir);
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, dir)| dir.is_none())
        .map(|(i, _)| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(SweepError::Usage(format!(
            "missing shard{} {} of sweep `{}`: pass every shard's folder",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            first.sweep
        )));
    }
    let shard_dirs: Vec<&Path> = by_index.into_iter().flatten().collect();

    // Every shard complete.
    for (dir, manifest) in dirs.iter().zip(&manifests) {
        let expected = manifest.shard_runs().count() as u64;
        let (found, cut) = count_rows(dir)?;
        if found != expected || cut {
            let (what, flag) = match manifest.shard {
                Some(s) => (format!("shard {s}"), format!(" --shard {s}")),
                None => ("the sweep".to_string(), String::new()),
            };
            return Err(SweepError::Usage(format!(
                "{} holds {found} of the {expected} runs of {what}: finish it first with \
                 `revsim sweep <sweep file>{flag} --resume --out {}`",
                dir.display(),
                dir.display()
            )));
        }
    }

    if out.join(MANIFEST).exists() {
        return Err(SweepError::Usage(format!(
            "{} already holds a sweep; merge into a new folder",
            out.display()
        )));
    }
    let lock = FolderLock::acquire(out)?;
    publish_into(&lock, MANIFEST, |temp| {
        write_merged(temp, first, &shard_dirs)?;
        super::store::write_metrics(temp)?;
        let mut merged = first.clone();
        merged.shard = None;
        write_points(temp, &merged)?;
        if !plots {
            return Ok(Vec::new());
        }
        Ok(plot_sweep(temp)?
            .into_iter()
            .map(|p| match p.strip_prefix(temp) {
                Ok(inside) => out.join(inside),
                Err(_) => p,
            })
            .collect())
    })
}

/// Writes the merged files of the shards in `shard_dirs` (shard `i` at `i`) into `out`,
/// checking every row they hold.
fn write_merged(out: &Path, first: &Manifest, shard_dirs: &[&Path]) -> Result<(), SweepError> {
    let mut manifest = first.clone();
    manifest.shard = None;
    manifest.write(out)?;
    let runs = manifest.runs;
    let n = shard_dirs.len() as u64;

    // The run table: run r is the next row of shard r % N.
    let mut readers = open_all(shard_dirs, RUNS, &manifest.header())?;
    let path = out.join(manifest.format.file_name(RUNS));
    write_file(&path, &manifest.run_columns(), |output| {
        for run in 0..runs {
            let reader = &mut readers[(run % n) as usize];
            let Some(line) = reader.next_line()? else {
                return Err(reader.corrupt(format!("ends before run {run}")));
            };
            manifest
                .check_row(&line, run)
                .map_err(|message| reader.corrupt(message))?;
            output(&line)?;
        }
        Ok(())
    })?;
    all_read(&mut readers, "is one row more than the shard's runs")?;

    // The fan table: the rows of run r are the next rows of shard r % N.
    if !manifest.fans.is_empty() {
        let mut readers = open_all(shard_dirs, FANS, &fans_header())?;
        let path = out.join(manifest.format.file_name(FANS));
        write_file(&path, &fan_columns(), |output| {
            for run in 0..runs {
                let reader = &mut readers[(run % n) as usize];
                while let Some(line) = reader.peek_line()? {
                    match run_of(line) {
                        Some(found) if found == run => {
                            let checked = manifest.check_fan_row(line, run);
                            output(line)?;
                            checked.map_err(|message| reader.corrupt(message))?;
                            reader.consume();
                        }
                        Some(found) if found > run => break,
                        _ => {
                            return Err(
                                reader.corrupt(format!("is not a row of run {run} or a later one"))
                            )
                        }
                    }
                }
            }
            Ok(())
        })?;
        all_read(&mut readers, "is not a row of this shard's runs")?;
    }

    // runs/<run>/ folders.
    if manifest.keep_timeseries {
        for run in 0..runs {
            let from = shard_dirs[(run % n) as usize]
                .join("runs")
                .join(run.to_string());
            let to = out.join("runs").join(run.to_string());
            fs::create_dir_all(&to).map_err(SweepError::io(&to))?;
            for name in [&manifest.format.file_name(TIMESERIES), "events.csv"] {
                let source = from.join(name);
                fs::copy(&source, to.join(name)).map_err(SweepError::io(&source))?;
            }
        }
    }
    Ok(())
}

/// Writes the table `path` (in the format of its extension): `columns`, then the lines
/// `fill` hands to the writer it is given.
fn write_file(
    path: &Path,
    columns: &[Column],
    fill: impl FnOnce(&mut dyn FnMut(&str) -> Result<(), SweepError>) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    // What `fill` failed with, kept whole (the table writer speaks io::Error).
    let mut failure = None;
    let written = write_table(path, columns, |rows| {
        fill(&mut |line: &str| rows.line(line).map_err(SweepError::io(path))).map_err(|error| {
            failure = Some(error);
            std::io::Error::other("the merge stopped")
        })
    });
    match failure {
        Some(error) => Err(error),
        None => written.map_err(SweepError::io(path)),
    }
}

fn run_of(line: &str) -> Option<u64> {
    line.split(',').next()?.trim().parse().ok()
}

/// The complete data rows of a folder's run table, and whether a partial line follows them
/// (the shard was interrupted).
fn count_rows(dir: &Path) -> Result<(u64, bool), SweepError> {
    let mut reader = open_table(dir, RUNS)?;
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read(&mut record)? {
        rows += 1;
    }
    // A cut line was read as a row: it is not a complete one.
    let cut = reader.is_cut();
    Ok((rows - u64::from(cut && rows > 0), cut))
}

/// An error for the first reader with a line left, which `what` describes.
fn all_read(readers: &mut [LineReader], what: &str) -> Result<(), SweepError> {
    for reader in readers {
        if reader.peek_line()?.is_some() {
            return Err(reader.corrupt(what));
        }
    }
    Ok(())
}

fn open_all(dirs: &[&Path], stem: &str, header: &str) -> Result<Vec<LineReader>, SweepError> {
    dirs.iter()
        .map(|dir| LineReader::open(dir, stem, header))
        .collect()
}

/// The rows of a shard's table as lines, with one line of look-ahead.
struct LineReader {
    reader: TableReader,
    record: csv::ByteRecord,
    peeked: Option<String>,
}

impl LineReader {
    fn open(dir: &Path, stem: &str, header: &str) -> Result<LineReader, SweepError> {
        let reader = open_table(dir, stem)?;
        let found = reader.header().join(",");
        if found != header {
            return Err(SweepError::Corrupt {
                path: reader.path().to_path_buf(),
                message: format!(
                    "the header is not this sweep's (expected {header}): the shard was edited \
                     or damaged; run it again"
                ),
            });
        }
        if reader.is_cut() {
            return Err(SweepError::Corrupt {
                path: reader.path().to_path_buf(),
                message: "the last line is cut short (an interrupted run: resume it first)"
                    .to_string(),
            });
        }
        Ok(LineReader {
            reader,
            record: csv::ByteRecord::new(),
            peeked: None,
        })
    }

    fn next_line(&mut self) -> Result<Option<String>, SweepError> {
        match self.peeked.take() {
            Some(line) => Ok(Some(line)),
            None => Ok(self.reader.read_line(&mut self.record)?),
        }
    }

    fn peek_line(&mut self) -> Result<Option<&str>, SweepError> {
        if self.peeked.is_none() {
            self.peeked = self.reader.read_line(&mut self.record)?;
        }
        Ok(self.peeked.as_deref())
    }

    fn consume(&mut self) {
        self.peeked = None;
    }

    /// The error for the last line read, which `message` describes.
    fn corrupt(&self, message: impl std::fmt::Display) -> SweepError {
        SweepError::Corrupt {
            path: self.reader.path().to_path_buf(),
            message: format!(
                "line {} {message}: the shard was edited or damaged; run it again",
                self.reader.line()
            ),
        }
    }
}
