//! `revsim serve`: a local web app for a class. Pick a scenario and read its question; switch
//! its events on and off or move their dates; move parameters with sliders whose ranges come
//! from the parameter registry; choose the class or full scale and the number of runs; run
//! it beside the scenario it extends (that ensemble is computed once per scenario hash, seed,
//! scale and runs while the server runs); see the charts and the story; save the what-if as a
//! scenario file that `revsim run` accepts, giving the same bytes for the same seed.
//!
//! Every asset is in the binary (the page, and uPlot vendored in `assets/serve/uplot/`); the
//! server listens on 127.0.0.1 only.

mod whatif;

pub use whatif::{scenario_toml, EventChange, WhatIf};

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::compare::{
    load_candidate, run_comparison, view_day, write_comparison, Comparison, Ensemble, FAN_METRICS,
};
use crate::metrics::Metrics;
use crate::model::params::{registry, ParamKind};
use crate::record::{write_run, Format};
use crate::scenario::{find_scenario, list_scenarios, load_scenario, Scenario, Trigger};
use crate::sim::Simulation;

const INDEX: &str = include_str!("../../assets/serve/index.html");
const UPLOT_JS: &str = include_str!("../../assets/serve/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/serve/uplot/uPlot.min.css");

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source} (is another revsim serve running? try --port)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot make the server's working folder {}: {source}", path.display())]
    Work {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the web server failed: {0}")]
    Server(std::io::Error),
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub port: u16,
    pub scenarios_dir: PathBuf,
    /// Where "Save" writes what-if files.
    pub save_dir: PathBuf,
    pub threads: usize,
    pub max_memory_mb: u64,
}

/// The parameters the page offers with one click, for the what-ifs a class asks most: how
/// much the state takes and how hard it strikes, how readily soldiers desert and people
/// rise, and what hunger and repression cost a government.
/// Each with what it means in a class's words.
const SUGGESTED_PARAMS: [(&str, &str); 8] = [
    (
        "grain.requisition_rate",
        "How much grain the state takes by force",
    ),
    (
        "repression.arrest_rate",
        "How many rebels the police and Cheka arrest",
    ),
    (
        "repression.lethality",
        "How many of those arrested are shot",
    ),
    ("war.desertion_base", "How readily soldiers desert"),
    (
        "revolt.threshold",
        "How angry people must be to take up arms",
    ),
    ("hardship.food_weight", "How much hunger angers people"),
    (
        "legitimacy.repression_weight",
        "How much repression costs a government its support",
    ),
    (
        "allegiance.government_penalty",
        "How much being in government costs a party",
    ),
];

/// The fan metrics the page draws week by week while the runs go (positions in
/// [`FAN_METRICS`]: Bolshevik support, the regime's legitimacy, middle peasants in revolt).
const LIVE_FANS: [usize; 3] = [0, 3, 5];

/// How far the runs have got, and what each has measured so far.
#[derive(Debug, Clone, Default, Serialize)]
struct Progress {
    /// Runs done, a run part-way counted by its weeks.
    done: f64,
    total: usize,
    running: bool,
    /// The live charts' titles and units, one per [`LIVE_FANS`].
    live_charts: Vec<LiveChart>,
    /// One line per run started this time, in the order they were handed out.
    live: Vec<LiveLine>,
}

#[derive(Debug, Clone, Serialize)]
struct LiveChart {
    title: &'static str,
    unit: &'static str,
}

/// A run's weeks so far: their days, and per live chart the run's value each week.
#[derive(Debug, Clone, Serialize)]
struct LiveLine {
    label: String,
    /// 0 for the scenario the what-if extends, 1 for the what-if.
    scenario: usize,
    days: Vec<f64>,
    values: Vec<Vec<Option<f64>>>,
}

struct App {
    options: ServeOptions,
    work: tempfile::TempDir,
    /// Ensembles by (scenario hash, runs): the hash covers the seed and the scale.
    cache: Mutex<HashMap<(String, usize), Arc<Ensemble>>>,
    progress: Mutex<Progress>,
    /// One run at a time.
    running: Mutex<()>,
}

/// Serves until the process is stopped; `ready(url)` is called once it listens.
pub fn serve(options: ServeOptions, ready: impl FnOnce(&str)) -> Result<(), ServeError> {
    let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
    let app = Arc::new(App::new(options)?);
    let router = Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route(
            "/uplot.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], UPLOT_JS) }),
        )
        .route(
            "/uplot.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], UPLOT_CSS) }),
        )
        .route("/api/scenarios", get(scenarios))
        .route("/api/params", get(params))
        .route("/api/progress", get(progress))
        .route("/api/run", post(run))
        .route("/api/save", post(save))
        .with_state(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .build()
        .map_err(ServeError::Server)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Server)?;
        ready(&format!("http://{bound}/"));
        axum::serve(listener, router)
            .await
            .map_err(ServeError::Server)
    })
}

/// An error for the page: status 400 for what the user asked (the message names the file,
/// key and what would be valid), 409 for a clash, 500 otherwise.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.status, self.message).into_response()
    }
}

fn failure(status: StatusCode, message: impl ToString) -> Refusal {
    Refusal {
        status,
        message: message.to_string(),
    }
}

#[derive(Serialize)]
struct EventInfo {
    id: String,
    title: String,
    description: String,
    enabled: bool,
    /// The date it is scheduled on, for events with a date.
    date: Option<String>,
    when: String,
}

#[derive(Serialize)]
struct ScenarioInfo {
    name: String,
    title: String,
    about: String,
    /// The scenario it is compared with: the root of its `extends` chain (itself for a root).
    base: String,
    seed: u64,
    people_per_agent: u32,
    events: Vec<EventInfo>,
    /// Parameter values this scenario sets (others are the registry's defaults).
    params: HashMap<String, f64>,
}

fn info(scenario: &Scenario) -> ScenarioInfo {
    let params = scenario
        .params
        .resolved()
        .into_iter()
        .filter(|(name, value)| {
            crate::model::params::spec(name).is_none_or(|s| (s.default - value).abs() > 1e-12)
        })
        .map(|(name, value)| (name.to_string(), value))
        .collect();
    ScenarioInfo {
        name: scenario.name.clone(),
        title: scenario.title.clone(),
        about: scenario.about.clone(),
        base: scenario
            .extends
            .last()
            .cloned()
            .unwrap_or_else(|| scenario.name.clone()),
        seed: scenario.run.seed,
        people_per_agent: scenario.run.people_per_agent,
        events: scenario
            .events
            .iter()
            .map(|e| EventInfo {
                id: e.id.clone(),
                title: crate::story::words::event_title(&e.id),
                description: e.description.clone(),
                enabled: e.enabled,
                date: match &e.trigger {
                    Trigger::Date(date) => Some(date.to_string()),
                    Trigger::Condition { .. } => None,
                },
                when: crate::compare::describe_trigger(&e.trigger),
            })
            .collect(),
        params,
    }
}

async fn scenarios(State(app): State<Arc<App>>) -> Response {
    let dir = &app.options.scenarios_dir;
    let list: Vec<ScenarioInfo> = list_scenarios(dir)
        .iter()
        .filter_map(|s| load_scenario(&s.path, dir, &[]).ok())
        .map(|s| info(&s))
        .collect();
    #[derive(Serialize)]
    struct Reply {
        scenarios: Vec<ScenarioInfo>,
        class_people_per_agent: u32,
        class_runs: usize,
    }
    let preset = crate::compare::CLASSROOM;
    Json(Reply {
        scenarios: list,
        class_people_per_agent: preset.people_per_agent,
        class_runs: preset.replicates,
    })
    .into_response()
}

#[derive(Serialize)]
struct ParamInfo {
    name: String,
    doc: String,
    /// For one of [`SUGGESTED_PARAMS`], offered on the page with one click: what it means.
    suggested: Option<&'static str>,
    min: f64,
    max: f64,
    default: f64,
    /// `real`, `integer` or `flag`.
    kind: &'static str,
}

async fn params() -> Json<Vec<ParamInfo>> {
    Json(
        registry()
            .iter()
            .map(|s| ParamInfo {
                name: s.name.clone(),
                doc: s.doc.clone(),
                suggested: SUGGESTED_PARAMS
                    .iter()
                    .find(|(name, _)| *name == s.name)
                    .map(|(_, words)| *words),
                min: s.min,
                max: s.max,
                default: s.default,
                kind: match s.kind {
                    ParamKind::Real => "real",
                    ParamKind::Integer => "integer",
                    ParamKind::Flag => "flag",
                },
            })
            .collect(),
    )
}

async fn progress(State(app): State<Arc<App>>) -> Json<Progress> {
    Json(app.progress.lock().map(|p| p.clone()).unwrap_or_default())
}

/// One line of a chart: a scenario's weekly median, or, where its runs split by who held
/// power, one group's.
#[derive(Serialize)]
struct ChartLine {
    label: String,
    /// 0: the scenario it is set beside, 1: the what-if.
    scenario: usize,
    /// A group of a split.
    dashed: bool,
    values: Vec<Option<f64>>,
}

/// One chart: a metric week by week.
#[derive(Serialize)]
struct Chart {
    title: String,
    unit: String,
    /// Days since 1970 of each week.
    days: Vec<f64>,
    lines: Vec<ChartLine>,
}

#[derive(Serialize)]
struct RunReply {
    toml: String,
    story: String,
    /// The glossary the story links to.
    glossary: String,
    table: String,
    charts: Vec<Chart>,
    seconds: f64,
    base_cached: bool,
    base: String,
    /// SHA-256 of the first run's `timeseries.csv` and `events.csv` (seed `seed`).
    seed: u64,
    timeseries_sha256: String,
    events_sha256: String,
}

async fn run(State(app): State<Arc<App>>, Json(whatif): Json<WhatIf>) -> Response {
    let worker = app.clone();
    match tokio::task::spawn_blocking(move || worker.run(&whatif)).await {
        Ok(Ok(reply)) => Json(reply).into_response(),
        Ok(Err(refusal)) => refusal.into_response(),
        Err(error) => failure(StatusCode::INTERNAL_SERVER_ERROR, error).into_response(),
    }
}

async fn save(State(app): State<Arc<App>>, Json(whatif): Json<WhatIf>) -> Response {
    match app.save(&whatif) {
        Ok(path) => Json(serde_json::json!({
            "path": path.display().to_string(),
            "command": format!("revsim run {}", path.display()),
        }))
        .into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

fn sha256_hex(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| {
            Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Seconds the server takes to answer `whatif` with the scenario it extends not yet
/// computed, then again with it cached (the path the page's Run button takes, without HTTP),
/// for `revsim bench`.
pub fn time_what_if(options: ServeOptions, whatif: &WhatIf) -> Result<(f64, f64), String> {
    let app = App::new(options).map_err(|e| e.to_string())?;
    let seconds = || {
        app.run(whatif)
            .map(|reply| reply.seconds)
            .map_err(|refusal| refusal.message)
    };
    Ok((seconds()?, seconds()?))
}

impl App {
    fn new(options: ServeOptions) -> Result<App, ServeError> {
        let work = tempfile::Builder::new()
            .prefix("revsim-serve-")
            .tempdir()
            .map_err(|source| ServeError::Work {
                path: std::env::temp_dir(),
                source,
            })?;
        Ok(App {
            options,
            work,
            cache: Mutex::new(HashMap::new()),
            progress: Mutex::new(Progress::default()),
            running: Mutex::new(()),
        })
    }

    /// The what-if as a file in the working folder, loaded (so checked) as `revsim run` would.
    fn load(&self, whatif: &WhatIf, dir: &Path) -> Result<(Scenario, String), Refusal> {
        let base = load_scenario(
            &find_scenario(&whatif.scenario, &self.options.scenarios_dir)
                .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?,
            &self.options.scenarios_dir,
            &[],
        )
        .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
        let text = scenario_toml(whatif, &base).map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
        std::fs::create_dir_all(dir).map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        let path = dir.join(format!("{}.toml", whatif.file_name()));
        std::fs::write(&path, &text).map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        let scenario = load_scenario(&path, &self.options.scenarios_dir, &[])
            .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
        Ok((scenario, text))
    }

    /// A scenario's ensemble, from the cache or run now; whether it came from the cache.
    fn ensemble(
        &self,
        name: &str,
        overrides: &[crate::scenario::Override],
        runs: usize,
    ) -> Result<(Arc<Ensemble>, bool), Refusal> {
        let candidate = load_candidate(name, &self.options.scenarios_dir, overrides)
            .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
        let key = (candidate.scenario.hash.clone(), runs);
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            if let Ok(mut p) = self.progress.lock() {
                p.done += runs as f64;
            }
            return Ok((found, true));
        }
        let ensemble = self.run_ensemble(candidate, runs, 0)?;
        let ensemble = Arc::new(ensemble);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, ensemble.clone());
        }
        Ok((ensemble, false))
    }

    /// Runs a scenario's ensemble, drawn live as `scenario` (0 the base, 1 the what-if).
    fn run_ensemble(
        &self,
        candidate: crate::compare::Candidate,
        runs: usize,
        scenario: usize,
    ) -> Result<Ensemble, Refusal> {
        let threads = self.options.threads.min(runs).max(1);
        crate::sim::check_memory(&candidate.scenario, threads, self.options.max_memory_mb)
            .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
        let first_line = self.progress.lock().map_or(0, |mut p| {
            let first = p.live.len();
            p.live.extend((0..runs).map(|run| LiveLine {
                label: format!("{}, run {}", candidate.scenario.name, run + 1),
                scenario,
                days: Vec::new(),
                values: vec![Vec::new(); LIVE_FANS.len()],
            }));
            first
        });
        let measures: Vec<_> = LIVE_FANS
            .iter()
            .map(|&f| crate::metrics::known(FAN_METRICS[f].metric, FAN_METRICS[f].group))
            .collect();
        let watch = |run: usize, metrics: &Metrics, _: u32, weeks: u32| {
            let Ok(mut p) = self.progress.lock() else {
                return;
            };
            p.done += 1.0 / f64::from(weeks);
            if let Some(line) = p.live.get_mut(first_line + run) {
                let day = metrics.dates.last().and_then(|d| view_day(d));
                line.days.push(day.unwrap_or(0.0));
                for (values, &(metric, group)) in line.values.iter_mut().zip(&measures) {
                    values.push(metrics.get(metric, group));
                }
            }
        };
        let comparison = run_comparison(vec![candidate], runs, threads, &mut |_, _| {}, &watch)
            .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        comparison
            .ensembles
            .into_iter()
            .next()
            .ok_or_else(|| failure(StatusCode::INTERNAL_SERVER_ERROR, "no ensemble"))
    }

    fn run(&self, whatif: &WhatIf) -> Result<RunReply, Refusal> {
        let _one = self
            .running
            .try_lock()
            .map_err(|_| failure(StatusCode::CONFLICT, "a run is already going; wait for it"))?;
        let started = Instant::now();
        let runs = whatif.runs.clamp(1, crate::sweep::MAX_REPLICATES as usize);
        let job = self.work.path().join("job");
        let (scenario, text) = self.load(whatif, &job)?;
        let overrides =
            vec![
                crate::scenario::Override::people_per_agent(scenario.run.people_per_agent)
                    .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?,
            ];
        let base_name = scenario
            .extends
            .last()
            .cloned()
            .unwrap_or_else(|| scenario.name.clone());
        if let Ok(mut p) = self.progress.lock() {
            *p = Progress {
                done: 0.0,
                total: 2 * runs + 1,
                running: true,
                live_charts: LIVE_FANS
                    .iter()
                    .map(|&f| LiveChart {
                        title: FAN_METRICS[f].title,
                        unit: crate::compare::unit_id(FAN_METRICS[f].unit),
                    })
                    .collect(),
                live: Vec::new(),
            };
        }
        let outcome = (|| {
            let (base, cached) = self.ensemble(&base_name, &overrides, runs)?;
            let path = job.join(format!("{}.toml", whatif.file_name()));
            let candidate = load_candidate(
                &path.display().to_string(),
                &self.options.scenarios_dir,
                &[],
            )
            .map_err(|e| failure(StatusCode::BAD_REQUEST, e))?;
            let mine = self.run_ensemble(candidate, runs, 1)?;
            // The first run again, written as `revsim run` writes it, for its fingerprint.
            let result = Simulation::new(&scenario)
                .run(|_, weeks| {
                    if let Ok(mut p) = self.progress.lock() {
                        p.done += 1.0 / f64::from(weeks);
                    }
                })
                .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
            let run_dir = job.join("run");
            write_run(&run_dir, &scenario, &result, Format::Csv)
                .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
            let comparison = Comparison {
                ensembles: vec![(*base).clone(), mine],
                replicates: runs,
                wall_seconds: started.elapsed().as_secs_f64(),
            };
            let compare_dir = job.join("compare");
            write_comparison(&compare_dir, &comparison, false)
                .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
            let model =
                crate::report::read_folder(&compare_dir, &self.options.scenarios_dir, false)
                    .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
            let story = crate::story::tell(&model);
            Ok(RunReply {
                toml: text.clone(),
                story: story.html(),
                glossary: crate::story::glossary_html(),
                table: crate::report::key_numbers(&model),
                charts: charts(&comparison),
                seconds: started.elapsed().as_secs_f64(),
                base_cached: cached,
                base: base_name.clone(),
                seed: scenario.run.seed,
                timeseries_sha256: sha256_hex(&run_dir.join("timeseries.csv")),
                events_sha256: sha256_hex(&run_dir.join("events.csv")),
            })
        })();
        if let Ok(mut p) = self.progress.lock() {
            p.running = false;
            p.done = p.total as f64;
        }
        outcome
    }

    /// Writes the what-if into the save folder as `<name>.toml`; refuses to overwrite.
    fn save(&self, whatif: &WhatIf) -> Result<PathBuf, Refusal> {
        let (_, text) = self.load(whatif, &self.work.path().join("check"))?;
        let dir = &self.options.save_dir;
        let path = dir.join(format!("{}.toml", whatif.file_name()));
        if path.exists() {
            return Err(failure(
                StatusCode::CONFLICT,
                format!(
                    "{} exists already: choose another name for the what-if",
                    path.display()
                ),
            ));
        }
        std::fs::create_dir_all(dir).map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        crate::fsutil::write_atomic(&path, |out| std::io::Write::write_all(out, text.as_bytes()))
            .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        Ok(path)
    }
}

/// The fan metrics as charts: per scenario its weekly median, or each group's where its
/// runs split by who held power, on one axis of days.
fn charts(comparison: &Comparison) -> Vec<Chart> {
    FAN_METRICS
        .iter()
        .enumerate()
        .map(|(f, fan)| {
            let by_date = |s: &crate::compare::FanSeries| -> HashMap<String, f64> {
                s.dates
                    .iter()
                    .cloned()
                    .zip(s.median.iter().copied())
                    .collect()
            };
            let mut lines: Vec<(String, usize, bool, HashMap<String, f64>)> = Vec::new();
            for (i, e) in comparison.ensembles.iter().enumerate() {
                let name = &e.candidate.scenario.name;
                if e.world_fans.is_empty() {
                    lines.push((name.clone(), i, false, by_date(&e.fans[f])));
                    continue;
                }
                let labels = crate::compare::world_labels(&e.worlds);
                for ((world, fans), label) in e.worlds.iter().zip(&e.world_fans).zip(labels) {
                    lines.push((
                        format!("{name}, {} runs, {label}", world.runs.len()),
                        i,
                        true,
                        by_date(&fans[f]),
                    ));
                }
            }
            let mut dates: Vec<&String> = lines.iter().flat_map(|l| l.3.keys()).collect();
            dates.sort();
            dates.dedup();
            Chart {
                title: fan.title.to_string(),
                unit: crate::compare::unit_id(fan.unit).to_string(),
                days: dates
                    .iter()
                    .map(|d| crate::compare::view_day(d).unwrap_or(0.0))
                    .collect(),
                lines: lines
                    .iter()
                    .map(|(label, scenario, dashed, values)| ChartLine {
                        label: label.clone(),
                        scenario: *scenario,
                        dashed: *dashed,
                        values: dates.iter().map(|d| values.get(*d).copied()).collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_suggested_parameter_is_in_the_registry() {
        for (name, _) in SUGGESTED_PARAMS {
            assert!(
                crate::model::params::spec(name).is_some(),
                "{name} is not a parameter"
            );
        }
    }
}
