//! `revsim compare`: run several scenarios as seeded ensembles (the same seeds for each) and
//! set their outcomes side by side.
//!
//! Writes into the output folder:
//! - `compare.md` and `compare.csv`: the key outcomes, each scenario's median and 5-95 %
//!   band, and the difference of each median from the first scenario's with a bootstrap 90 %
//!   interval (and whether the bands overlap);
//! - `fans.csv` and `plots/fan_*.svg|png`: a few metrics week by week, each scenario's median
//!   and 5-95 % band overlaid;
//! - `compare.json`: all of it, with each scenario's question, what it changes with respect to
//!   the scenario it extends, and the timeline of its events, for `revsim report`.

mod diff;
mod outcomes;
mod plots;
mod worlds;

pub use diff::{changes, describe_action, describe_trigger, Change};
pub use outcomes::{
    key_outcomes, show, show_difference, unit_from_id, unit_id, FanMetric, Outcome, RunRecord,
    FAN_METRICS,
};
pub use plots::{plot_fans, scenario_colour};
pub use worlds::{power_spells, world_labels, worlds, Spell, World};

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ensemble::{replicate_jobs, replicate_seed, run_seeds, PoolError, Watch};
use crate::fsutil::write_atomic;
use crate::model::LoggedEvent;
use crate::scenario::{find_scenario, load_scenario, Override, Scenario, ScenarioError};
use crate::sim::RunResult;
use crate::validate::{day_number, quantile, RunView};

/// The name of the file `revsim report` reads to recognise a comparison.
pub const COMPARE_JSON: &str = "compare.json";

/// Why a comparison could not finish.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("compare needs at least one scenario")]
    NoScenarios,
    #[error(transparent)]
    Write(#[from] crate::record::OutputError),
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    #[error(transparent)]
    Pool(#[from] PoolError),
}

impl CompareError {
    /// Whether the error is the user's input (exit status 2) rather than a failure.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, CompareError::Scenario(_) | CompareError::NoScenarios)
    }
}

/// Day number (days since 1970) of an ISO date, or `None`.
pub fn view_day(date: &str) -> Option<f64> {
    Date::parse(date).ok().map(|d| f64::from(day_number(d)))
}

/// A scenario to compare and what it changes with respect to the scenario it extends.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub scenario: Scenario,
    pub changes: Vec<Change>,
}

/// Loads a scenario (a name in `scenarios_dir` or a path) with `overrides`, and the root of
/// its `extends` chain with the same overrides, to say what it changes.
pub fn load_candidate(
    name_or_path: &str,
    scenarios_dir: &Path,
    overrides: &[Override],
) -> Result<Candidate, ScenarioError> {
    let scenario = load_scenario(
        &find_scenario(name_or_path, scenarios_dir)?,
        scenarios_dir,
        overrides,
    )?;
    let changes = match scenario.extends.last() {
        Some(root) => {
            let parent_dir = scenario
                .path
                .parent()
                .map_or_else(|| scenarios_dir.to_path_buf(), Path::to_path_buf);
            let path =
                find_scenario(root, scenarios_dir).or_else(|_| find_scenario(root, &parent_dir))?;
            let base = load_scenario(&path, scenarios_dir, overrides)?;
            changes(&scenario, &base)
        }
        None => Vec::new(),
    };
    Ok(Candidate { scenario, changes })
}

/// The weekly median and 5-95 % band of one metric over an ensemble.
#[derive(Debug, Clone, Default)]
pub struct FanSeries {
    pub dates: Vec<String>,
    pub median: Vec<f64>,
    pub p05: Vec<f64>,
    pub p95: Vec<f64>,
}

/// The median, band and count of one outcome over an ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// Replicates in which the outcome was reached at all (a date: the event happened).
    pub reached: usize,
    pub replicates: usize,
}

impl Stat {
    pub fn of(values: &[Option<f64>]) -> Stat {
        let mut reached: Vec<f64> = values.iter().flatten().copied().collect();
        reached.sort_by(f64::total_cmp);
        Stat {
            median: quantile(&reached, 0.5),
            p05: quantile(&reached, 0.05),
            p95: quantile(&reached, 0.95),
            reached: reached.len(),
            replicates: values.len(),
        }
    }
}

/// The difference of a scenario's median from the first scenario's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub median: f64,
    /// Bootstrap 90 % interval of the difference of medians.
    pub low: f64,
    pub high: f64,
    /// Whether the two 5-95 % bands overlap.
    pub bands_overlap: bool,
}

impl Difference {
    /// The interval excludes no difference.
    pub fn clear(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The classroom preset (`--quick`): a coarse scale and a few runs, so a comparison of two
/// scenarios answers in seconds; the default for a lesson.
pub const CLASSROOM: Preset = Preset {
    people_per_agent: 5000,
    replicates: 6,
};

/// Seeds per scenario when nothing says otherwise.
pub const DEFAULT_REPLICATES: usize = 10;

/// A scale and a number of runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub people_per_agent: u32,
    pub replicates: usize,
}

/// Resamples needed for the bootstrap interval.
const BOOTSTRAP_SAMPLES: usize = 2000;

/// Bootstrap 90 % interval of median(b) - median(a), resampling each ensemble with
/// replacement; the same fixed seed every time, so files do not change between runs.
fn bootstrap(a: &[f64], b: &[f64], seed: u64) -> (f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut differences = Vec::with_capacity(BOOTSTRAP_SAMPLES);
    let resample = |values: &[f64], rng: &mut ChaCha8Rng| {
        let mut sample: Vec<f64> = (0..values.len())
            .map(|_| values[rng.random_range(0..values.len())])
            .collect();
        sample.sort_by(f64::total_cmp);
        quantile(&sample, 0.5).unwrap_or(f64::NAN)
    };
    for _ in 0..BOOTSTRAP_SAMPLES {
        let ma = resample(a, &mut rng);
        let mb = resample(b, &mut rng);
        differences.push(mb - ma);
    }
    differences.sort_by(f64::total_cmp);
    (
        quantile(&differences, 0.05).unwrap_or(f64::NAN),
        quantile(&differences, 0.95).unwrap_or(f64::NAN),
    )
}

/// The difference of `other` from `first` for one outcome (`None` when either never reached it).
pub fn difference(first: &[Option<f64>], other: &[Option<f64>], seed: u64) -> Option<Difference> {
    let a: Vec<f64> = first.iter().flatten().copied().collect();
    let b: Vec<f64> = other.iter().flatten().copied().collect();
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (sa, sb) = (Stat::of(first), Stat::of(other));
    let (low, high) = bootstrap(&a, &b, seed);
    let bands_overlap = sa.p05? <= sb.p95? && sb.p05? <= sa.p95?;
    Some(Difference {
        median: sb.median? - sa.median?,
        low,
        high,
        bands_overlap,
    })
}

/// One key outcome across the compared scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRow {
    pub id: String,
    pub label: String,
    /// `share`, `people`, `date` or `weeks`.
    pub unit: String,
    /// One per scenario, in the order compared.
    pub stats: Vec<Stat>,
    /// One per scenario: its difference from the first (`None` for the first itself, and
    /// where a difference of medians would mislead: fewer than two runs, an outcome not
    /// reached in every run, or runs that split into worlds).
    pub differences: Vec<Option<Difference>>,
    /// What history says, where the outcome has a target.
    #[serde(default)]
    pub history: Option<History>,
}

/// A historical target beside an outcome: the target's value and tolerance, and its own
/// measure read from each scenario's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub target: String,
    pub what: String,
    pub unit: String,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// One per scenario.
    pub stats: Vec<Stat>,
}

impl History {
    /// The target `target` beside an outcome, with its measure's statistics per scenario.
    pub fn of(target: &crate::validate::Target, stats: Vec<Stat>) -> History {
        History {
            target: target.id.to_string(),
            what: target.what.to_string(),
            unit: unit_id(target.unit).to_string(),
            expected: target.expected,
            low: target.low,
            high: target.high,
            stats,
        }
    }
}

/// An event as it happened across an ensemble: in how many runs, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: String,
    /// `scheduled`, `triggered` or `emergent`.
    pub kind: String,
    pub description: String,
    /// Sources as `NNN:L`, separated by `;`.
    pub sources: String,
    /// Runs in which it happened, of `of`.
    pub runs: usize,
    pub of: usize,
    /// The median date it happened; the earliest and the latest.
    pub date: String,
    pub earliest: String,
    pub latest: String,
}

/// A compared scenario: what it asks, what it changes, what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioEntry {
    pub name: String,
    pub title: String,
    pub about: String,
    pub sources: Vec<String>,
    pub file: String,
    /// The scenarios it extends, nearest first.
    pub extends: Vec<String>,
    pub start: String,
    pub end: String,
    pub people_per_agent: u32,
    pub hash: String,
    pub changes: Vec<Change>,
    pub timeline: Vec<TimelineEntry>,
    /// The runs grouped by who held power (one world when they all agree).
    #[serde(default)]
    pub worlds: Vec<World>,
}

impl ScenarioEntry {
    pub fn new(candidate: &Candidate, timeline: Vec<TimelineEntry>) -> ScenarioEntry {
        let s = &candidate.scenario;
        ScenarioEntry {
            name: s.name.clone(),
            title: s.title.clone(),
            about: s.about.clone(),
            sources: s.sources.clone(),
            file: s.path.display().to_string(),
            extends: s.extends.clone(),
            start: s.run.start.to_string(),
            end: s.run.end.to_string(),
            people_per_agent: s.run.people_per_agent,
            hash: s.hash.clone(),
            changes: candidate.changes.clone(),
            timeline,
            worlds: Vec::new(),
        }
    }
}

/// A plot of the comparison: `plots/<stem>.svg` (and `.png`) and its title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotEntry {
    pub stem: String,
    pub title: String,
}

/// `compare.json`: everything `revsim report` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareFile {
    pub revsim_version: String,
    /// The build that ran the comparison (`crate::fingerprint`); absent in older files.
    #[serde(default)]
    pub build: Option<crate::fingerprint::Build>,
    pub replicates: usize,
    pub seeds: Vec<u64>,
    pub scenarios: Vec<ScenarioEntry>,
    pub outcomes: Vec<OutcomeRow>,
    pub plots: Vec<PlotEntry>,
    pub wall_seconds: f64,
}

impl CompareFile {
    /// Reads `dir/compare.json`.
    pub fn read(dir: &Path) -> std::io::Result<CompareFile> {
        let text = std::fs::read_to_string(dir.join(COMPARE_JSON))?;
        serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// What one replicate keeps: its outcomes, its fan series, its events.
struct Kept {
    values: Vec<Option<f64>>,
    /// One per key outcome: its target's own measure, where it has a target.
    history: Vec<Option<f64>>,
    spells: Vec<Spell>,
    fans: Vec<Vec<(String, f64)>>,
    events: Vec<LoggedEvent>,
}

fn keep(result: &RunResult, outcomes: &[Outcome]) -> Kept {
    let metrics = &result.metrics;
    let record = RunRecord::new(
        RunView::new(metrics),
        &result.events.events,
        metrics.dates.last().map(String::as_str),
    );
    let values = outcomes.iter().map(|o| o.read(&record)).collect();
    let targets = crate::validate::all_targets();
    let view = RunView::new(metrics).with_events(&result.events.events);
    let history = outcomes
        .iter()
        .map(|o| {
            let target = targets.iter().find(|t| Some(t.id) == o.target)?;
            (target.measure)(&view)
        })
        .collect();
    let fans = FAN_METRICS
        .iter()
        .map(|fan| {
            let (metric, group) = crate::metrics::known(fan.metric, fan.group);
            metrics
                .series(metric, group)
                .into_iter()
                .map(|(step, value)| (metrics.dates[step as usize].clone(), value))
                .collect()
        })
        .collect();
    Kept {
        values,
        history,
        spells: power_spells(metrics),
        fans,
        events: result.events.events.clone(),
    }
}

/// One scenario's ensemble, reduced.
#[derive(Clone)]
pub struct Ensemble {
    pub candidate: Candidate,
    pub seeds: Vec<u64>,
    /// Per replicate, one value per key outcome.
    pub values: Vec<Vec<Option<f64>>>,
    /// Per replicate, one value per key outcome: its target's measure, where it has one.
    pub history: Vec<Vec<Option<f64>>>,
    /// The runs grouped by who held power.
    pub worlds: Vec<World>,
    /// One per [`FAN_METRICS`].
    pub fans: Vec<FanSeries>,
    /// Where the runs split into worlds: per world (in the order of `worlds`), one per
    /// [`FAN_METRICS`], over that world's runs; empty when they do not split.
    pub world_fans: Vec<Vec<FanSeries>>,
    pub timeline: Vec<TimelineEntry>,
}

fn fan_series(replicates: &[Vec<(String, f64)>]) -> FanSeries {
    let mut by_date: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for series in replicates {
        for (date, value) in series {
            by_date.entry(date.as_str()).or_default().push(*value);
        }
    }
    let mut fan = FanSeries::default();
    for (date, mut values) in by_date {
        values.sort_by(f64::total_cmp);
        fan.dates.push(date.to_string());
        fan.median.push(quantile(&values, 0.5).unwrap_or(f64::NAN));
        fan.p05.push(quantile(&values, 0.05).unwrap_or(f64::NAN));
        fan.p95.push(quantile(&values, 0.95).unwrap_or(f64::NAN));
    }
    fan
}

/// The events of an ensemble: each (id, n-th time it happened in a run) once, with the runs
/// it happened in and its median date, in order of that date.
fn timeline(runs: &[Vec<LoggedEvent>]) -> Vec<TimelineEntry> {
    struct Seen {
        first: LoggedEvent,
        days: Vec<f64>,
    }
    let mut seen: BTreeMap<(String, usize), Seen> = BTreeMap::new();
    for events in runs {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for event in events {
            let n = count.entry(event.id.as_str()).or_default();
            *n += 1;
            let entry = seen.entry((event.id.clone(), *n)).or_insert_with(|| Seen {
                first: event.clone(),
                days: Vec::new(),
            });
            if let Some(day) = view_day(&event.date) {
                entry.days.push(day);
            }
        }
    }
    let date = |day: Option<f64>| {
        day.map_or_else(String::new, |d| crate::validate::date_of(d).to_string())
    };
    let mut entries: Vec<(f64, usize, TimelineEntry)> = seen
        .into_iter()
        .map(|((id, n), mut s)| {
            s.days.sort_by(f64::total_cmp);
            let median = quantile(&s.days, 0.5);
            let id = if n > 1 { format!("{id} ({n})") } else { id };
            let first_step = s.first.step as usize;
            (
                median.unwrap_or(f64::MAX),
                first_step,
                TimelineEntry {
                    id,
                    kind: s.first.kind.clone(),
                    description: s.first.description.clone(),
                    sources: s.first.sources.clone(),
                    runs: s.days.len(),
                    of: runs.len(),
                    date: date(median),
                    earliest: date(s.days.first().copied()),
                    latest: date(s.days.last().copied()),
                },
            )
        })
        .collect();
    entries.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, e)| e).collect()
}

/// One scenario's ensemble from what its replicates kept, in seed order.
fn ensemble(candidate: Candidate, kept: Vec<Kept>) -> Ensemble {
    let seeds = (0..kept.len())
        .map(|i| replicate_seed(candidate.scenario.run.seed, i))
        .collect();
    let fans = (0..FAN_METRICS.len())
        .map(|f| {
            let series: Vec<Vec<(String, f64)>> = kept.iter().map(|k| k.fans[f].clone()).collect();
            fan_series(&series)
        })
        .collect();
    let events: Vec<Vec<LoggedEvent>> = kept.iter().map(|k| k.events.clone()).collect();
    let spells: Vec<Vec<Spell>> = kept.iter().map(|k| k.spells.clone()).collect();
    let values: Vec<Vec<Option<f64>>> = kept.iter().map(|k| k.values.clone()).collect();
    let history: Vec<Vec<Option<f64>>> = kept.iter().map(|k| k.history.clone()).collect();
    let worlds = worlds(&spells, &values, &history);
    let world_fans = if worlds.len() > 1 {
        worlds
            .iter()
            .map(|w| {
                (0..FAN_METRICS.len())
                    .map(|f| {
                        let series: Vec<Vec<(String, f64)>> =
                            w.runs.iter().map(|&r| kept[r].fans[f].clone()).collect();
                        fan_series(&series)
                    })
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    Ensemble {
        candidate,
        seeds,
        worlds,
        world_fans,
        values,
        history,
        fans,
        timeline: timeline(&events),
    }
}

/// A finished comparison.
pub struct Comparison {
    pub ensembles: Vec<Ensemble>,
    pub replicates: usize,
    pub wall_seconds: f64,
}

/// Runs each candidate as an ensemble of `replicates` seeds (each scenario's own seed, then
/// seed + 1, ...: the same seeds for scenarios with the same `run.seed`). `progress(done,
/// total)` follows each run; `watch` each run's weeks, the runs numbered candidate by
/// candidate (run `r` of candidate `c` is `c * replicates + r`).
pub fn run_comparison(
    candidates: Vec<Candidate>,
    replicates: usize,
    threads: usize,
    progress: &mut dyn FnMut(usize, usize),
    watch: &Watch,
) -> Result<Comparison, CompareError> {
    if candidates.is_empty() {
        return Err(CompareError::NoScenarios);
    }
    let started = Instant::now();
    let total = candidates.len() * replicates;
    let outcomes = key_outcomes();
    let scenarios: Vec<&Scenario> = candidates.iter().map(|c| &c.scenario).collect();
    let jobs = replicate_jobs(&scenarios, replicates);
    let mut kept = run_seeds(
        &jobs,
        threads,
        &mut |done| progress(done, total),
        watch,
        &|result| keep(result, &outcomes),
    )?
    .into_iter();
    let ensembles = candidates
        .into_iter()
        .map(|candidate| ensemble(candidate, kept.by_ref().take(replicates).collect()))
        .collect();
    Ok(Comparison {
        ensembles,
        replicates,
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

impl Comparison {
    /// The key-outcome rows: each scenario's statistics and its difference from the first.
    pub fn outcome_rows(&self) -> Vec<OutcomeRow> {
        let targets = crate::validate::all_targets();
        key_outcomes()
            .iter()
            .enumerate()
            .map(|(o, outcome)| {
                let column =
                    |e: &Ensemble| -> Vec<Option<f64>> { e.values.iter().map(|v| v[o]).collect() };
                let first = column(&self.ensembles[0]);
                let comparable = |e: &Ensemble| {
                    let stat = Stat::of(&column(e));
                    stat.replicates >= 2 && stat.reached == stat.replicates && e.worlds.len() == 1
                };
                let history = targets
                    .iter()
                    .find(|t| Some(t.id) == outcome.target)
                    .map(|t| {
                        History::of(
                            t,
                            self.ensembles
                                .iter()
                                .map(|e| {
                                    Stat::of(&e.history.iter().map(|v| v[o]).collect::<Vec<_>>())
                                })
                                .collect(),
                        )
                    });
                OutcomeRow {
                    history,
                    id: outcome.id.to_string(),
                    label: outcome.label.to_string(),
                    unit: unit_id(outcome.unit).to_string(),
                    stats: self
                        .ensembles
                        .iter()
                        .map(|e| Stat::of(&column(e)))
                        .collect(),
                    differences: self
                        .ensembles
                        .iter()
                        .enumerate()
                        .map(|(i, e)| {
                            (i > 0 && comparable(&self.ensembles[0]) && comparable(e))
                                .then(|| difference(&first, &column(e), 1917 + o as u64))
                                .flatten()
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Everything `compare.json` holds.
    pub fn file(&self) -> CompareFile {
        CompareFile {
            revsim_version: env!("CARGO_PKG_VERSION").to_string(),
            build: Some(crate::fingerprint::build().clone()),
            replicates: self.replicates,
            seeds: self.ensembles[0].seeds.clone(),
            scenarios: self
                .ensembles
                .iter()
                .map(|e| ScenarioEntry {
                    worlds: e.worlds.clone(),
                    ..ScenarioEntry::new(&e.candidate, e.timeline.clone())
                })
                .collect(),
            outcomes: self.outcome_rows(),
            plots: FAN_METRICS
                .iter()
                .map(|f| PlotEntry {
                    stem: f.stem(),
                    title: f.title.to_string(),
                })
                .collect(),
            wall_seconds: self.wall_seconds,
        }
    }
}

/// A scenario's label in tables: its name.
fn column_name(entry: &ScenarioEntry) -> &str {
    &entry.name
}

/// One cell: median and band, or "in k of n runs" for dates not always reached.
pub fn stat_cell(unit: crate::validate::Unit, stat: &Stat) -> String {
    if stat.reached == 0 {
        return if unit == crate::validate::Unit::Date {
            "never".to_string()
        } else {
            "—".to_string()
        };
    }
    let mut text = show(unit, stat.median);
    if stat.replicates > 1 && stat.p05 != stat.p95 {
        text.push_str(&format!(
            " [{} – {}]",
            show(unit, stat.p05),
            show(unit, stat.p95)
        ));
    }
    if stat.reached < stat.replicates {
        text.push_str(&format!(
            " (in {} of {} runs)",
            stat.reached, stat.replicates
        ));
    }
    text
}

/// A scenario's cell for outcome `o`: its median and band when its runs agree on who held
/// power, else the split, world by world ("4.31 M in 7 runs (Sovnarkom at the end); 0 in 3
/// runs (Provisional Government at the end)").
pub fn scenario_cell(
    unit: crate::validate::Unit,
    entry: &ScenarioEntry,
    o: usize,
    stat: &Stat,
) -> String {
    if entry.worlds.len() < 2 {
        return stat_cell(unit, stat);
    }
    let labels = world_labels(&entry.worlds);
    entry
        .worlds
        .iter()
        .zip(labels)
        .map(|(world, label)| {
            let value = world
                .outcomes
                .get(o)
                .map_or_else(|| "—".to_string(), |s| stat_cell(unit, s));
            let runs = world.runs.len();
            format!(
                "{value} in {runs} run{} ({label})",
                if runs == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a scenario's outcome is not set against the first's as a difference of medians, if it
/// is not: too few runs, an outcome reached in only some runs, or runs that split.
pub fn no_difference_reason(
    first: (&Stat, &ScenarioEntry),
    this: (&Stat, &ScenarioEntry),
) -> Option<String> {
    let runs = |s: &Stat| s.replicates;
    if runs(first.0) < 2 || runs(this.0) < 2 {
        return Some("one run: no interval, no verdict".to_string());
    }
    if first.0.reached < runs(first.0) || this.0.reached < runs(this.0) {
        return Some(format!(
            "reached in {} of {} runs vs {} of {}",
            this.0.reached,
            runs(this.0),
            first.0.reached,
            runs(first.0)
        ));
    }
    if first.1.worlds.len() > 1 || this.1.worlds.len() > 1 {
        return Some("the runs split: compare world by world".to_string());
    }
    None
}

/// A difference cell: the difference of medians, its 90 % interval, and a verdict; or why
/// there is none.
pub fn difference_cell(
    unit: crate::validate::Unit,
    reason: Option<&str>,
    difference: Option<&Difference>,
) -> String {
    if let Some(reason) = reason {
        return format!("— ({reason})");
    }
    match difference {
        None => "—".to_string(),
        Some(d) => {
            let verdict = if d.median == 0.0 && d.low == 0.0 && d.high == 0.0 {
                "same"
            } else if d.clear() && !d.bands_overlap {
                "clear"
            } else if d.clear() {
                "likely"
            } else {
                "within noise"
            };
            format!(
                "{} ({} to {}; {verdict})",
                show_difference(unit, d.median),
                show_difference(unit, d.low),
                show_difference(unit, d.high)
            )
        }
    }
}

/// The key-outcome table as Markdown.
pub fn markdown_table(file: &CompareFile) -> String {
    let mut out = String::new();
    let mut header = vec!["Outcome".to_string()];
    for (i, entry) in file.scenarios.iter().enumerate() {
        header.push(format!("{} median [5–95 %]", column_name(entry)));
        if i > 0 {
            header.push(format!(
                "Δ {} − {}",
                column_name(entry),
                column_name(&file.scenarios[0])
            ));
        }
    }
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        header
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
            .collect::<String>()
    ));
    for (o, row) in file.outcomes.iter().enumerate() {
        let unit = unit_from_id(&row.unit);
        let mut cells = vec![row.label.clone()];
        for (i, stat) in row.stats.iter().enumerate() {
            let entry = &file.scenarios[i];
            cells.push(scenario_cell(unit, entry, o, stat));
            if i > 0 {
                let reason =
                    no_difference_reason((&row.stats[0], &file.scenarios[0]), (stat, entry));
                cells.push(difference_cell(
                    unit,
                    reason.as_deref(),
                    row.differences[i].as_ref(),
                ));
            }
        }
        if let Some(history) = &row.history {
            cells[0].push_str(&format!(" — history says: {}", history_text(history)));
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// What history says beside an outcome (which is its target's measure), in words: "5.00 M
/// (close to history from 3.50 M to 6.50 M)".
pub fn history_text(history: &History) -> String {
    let unit = unit_from_id(&history.unit);
    format!(
        "{} (close to history from {} to {})",
        show(unit, Some(history.expected)),
        show(unit, Some(history.low)),
        show(unit, Some(history.high))
    )
}

/// `compare.md`: what was compared, then the table, then how to read it.
fn markdown(file: &CompareFile) -> String {
    let mut out = String::from("# Comparison\n\n");
    for entry in &file.scenarios {
        out.push_str(&format!("- **{}**: {}\n", entry.name, entry.title));
    }
    out.push_str(&format!(
        "\n{} seeded runs of each scenario (seeds {}), {} people per agent, to {}.\n\n",
        file.replicates,
        seed_range(&file.seeds),
        file.scenarios.first().map_or(0, |e| e.people_per_agent),
        file.scenarios.first().map_or("", |e| e.end.as_str())
    ));
    out.push_str(&markdown_table(file));
    out.push_str(
        "\nEach cell: the median over the runs, and in brackets the 5–95 % band. Δ: the \
         difference of the medians from the first scenario's, with its bootstrap 90 % interval; \
         `clear` when the interval excludes zero and the bands do not overlap, `likely` when \
         only the interval excludes zero, `within noise` otherwise. No difference is given with \
         fewer than two runs, for an outcome some runs never reach, or when the runs split into \
         worlds (by who held power): a split is shown world by world. Shares are in percent, \
         their differences in percentage points; dates' differences in weeks, and a date is \
         the first day of the simulated week.\n",
    );
    out
}

fn seed_range(seeds: &[u64]) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// A comparison's output folder (it holds `compare.json`), for
/// [`crate::fsutil::replace_folder`].
pub const COMPARE_FOLDER: crate::fsutil::FolderKind = crate::fsutil::FolderKind {
    name: "comparison",
    is_own: |dir| dir.join(COMPARE_JSON).is_file(),
    forceable: false,
};

/// Writes every file of the comparison into `dir` (created if needed); returns the paths.
pub fn write_comparison(
    dir: &Path,
    comparison: &Comparison,
    plots: bool,
) -> Result<Vec<PathBuf>, CompareError> {
    use crate::record::wrap;
    std::fs::create_dir_all(dir).map_err(wrap(dir))?;
    let file = comparison.file();
    let mut written = Vec::new();

    let json = dir.join(COMPARE_JSON);
    write_atomic(&json, |out| {
        serde_json::to_writer_pretty(&mut *out, &file)?;
        writeln!(out)
    })
    .map_err(wrap(&json))?;
    written.push(json);

    let md = dir.join("compare.md");
    write_atomic(&md, |out| out.write_all(markdown(&file).as_bytes())).map_err(wrap(&md))?;
    written.push(md);

    let csv_path = dir.join("compare.csv");
    write_atomic(&csv_path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "outcome",
            "label",
            "unit",
            "scenario",
            "median",
            "p05",
            "p95",
            "reached",
            "replicates",
            "diff_median",
            "diff_low",
            "diff_high",
            "bands_overlap",
        ])?;
        let number = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v}"));
        for row in &file.outcomes {
            for (i, stat) in row.stats.iter().enumerate() {
                let d = row.differences[i].as_ref();
                writer.write_record([
                    row.id.clone(),
                    row.label.clone(),
                    row.unit.clone(),
                    file.scenarios[i].name.clone(),
                    number(stat.median),
                    number(stat.p05),
                    number(stat.p95),
                    stat.reached.to_string(),
                    stat.replicates.to_string(),
                    number(d.map(|d| d.median)),
                    number(d.map(|d| d.low)),
                    number(d.map(|d| d.high)),
                    d.map_or_else(String::new, |d| d.bands_overlap.to_string()),
                ])?;
            }
        }
        writer.flush()
    })
    .map_err(wrap(&csv_path))?;
    written.push(csv_path);

    let fans = dir.join("fans.csv");
    write_atomic(&fans, |out| {
        writeln!(out, "date,metric,group,scenario,median,p05,p95")?;
        for (f, fan) in FAN_METRICS.iter().enumerate() {
            for ensemble in &comparison.ensembles {
                let series = &ensemble.fans[f];
                for (d, date) in series.dates.iter().enumerate() {
                    writeln!(
                        out,
                        "{date},{},{},{},{},{},{}",
                        fan.metric,
                        fan.group,
                        ensemble.candidate.scenario.name,
                        crate::record::format_value(series.median[d]),
                        crate::record::format_value(series.p05[d]),
                        crate::record::format_value(series.p95[d])
                    )?;
                }
            }
        }
        Ok(())
    })
    .map_err(wrap(&fans))?;
    written.push(fans);

    if plots {
        written.extend(plot_fans(dir, comparison)?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_separates_clear_differences_and_not_noise() {
        let a = [Some(0.50), Some(0.52), Some(0.51), Some(0.49), Some(0.50)];
        let b = [Some(0.40), Some(0.41), Some(0.39), Some(0.42), Some(0.40)];
        let d = difference(&a, &b, 1).unwrap();
        assert!((d.median + 0.10).abs() < 1e-9);
        assert!(d.clear() && d.high < 0.0 && !d.bands_overlap);
        let c = [Some(0.48), Some(0.53), Some(0.50), Some(0.47), Some(0.52)];
        assert!(!difference(&a, &c, 1).unwrap().clear());
        assert_eq!(difference(&a, &[None, None], 1), None);
    }

    #[test]
    fn cells_show_median_band_and_reach() {
        let stat = Stat::of(&[Some(0.5), Some(0.6), None]);
        assert_eq!(stat.reached, 2);
        let cell = stat_cell(crate::validate::Unit::Share, &stat);
        assert!(cell.starts_with("55.0 %"), "{cell}");
        assert!(cell.contains("in 2 of 3 runs"), "{cell}");
        assert_eq!(
            stat_cell(crate::validate::Unit::Date, &Stat::of(&[None])),
            "never"
        );
    }

    fn entry(worlds: Vec<World>) -> ScenarioEntry {
        ScenarioEntry {
            name: "s".to_string(),
            title: String::new(),
            about: String::new(),
            sources: Vec::new(),
            file: String::new(),
            extends: Vec::new(),
            start: String::new(),
            end: String::new(),
            people_per_agent: 1,
            hash: String::new(),
            changes: Vec::new(),
            timeline: Vec::new(),
            worlds,
        }
    }

    fn world(regimes: &[&str], runs: Vec<usize>, of: usize, value: f64) -> World {
        World {
            regimes: regimes.iter().map(|r| r.to_string()).collect(),
            from: vec![String::new(); regimes.len()],
            outcomes: vec![Stat::of(&vec![Some(value); runs.len()])],
            history: Vec::new(),
            runs,
            of,
        }
    }

    #[test]
    fn splits_are_shown_world_by_world_and_never_as_a_difference() {
        use crate::validate::Unit;
        let one = entry(vec![world(&["tsar", "provisional"], vec![0, 1, 2], 3, 0.4)]);
        let split = entry(vec![
            world(&["tsar", "provisional", "sovnarkom"], vec![0, 2], 3, 4e6),
            world(&["tsar", "provisional"], vec![1], 3, 0.0),
        ]);
        let stat = Stat::of(&[Some(4e6), Some(0.0), Some(4e6)]);
        let cell = scenario_cell(Unit::People, &split, 0, &stat);
        assert_eq!(
            cell,
            "4.00 M in 2 runs (Sovnarkom at the end); 0 in 1 run (Provisional Government at the end)"
        );
        let full = Stat::of(&[Some(1.0), Some(1.0), Some(1.0)]);
        assert_eq!(
            no_difference_reason((&full, &one), (&full, &split)).as_deref(),
            Some("the runs split: compare world by world")
        );
        assert_eq!(no_difference_reason((&full, &one), (&full, &one)), None);
        let partial = Stat::of(&[Some(1.0), None, Some(1.0)]);
        assert_eq!(
            no_difference_reason((&full, &one), (&partial, &one)).as_deref(),
            Some("reached in 2 of 3 runs vs 3 of 3")
        );
        let single = Stat::of(&[Some(1.0)]);
        let reason = no_difference_reason((&single, &one), (&single, &one));
        assert_eq!(reason.as_deref(), Some("one run: no interval, no verdict"));
        let d = Difference {
            median: 1.0,
            low: 0.5,
            high: 1.5,
            bands_overlap: false,
        };
        let text = difference_cell(Unit::Share, reason.as_deref(), Some(&d));
        assert!(!text.contains("clear"), "{text}");
    }

    #[test]
    fn timelines_count_runs_and_order_by_date() {
        let event = |step: u32, date: &str, id: &str| LoggedEvent {
            step,
            date: date.to_string(),
            id: id.to_string(),
            kind: "scheduled".to_string(),
            description: id.to_string(),
            sources: "000:1".to_string(),
        };
        let runs = vec![
            vec![event(0, "1917-03-08", "a"), event(5, "1917-04-12", "b")],
            vec![event(0, "1917-03-08", "a"), event(3, "1917-03-29", "a")],
        ];
        let t = timeline(&runs);
        let ids: Vec<&str> = t.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "a (2)", "b"]);
        assert_eq!((t[0].runs, t[0].of), (2, 2));
        assert_eq!(t[2].runs, 1);
    }
}
