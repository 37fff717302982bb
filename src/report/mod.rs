//! `revsim report DIR`: one self-contained HTML page (`DIR/report.html`) for a run
//! (`timeseries.csv` + `manifest.json`, from `revsim run`) or a comparison (`compare.json`,
//! from `revsim compare`): the question, what changed, the key numbers, the plots (inline
//! SVG), the timeline of events with their sources, and the cited passages. No scripts, no
//! files beside it: it can be mailed, or put on a projector.

mod html;
mod sources;

pub use html::{escape, key_numbers, render};
pub use sources::{citations_in, excerpts, sources_dir, Excerpt};

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::compare::{
    key_outcomes, load_candidate, power_spells, unit_id, worlds, Candidate, Change, CompareFile,
    History, OutcomeRow, RunRecord, ScenarioEntry, Stat, TimelineEntry, COMPARE_JSON,
};
use crate::fsutil::write_atomic;
use crate::metrics::Metrics;
use crate::plot::{plot_files, plot_run};
use crate::record::{read_events, read_timeseries, Format, ReadError, TIMESERIES};
use crate::scenario::Override;
use crate::validate::RunView;

/// The report's file name inside the folder.
pub const REPORT_HTML: &str = "report.html";

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{} is neither a run ({} and manifest.json, from `revsim run`) nor a comparison \
         (compare.json, from `revsim compare`)",
        dir.display(),
        Format::either(TIMESERIES)
    )]
    NotARun { dir: PathBuf },
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error(transparent)]
    Write(#[from] crate::record::OutputError),
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    #[error("cannot read the run: {0}")]
    Run(#[from] ReadError),
}

impl ReportError {
    /// Whether the error is the user's input (exit status 2): the folder is not a run or a
    /// comparison, or a file in it is damaged or was not written by revsim.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            ReportError::NotARun { .. } | ReportError::Read { .. } => true,
            ReportError::Run(error) => !matches!(error, ReadError::Io { .. }),
            ReportError::Plot(error) => error.is_invalid_input(),
            ReportError::Write(_) => false,
        }
    }
}

/// What the folder holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Run { seed: u64 },
    Comparison { replicates: usize, seeds: Vec<u64> },
}

/// A plot to embed: its stem, its title, and its SVG markup.
#[derive(Debug, Clone)]
pub struct EmbeddedPlot {
    pub stem: String,
    pub title: String,
    pub svg: String,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct ReportModel {
    pub kind: Kind,
    pub scenarios: Vec<ScenarioEntry>,
    pub outcomes: Vec<OutcomeRow>,
    pub plots: Vec<EmbeddedPlot>,
    pub excerpts: BTreeMap<String, Excerpt>,
    pub footer: String,
}

fn read_error(path: &Path, message: impl ToString) -> ReportError {
    ReportError::Read {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// An SVG file's markup, ready to sit inside HTML (no XML prologue), if it is a plain
/// drawing: no scripts, event handlers, embedded HTML, entities or links to other files.
fn svg_markup(path: &Path) -> Result<String, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|e| read_error(path, e))?;
    let start = text
        .find("<svg")
        .ok_or_else(|| read_error(path, "not an SVG file"))?;
    let markup = text[start..].trim_end();
    if let Some(found) = unsafe_svg(markup) {
        return Err(read_error(
            path,
            format!(
                "not a plot revsim drew (it holds `{found}`), so it is not put into the page: \
                 redraw the plots with `revsim plot` on the folder (a comparison's: run \
                 `revsim compare` again)"
            ),
        ));
    }
    Ok(markup.to_string())
}

/// The first thing in SVG markup that could run or load something, if any.
fn unsafe_svg(markup: &str) -> Option<String> {
    let lower = markup.to_ascii_lowercase();
    for word in [
        "<script",
        "<foreignobject",
        "<iframe",
        "<object",
        "<embed",
        "<!entity",
        "<!doctype",
        "javascript:",
        "<?",
    ] {
        if lower.contains(word) {
            return Some(word.to_string());
        }
    }
    // An attribute whose name starts with `on` (an event handler), or a link or `url(` that
    // does not point into the drawing itself.
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = i.checked_sub(1).map(|b| bytes[b]);
        let name_end = lower[i..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(lower.len(), |n| i + n);
        let after = lower[name_end..].trim_start();
        if before.is_some_and(|b| b.is_ascii_whitespace() || b == b'/') && after.starts_with('=') {
            return Some(lower[i..name_end].to_string());
        }
    }
    for (i, _) in lower.match_indices("href") {
        let value = lower[i + 4..]
            .trim_start()
            .strip_prefix('=')
            .map(str::trim_start);
        if let Some(value) = value {
            if !value.get(1..).is_some_and(|v| v.starts_with('#')) {
                return Some("href".to_string());
            }
        }
    }
    for (i, _) in lower.match_indices("url(") {
        let value = lower[i + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !value.starts_with('#') {
            return Some("url(".to_string());
        }
    }
    None
}

/// Whether `stem` names a file inside the plots folder: letters, digits, `_` and `-` only.
fn plain_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The titles of a run's charts.
fn run_plot_title(stem: &str) -> &'static str {
    match stem {
        "allegiance" => "Who people support in private, all of Russia",
        "allegiance_by_class" => "Party support by social class",
        "soviets" => "The soviets and the congresses",
        "economy" => "Grain, food, industry",
        "armies" => "The armies",
        "unrest" => "Hardship, legitimacy and open revolt",
        _ => "Plot",
    }
}

/// Reads a run's timeseries (CSV or Parquet) back into metrics.
fn read_metrics(path: &Path) -> Result<Metrics, ReportError> {
    let mut metrics = Metrics::default();
    read_timeseries(path, &mut |row| {
        // Steps follow one another from 0; a jump is an edited file.
        if row.step as usize > metrics.dates.len() {
            return Err(ReadError::malformed(
                path,
                row.line,
                format!(
                    "step {} follows step {}",
                    row.step,
                    metrics.dates.len().saturating_sub(1)
                ),
            ));
        }
        if row.step as usize == metrics.dates.len() {
            metrics.dates.push(row.date.to_string());
        }
        let (metric, group) = crate::metrics::resolve(row.metric, row.group).map_err(|error| {
            ReadError::malformed(
                path,
                row.line,
                format!("{error}: not a metric revsim writes"),
            )
        })?;
        metrics.push(row.step, metric, group, row.value);
        Ok(())
    })?;
    Ok(metrics)
}

/// The parameters a run set on the command line (`--set`): those its manifest records with
/// other values than its scenario file gives.
fn command_line_changes(manifest: &serde_json::Value, candidate: &Candidate) -> Vec<Change> {
    let Some(parameters) = manifest.get("parameters").and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, file_value) in candidate.scenario.params.resolved() {
        let Some(run_value) = parameters.get(name).and_then(serde_json::Value::as_f64) else {
            continue;
        };
        if (run_value - file_value).abs() > 1e-12 {
            out.push(Change {
                kind: "param".to_string(),
                text: format!("{name}: {file_value} → {run_value} (set on the command line)"),
                sources: Vec::new(),
            });
        }
    }
    out
}

/// The model of a single run's report.
fn run_model(dir: &Path, scenarios_dir: &Path, plots: bool) -> Result<ReportModel, ReportError> {
    let manifest_path = dir.join("manifest.json");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path).map_err(|e| read_error(&manifest_path, e))?,
    )
    .map_err(|e| read_error(&manifest_path, e))?;
    let text = |key: &str| {
        manifest
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let seed = manifest.get("seed").and_then(|v| v.as_u64()).unwrap_or(0);
    let people = manifest
        .get("people_per_agent")
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as u32;
    let name = text("scenario");
    let file = text("scenario_file");
    let loaded = [file.as_str(), name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .find_map(|s| load_candidate(s, scenarios_dir, &[] as &[Override]).ok());

    let timeseries = Format::find(dir, TIMESERIES).ok_or_else(|| ReportError::NotARun {
        dir: dir.to_path_buf(),
    })?;
    let metrics = read_metrics(&timeseries)?;
    let events_path = dir.join("events.csv");
    let events = if events_path.exists() {
        read_events(&events_path)?
    } else {
        Vec::new()
    };
    let timeline = events
        .iter()
        .map(|e| TimelineEntry {
            id: e.id.clone(),
            kind: e.kind.clone(),
            description: e.description.clone(),
            sources: e.sources.clone(),
            runs: 1,
            of: 1,
            date: e.date.clone(),
            earliest: e.date.clone(),
            latest: e.date.clone(),
        })
        .collect();
    let mut entry = match &loaded {
        Some(candidate) => {
            let mut candidate = candidate.clone();
            let extra = command_line_changes(&manifest, &candidate);
            candidate.changes.extend(extra);
            ScenarioEntry::new(&candidate, timeline)
        }
        None => ScenarioEntry {
            name: name.clone(),
            title: name.clone(),
            about: format!(
                "The scenario file ({file}) could not be read, so this page shows only what the \
                 run recorded."
            ),
            sources: Vec::new(),
            file: file.clone(),
            extends: Vec::new(),
            start: String::new(),
            end: String::new(),
            people_per_agent: people,
            hash: text("scenario_hash"),
            changes: Vec::new(),
            timeline,
            worlds: Vec::new(),
        },
    };
    entry.start = text("start");
    entry.end = text("end");
    entry.people_per_agent = people;

    let record = RunRecord::new(
        RunView::new(&metrics),
        &events,
        metrics.dates.last().map(String::as_str),
    );
    let targets = crate::validate::all_targets();
    let view = RunView::new(&metrics).with_events(&events);
    let outcomes: Vec<OutcomeRow> = key_outcomes()
        .iter()
        .map(|o| OutcomeRow {
            id: o.id.to_string(),
            label: o.label.to_string(),
            unit: unit_id(o.unit).to_string(),
            stats: vec![Stat::of(&[o.read(&record)])],
            differences: vec![None],
            history: targets
                .iter()
                .find(|t| Some(t.id) == o.target)
                .map(|t| History::of(t, vec![Stat::of(&[(t.measure)(&view)])])),
        })
        .collect();
    let values: Vec<Option<f64>> = outcomes.iter().map(|row| row.stats[0].median).collect();
    let history: Vec<Option<f64>> = outcomes
        .iter()
        .map(|row| row.history.as_ref().and_then(|h| h.stats[0].median))
        .collect();
    entry.worlds = worlds(&[power_spells(&metrics)], &[values], &[history]);

    let plots = if plots { run_plots(dir)? } else { Vec::new() };
    let footer = format!(
        "Made by revsim {} from `{}`: scenario `{}` (hash {}), seed {seed}, {} to {}, {people} \
         people per agent. Re-run it with `revsim run {} --seed {seed} --people-per-agent \
         {people}`.",
        text("revsim_version"),
        dir.display(),
        entry.name,
        short_hash(&entry.hash),
        entry.start,
        entry.end,
        entry.name
    );
    Ok(ReportModel {
        kind: Kind::Run { seed },
        scenarios: vec![entry],
        outcomes,
        plots,
        excerpts: BTreeMap::new(),
        footer,
    })
}

/// A run's plots, drawn first if any is missing.
fn run_plots(dir: &Path) -> Result<Vec<EmbeddedPlot>, ReportError> {
    let plots_dir = dir.join("plots");
    if plot_files()
        .iter()
        .any(|stem| !plots_dir.join(format!("{stem}.svg")).exists())
    {
        plot_run(dir)?;
    }
    plot_files()
        .iter()
        .map(|stem| {
            Ok(EmbeddedPlot {
                stem: stem.to_string(),
                title: run_plot_title(stem).to_string(),
                svg: svg_markup(&plots_dir.join(format!("{stem}.svg")))?,
            })
        })
        .collect()
}

fn short_hash(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// The model of a comparison's report.
fn comparison_model(dir: &Path, with_plots: bool) -> Result<ReportModel, ReportError> {
    let path = dir.join(COMPARE_JSON);
    let file = CompareFile::read(dir).map_err(|e| read_error(&path, e))?;
    let scenarios = file.scenarios.len();
    for (i, row) in file.outcomes.iter().enumerate() {
        if row.stats.len() != scenarios || row.differences.len() != scenarios {
            return Err(read_error(
                &path,
                format!(
                    "`outcomes[{i}]` ({}) has {} stats and {} differences, expected one of each \
                     per scenario ({scenarios}): the file was edited or damaged; run `revsim \
                     compare` again",
                    row.id,
                    row.stats.len(),
                    row.differences.len()
                ),
            ));
        }
    }
    let mut plots = Vec::new();
    for (i, plot) in file.plots.iter().enumerate() {
        if !plain_stem(&plot.stem) {
            return Err(read_error(
                &path,
                format!(
                    "`plots[{i}].stem` is {:?}: a plot's stem is a plain file name (letters, \
                     digits, `_`, `-`) in the folder's plots/; the file was edited or damaged, \
                     run `revsim compare` again",
                    plot.stem
                ),
            ));
        }
        let svg = dir.join("plots").join(format!("{}.svg", plot.stem));
        if with_plots && svg.exists() {
            plots.push(EmbeddedPlot {
                stem: plot.stem.clone(),
                title: plot.title.clone(),
                svg: svg_markup(&svg)?,
            });
        }
    }
    let names: Vec<String> = file.scenarios.iter().map(|s| s.name.clone()).collect();
    let first = file.scenarios.first();
    let footer = format!(
        "Made by revsim {} from `{}`: {} seeded runs of each scenario (seeds {}), {} people per \
         agent, {} to {}; {:.0} s. Re-run it with `revsim compare {} --replicates {}{}`.",
        file.revsim_version,
        dir.display(),
        file.replicates,
        match (file.seeds.first(), file.seeds.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        },
        first.map_or(0, |s| s.people_per_agent),
        first.map_or("", |s| s.start.as_str()),
        first.map_or("", |s| s.end.as_str()),
        file.wall_seconds,
        names.join(" "),
        file.replicates,
        first.map_or_else(String::new, |s| format!(
            " --people-per-agent {} --end {}",
            s.people_per_agent, s.end
        )),
    );
    Ok(ReportModel {
        kind: Kind::Comparison {
            replicates: file.replicates,
            seeds: file.seeds.clone(),
        },
        scenarios: file.scenarios,
        outcomes: file.outcomes,
        plots,
        excerpts: BTreeMap::new(),
        footer,
    })
}

/// Reads the folder (a run or a comparison): what `revsim story` tells and the report shows,
/// with the plots when `plots` (a run's are drawn first if missing), without the passages.
pub fn read_folder(
    dir: &Path,
    scenarios_dir: &Path,
    plots: bool,
) -> Result<ReportModel, ReportError> {
    if dir.join(COMPARE_JSON).is_file() {
        comparison_model(dir, plots)
    } else if Format::find(dir, TIMESERIES).is_some() && dir.join("manifest.json").is_file() {
        run_model(dir, scenarios_dir, plots)
    } else {
        Err(ReportError::NotARun {
            dir: dir.to_path_buf(),
        })
    }
}

/// Reads the folder (a run or a comparison) into the model of its report, with the opening
/// of each cited passage when the source texts are in `sources` (see [`sources_dir`]).
pub fn build_model(
    dir: &Path,
    scenarios_dir: &Path,
    sources: Option<&Path>,
) -> Result<ReportModel, ReportError> {
    let mut model = read_folder(dir, scenarios_dir, true)?;
    let mut cited = Vec::new();
    for entry in &model.scenarios {
        cited.extend(entry.sources.iter().cloned());
        for change in &entry.changes {
            cited.extend(change.sources.iter().cloned());
        }
        for event in &entry.timeline {
            cited.extend(
                event
                    .sources
                    .split([';', ','])
                    .map(|s| s.trim().to_string()),
            );
        }
    }
    model.excerpts = excerpts(&citations_in(&cited), sources);
    Ok(model)
}

/// Writes `dir/report.html` for the run or comparison in `dir`; returns its path.
pub fn write_report(dir: &Path, scenarios_dir: &Path) -> Result<PathBuf, ReportError> {
    let sources = sources_dir();
    let model = build_model(dir, scenarios_dir, sources.as_deref())?;
    let page = render(&model);
    let path = dir.join(REPORT_HTML);
    write_atomic(&path, |out| out.write_all(page.as_bytes()))
        .map_err(crate::record::wrap(&path))?;
    Ok(path)
}
