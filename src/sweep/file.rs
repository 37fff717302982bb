//! Reading sweep files: parse with byte spans, validate every key and value, resolve the base
//! scenario, lay out the design.
//!
//! Errors are [`ScenarioError`]s, as for scenario files: each names the file, line and column,
//! the key (`vary."grain.requisition_rate".max`, `summary[2].stat`), what was found, what would
//! be valid and the nearest valid name. Metric and group names are checked against the metric
//! registry (`crate::metrics`).
//!
//! ```toml
//! [sweep]
//! name = "requisition_vs_repression"   # default: the file's stem
//! scenario = "baseline_1917"           # a scenario name, or a path relative to this file
//! design = "grid"                      # grid | lhs | random | file | morris | sobol
//! samples = 50                         # lhs and random only
//! # design = "morris"                  # elementary effects: trajectories (k + 1 points
//! # trajectories = 10                  # each) on a grid of `levels` (default 4)
//! # design = "sobol"                   # Saltelli's scheme: samples x (k + 2) points
//! # design = "file"                    # the points are the rows of a CSV file:
//! # points = "points.csv"              # header = the varied names; no [vary]
//! replicates = 10                      # runs per point (default 1)
//! root_seed = 1917                     # every run's seed derives from it (default 1917)
//! common_random_numbers = false        # true: replicate r has the same seed at every point
//! keep_timeseries = false              # also write runs/<run>/timeseries.csv, events.csv
//! # keep_metrics = ["active"]          # with keep_timeseries: only these metrics (all groups)
//! format = "csv"                       # csv | parquet: runs, fans and kept timeseries
//!
//! [set]                                # fixed overrides: parameters, run.start/end/people_per_agent
//! "run.end" = "1919-12-31"
//!
//! [vary]                               # parameters or run.people_per_agent
//! "grain.requisition_rate" = [0.05, 0.1, 0.2]                        # values
//! "repression.arrest_rate" = { min = 0.0, max = 0.2, steps = 5 }     # evenly spaced levels
//! "allegiance.social_weight" = { distribution = "normal", mean = 0.5, sd = 0.1 }
//!
//! [[summary]]                          # a column of runs.csv
//! name = "peak_unrest"                 # default: <stat>.<metric>.<group>
//! metric = "active"
//! group = "class.peasant_middle"       # default "all"
//! stat = "max"                         # final | at | max | min | mean | first_above | first_below
//! from = "1918-01-01"                  # optional window (max, min, mean, first_*)
//! to = "1921-12-31"
//! # date = "1919-06-01"                # stat = "at"
//! # threshold = 0.1                    # stat = "first_above" / "first_below"
//!
//! [[fan]]                              # keep this series for every run; draw a fan chart
//! metric = "sown_area"
//! group = "all"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ops::{Deref, Range};
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::date::Date;
use crate::model::params::{registry, spec, ParamKind, ParamSpec};
use crate::scenario::{
    collect_leaves, event_lever_name, in_order, join_key, line_starts, load_scenario, name_or_stem,
    names_a_path, nearest, nearest_param, people_range, read_people_per_agent, read_source,
    resolve_reference, valid_name, EventField, EventLever, Intro, Key, Override, ScenarioError,
    SourceLocation, TomlReader, Value,
};

use super::summary::Summary;
use super::{
    design, store, Choice, DesignKind, Distribution, Fan, Levels, Sweep, Varied, SCENARIO_LEVER,
};
use crate::metrics::{Metric, Stat, Window, STATS};
use crate::record::Format;

const TOP_KEYS: &[&str] = &["sweep", "set", "vary", "summary", "fan"];
const SWEEP_KEYS: &[&str] = &[
    "name",
    "title",
    "about",
    "scenario",
    "design",
    "samples",
    "trajectories",
    "levels",
    "points",
    "replicates",
    "root_seed",
    "targets",
    "common_random_numbers",
    "keep_timeseries",
    "keep_metrics",
    "format",
];
const DESIGNS: &[&str] = &["grid", "lhs", "random", "file", "morris", "sobol"];
const SUMMARY_KEYS: &[&str] = &[
    "name",
    "metric",
    "group",
    "stat",
    "date",
    "from",
    "to",
    "threshold",
];
const FAN_KEYS: &[&str] = &["metric", "group"];
const RANGE_KEYS: &[&str] = &["min", "max", "steps"];
const DISTRIBUTIONS: &[&str] = &["uniform", "loguniform", "normal"];
/// Keys that make a `[vary]` table a range or distribution rather than a nested name.
const LEVEL_KEYS: &[&str] = &["min", "max", "steps", "distribution", "mean", "sd"];
const SET_RUN_NAMES: &[&str] = &["run.start", "run.end", "run.people_per_agent"];
const VARY_RUN_NAMES: &[&str] = &["run.people_per_agent"];
/// Column names `runs.csv` uses itself.
const FIXED_COLUMNS: &[&str] = &["run", "point", "replicate", "seed"];

/// Most replicates, samples, steps and points a sweep may have.
pub const MAX_REPLICATES: i64 = 1_000_000;
pub const MAX_POINTS: usize = 10_000_000;
/// Most runs (points times replicates): the run table and `--dry-run` hold one entry a run.
pub const MAX_RUNS: u64 = 100_000_000;

/// Loads and validates a sweep file; `scenarios_dir` is where a base scenario named without a
/// path is found.
pub fn load_sweep(path: &Path, scenarios_dir: &Path) -> Result<Sweep, ScenarioError> {
    let text = read_source(path)?;
    let starts = line_starts(&text);
    let doc = Doc(TomlReader {
        path,
        text: &text,
        line_starts: &starts,
    });
    doc.load(scenarios_dir)
}

/// One `[[summary]]` or `[[fan]]` and where its parts are written.
struct Raw<T> {
    item: T,
    metric_at: Box<SourceLocation>,
    /// Where `date`, `from` and `to` are written (summaries only).
    dates_at: Vec<(&'static str, Box<SourceLocation>)>,
    metric_key: String,
}

/// One `[set]` entry and where it is.
struct SetEntry {
    item: Override,
    key: String,
    location: Box<SourceLocation>,
}

/// Values read from `[sweep]`.
#[derive(Default)]
struct Head {
    intro: Intro,
    scenario: Option<(String, Box<SourceLocation>)>,
    design: Option<(String, Box<SourceLocation>)>,
    samples: Option<(u32, Box<SourceLocation>)>,
    /// `trajectories` and `levels` of a Morris design.
    trajectories: Option<(u32, Box<SourceLocation>)>,
    levels: Option<(u32, Box<SourceLocation>)>,
    /// `points`: the CSV file of a file design, as written.
    points: Option<(String, Box<SourceLocation>)>,
    replicates: Option<u32>,
    root_seed: Option<u64>,
    common_random_numbers: bool,
    /// `targets`: historical target ids, checked against `validate::all_targets`.
    targets: Vec<String>,
    keep_timeseries: bool,
    /// `keep_metrics`, and where the key is.
    keep_metrics: Option<(Vec<Metric>, Box<SourceLocation>)>,
    format: Format,
}

struct Doc<'a>(TomlReader<'a>);

impl<'a> Deref for Doc<'a> {
    type Target = TomlReader<'a>;

    fn deref(&self) -> &TomlReader<'a> {
        &self.0
    }
}

impl Doc<'_> {
    fn load(&self, scenarios_dir: &Path) -> Result<Sweep, ScenarioError> {
        let root = self.parse_root()?;
        let root = root.get_ref();
        let mut head = Head::default();
        let mut head_at = self.loc(0..0);
        let mut set: Vec<SetEntry> = Vec::new();
        let mut vary: Vec<(Varied, String, Box<SourceLocation>)> = Vec::new();
        let mut vary_at = self.loc(0..0);
        let mut summaries: Vec<(Raw<Summary>, bool, Box<SourceLocation>)> = Vec::new();
        let mut fans: Vec<Raw<Fan>> = Vec::new();
        for (key, value) in in_order(root) {
            match key.get_ref().as_ref() {
                "sweep" => {
                    head_at = self.loc(value.span());
                    head = self.head(value)?;
                }
                "set" => set = self.set(value)?,
                "vary" => {
                    vary_at = self.loc(value.span());
                    vary = self.vary(value, scenarios_dir)?;
                }
                "summary" => {
                    let items = self.array(value, "summary", "an array of tables ([[summary]])")?;
                    for (i, item) in items.iter().enumerate() {
                        summaries.push(self.summary(item, &format!("summary[{i}]"))?);
                    }
                }
                "fan" => {
                    let items = self.array(value, "fan", "an array of tables ([[fan]])")?;
                    for (i, item) in items.iter().enumerate() {
                        let fan = self.fan(item, &format!("fan[{i}]"))?;
                        if let Some(first) = fans.iter().position(|f| f.item == fan.item) {
                            return Err(ScenarioError::Invalid {
                                location: fan.metric_at,
                                key: fan.metric_key,
                                message: format!(
                                    "fan[{first}] already draws `{}` for `{}`: each fan once",
                                    fan.item.metric, fan.item.group
                                ),
                            });
                        }
                        fans.push(fan);
                    }
                }
                _ => return Err(self.unknown_key(key, "", "the top-level table", TOP_KEYS)),
            }
        }

        // The design and what it needs.
        let Some((scenario, scenario_at)) = head.scenario.clone() else {
            return Err(ScenarioError::MissingKey {
                location: head_at,
                key: "sweep.scenario".to_string(),
                help: "a sweep names its base scenario: `[sweep]` with `scenario = \
                       \"baseline_1917\"` (a scenario name, or a path relative to this file)"
                    .to_string(),
            });
        };
        let design_name = head.design.as_ref().map_or("grid", |(d, _)| d.as_str());
        let mut file_points = None;
        match (design_name, &head.points) {
            ("file", Some((file, at))) => {
                if let Some((_, samples_at)) = &head.samples {
                    return Err(ScenarioError::Invalid {
                        location: samples_at.clone(),
                        key: "sweep.samples".to_string(),
                        message: "`samples` is for design = \"lhs\" or \"random\"; a file \
                                  design has one point per row of its `points` file"
                            .to_string(),
                    });
                }
                if !vary.is_empty() {
                    return Err(ScenarioError::Invalid {
                        location: vary_at.clone(),
                        key: "vary".to_string(),
                        message: "design = \"file\" takes what it varies from the header of its \
                                  `points` file; remove [vary]"
                            .to_string(),
                    });
                }
                let path = names_a_path_relative(self.path, file);
                let (columns, points) =
                    super::points_file::read_points_file(&path).map_err(|error| match error {
                        ScenarioError::Io { path, message } => ScenarioError::Invalid {
                            location: at.clone(),
                            key: "sweep.points".to_string(),
                            message: format!("cannot read {}: {message}", path.display()),
                        },
                        other => other,
                    })?;
                vary = columns;
                file_points = Some(points);
            }
            ("file", None) => {
                let (_, at) = head.design.clone().expect("design = \"file\" was written");
                return Err(ScenarioError::MissingKey {
                    location: at,
                    key: "sweep.points".to_string(),
                    help: "design = \"file\" reads its points from a CSV file: add e.g. \
                           `points = \"points.csv\"` (a path relative to this file)"
                        .to_string(),
                });
            }
            (_, Some((_, at))) => {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: "sweep.points".to_string(),
                    message: format!(
                        "`points` is for design = \"file\", not design = \"{design_name}\""
                    ),
                })
            }
            _ => {}
        }
        for (varied, key, location) in &vary {
            if let Some(entry) = set.iter().find(|entry| entry.item.name() == varied.name) {
                return Err(ScenarioError::Invalid {
                    location: location.clone(),
                    key: key.clone(),
                    message: format!(
                        "`{}` is both fixed in [set] (at {}) and varied here: keep one",
                        varied.name, entry.location
                    ),
                });
            }
        }

        let morris_keys = [
            ("trajectories", &head.trajectories),
            ("levels", &head.levels),
        ];
        if design_name != "morris" {
            if let Some((key, Some((_, at)))) = morris_keys.iter().find(|(_, v)| v.is_some()) {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: format!("sweep.{key}"),
                    message: format!(
                        "`{key}` is for design = \"morris\", not design = \"{design_name}\""
                    ),
                });
            }
        }
        let design = match (design_name, &head.samples) {
            ("morris", Some((_, at))) => {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: "sweep.samples".to_string(),
                    message: "design = \"morris\" counts `trajectories` (each k + 1 points), \
                              not `samples`"
                        .to_string(),
                })
            }
            ("morris", None) => match &head.trajectories {
                Some((trajectories, _)) => DesignKind::Morris {
                    trajectories: *trajectories,
                    levels: head.levels.as_ref().map_or(4, |(l, _)| *l),
                },
                None => {
                    let (_, at) = head
                        .design
                        .clone()
                        .expect("design = \"morris\" was written");
                    return Err(ScenarioError::MissingKey {
                        location: at,
                        key: "sweep.trajectories".to_string(),
                        help: "design = \"morris\" runs `trajectories` of k + 1 points each: \
                               add e.g. `trajectories = 10` (and optionally `levels = 4`)"
                            .to_string(),
                    });
                }
            },
            ("sobol", Some((samples, _))) => DesignKind::Sobol { samples: *samples },
            ("file", _) => DesignKind::File {
                points: file_points.as_ref().map_or(0, |p| p.len() as u32),
            },
            ("grid", None) => DesignKind::Grid,
            ("grid", Some((_, at))) => {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: "sweep.samples".to_string(),
                    message: "`samples` is for design = \"lhs\" or \"random\"; a grid has one \
                              point per combination of the levels in [vary]"
                        .to_string(),
                })
            }
            (_, None) => {
                let (_, at) = head.design.clone().expect("a non-grid design was written");
                return Err(ScenarioError::MissingKey {
                    location: at,
                    key: "sweep.samples".to_string(),
                    help: format!(
                        "design = \"{design_name}\" draws `samples` points: add e.g. `samples = 50`"
                    ),
                });
            }
            ("lhs", Some((samples, _))) => DesignKind::Lhs { samples: *samples },
            (_, Some((samples, _))) => DesignKind::Random { samples: *samples },
        };
        let mut grid_points: usize = 1;
        for (varied, key, at) in &vary {
            if design != DesignKind::Grid && !varied.choices.is_empty() {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: key.clone(),
                    message: format!(
                        "the scenario lever chooses among scenarios, which have no order to \
                         sample: use design = \"grid\" (design = \"{design_name}\" here), or \
                         one sweep per scenario with the same `root_seed`"
                    ),
                });
            }
            if design != DesignKind::Grid {
                continue;
            }
            match varied.grid_levels() {
                Some(levels) => {
                    grid_points = grid_points.saturating_mul(levels.len());
                    if grid_points > MAX_POINTS {
                        return Err(ScenarioError::Invalid {
                            location: at.clone(),
                            key: key.clone(),
                            message: format!(
                                "the grid would have more than {MAX_POINTS} points; use \
                                 design = \"lhs\" with `samples` instead"
                            ),
                        });
                    }
                }
                None => {
                    let message = if matches!(varied.levels, Levels::Distribution(_)) {
                        "a distribution has no levels to lay on a grid: use design = \"lhs\" \
                         or \"random\" with `samples`, or give a list or `{ min, max, steps }`"
                    } else {
                        "a grid needs levels: add `steps` (e.g. `{ min = 0.0, max = 1.0, \
                         steps = 5 }`), or use design = \"lhs\" or \"random\" to sample the range"
                    };
                    return Err(ScenarioError::Invalid {
                        location: at.clone(),
                        key: key.clone(),
                        message: message.to_string(),
                    });
                }
            }
        }
        if design != DesignKind::Grid && vary.is_empty() {
            return Err(ScenarioError::MissingKey {
                location: vary_at,
                key: "vary".to_string(),
                help: format!(
                    "design = \"{design_name}\" samples the parameters in [vary], but there are \
                     none; add one or use design = \"grid\" for replicates of one point"
                ),
            });
        }

        // The base scenario with [set].
        let scenario_path = resolve_reference(&scenario, self.path, scenarios_dir, &scenario_at)?;
        let overrides: Vec<Override> = set.iter().map(|e| e.item.clone()).collect();
        let base = load_scenario(&scenario_path, scenarios_dir, &overrides)
            .map_err(|error| self.locate_override_error(error, &set))?;
        let scenario_text = if !names_a_path(&scenario) {
            scenario.clone()
        } else {
            scenario_path.display().to_string()
        };

        // Summaries and fans: columns, dates within the run, metrics the model records.
        let (start, end) = (base.run.start, base.run.end);
        let mut columns: BTreeMap<String, Box<SourceLocation>> = BTreeMap::new();
        for name in FIXED_COLUMNS {
            columns.insert(name.to_string(), self.loc(0..0));
        }
        for (varied, _, at) in &vary {
            columns.insert(varied.name.clone(), at.clone());
        }
        for (raw, named, at) in &summaries {
            self.check_dates(raw, start, end)?;
            let column = &raw.item.column;
            if let Some(first) = columns.get(column) {
                let clash = if FIXED_COLUMNS.contains(&column.as_str()) {
                    "a column runs.csv always has".to_string()
                } else {
                    format!("also the name of the column at {first}")
                };
                let hint = if *named {
                    ""
                } else {
                    "; give this summary its own `name`"
                };
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: raw.metric_key.replace(".metric", ".name"),
                    message: format!("the column name `{column}` is {clash}{hint}"),
                });
            }
            columns.insert(column.clone(), at.clone());
        }
        for id in &head.targets {
            let column = super::target_column(id);
            if let Some(at) = columns.get(&column) {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: "summary.name".to_string(),
                    message: format!(
                        "`{column}` is the column of the target `{id}` in sweep.targets; name \
                         the summary otherwise"
                    ),
                });
            }
        }
        let lever_at: Vec<Option<(String, Box<SourceLocation>)>> = vary
            .iter()
            .map(|(varied, key, at)| {
                event_lever_name(&varied.name).map(|_| (key.clone(), at.clone()))
            })
            .collect();
        check_event_levers(&vary, &base, "event of the base scenario")?;
        let mut hashes: Vec<String> = Vec::new();
        for (varied, key, at) in &vary {
            for choice in &varied.choices {
                let chosen = load_scenario(&choice.path, scenarios_dir, &overrides)
                    .map_err(|error| self.locate_override_error(error, &set))?;
                check_event_levers(&vary, &chosen, "event of every scenario the lever chooses")?;
                if (chosen.run.start, chosen.run.end) != (start, end) {
                    return Err(ScenarioError::Invalid {
                        location: at.clone(),
                        key: key.clone(),
                        message: format!(
                            "{} runs from {} to {}, the base scenario from {start} to {end}: the \
                             scenarios of one sweep run over the same weeks (set `run.start` and \
                             `run.end` in [set])",
                            choice.name, chosen.run.start, chosen.run.end
                        ),
                    });
                }
                hashes.push(chosen.hash);
            }
        }
        let mut hashes = hashes.into_iter();
        for choice in vary
            .iter_mut()
            .flat_map(|(varied, _, _)| &mut varied.choices)
        {
            choice.hash = hashes.next().expect("one hash per choice");
        }
        let vary: Vec<Varied> = vary.into_iter().map(|(v, _, _)| v).collect();
        let root_seed = head.root_seed.unwrap_or(crate::scenario::DEFAULT_SEED);
        // Counted before the points are laid out, so a huge design is refused, not built.
        let point_count = match design {
            DesignKind::Grid => grid_points,
            DesignKind::Lhs { samples } | DesignKind::Random { samples } => samples as usize,
            DesignKind::File { points } => points as usize,
            DesignKind::Morris { trajectories, .. } => {
                (trajectories as usize).saturating_mul(vary.len() + 1)
            }
            DesignKind::Sobol { samples } => (samples as usize).saturating_mul(vary.len() + 2),
        };
        let runs = point_count as u64 * u64::from(head.replicates.unwrap_or(1));
        if runs > MAX_RUNS {
            return Err(ScenarioError::Invalid {
                location: head_at,
                key: "sweep.replicates".to_string(),
                message: format!(
                    "{} points x {} replicates = {runs} runs; a sweep has at most {MAX_RUNS} \
                     (split it into several sweeps, or use fewer levels or replicates)",
                    point_count,
                    head.replicates.unwrap_or(1)
                ),
            });
        }
        let unit_points = design::unit_points(design, vary.len(), root_seed);
        let points = match file_points {
            Some(points) => points,
            None => design::points(design, &vary, root_seed),
        };
        debug_assert_eq!(
            points.len(),
            point_count,
            "the design lays out what was counted"
        );
        // An event moved before the run's start would never happen: refused, not skipped.
        for (index, lever) in lever_at.iter().enumerate() {
            let Some((key, at)) = lever else { continue };
            for point in &points {
                let text = &point.values[index];
                if let Ok(date) = Date::parse(text) {
                    if date < start {
                        return Err(ScenarioError::Invalid {
                            location: at.clone(),
                            key: key.clone(),
                            message: format!(
                                "the date {text} is before the runs start ({start}): an event \
                                 dated before the start never happens; use dates on or after \
                                 it, or vary `enabled` instead"
                            ),
                        });
                    }
                }
            }
        }
        let name = name_or_stem(self.path, head.intro.name.as_ref(), "sweep")?;
        let mut sweep = Sweep {
            title: head.intro.title.clone().unwrap_or_else(|| name.clone()),
            name,
            about: head.intro.about.clone().unwrap_or_default(),
            path: self.path.to_path_buf(),
            scenario: scenario_text,
            scenario_path,
            scenario_name: base.name.clone(),
            scenario_hash: base.hash.clone(),
            scenarios_dir: scenarios_dir.to_path_buf(),
            design,
            replicates: head.replicates.unwrap_or(1),
            root_seed,
            common_random_numbers: head.common_random_numbers,
            keep_timeseries: head.keep_timeseries,
            keep_metrics: head
                .keep_metrics
                .as_ref()
                .map(|(metrics, _)| metrics.clone())
                .unwrap_or_default(),
            format: head.format,
            set: overrides,
            vary,
            points,
            unit_points,
            summaries: summaries.into_iter().map(|(raw, _, _)| raw.item).collect(),
            targets: head.targets.clone(),
            fans: fans.into_iter().map(|raw| raw.item).collect(),
            start,
            end,
            hash: String::new(),
        };
        sweep.hash = store::design_hash(&sweep);
        Ok(sweep)
    }

    // ---- [sweep] ----

    fn head(&self, value: &Value<'_>) -> Result<Head, ScenarioError> {
        let table = self.table(value, "sweep")?;
        let mut head = Head::default();
        for (key, value) in in_order(table) {
            let path = join_key("sweep", key.get_ref());
            if self.intro_key(key.get_ref(), value, &path, "sweep", &mut head.intro)? {
                continue;
            }
            match key.get_ref().as_ref() {
                "scenario" => {
                    head.scenario = Some((
                        self.string(value, &path)?.to_string(),
                        self.loc(value.span()),
                    ))
                }
                "design" => {
                    let design = self.string(value, &path)?;
                    if !DESIGNS.contains(&design) {
                        return Err(self.unknown_value(value, &path, "design", design, DESIGNS));
                    }
                    head.design = Some((design.to_string(), self.loc(value.span())));
                }
                "samples" => {
                    let samples = self.integer(value, &path)?;
                    let range = format!("an integer from 1 to {MAX_POINTS}");
                    let samples = u32::try_from(samples)
                        .ok()
                        .filter(|s| (1..=MAX_POINTS as u32).contains(s))
                        .ok_or_else(|| self.out_of_range(value, &path, &range))?;
                    head.samples = Some((samples, self.loc(value.span())));
                }
                "trajectories" | "levels" => {
                    let number = self.integer(value, &path)?;
                    let (low, high) = if key.get_ref().as_ref() == "levels" {
                        (2, 100)
                    } else {
                        (2, MAX_POINTS as i64)
                    };
                    let valid = format!("an integer from {low} to {high}");
                    let number = u32::try_from(number)
                        .ok()
                        .filter(|n| (low..=high).contains(&i64::from(*n)))
                        .ok_or_else(|| self.out_of_range(value, &path, &valid))?;
                    if key.get_ref().as_ref() == "levels" && number % 2 == 1 {
                        return Err(self.out_of_range(
                            value,
                            &path,
                            "an even number of levels (so every step of Δ = p / (2 (p - 1)) \
                             stays on the grid), e.g. 4",
                        ));
                    }
                    let slot = if key.get_ref().as_ref() == "levels" {
                        &mut head.levels
                    } else {
                        &mut head.trajectories
                    };
                    *slot = Some((number, self.loc(value.span())));
                }
                "points" => {
                    head.points = Some((
                        self.string(value, &path)?.to_string(),
                        self.loc(value.span()),
                    ))
                }
                "replicates" => {
                    let replicates = self.integer(value, &path)?;
                    if !(1..=MAX_REPLICATES).contains(&replicates) {
                        let range = format!("an integer from 1 to {MAX_REPLICATES}");
                        return Err(self.out_of_range(value, &path, &range));
                    }
                    head.replicates = Some(replicates as u32);
                }
                "root_seed" => {
                    let seed = self.integer(value, &path)?;
                    let seed = u64::try_from(seed)
                        .map_err(|_| self.out_of_range(value, &path, "a non-negative integer"))?;
                    head.root_seed = Some(seed);
                }
                "keep_timeseries" => head.keep_timeseries = self.boolean(value, &path)?,
                "keep_metrics" => {
                    head.keep_metrics =
                        Some((self.keep_metrics(value, &path)?, self.loc(value.span())))
                }
                "format" => {
                    let text = self.string(value, &path)?;
                    head.format = text.parse().map_err(|_| {
                        self.unknown_value(value, &path, "format", text, &Format::NAMES)
                    })?;
                }
                "targets" => {
                    let ids: Vec<&str> = crate::validate::all_targets()
                        .iter()
                        .map(|t| t.id)
                        .collect();
                    let items = self.array(value, &path, "an array of target ids")?;
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{path}[{i}]");
                        let id = self.string(item, &item_path)?;
                        if !ids.contains(&id) {
                            return Err(self.unknown_value(item, &item_path, "target", id, &ids));
                        }
                        if head.targets.iter().any(|t| t == id) {
                            return Err(ScenarioError::Invalid {
                                location: self.loc(item.span()),
                                key: item_path,
                                message: format!("the target `{id}` comes twice; name each once"),
                            });
                        }
                        head.targets.push(id.to_string());
                    }
                }
                "common_random_numbers" => {
                    head.common_random_numbers = self.boolean(value, &path)?
                }
                _ => return Err(self.unknown_key(key, "sweep", "[sweep]", SWEEP_KEYS)),
            }
        }
        if let Some((_, location)) = head.keep_metrics.as_ref().filter(|_| !head.keep_timeseries) {
            return Err(ScenarioError::Invalid {
                location: location.clone(),
                key: "sweep.keep_metrics".to_string(),
                message: "chooses the metrics of the timeseries a sweep keeps, but it keeps                           none: add `keep_timeseries = true` to [sweep], or remove keep_metrics"
                    .to_string(),
            });
        }
        Ok(head)
    }

    /// An error from applying `[set]` (e.g. an end before the start), placed on its entry.
    fn locate_override_error(&self, error: ScenarioError, set: &[SetEntry]) -> ScenarioError {
        match error {
            ScenarioError::BadOverride { text, message } => {
                match set.iter().find(|e| e.item.to_string() == text) {
                    Some(entry) => ScenarioError::Invalid {
                        location: entry.location.clone(),
                        key: entry.key.clone(),
                        message,
                    },
                    None => ScenarioError::BadOverride { text, message },
                }
            }
            other => other,
        }
    }

    // ---- [set] ----

    fn set(&self, value: &Value<'_>) -> Result<Vec<SetEntry>, ScenarioError> {
        let table = self.table(value, "set")?;
        let mut leaves = Vec::new();
        collect_leaves(table, "", &|name, t| is_entry(name, t, false), &mut leaves);
        leaves.sort_by_key(|(_, key, _)| key.span().start);
        let mut entries: Vec<SetEntry> = Vec::new();
        for (name, key, value) in leaves {
            let path = join_key("set", &name);
            if let Some(first) = entries.iter().find(|e| e.item.name() == name) {
                return Err(ScenarioError::Invalid {
                    location: self.loc(key.span()),
                    key: path,
                    message: format!("set twice (first at {})", first.location),
                });
            }
            if name == "run.seed" {
                return Err(ScenarioError::Invalid {
                    location: self.loc(key.span()),
                    key: path,
                    message: "the seeds of a sweep's runs derive from `sweep.root_seed` and \
                              the run index; set `root_seed` in [sweep] instead (and \
                              `common_random_numbers = true` for the same seeds at every point)"
                        .to_string(),
                });
            }
            let run_setting = name
                .strip_prefix("run.")
                .and_then(|run_key| Override::read_run(self, run_key, value, &path));
            let item = match (run_setting, event_lever_name(&name)) {
                (Some(setting), _) => setting?,
                (None, Some((id, field))) => Override::Event {
                    id: id.to_string(),
                    lever: match field {
                        EventField::Enabled => EventLever::Enabled(self.boolean(value, &path)?),
                        EventField::Date => EventLever::Date(self.date(value, &path)?),
                    },
                },
                (None, None) => {
                    let spec = self.param_spec(&name, key, &path, SET_RUN_NAMES)?;
                    Override::Param {
                        value: self.param_value(value, &path, spec)?,
                        name,
                    }
                }
            };
            entries.push(SetEntry {
                item,
                key: path,
                location: self.loc(value.span()),
            });
        }
        Ok(entries)
    }

    /// A parameter by name (an error naming the nearest name if it is unknown).
    fn param_spec(
        &self,
        name: &str,
        key: &Key<'_>,
        path: &str,
        run_names: &[&str],
    ) -> Result<&'static ParamSpec, ScenarioError> {
        if let Some(spec) = spec(name) {
            return Ok(spec);
        }
        let suggestion = nearest(
            name,
            run_names
                .iter()
                .copied()
                .chain(registry().iter().map(|s| s.name.as_str())),
        )
        .or_else(|| nearest_param(name));
        Err(ScenarioError::UnknownParam {
            location: self.loc(key.span()),
            key: path.to_string(),
            name: name.to_string(),
            suggestion,
        })
    }

    /// The valid range of a name's values.
    fn bounds(&self, name: &str) -> (f64, f64, String) {
        if event_lever_name(name).is_some() {
            let (first, last) = (crate::date::FIRST_DAY, crate::date::LAST_DAY);
            return (
                f64::from(first.days_since_epoch()),
                f64::from(last.days_since_epoch()),
                format!("a date from {first} to {last}"),
            );
        }
        match spec(name) {
            Some(spec) => (spec.min, spec.max, spec.range_text()),
            None => (
                1.0,
                f64::from(crate::scenario::MAX_PEOPLE_PER_AGENT),
                people_range(),
            ),
        }
    }

    /// One value of a parameter or `run.people_per_agent`: typed, in range.
    fn level(&self, value: &Value<'_>, path: &str, name: &str) -> Result<f64, ScenarioError> {
        match (spec(name), event_lever_name(name)) {
            (Some(spec), _) => self.param_value(value, path, spec),
            (None, Some((_, EventField::Enabled))) => {
                Ok(if self.boolean(value, path)? { 1.0 } else { 0.0 })
            }
            (None, Some((_, EventField::Date))) => {
                Ok(f64::from(self.date(value, path)?.days_since_epoch()))
            }
            (None, None) => read_people_per_agent(self, value, path).map(f64::from),
        }
    }

    // ---- [vary] ----

    fn vary(
        &self,
        value: &Value<'_>,
        scenarios_dir: &Path,
    ) -> Result<Vec<(Varied, String, Box<SourceLocation>)>, ScenarioError> {
        let table = self.table(value, "vary")?;
        let mut leaves = Vec::new();
        collect_leaves(table, "", &|name, t| is_entry(name, t, true), &mut leaves);
        leaves.sort_by_key(|(_, key, _)| key.span().start);
        let mut entries: Vec<(Varied, String, Box<SourceLocation>)> = Vec::new();
        for (name, key, value) in leaves {
            let path = join_key("vary", &name);
            if let Some((_, _, first)) = entries.iter().find(|(v, _, _)| v.name == name) {
                return Err(ScenarioError::Invalid {
                    location: self.loc(key.span()),
                    key: path,
                    message: format!("varied twice (first at {first})"),
                });
            }
            if name == SCENARIO_LEVER {
                let choices = self.choices(value, &path, scenarios_dir)?;
                let varied = Varied {
                    name: name.clone(),
                    kind: ParamKind::Integer,
                    levels: Levels::Values((0..choices.len()).map(|i| i as f64).collect()),
                    written: self.written(value.span()),
                    dates: false,
                    choices,
                };
                entries.push((varied, path, self.loc(key.span())));
                continue;
            }
            let kind = match name.as_str() {
                "run.people_per_agent" => ParamKind::Integer,
                "run.seed" => {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(key.span()),
                        key: path,
                        message: "seeds are not varied: every run gets its own seed from \
                                  `sweep.root_seed` and its index; raise `replicates` for more \
                                  seeds per point, or set `common_random_numbers = true` in \
                                  [sweep] for the same seeds at every point"
                            .to_string(),
                    })
                }
                "run.start" | "run.end" => {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(key.span()),
                        key: path,
                        message: "dates cannot be varied; set them in [set]".to_string(),
                    })
                }
                _ => match event_lever_name(&name) {
                    Some((_, EventField::Enabled)) => ParamKind::Flag,
                    Some((_, EventField::Date)) => ParamKind::Integer,
                    None => self.param_spec(&name, key, &path, VARY_RUN_NAMES)?.kind,
                },
            };
            let levels = self.levels(value, &path, &name, kind)?;
            let varied = Varied {
                name: name.clone(),
                kind,
                levels,
                written: self.written(value.span()),
                dates: matches!(event_lever_name(&name), Some((_, EventField::Date))),
                choices: Vec::new(),
            };
            if let Some(levels) = varied.grid_levels() {
                let texts: Vec<String> = levels.iter().map(|v| varied.text(*v)).collect();
                let mut seen = BTreeSet::new();
                if let Some(repeated) = texts.iter().find(|t| !seen.insert(t.as_str())) {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(value.span()),
                        key: path,
                        message: format!(
                            "the value {repeated} comes twice; every level must differ (integers \
                             are rounded)"
                        ),
                    });
                }
            }
            entries.push((varied, path, self.loc(key.span())));
        }
        Ok(entries)
    }

    /// The scenario lever's list: scenario names (or paths relative to the sweep file), each
    /// once; their hashes are filled in once `[set]` is known.
    fn choices(
        &self,
        value: &Value<'_>,
        path: &str,
        scenarios_dir: &Path,
    ) -> Result<Vec<Choice>, ScenarioError> {
        let items = self.array(
            value,
            path,
            "a list of scenarios, e.g. [\"baseline_1917\", \"no_kornilov\"]",
        )?;
        if items.is_empty() {
            return Err(ScenarioError::Invalid {
                location: self.loc(value.span()),
                key: path.to_string(),
                message: "lists no scenarios; give at least one".to_string(),
            });
        }
        let mut choices: Vec<Choice> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let written = self.string(item, &item_path)?;
            let path =
                resolve_reference(written, self.path, scenarios_dir, &self.loc(item.span()))?;
            // A path is kept resolved, as the base scenario's is, so `revsim run` finds it
            // from any folder.
            let name = if names_a_path(written) {
                path.display().to_string()
            } else {
                written.to_string()
            };
            if choices.iter().any(|c| c.name == name) {
                return Err(ScenarioError::Invalid {
                    location: self.loc(item.span()),
                    key: item_path,
                    message: format!("the scenario {written} comes twice; list each once"),
                });
            }
            choices.push(Choice {
                name,
                path,
                hash: String::new(),
            });
        }
        Ok(choices)
    }

    fn levels(
        &self,
        value: &Value<'_>,
        path: &str,
        name: &str,
        kind: ParamKind,
    ) -> Result<Levels, ScenarioError> {
        let expected = if kind == ParamKind::Flag {
            "a list of values, e.g. [true, false]".to_string()
        } else {
            "a list of values `[a, b, c]`, a range `{ min = a, max = b, steps = n }` or a \
             distribution `{ distribution = \"uniform\", min = a, max = b }`"
                .to_string()
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                if items.is_empty() {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(value.span()),
                        key: path.to_string(),
                        message: "lists no values; give at least one".to_string(),
                    });
                }
                let values = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.level(item, &format!("{path}[{i}]"), name))
                    .collect::<Result<Vec<f64>, _>>()?;
                Ok(Levels::Values(values))
            }
            DeValue::Table(table) if kind != ParamKind::Flag => {
                if table.contains_key("distribution") {
                    self.distribution(value, table, path, name)
                } else {
                    self.range(value, table, path, name)
                }
            }
            _ => Err(self.wrong_type(value, path, &expected)),
        }
    }

    fn range(
        &self,
        value: &Value<'_>,
        table: &DeTable<'_>,
        path: &str,
        name: &str,
    ) -> Result<Levels, ScenarioError> {
        let label = format!("{path} (a range)");
        for (key, _) in in_order(table) {
            if !RANGE_KEYS.contains(&key.get_ref().as_ref()) {
                return Err(self.unknown_key(key, path, &label, RANGE_KEYS));
            }
        }
        let min = self.bound(value, table, path, "min", name)?;
        let max = self.bound(value, table, path, "max", name)?;
        self.ordered(table, path, min, max)?;
        let steps = match table.get("steps") {
            None => None,
            Some(steps_value) => {
                let steps_path = format!("{path}.steps");
                let steps = self.integer(steps_value, &steps_path)?;
                let range = format!("an integer from 1 to {MAX_POINTS}");
                let steps = u32::try_from(steps)
                    .ok()
                    .filter(|s| (1..=MAX_POINTS as u32).contains(s))
                    .ok_or_else(|| self.out_of_range(steps_value, &steps_path, &range))?;
                if steps == 1 && min != max {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(steps_value.span()),
                        key: steps_path,
                        message: "one step from min to max is ambiguous: use 2 or more steps, \
                                  or a list of one value"
                            .to_string(),
                    });
                }
                Some(steps)
            }
        };
        Ok(Levels::Range { min, max, steps })
    }

    fn distribution(
        &self,
        value: &Value<'_>,
        table: &DeTable<'_>,
        path: &str,
        name: &str,
    ) -> Result<Levels, ScenarioError> {
        let dist_value = table.get("distribution").expect("checked by the caller");
        let dist_path = format!("{path}.distribution");
        let dist = self.string(dist_value, &dist_path)?;
        let keys: &[&str] = match dist {
            "uniform" | "loguniform" => &["distribution", "min", "max"],
            "normal" => &["distribution", "mean", "sd", "min", "max"],
            _ => {
                return Err(self.unknown_value(
                    dist_value,
                    &dist_path,
                    "distribution",
                    dist,
                    DISTRIBUTIONS,
                ))
            }
        };
        let label = format!("{path} (a `{dist}` distribution)");
        for (key, _) in in_order(table) {
            if !keys.contains(&key.get_ref().as_ref()) {
                return Err(self.unknown_key(key, path, &label, keys));
            }
        }
        let distribution = match dist {
            "uniform" | "loguniform" => {
                let min = self.bound(value, table, path, "min", name)?;
                let max = self.bound(value, table, path, "max", name)?;
                self.ordered(table, path, min, max)?;
                if dist == "uniform" {
                    Distribution::Uniform { min, max }
                } else {
                    if min <= 0.0 {
                        let at = table.get("min").expect("read above");
                        return Err(self.out_of_range(
                            at,
                            &format!("{path}.min"),
                            "a number above 0 (a log-uniform distribution)",
                        ));
                    }
                    Distribution::LogUniform { min, max }
                }
            }
            _ => {
                let (lo, hi, _) = self.bounds(name);
                let optional = |key: &str, default: f64| match table.get(key) {
                    Some(_) => self.bound(value, table, path, key, name),
                    None => Ok(default),
                };
                let min = optional("min", lo)?;
                let max = optional("max", hi)?;
                self.ordered(table, path, min, max)?;
                let mean = self.required_number(value, table, path, "mean")?;
                if mean < min || mean > max {
                    let at = table.get("mean").expect("read above");
                    return Err(self.out_of_range(
                        at,
                        &format!("{path}.mean"),
                        &format!("a number from {min} to {max} (the distribution's bounds)"),
                    ));
                }
                let sd = self.required_number(value, table, path, "sd")?;
                if sd <= 0.0 {
                    let at = table.get("sd").expect("read above");
                    return Err(self.out_of_range(at, &format!("{path}.sd"), "a number above 0"));
                }
                Distribution::Normal { mean, sd, min, max }
            }
        };
        Ok(Levels::Distribution(distribution))
    }

    /// `min` or `max` of a range: required, typed and in the parameter's range.
    fn bound(
        &self,
        value: &Value<'_>,
        table: &DeTable<'_>,
        path: &str,
        key: &str,
        name: &str,
    ) -> Result<f64, ScenarioError> {
        let bound = self.required(table, key, value, path, || {
            format!(
                "a range needs `min` and `max`; `{name}` takes {}",
                self.bounds(name).2
            )
        })?;
        self.level(bound, &format!("{path}.{key}"), name)
    }

    fn required_number(
        &self,
        value: &Value<'_>,
        table: &DeTable<'_>,
        path: &str,
        key: &str,
    ) -> Result<f64, ScenarioError> {
        let number = self.required(table, key, value, path, || {
            "a normal distribution needs `mean` and `sd` (and takes optional `min` and `max` \
             bounds)"
                .to_string()
        })?;
        self.number(number, &format!("{path}.{key}"))
    }

    fn ordered(
        &self,
        table: &DeTable<'_>,
        path: &str,
        min: f64,
        max: f64,
    ) -> Result<(), ScenarioError> {
        if max < min {
            let at = table.get("max").expect("max was read");
            return Err(ScenarioError::Invalid {
                location: self.loc(at.span()),
                key: format!("{path}.max"),
                message: format!("max {max} is below min {min}"),
            });
        }
        Ok(())
    }

    /// `keep_metrics`: metric names (`active`, `support.private.bolsheviks`), each once.
    fn keep_metrics(&self, value: &Value<'_>, path: &str) -> Result<Vec<Metric>, ScenarioError> {
        let items = self.array(value, path, "an array of metric names")?;
        let mut metrics = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            let name = self.string(item, &item_path)?;
            let metric = crate::metrics::resolve_metric(name).map_err(|error| {
                let at = (self.loc(item.span()), item_path.clone());
                ScenarioError::from_metric(error, at.clone(), at)
            })?;
            if metrics.contains(&metric) {
                return Err(ScenarioError::Invalid {
                    location: self.loc(item.span()),
                    key: item_path,
                    message: format!("the metric `{name}` comes twice; name each once"),
                });
            }
            metrics.push(metric);
        }
        Ok(metrics)
    }

    // ---- [[summary]] and [[fan]] ----

    fn metric_and_group(
        &self,
        table: &DeTable<'_>,
        item: &Value<'_>,
        prefix: &str,
    ) -> Result<(String, String, Box<SourceLocation>), ScenarioError> {
        let Some(metric_value) = table.get("metric") else {
            return Err(ScenarioError::MissingKey {
                location: self.loc(item.span()),
                key: format!("{prefix}.metric"),
                help: "name the metric, e.g. `metric = \"active\"` (the `metric` column of a \
                       run's timeseries.csv)"
                    .to_string(),
            });
        };
        let metric = self.string(metric_value, &format!("{prefix}.metric"))?;
        let (group, group_at) = match table.get("group") {
            Some(group_value) => (
                self.string(group_value, &format!("{prefix}.group"))?
                    .to_string(),
                self.loc(group_value.span()),
            ),
            None => ("all".to_string(), self.loc(item.span())),
        };
        let metric_at = self.loc(metric_value.span());
        crate::metrics::resolve(metric, &group).map_err(|error| {
            ScenarioError::from_metric(
                error,
                (metric_at.clone(), format!("{prefix}.metric")),
                (group_at.clone(), format!("{prefix}.group")),
            )
        })?;
        Ok((metric.to_string(), group, metric_at))
    }

    fn fan(&self, item: &Value<'_>, prefix: &str) -> Result<Raw<Fan>, ScenarioError> {
        let table = self.table(item, prefix)?;
        for (key, _) in in_order(table) {
            if !FAN_KEYS.contains(&key.get_ref().as_ref()) {
                return Err(self.unknown_key(key, prefix, prefix, FAN_KEYS));
            }
        }
        let (metric, group, metric_at) = self.metric_and_group(table, item, prefix)?;
        Ok(Raw {
            item: Fan { metric, group },
            metric_at,
            dates_at: Vec::new(),
            metric_key: format!("{prefix}.metric"),
        })
    }

    /// A `[[summary]]`, whether it was given a `name`, and where it is.
    fn summary(
        &self,
        item: &Value<'_>,
        prefix: &str,
    ) -> Result<(Raw<Summary>, bool, Box<SourceLocation>), ScenarioError> {
        let table = self.table(item, prefix)?;
        for (key, _) in in_order(table) {
            if !SUMMARY_KEYS.contains(&key.get_ref().as_ref()) {
                return Err(self.unknown_key(key, prefix, prefix, SUMMARY_KEYS));
            }
        }
        let (metric, group, metric_at) = self.metric_and_group(table, item, prefix)?;
        let stat_value = self.required(table, "stat", item, prefix, || {
            format!(
                "say how to summarise the run: `stat` = one of {}",
                STATS.join(", ")
            )
        })?;
        let stat_path = format!("{prefix}.stat");
        let stat_name = self.string(stat_value, &stat_path)?;
        if !STATS.contains(&stat_name) {
            return Err(self.unknown_value(stat_value, &stat_path, "stat", stat_name, STATS));
        }
        let takes = |key: &str| match key {
            "date" => stat_name == "at",
            "threshold" => stat_name.starts_with("first_"),
            _ => !matches!(stat_name, "final" | "initial" | "at"),
        };
        for key in ["date", "threshold", "from", "to"] {
            if let Some(value) = table.get(key) {
                if !takes(key) {
                    let which = match key {
                        "date" => "stat = \"at\"".to_string(),
                        "threshold" => "stat = \"first_above\" or \"first_below\"".to_string(),
                        _ => "a window of stat = \"max\", \"min\", \"mean\", \"date_of_max\", \
                              \"first_above\" or \"first_below\""
                            .to_string(),
                    };
                    return Err(ScenarioError::Invalid {
                        location: self.loc(value.span()),
                        key: format!("{prefix}.{key}"),
                        message: format!("`{key}` is for {which}, not stat = \"{stat_name}\""),
                    });
                }
            }
        }
        let date_of = |key: &str| -> Result<Option<Date>, ScenarioError> {
            match table.get(key) {
                Some(value) => Ok(Some(self.date(value, &format!("{prefix}.{key}"))?)),
                None => Ok(None),
            }
        };
        let window = Window {
            from: date_of("from")?,
            to: date_of("to")?,
        };
        if let (Some(from), Some(to)) = (window.from, window.to) {
            if to < from {
                return Err(ScenarioError::Invalid {
                    location: self.loc(table.get("to").expect("read above").span()),
                    key: format!("{prefix}.to"),
                    message: format!("the window ends ({to}) before it starts ({from})"),
                });
            }
        }
        let missing = |key: &str, help: &str| ScenarioError::MissingKey {
            location: self.loc(item.span()),
            key: format!("{prefix}.{key}"),
            help: help.to_string(),
        };
        let threshold = || -> Result<f64, ScenarioError> {
            match table.get("threshold") {
                Some(value) => self.number(value, &format!("{prefix}.threshold")),
                None => Err(missing(
                    "threshold",
                    "a first crossing needs the value to cross: `threshold = 0.5`",
                )),
            }
        };
        let stat = match stat_name {
            "final" => Stat::Final,
            "initial" => Stat::Initial,
            "at" => Stat::At(date_of("date")?.ok_or_else(|| {
                missing(
                    "date",
                    "stat = \"at\" needs the date: `date = \"1919-06-01\"`",
                )
            })?),
            "max" => Stat::Max(window),
            "min" => Stat::Min(window),
            "mean" => Stat::Mean(window),
            "date_of_max" => Stat::DateOfMax(window),
            "first_above" => Stat::FirstAbove(threshold()?, window),
            _ => Stat::FirstBelow(threshold()?, window),
        };
        let (column, named) = match table.get("name") {
            Some(value) => {
                let name_path = format!("{prefix}.name");
                let name = self.string(value, &name_path)?;
                if !valid_name(name) {
                    return Err(ScenarioError::Invalid {
                        location: self.loc(value.span()),
                        key: name_path,
                        message: format!(
                            "{name:?} cannot name a column: use letters, digits, `_`, `-` and `.`"
                        ),
                    });
                }
                (name.to_string(), true)
            }
            None => (default_column(&stat, &metric, &group), false),
        };
        Ok((
            Raw {
                item: Summary {
                    column,
                    metric,
                    group,
                    stat,
                },
                metric_at,
                dates_at: ["date", "from", "to"]
                    .into_iter()
                    .filter_map(|key| table.get(key).map(|v| (key, self.loc(v.span()))))
                    .collect(),
                metric_key: format!("{prefix}.metric"),
            },
            named,
            self.loc(item.span()),
        ))
    }

    /// The summary's dates must fall within the run.
    fn check_dates(&self, raw: &Raw<Summary>, start: Date, end: Date) -> Result<(), ScenarioError> {
        let prefix = raw.metric_key.trim_end_matches(".metric");
        let outside = |key: &str, date: Date| ScenarioError::Invalid {
            location: raw
                .dates_at
                .iter()
                .find(|(k, _)| *k == key)
                .map_or_else(|| raw.metric_at.clone(), |(_, at)| at.clone()),
            key: format!("{prefix}.{key}"),
            message: format!(
                "{date} is outside the runs, which go from {start} to {end} (the base scenario \
                 with [set])"
            ),
        };
        match raw.item.stat {
            Stat::At(date) if date < start || date > end => Err(outside("date", date)),
            _ => {
                let window = raw.item.stat.window().unwrap_or_default();
                if let Some(from) = window.from.filter(|d| *d > end) {
                    return Err(outside("from", from));
                }
                if let Some(to) = window.to.filter(|d| *d < start) {
                    return Err(outside("to", to));
                }
                Ok(())
            }
        }
    }

    // ---- helpers ----

    /// A value's text as written, on one line.
    fn written(&self, span: Range<usize>) -> String {
        let text = self.text.get(span).unwrap_or("");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The default column name of a summary: `<stat>.<metric>.<group>`, the stat with its date or
/// threshold (`at_1919-06-01`, `first_above_0.5`).
fn default_column(stat: &Stat, metric: &str, group: &str) -> String {
    let stat = match stat {
        Stat::At(date) => format!("at_{date}"),
        Stat::FirstAbove(t, _) | Stat::FirstBelow(t, _) => format!("{}_{t}", stat.name()),
        other => other.name().to_string(),
    };
    format!("{stat}.{metric}.{group}")
}

/// Whether a nested table of `[set]` or `[vary]` is one entry: a parameter's or a run
/// setting's name, or (in `[vary]`, `levels`) a table of range or distribution keys.
fn is_entry(name: &str, table: &DeTable<'_>, levels: bool) -> bool {
    spec(name).is_some()
        || name.starts_with("run.")
        || event_lever_name(name).is_some()
        || (levels && LEVEL_KEYS.iter().any(|k| table.contains_key(*k)))
}

/// A path written in a sweep file, relative to the sweep file's folder unless absolute.
fn names_a_path_relative(sweep_file: &Path, written: &str) -> std::path::PathBuf {
    let path = Path::new(written);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        sweep_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(path)
    }
}

/// Each event lever in `vary` names an event of the base scenario; a date lever, a dated one.
fn check_event_levers(
    vary: &[(Varied, String, Box<SourceLocation>)],
    base: &crate::scenario::Scenario,
    what: &'static str,
) -> Result<(), ScenarioError> {
    for (varied, key, at) in vary {
        let Some((id, field)) = event_lever_name(&varied.name) else {
            continue;
        };
        let ids: Vec<&str> = base.events.iter().map(|e| e.id.as_str()).collect();
        match base.events.iter().find(|e| e.id == id) {
            None => {
                return Err(ScenarioError::UnknownValue {
                    location: at.clone(),
                    key: key.clone(),
                    what,
                    found: id.to_string(),
                    suggestion: nearest(id, ids.iter().copied()),
                    valid: ids.iter().map(|i| i.to_string()).collect(),
                })
            }
            Some(event)
                if field == EventField::Date
                    && !matches!(event.trigger, crate::scenario::Trigger::Date(_)) =>
            {
                return Err(ScenarioError::Invalid {
                    location: at.clone(),
                    key: key.clone(),
                    message: format!(
                        "event `{id}` is triggered by conditions, not a date: vary \
                         `event.{id}.enabled` instead"
                    ),
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}
