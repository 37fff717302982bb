//! A sweep's output folder: `manifest.json`, `runs.csv`, `fans.csv`, `runs/<run>/`.
//!
//! `runs.csv` and `fans.csv` are append-only. A finished run's fan rows are written and
//! synced to disk before its `runs.csv` row, and each row is written whole with one write, so
//! after a crash (even `kill -9`) the rows on disk are a prefix of the shard's runs, followed
//! at most by one partial line. Resuming cuts the partial line, checks that the rows are that
//! prefix, cuts `fans.csv` back to the same runs and goes on from the next run.
//!
//! With `format = "parquet"` the two CSV files are the journal the runs are appended to while
//! the folder is unfinished; once its last run is written, [`publish`] writes `runs.parquet`
//! and `fans.parquet` from them and removes them. Readers find either ([`read_lines`]).

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fingerprint::Build;
use crate::fsutil::write_atomic;
use crate::model::params::ParamKind;
use crate::record::{columns, write_table, Column, Format, Kind, TableReader};

use super::seeds::sweep_seed;
use super::{Fan, Shard, Stat, Sweep, SweepError, SEED_FUNCTION};

pub(crate) const MANIFEST: &str = "manifest.json";
/// The stems of the run table (`runs.csv`, `runs.parquet`) and the fan table.
pub(crate) const RUNS: &str = "runs";
pub(crate) const FANS: &str = "fans";
pub(crate) const POINTS: &str = "points.csv";
/// Every metric's unit and meaning (`metrics::metadata_csv`).
pub(crate) const METRICS: &str = "metrics.csv";
/// The columns of the fan table.
const FAN_COLUMNS: [(&str, Kind); 6] = [
    ("run", Kind::Int),
    ("metric", Kind::Text),
    ("group", Kind::Text),
    ("step", Kind::Int),
    ("date", Kind::Date),
    ("value", Kind::Real),
];

pub(crate) fn fan_columns() -> Vec<Column> {
    columns(&FAN_COLUMNS)
}

/// The header line of `fans.csv`: `run,metric,group,step,date,value`.
pub(crate) fn fans_header() -> String {
    FAN_COLUMNS.map(|(name, _)| name).join(",")
}
pub(crate) const KIND: &str = "revsim-sweep";

/// One `[vary]` entry as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestVaried {
    pub name: String,
    /// `real`, `integer`, `flag`, `date` or `scenario`.
    pub kind: String,
    /// The entry as written in the sweep file.
    pub levels: String,
}

/// One scenario the scenario lever chooses, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestChoice {
    /// As the sweep file names it (the value in `runs.csv`).
    pub name: String,
    /// Its hash with the sweep's `[set]`.
    pub hash: String,
}

/// One `[[summary]]` as the manifest records it (numbers as text, so the file reads back
/// exactly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSummary {
    pub column: String,
    pub metric: String,
    pub group: String,
    pub stat: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Whether the values are dates (a first crossing) rather than numbers.
    pub is_date: bool,
}

/// `manifest.json`: everything needed to understand, re-run, resume and merge the sweep.
/// It holds no timings, so it is identical for any thread count; shards differ only in
/// `shard`, and a merge writes it with `shard: null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub kind: String,
    pub revsim_version: String,
    /// The build that wrote the folder (`crate::fingerprint`); the design hash covers it.
    pub build: Build,
    pub sweep: String,
    pub title: String,
    pub about: String,
    /// SHA-256 of this manifest without `design_hash`, `shard` and `scenario` (so the folders
    /// of one sweep share it wherever it was started from).
    pub design_hash: String,
    /// The shard this folder holds; `null` for a whole sweep.
    pub shard: Option<Shard>,
    /// The base scenario as `revsim run` takes it.
    pub scenario: String,
    pub scenario_name: String,
    /// The base scenario's hash with the `[set]` overrides.
    pub scenario_hash: String,
    pub start: String,
    pub end: String,
    pub design: String,
    pub samples: Option<u32>,
    pub points: usize,
    pub replicates: u32,
    pub runs: u64,
    pub root_seed: u64,
    /// Whether replicate r has the same seed at every point.
    pub common_random_numbers: bool,
    pub seed_function: String,
    pub run_order: String,
    /// How to re-run one run alone: fill in its seed and values from `runs.csv`.
    pub rerun: String,
    pub keep_timeseries: bool,
    /// The metrics a kept timeseries holds; every metric when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_metrics: Vec<String>,
    /// How `runs`, `fans` and the kept timeseries are written; not part of the design hash (a
    /// folder's files in another format are the same sweep), checked by resume and merge.
    #[serde(default, skip_serializing_if = "Format::is_csv")]
    pub format: Format,
    pub set: Vec<String>,
    pub vary: Vec<ManifestVaried>,
    /// The scenarios the scenario lever chooses, with their hashes under `[set]` (part of the
    /// design hash, so a sweep over an edited scenario is another sweep).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ManifestChoice>,
    pub summaries: Vec<ManifestSummary>,
    /// Historical targets measured in every run (`target.<id>` columns), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    pub fans: Vec<Fan>,
    /// The columns of `runs.csv`.
    pub columns: Vec<String>,
    /// The value of each varied name at each point, in `vary` order.
    pub design_points: Vec<Vec<String>>,
    /// Morris and Sobol designs: each point in the unit hypercube (`revsim sensitivity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_points: Option<Vec<Vec<f64>>>,
}

impl Manifest {
    pub fn new(sweep: &Sweep, shard: Option<Shard>) -> Manifest {
        let lever = sweep.vary.iter().find(|v| !v.choices.is_empty());
        let scenario = lever.map_or(sweep.scenario.clone(), |v| format!("<{}>", v.name));
        let placeholders: Vec<String> =
            sweep.vary.iter().map(|v| format!("<{}>", v.name)).collect();
        let rerun = sweep.rerun_line(&scenario, "<seed>", &placeholders);
        Manifest {
            kind: KIND.to_string(),
            revsim_version: env!("CARGO_PKG_VERSION").to_string(),
            build: crate::fingerprint::build().clone(),
            sweep: sweep.name.clone(),
            title: sweep.title.clone(),
            about: sweep.about.clone(),
            design_hash: sweep.hash.clone(),
            shard: shard.filter(|s| s.count > 1),
            scenario: sweep.scenario.clone(),
            scenario_name: sweep.scenario_name.clone(),
            scenario_hash: sweep.scenario_hash.clone(),
            start: sweep.start.to_string(),
            end: sweep.end.to_string(),
            design: sweep.design.name().to_string(),
            samples: sweep.design.samples(),
            points: sweep.points.len(),
            replicates: sweep.replicates,
            runs: sweep.runs(),
            root_seed: sweep.root_seed,
            common_random_numbers: sweep.common_random_numbers,
            seed_function: SEED_FUNCTION.to_string(),
            run_order: "run = replicate * points + point; shard I/N runs the runs with \
                        run % N == I"
                .to_string(),
            rerun,
            keep_timeseries: sweep.keep_timeseries,
            keep_metrics: sweep.keep_metrics.iter().map(|m| m.to_string()).collect(),
            format: sweep.format,
            set: sweep.set.iter().map(|o| o.to_string()).collect(),
            choices: sweep
                .vary
                .iter()
                .flat_map(|v| &v.choices)
                .map(|c| ManifestChoice {
                    name: c.name.clone(),
                    hash: c.hash.clone(),
                })
                .collect(),
            vary: sweep
                .vary
                .iter()
                .map(|v| ManifestVaried {
                    name: v.name.clone(),
                    kind: match v.kind {
                        _ if !v.choices.is_empty() => "scenario",
                        _ if v.dates => "date",
                        ParamKind::Real => "real",
                        ParamKind::Integer => "integer",
                        ParamKind::Flag => "flag",
                    }
                    .to_string(),
                    levels: v.written.clone(),
                })
                .collect(),
            summaries: sweep
                .summaries
                .iter()
                .map(|s| {
                    let window = s.stat.window().unwrap_or_default();
                    ManifestSummary {
                        column: s.column.clone(),
                        metric: s.metric.clone(),
                        group: s.group.clone(),
                        stat: s.stat.name().to_string(),
                        date: match s.stat {
                            Stat::At(date) => Some(date.to_string()),
                            _ => None,
                        },
                        threshold: match s.stat {
                            Stat::FirstAbove(t, _) | Stat::FirstBelow(t, _) => Some(t.to_string()),
                            _ => None,
                        },
                        from: window.from.map(|d| d.to_string()),
                        to: window.to.map(|d| d.to_string()),
                        is_date: s.stat.is_date(),
                    }
                })
                .collect(),
            targets: sweep.targets.clone(),
            fans: sweep.fans.clone(),
            columns: sweep.columns(),
            design_points: sweep.points.iter().map(|p| p.values.clone()).collect(),
            unit_points: sweep.unit_points.clone(),
        }
    }

    /// Reads `dir/manifest.json`.
    pub fn read(dir: &Path) -> Result<Manifest, SweepError> {
        let path = dir.join(MANIFEST);
        let file = File::open(&path).map_err(SweepError::io(&path))?;
        let manifest: Manifest =
            serde_json::from_reader(BufReader::new(file)).map_err(|e| SweepError::Corrupt {
                path: path.clone(),
                message: format!("not a sweep manifest: {e}"),
            })?;
        if manifest.kind != KIND {
            return Err(SweepError::Corrupt {
                path,
                message: format!("`kind` is {:?}, not {KIND:?}", manifest.kind),
            });
        }
        manifest.verify().map_err(|message| SweepError::Corrupt {
            path,
            message: format!(
                "{message}: the file was edited or damaged; run the sweep again into a new \
                 folder"
            ),
        })?;
        Ok(manifest)
    }

    /// Checks that the manifest's parts agree with one another and its `design_hash` with its
    /// content, recomputed.
    fn verify(&self) -> Result<(), String> {
        if self.design_points.len() != self.points {
            return Err(format!(
                "`points` is {} but `design_points` holds {} points",
                self.points,
                self.design_points.len()
            ));
        }
        if let Some(point) = self
            .design_points
            .iter()
            .position(|p| p.len() != self.vary.len())
        {
            return Err(format!(
                "point {point} of `design_points` has {} values, expected one per `vary` entry \
                 ({})",
                self.design_points[point].len(),
                self.vary.len()
            ));
        }
        if Some(self.runs) != (self.points as u64).checked_mul(u64::from(self.replicates)) {
            return Err(format!(
                "`runs` is {}, expected `points` x `replicates` = {} x {}",
                self.runs, self.points, self.replicates
            ));
        }
        let mut columns: Vec<&str> = vec!["run", "point", "replicate", "seed"];
        columns.extend(self.vary.iter().map(|v| v.name.as_str()));
        columns.extend(self.summaries.iter().map(|s| s.column.as_str()));
        let targets: Vec<String> = self
            .targets
            .iter()
            .map(|id| super::target_column(id))
            .collect();
        columns.extend(targets.iter().map(String::as_str));
        if self.columns != columns {
            return Err(
                "`columns` are not `run,point,replicate,seed`, the `vary` names, the \
                        summary columns and the target columns"
                    .to_string(),
            );
        }
        if let Some(units) = &self.unit_points {
            if units.len() != self.points || units.iter().any(|u| u.len() != self.vary.len()) {
                return Err(format!(
                    "`unit_points` holds {} points, expected one per point ({}) with one \
                     coordinate per `vary` entry",
                    units.len(),
                    self.points
                ));
            }
        }
        if let Some(shard) = self.shard {
            if shard.count < 2 || shard.index >= shard.count {
                return Err(format!("`shard` {shard} is not a shard of a split"));
            }
        }
        let computed = self.computed_hash();
        if computed != self.design_hash {
            return Err(format!(
                "its `design_hash` ({}) is not the hash of its content ({})",
                short(&self.design_hash),
                short(&computed)
            ));
        }
        Ok(())
    }

    /// Sets `design_hash` to the hash of the content (for a tool that rewrites a manifest,
    /// e.g. a test doctoring one: `read` refuses a manifest whose hash is not its content's).
    pub fn seal(&mut self) {
        self.design_hash = self.computed_hash();
    }

    /// SHA-256 of the manifest without `design_hash`, `shard`, `scenario` and `format`.
    fn computed_hash(&self) -> String {
        let mut manifest = self.clone();
        manifest.design_hash = String::new();
        manifest.scenario = String::new();
        manifest.shard = None;
        manifest.format = Format::Csv;
        let bytes = serde_json::to_vec(&manifest).unwrap_or_default();
        format!("{:x}", Sha256::digest(&bytes))
    }

    /// Checks one row of `runs.csv` (without its line end): run `run`, its point, replicate,
    /// seed and varied values, and the number of fields.
    pub(crate) fn check_row(&self, row: &str, run: u64) -> Result<(), String> {
        let fields: Vec<&str> = row.split(',').collect();
        if fields.len() != self.columns.len() {
            return Err(format!(
                "has {} fields, expected {}",
                fields.len(),
                self.columns.len()
            ));
        }
        let points = self.points as u64;
        let (Some(point), Some(replicate)) = (run.checked_rem(points), run.checked_div(points))
        else {
            return Err(format!("is run {run}, but the sweep has no points"));
        };
        let seed = sweep_seed(self.root_seed, run, points, self.common_random_numbers);
        let mut expected = vec![
            run.to_string(),
            point.to_string(),
            replicate.to_string(),
            seed.to_string(),
        ];
        expected.extend(self.design_points[point as usize].iter().cloned());
        for ((found, expected), column) in fields.iter().zip(&expected).zip(&self.columns) {
            if found != expected {
                return Err(format!(
                    "has {column} {found:?}, expected {expected:?} (run {run})"
                ));
            }
        }
        Ok(())
    }

    /// Checks one row of `fans.csv` (without its line end) of run `run`: the run, one of the
    /// manifest's fans, a step and a value.
    pub(crate) fn check_fan_row(&self, row: &str, run: u64) -> Result<(), String> {
        let fields: Vec<&str> = row.split(',').collect();
        let [found, metric, group, step, _date, value] = fields[..] else {
            return Err(format!(
                "has {} fields, expected 6 ({})",
                fields.len(),
                fans_header()
            ));
        };
        if found.parse::<u64>().ok() != Some(run) {
            return Err(format!("is run {found:?}, expected run {run}"));
        }
        if !self
            .fans
            .iter()
            .any(|fan| fan.metric == metric && fan.group == group)
        {
            return Err(format!(
                "has the fan {metric} {group}, which the sweep does not record"
            ));
        }
        if step.parse::<u32>().is_err() || value.parse::<f64>().is_err() {
            return Err(format!(
                "has the step {step:?} and value {value:?}: not numbers"
            ));
        }
        Ok(())
    }

    pub fn write(&self, dir: &Path) -> Result<(), SweepError> {
        let path = dir.join(MANIFEST);
        write_atomic(&path, |out| {
            serde_json::to_writer_pretty(&mut *out, self)?;
            writeln!(out)
        })
        .map_err(SweepError::io(&path))
    }

    /// The header line of `runs.csv`.
    pub fn header(&self) -> String {
        self.columns.join(",")
    }

    /// The columns of the run table, typed: varied values by their kind, summaries as numbers
    /// or dates, targets as numbers.
    pub(crate) fn run_columns(&self) -> Vec<Column> {
        let kinds = [Kind::Int; 4]
            .into_iter()
            .chain(self.vary.iter().map(|v| match v.kind.as_str() {
                "date" => Kind::Date,
                "flag" => Kind::Flag,
                "integer" => Kind::Int,
                _ => Kind::Real,
            }))
            .chain(self.summaries.iter().map(|s| match s.is_date {
                true => Kind::Date,
                false => Kind::Real,
            }))
            .chain(self.targets.iter().map(|_| Kind::Real));
        self.columns
            .iter()
            .zip(kinds)
            .map(|(name, kind)| Column {
                name: name.clone(),
                kind,
            })
            .collect()
    }

    /// Checks row `i` (from 0) of this folder's run table: it must be the shard's `i`-th run.
    /// Returns that run.
    fn check_nth_row(&self, i: u64, row: &str) -> Result<u64, String> {
        let shard = self.shard.unwrap_or(Shard { index: 0, count: 1 });
        let expected =
            Some(u64::from(shard.index) + i * u64::from(shard.count)).filter(|r| *r < self.runs);
        match expected {
            Some(run) => self
                .check_row(row, run)
                .map(|()| run)
                .map_err(|e| format!("row {} {e}", i + 1)),
            None => Err(format!(
                "row {} is one more than this shard's {} runs",
                i + 1,
                i
            )),
        }
    }

    /// The runs of this folder's shard, in order.
    pub fn shard_runs(&self) -> impl Iterator<Item = u64> {
        let shard = self.shard.unwrap_or(Shard { index: 0, count: 1 });
        (u64::from(shard.index)..self.runs).step_by(shard.count as usize)
    }
}

/// The design hash of a sweep (see [`Manifest::design_hash`]).
pub(crate) fn design_hash(sweep: &Sweep) -> String {
    Manifest::new(sweep, None).computed_hash()
}

/// An append-only output file, written with one `write` per batch of whole lines.
pub(crate) struct Appender {
    path: PathBuf,
    file: File,
}

impl Appender {
    fn open(path: &Path) -> Result<Appender, SweepError> {
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(SweepError::io(path))?;
        Ok(Appender {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends whole lines and syncs them to disk.
    pub fn append(&mut self, text: &str) -> Result<(), SweepError> {
        if text.is_empty() {
            return Ok(());
        }
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(SweepError::io(&self.path))
    }
}

/// Creates `path` holding just `header` (atomically).
fn create_with_header(path: &Path, header: &str) -> Result<(), SweepError> {
    write_atomic(path, |out| writeln!(out, "{header}")).map_err(SweepError::io(path))
}

/// The CSV files a folder's runs are appended to.
pub(crate) struct Journal {
    pub runs: Appender,
    pub fans: Option<Appender>,
}

/// The open output files of a folder (none once a Parquet folder is published) and how many of
/// its shard's runs are already done.
pub(crate) struct Store {
    pub journal: Option<Journal>,
    pub done: u64,
}

/// Prepares `dir` for `manifest`'s runs: a new folder, or with `resume` the folder of an
/// interrupted run of the same sweep and shard, cut back to its last complete run.
pub(crate) fn open(dir: &Path, manifest: &Manifest, resume: bool) -> Result<Store, SweepError> {
    let manifest_path = dir.join(MANIFEST);
    let runs_path = dir.join(Format::Csv.file_name(RUNS));
    let fans_path = dir.join(Format::Csv.file_name(FANS));
    let published = dir.join(manifest.format.file_name(RUNS));
    let has_fans = !manifest.fans.is_empty();
    let existing = manifest_path.exists() || runs_path.exists() || published.exists();
    if existing && !resume {
        return Err(SweepError::Usage(format!(
            "{} already holds a sweep: pass --resume to continue it, or choose another --out",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(SweepError::io(dir))?;
    if manifest_path.exists() {
        let found = Manifest::read(dir)?;
        if found.build != manifest.build {
            return Err(SweepError::Usage(format!(
                "{} was written by another build of revsim: build {}, not this build {}; \
                 a sweep resumed by another build would mix two models' runs: finish it with \
                 the build that started it, or start it again into another --out",
                dir.display(),
                found.build.describe(),
                manifest.build.describe()
            )));
        }
        if found.design_hash != manifest.design_hash {
            return Err(SweepError::Usage(format!(
                "{} holds another sweep (`{}`, design hash {}), not this one (design hash {}): \
                 it cannot be resumed with this sweep file; choose another --out",
                dir.display(),
                found.sweep,
                short(&found.design_hash),
                short(&manifest.design_hash)
            )));
        }
        if found.shard != manifest.shard {
            let name = |s: Option<Shard>| {
                s.map_or("the whole sweep".to_string(), |s| format!("shard {s}"))
            };
            return Err(SweepError::Usage(format!(
                "{} holds {} of this sweep, not {}: resume it with the same --shard",
                dir.display(),
                name(found.shard),
                name(manifest.shard)
            )));
        }
        if found.format != manifest.format {
            return Err(SweepError::Usage(format!(
                "{} holds this sweep written as {}, not {}: resume it with `format = \"{}\"` \
                 in [sweep], or start it again into another --out",
                dir.display(),
                found.format,
                manifest.format,
                found.format
            )));
        }
    } else {
        manifest.write(dir)?;
    }
    write_metrics(dir)?;
    if !manifest.format.is_csv() && !runs_path.exists() && published.exists() {
        // A published folder: every run is done; its rows are checked, nothing is appended.
        let mut done = 0;
        read_lines(dir, RUNS, &mut |row| {
            manifest
                .check_nth_row(done, row)
                .map_err(|message| SweepError::Corrupt {
                    path: published.clone(),
                    message,
                })?;
            done += 1;
            Ok(())
        })?;
        let expected = manifest.shard_runs().count() as u64;
        if done != expected {
            return Err(SweepError::Corrupt {
                path: published,
                message: format!(
                    "holds {done} of the {expected} runs of a finished folder: the file was \
                     edited or damaged; run the sweep again into a new folder"
                ),
            });
        }
        return Ok(Store {
            journal: None,
            done,
        });
    }
    let header = manifest.header();
    let mut done = 0;
    let mut last_done = None;
    if runs_path.exists() {
        let (count, last) =
            resume_lines(&runs_path, &header, |i, row| manifest.check_nth_row(i, row))?;
        done = count;
        last_done = last;
    } else {
        create_with_header(&runs_path, &header)?;
    }
    let fans = if has_fans {
        if fans_path.exists() {
            cut_fans(&fans_path, manifest, last_done)?;
        } else if done == 0 {
            create_with_header(&fans_path, &fans_header())?;
        } else {
            return Err(SweepError::Corrupt {
                path: fans_path,
                message: format!("missing, but {RUNS}.csv already has {done} runs"),
            });
        }
        Some(Appender::open(&fans_path)?)
    } else {
        None
    };
    Ok(Store {
        journal: Some(Journal {
            runs: Appender::open(&runs_path)?,
            fans,
        }),
        done,
    })
}

/// Publishes a folder whose runs are all written in the sweep's format: with Parquet, writes
/// the run and fan tables from the CSV journal, then removes the journal (the run table's
/// first: a folder without `runs.csv` is published, and resumes as such).
pub(crate) fn publish(dir: &Path, manifest: &Manifest) -> Result<(), SweepError> {
    if manifest.format.is_csv() {
        return Ok(());
    }
    let journal = |stem: &str| dir.join(Format::Csv.file_name(stem));
    if journal(RUNS).exists() {
        let mut tables = vec![(RUNS, manifest.run_columns())];
        if !manifest.fans.is_empty() {
            tables.insert(0, (FANS, fan_columns()));
        }
        for (stem, columns) in tables {
            let to = dir.join(manifest.format.file_name(stem));
            let mut reader = TableReader::open(&journal(stem))?;
            let mut record = csv::ByteRecord::new();
            write_table(&to, &columns, |rows| {
                while let Some(line) = reader
                    .read_line(&mut record)
                    .map_err(std::io::Error::other)?
                {
                    rows.line(&line)?;
                }
                Ok(())
            })
            .map_err(SweepError::io(&to))?;
        }
    }
    for stem in [RUNS, FANS] {
        let path = journal(stem);
        if path.exists() {
            fs::remove_file(&path).map_err(SweepError::io(&path))?;
        }
    }
    Ok(())
}

/// Calls `each` with every row of the table `stem` (`RUNS`, `FANS`) of the folder `dir`, in
/// whichever format the folder holds it, as the text of its CSV line.
pub(crate) fn read_lines(
    dir: &Path,
    stem: &str,
    each: &mut dyn FnMut(&str) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let mut reader = open_table(dir, stem)?;
    let mut record = csv::ByteRecord::new();
    while let Some(line) = reader.read_line(&mut record)? {
        each(&line)?;
    }
    Ok(())
}

/// Opens the table `stem` of the folder `dir`, in whichever format the folder holds it.
pub(crate) fn open_table(dir: &Path, stem: &str) -> Result<TableReader, SweepError> {
    let path = Format::find(dir, stem).ok_or_else(|| SweepError::Corrupt {
        path: dir.to_path_buf(),
        message: format!(
            "holds no {}: not a sweep's folder, or one whose files were removed",
            Format::either(stem)
        ),
    })?;
    Ok(TableReader::open(&path)?)
}

/// Writes `dir/metrics.csv`: the unit and meaning of every metric the summaries and fans read.
pub(crate) fn write_metrics(dir: &Path) -> Result<(), SweepError> {
    let path = dir.join(METRICS);
    write_atomic(&path, |out| {
        out.write_all(crate::metrics::metadata_csv().as_bytes())
    })
    .map_err(SweepError::io(&path))
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Reads the complete rows of a CSV file after its header (which must be `header`), checking
/// row `i` (from 0) with `check(i, row)`, which gives its run; cuts off a partial last line.
/// Returns the number of rows and the last row's run.
fn resume_lines(
    path: &Path,
    header: &str,
    check: impl Fn(u64, &str) -> Result<u64, String>,
) -> Result<(u64, Option<u64>), SweepError> {
    let corrupt = |message: String| SweepError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let file = File::open(path).map_err(SweepError::io(path))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut offset: u64 = 0;
    let mut count = 0;
    let mut last = None;
    let mut first = true;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(SweepError::io(path))?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            // A row cut short by a crash: drop it.
            truncate(path, offset)?;
            break;
        }
        let text = String::from_utf8_lossy(&line[..line.len() - 1]);
        if first {
            if text != header {
                return Err(corrupt(format!(
                    "the header is not this sweep's:\n  found    {text}\n  expected {header}"
                )));
            }
            first = false;
        } else {
            last = Some(check(count, &text).map_err(corrupt)?);
            count += 1;
        }
        offset += read as u64;
    }
    if first {
        // Not even a whole header: start the file again.
        create_with_header(path, header)?;
    }
    Ok((count, last))
}

/// Cuts `fans.csv` back to the rows of runs up to `last_done` (none if `None`).
fn cut_fans(path: &Path, manifest: &Manifest, last_done: Option<u64>) -> Result<(), SweepError> {
    let file = File::open(path).map_err(SweepError::io(path))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut offset: u64 = 0;
    let mut first = true;
    let mut line_number = 0;
    loop {
        line.clear();
        line_number += 1;
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(SweepError::io(path))?;
        if read == 0 {
            return Ok(());
        }
        let complete = line.last() == Some(&b'\n');
        if first {
            if !complete || line[..line.len() - 1] != *fans_header().as_bytes() {
                return create_with_header(path, &fans_header());
            }
            first = false;
        } else {
            if !complete {
                return truncate(path, offset);
            }
            let text = String::from_utf8_lossy(&line[..line.len() - 1]);
            let run = text.split(',').next().and_then(|r| r.parse::<u64>().ok());
            match (run, last_done) {
                (Some(r), Some(l)) if r <= l => {
                    manifest
                        .check_fan_row(&text, r)
                        .map_err(|message| SweepError::Corrupt {
                            path: path.to_path_buf(),
                            message: format!("line {} {message}", line_number),
                        })?
                }
                (Some(_), _) => return truncate(path, offset),
                (None, _) => {
                    return Err(SweepError::Corrupt {
                        path: path.to_path_buf(),
                        message: format!(
                            "line {line_number} has no run index: the file was edited or \
                             damaged; run the sweep again into a new folder"
                        ),
                    })
                }
            }
        }
        offset += read as u64;
    }
}

fn truncate(path: &Path, length: u64) -> Result<(), SweepError> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(SweepError::io(path))?;
    file.set_len(length)
        .and_then(|()| file.sync_all())
        .map_err(SweepError::io(path))
}
