//! `revsim bench`: how fast revsim is at scale, in agent-updates per second and peak memory,
//! beside the targets of the issue that asked for it.
//!
//! Each case runs in a child process (`revsim bench --case NAME`), so that its peak memory
//! (VmHWM in `/proc/self/status`, the most resident memory the process ever held) is its own.
//! Times are wall-clock seconds of the model's steps only (setup, output files and plots are
//! not timed), except where a case says otherwise.
//!
//! | case | what | target |
//! |---|---|---|
//! | `classic_40` | Epstein Model I (Mesa variant), 40 x 40, 200 steps, 20 seeds | 1,000 x Mesa's agent-updates/s |
//! | `classic_200` | the same at 200 x 200, 3 seeds | (reported) |
//! | `classic_1000` | the same at 1000 x 1000, 1 seed | (reported) |
//! | `baseline_1000` | `baseline_1917` at people_per_agent 1000 (~180,000 agents), build + run | < 1.5 s wall on 2 or more threads, < 2.5 s on one |
//! | `baseline_150` | `baseline_1917` at people_per_agent 150 (~1,200,000 agents), build + run | < 10 s wall |
//! | `sweep` | 8 runs of `baseline_1917` at people_per_agent 1000 (2 arrest rates x 4 seeds) through `revsim::sweep`, `--threads` runs at a time | (runs per minute) |
//! | `classroom` | `revsim serve` answering a what-if of `no_kornilov` at the classroom preset (6 runs at 5,000 people per agent) with `baseline_1917` cached, on every core: the whole answer (runs, story, charts, files) | < 10 s |
//!
//! Every case's peak memory per agent is given; `baseline_150`'s is checked against 150 bytes.
//! The baseline cases also give the share of the run the recorder took measuring each week
//! (target: under 2 %), and the seconds writing the run's files after it as `revsim run` does
//! (not timed in the run).
//!
//! On a shared or virtual machine a run's time moves by a tenth or more from one minute to the
//! next, so a speed-up is measured in turns: `--repeats N` runs every case N times (the table
//! gives the fastest), and `--against BIN` runs another build (an earlier commit's, say) on
//! the same cases, turn and turn about, and gives each case's ratio of the two times, the
//! median over the turns ([`compare`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::classic::{Epstein, Params, Variant};
use crate::date::Date;
use crate::record::{write_run_on, Format};
use crate::scenario::{load_scenario, Override};
use crate::sim::Simulation;
use crate::systems::PERCENT;

/// The cases, in the order `revsim bench` runs them.
pub const CASES: [&str; 7] = [
    "classic_40",
    "classic_200",
    "classic_1000",
    "baseline_1000",
    "baseline_150",
    "sweep",
    "classroom",
];

/// Peak memory target, bytes per agent, at 1.2 million agents ([`MEMORY_TARGET_CASE`]); at
/// smaller scales the process's fixed memory weighs more on each agent.
pub const BYTES_PER_AGENT_TARGET: f64 = 150.0;

/// The case the memory target is judged on.
pub const MEMORY_TARGET_CASE: &str = "baseline_150";

/// Wall-clock targets of one baseline run at the default scale, seconds: on one thread, and
/// on two or more.
pub const BASELINE_WALL_TARGET: [f64; 2] = [2.5, 1.5];

/// Wall-clock target of one baseline run at 1.2 million agents, seconds.
pub const LARGE_WALL_TARGET: f64 = 10.0;

/// Target share of a baseline run that the recorder may take measuring each week.
pub const MEASURING_SHARE_TARGET: f64 = 0.02;

/// What `revsim bench` measures and how.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Fewer steps and runs: a smoke test of the harness, not a measurement.
    pub quick: bool,
    /// The scenarios folder (for `baseline_1917`).
    pub scenarios_dir: PathBuf,
    /// Mesa's agent-updates per second at 40 x 40 on this machine, if measured
    /// (`benches/mesa_compare.py` prints it), for the ratio.
    pub mesa_rate: Option<f64>,
    /// Threads of each baseline run (`Simulation::with_threads`); the classic model and the
    /// sweep's runs are single-threaded whatever it says.
    pub threads: usize,
}

/// One case's figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub name: String,
    pub what: String,
    pub agents: usize,
    pub steps: u32,
    pub runs: u32,
    /// Seconds timed (all runs together).
    pub seconds: f64,
    pub agent_updates_per_second: f64,
    /// Runs per minute (sweep only).
    pub runs_per_minute: Option<f64>,
    /// Seconds of one run, setup included (baseline cases).
    pub wall_per_run: Option<f64>,
    /// Of the run's seconds, those the recorder took measuring each week (baseline cases).
    #[serde(default)]
    pub measuring_seconds: Option<f64>,
    /// Seconds writing the run's files after it, as `revsim run` writes them (baseline cases).
    #[serde(default)]
    pub writing_seconds: Option<f64>,
    /// Threads the case ran on (a run's rules, or a sweep's runs at a time).
    pub threads: usize,
    /// VmHWM of the process that ran the case (a baseline case: before it wrote its files).
    pub peak_memory_bytes: u64,
    /// Resident memory of that process before the case began (the binary and its libraries).
    pub start_memory_bytes: u64,
    /// (peak − start) / agents: the model's own peak memory per agent (none for a sweep,
    /// which holds several runs at once).
    pub bytes_per_agent: Option<f64>,
}

/// Why a case could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("unknown benchmark case `{0}` (expected one of {cases})", cases = CASES.join(", "))]
    UnknownCase(String),
    #[error("{0}")]
    Setup(String),
    #[error(
        "--against {0}: no such file; give the path of another revsim binary (an earlier \
         build's target/release/revsim, say)"
    )]
    NoOtherBinary(PathBuf),
    #[error("benchmark case {case} failed in {binary}: {message}")]
    Child {
        case: String,
        binary: PathBuf,
        message: String,
    },
}

impl BenchError {
    /// Whether the command line asked for what cannot be (exit status 2).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            BenchError::UnknownCase(_) | BenchError::NoOtherBinary(_)
        )
    }
}

/// A memory figure of this process from `/proc/self/status`, in bytes (0 where that is not
/// available).
fn status_bytes(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or(0, |kb| kb * 1024)
}

/// VmHWM of this process in bytes: the most resident memory it has held (0 where /proc is
/// not available).
pub fn peak_memory_bytes() -> u64 {
    status_bytes("VmHWM:")
}

/// VmRSS of this process in bytes: the resident memory now.
pub fn resident_memory_bytes() -> u64 {
    status_bytes("VmRSS:")
}

/// Runs a tiny version of the case, so that the code it runs is loaded (resident) before the
/// case starts, then resets the peak to the memory now held (`/proc/self/clear_refs`): the
/// case's peak is then its own.
fn warm_up(name: &str, options: &BenchOptions) -> Result<(), BenchError> {
    if name.starts_with("classic") {
        let params = Params {
            width: 20,
            height: 20,
            ..Params::defaults(Variant::Mesa)
        };
        let mut model = Epstein::new(&params, 1).expect("the defaults are valid");
        for _ in 0..5 {
            model.step();
        }
    } else {
        let mut overrides = baseline_overrides(100_000, false);
        overrides.extend(Date::from_ymd(1917, 4, 30).map(Override::End));
        let scenario = load_scenario(
            &options.scenarios_dir.join("baseline_1917.toml"),
            &options.scenarios_dir,
            &overrides,
        )
        .map_err(|error| BenchError::Setup(error.to_string()))?;
        Simulation::new(&scenario)
            .run(|_, _| {})
            .map_err(|error| BenchError::Setup(error.to_string()))?;
    }
    // Writing 5 resets VmHWM to VmRSS (Linux 4.0 and later); where that fails the peak
    // includes the tiny warm-up, which changes nothing at scale.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    Ok(())
}

/// Runs one case in this process.
pub fn run_case(name: &str, options: &BenchOptions) -> Result<CaseResult, BenchError> {
    let quick = options.quick;
    if !CASES.contains(&name) {
        return Err(BenchError::UnknownCase(name.to_string()));
    }
    warm_up(name, options)?;
    let start = resident_memory_bytes();
    let mut result = match name {
        "classic_40" => classic(name, 40, 200, if quick { 3 } else { 20 }),
        "classic_200" => classic(
            name,
            200,
            if quick { 50 } else { 200 },
            if quick { 1 } else { 3 },
        ),
        "classic_1000" => classic(name, 1000, if quick { 10 } else { 200 }, 1),
        "baseline_1000" => baseline(name, options, 1000, quick)?,
        "baseline_150" => baseline(name, options, 150, quick)?,
        "sweep" => sweep(options)?,
        "classroom" => classroom(options)?,
        other => return Err(BenchError::UnknownCase(other.to_string())),
    };
    // A case that writes its run's files took its peak before writing them.
    if result.peak_memory_bytes == 0 {
        result.peak_memory_bytes = peak_memory_bytes();
    }
    result.start_memory_bytes = start;
    // A sweep or a class holds several runs at once: per agent of one run means nothing there.
    result.bytes_per_agent = (!matches!(name, "sweep" | "classroom")).then(|| {
        result.peak_memory_bytes.saturating_sub(start) as f64 / result.agents.max(1) as f64
    });
    Ok(result)
}

fn classic(name: &str, side: u32, steps: u32, runs: u32) -> CaseResult {
    let params = Params {
        width: side,
        height: side,
        ..Params::defaults(Variant::Mesa)
    };
    let mut seconds = 0.0;
    let mut updates = 0u64;
    let mut agents = 0;
    let mut counted = 0u64;
    for seed in 1..=u64::from(runs) {
        let mut model = Epstein::new(&params, seed).expect("the defaults are valid");
        agents = model.agents();
        let started = Instant::now();
        for _ in 0..steps {
            model.step();
            // What a run records each step (as `classic::run` does).
            counted += u64::from(std::hint::black_box(model.counts()).active);
        }
        seconds += started.elapsed().as_secs_f64();
        updates += agents as u64 * u64::from(steps);
    }
    std::hint::black_box(counted);
    CaseResult {
        name: name.to_string(),
        what: format!(
            "classic Epstein (Mesa variant) {side} x {side}, {steps} steps, {runs} seed(s)"
        ),
        agents,
        steps,
        runs,
        seconds,
        agent_updates_per_second: updates as f64 / seconds.max(1e-9),
        runs_per_minute: None,
        wall_per_run: None,
        measuring_seconds: None,
        writing_seconds: None,
        threads: 1,
        peak_memory_bytes: 0,
        start_memory_bytes: 0,
        bytes_per_agent: None,
    }
}

fn baseline_overrides(people_per_agent: u32, quick: bool) -> Vec<Override> {
    let mut overrides = vec![Override::PeoplePerAgent(people_per_agent)];
    if quick {
        overrides.extend(Date::from_ymd(1917, 6, 30).map(Override::End));
    }
    overrides
}

fn baseline(
    name: &str,
    options: &BenchOptions,
    people_per_agent: u32,
    quick: bool,
) -> Result<CaseResult, BenchError> {
    let path = options.scenarios_dir.join("baseline_1917.toml");
    let scenario = load_scenario(
        &path,
        &options.scenarios_dir,
        &baseline_overrides(people_per_agent, quick),
    )
    .map_err(|error| BenchError::Setup(error.to_string()))?;
    let started = Instant::now();
    let simulation = Simulation::with_threads(&scenario, options.threads);
    let (agents, steps) = (simulation.agents(), simulation.steps());
    let result = simulation
        .run(|_, _| {})
        .map_err(|error| BenchError::Setup(error.to_string()))?;
    let wall = started.elapsed().as_secs_f64();
    // The run's peak, not the files' text held while they are written.
    let peak_memory_bytes = peak_memory_bytes();
    let folder = tempfile::tempdir().map_err(|e| BenchError::Setup(e.to_string()))?;
    let writing = write_run_on(
        options.threads,
        folder.path(),
        &scenario,
        &result,
        Format::Csv,
    )
    .map_err(|e| BenchError::Setup(e.to_string()))?;
    Ok(CaseResult {
        name: name.to_string(),
        what: format!(
            "baseline_1917 at people_per_agent {people_per_agent}, {} thread(s){}",
            options.threads,
            if quick { " (quick: to 1917-06-30)" } else { "" }
        ),
        agents,
        steps,
        runs: 1,
        seconds: result.wall_seconds,
        agent_updates_per_second: result.agent_updates_per_second(),
        runs_per_minute: None,
        wall_per_run: Some(wall),
        measuring_seconds: Some(result.measuring_seconds),
        writing_seconds: Some(writing),
        threads: options.threads,
        peak_memory_bytes,
        start_memory_bytes: 0,
        bytes_per_agent: None,
    })
}

/// Agents and weeks of `baseline_1917` at a scale (built, not run).
fn baseline_size(
    options: &BenchOptions,
    people_per_agent: u32,
) -> Result<(usize, u32), BenchError> {
    let scenario = load_scenario(
        &options.scenarios_dir.join("baseline_1917.toml"),
        &options.scenarios_dir,
        &baseline_overrides(people_per_agent, false),
    )
    .map_err(|error| BenchError::Setup(error.to_string()))?;
    let probe = Simulation::new(&scenario);
    Ok((probe.agents(), probe.steps()))
}

fn sweep(options: &BenchOptions) -> Result<CaseResult, BenchError> {
    let setup = |message: String| BenchError::Setup(message);
    let dir = tempfile::tempdir().map_err(|e| setup(e.to_string()))?;
    let (people_per_agent, replicates) = if options.quick {
        (10_000, 2)
    } else {
        (1000, 4)
    };
    let file = dir.path().join("bench_sweep.toml");
    let text = format!(
        "[sweep]\nname = \"bench\"\nscenario = \"baseline_1917\"\ndesign = \"grid\"\n\
         replicates = {replicates}\nroot_seed = 1\nkeep_timeseries = false\n\n\
         [set]\n\"run.people_per_agent\" = {people_per_agent}\n\n\
         [vary]\n\"repression.arrest_rate\" = [0.05, 0.1]\n\n\
         [[summary]]\nmetric = \"active\"\ngroup = \"all\"\nstat = \"max\"\n"
    );
    std::fs::write(&file, text).map_err(|e| setup(e.to_string()))?;
    let sweep = crate::sweep::load_sweep(&file, &options.scenarios_dir)
        .map_err(|error| setup(error.to_string()))?;
    let threads = options.threads;
    let sweep_options = crate::sweep::SweepOptions {
        out: dir.path().join("out"),
        threads,
        shard: None,
        resume: false,
        plots: false,
        max_memory_mb: crate::sim::DEFAULT_MAX_MEMORY_MB,
    };
    let outcome = crate::sweep::run_sweep(&sweep, &sweep_options, &mut |_, _| {})
        .map_err(|error| setup(error.to_string()))?;
    let (agents, steps) = baseline_size(options, people_per_agent)?;
    let runs = outcome.ran as u32;
    Ok(CaseResult {
        name: "sweep".to_string(),
        what: format!(
            "sweep of {runs} baseline_1917 runs at people_per_agent {people_per_agent}, \
             {threads} thread(s)"
        ),
        agents,
        steps,
        runs,
        seconds: outcome.wall_seconds,
        agent_updates_per_second: agents as f64 * f64::from(steps) * f64::from(runs)
            / outcome.wall_seconds.max(1e-9),
        runs_per_minute: Some(outcome.runs_per_minute()),
        wall_per_run: None,
        measuring_seconds: None,
        writing_seconds: None,
        threads,
        peak_memory_bytes: 0,
        start_memory_bytes: 0,
        bytes_per_agent: None,
    })
}

/// Times `revsim serve`'s answer to a what-if at the classroom preset, the scenario it
/// extends already cached (its first answer, computing both, is in `what`).
fn classroom(options: &BenchOptions) -> Result<CaseResult, BenchError> {
    let setup = |message: String| BenchError::Setup(message);
    let dir = tempfile::tempdir().map_err(|e| setup(e.to_string()))?;
    let preset = crate::compare::CLASSROOM;
    let runs = if options.quick { 1 } else { preset.replicates };
    let whatif = crate::serve::WhatIf {
        scenario: "no_kornilov".to_string(),
        name: "bench_whatif".to_string(),
        title: "What if Kornilov had not marched? (bench)".to_string(),
        events: Vec::new(),
        params: Vec::new(),
        people_per_agent: if options.quick {
            20_000
        } else {
            preset.people_per_agent
        },
        runs,
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let serve_options = crate::serve::ServeOptions {
        port: 0,
        scenarios_dir: options.scenarios_dir.clone(),
        save_dir: dir.path().to_path_buf(),
        threads,
        max_memory_mb: crate::sim::DEFAULT_MAX_MEMORY_MB,
    };
    let (first, cached) = crate::serve::time_what_if(serve_options, &whatif).map_err(setup)?;
    let (agents, steps) = baseline_size(options, whatif.people_per_agent)?;
    // The what-if's runs and the first of them again, written for its fingerprint.
    let simulated = runs as u32 + 1;
    Ok(CaseResult {
        name: "classroom".to_string(),
        what: format!(
            "serve's answer to a what-if of no_kornilov, {runs} runs at people_per_agent {}, \
             baseline_1917 cached, {threads} thread(s); {first:.2} s with nothing cached",
            whatif.people_per_agent
        ),
        agents,
        steps,
        runs: simulated,
        seconds: cached,
        agent_updates_per_second: agents as f64 * f64::from(steps) * f64::from(simulated)
            / cached.max(1e-9),
        runs_per_minute: None,
        wall_per_run: Some(cached),
        measuring_seconds: None,
        writing_seconds: None,
        threads,
        peak_memory_bytes: 0,
        start_memory_bytes: 0,
        bytes_per_agent: None,
    })
}

/// How `revsim bench` takes its turns: each case `repeats` times, and, with `against`, as
/// often with that other revsim binary, alternately.
#[derive(Debug, Clone, Copy)]
pub struct Turns<'a> {
    pub repeats: u32,
    pub against: Option<&'a Path>,
}

/// One case's results over its turns: this build's, and the other build's where there is one.
#[derive(Debug, Clone)]
pub struct CaseRuns {
    pub ours: Vec<CaseResult>,
    pub theirs: Vec<CaseResult>,
}

impl CaseRuns {
    /// This build's fastest turn.
    pub fn best(&self) -> &CaseResult {
        fastest(&self.ours)
    }
}

/// The time a case is judged by: one run's wall time where the case has one, else its timed
/// seconds.
fn timed(result: &CaseResult) -> f64 {
    result.wall_per_run.unwrap_or(result.seconds)
}

/// The fastest of `results` (at least one).
fn fastest(results: &[CaseResult]) -> &CaseResult {
    results
        .iter()
        .min_by(|a, b| timed(a).total_cmp(&timed(b)))
        .expect("every case runs at least once")
}

/// Runs `cases` (all of [`CASES`] when empty), each in a child process of `exe` (the revsim
/// binary), `turns.repeats` times, and as often in a child process of `turns.against` right
/// after each, calling `on_case` as each run finishes.
pub fn run_cases(
    exe: &Path,
    cases: &[String],
    options: &BenchOptions,
    turns: Turns,
    mut on_case: impl FnMut(&CaseResult),
) -> Result<Vec<CaseRuns>, BenchError> {
    let cases: Vec<String> = if cases.is_empty() {
        CASES.iter().map(|c| c.to_string()).collect()
    } else {
        cases.to_vec()
    };
    if let Some(unknown) = cases.iter().find(|c| !CASES.contains(&c.as_str())) {
        return Err(BenchError::UnknownCase(unknown.clone()));
    }
    if let Some(other) = turns.against.filter(|other| !other.is_file()) {
        return Err(BenchError::NoOtherBinary(other.to_path_buf()));
    }
    let mut results = Vec::new();
    for case in cases {
        let mut runs = CaseRuns {
            ours: Vec::new(),
            theirs: Vec::new(),
        };
        for _ in 0..turns.repeats.max(1) {
            let ours = run_child(exe, &case, options)?;
            on_case(&ours);
            runs.ours.push(ours);
            if let Some(other) = turns.against {
                runs.theirs.push(run_child(other, &case, options)?);
            }
        }
        results.push(runs);
    }
    Ok(results)
}

/// Runs `case` in a child process of `exe` (`revsim bench --case`) and reads its result.
fn run_child(exe: &Path, case: &str, options: &BenchOptions) -> Result<CaseResult, BenchError> {
    let mut command = Command::new(exe);
    command
        .arg("--scenarios")
        .arg(&options.scenarios_dir)
        .args(["bench", "--case", case]);
    if options.quick {
        command.arg("--quick");
    }
    command.args(["--threads", &options.threads.to_string()]);
    let failed = |message: String| BenchError::Child {
        case: case.to_string(),
        binary: exe.to_path_buf(),
        message,
    };
    let output = command.output().map_err(|e| failed(e.to_string()))?;
    if !output.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| failed(format!("unreadable result: {e}")))
}

/// One case's times against the other build's, in seconds.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub case: String,
    /// This build's time each turn (see the module's table for what a case times).
    pub ours: Vec<f64>,
    /// The other build's, in the same turns.
    pub theirs: Vec<f64>,
    /// The median over the turns of this build's time over the other's: below 1, faster.
    pub ratio_median: f64,
    pub ratio_min: f64,
    pub ratio_max: f64,
}

/// Each case's times beside the other build's, where `--against` gave one.
pub fn compare(results: &[CaseRuns]) -> Vec<Comparison> {
    results
        .iter()
        .filter(|runs| !runs.theirs.is_empty())
        .map(|runs| {
            let ours: Vec<f64> = runs.ours.iter().map(timed).collect();
            let theirs: Vec<f64> = runs.theirs.iter().map(timed).collect();
            let mut ratios: Vec<f64> = ours.iter().zip(&theirs).map(|(a, b)| a / b).collect();
            ratios.sort_by(f64::total_cmp);
            Comparison {
                case: runs.best().name.clone(),
                ratio_median: median(&ratios),
                ratio_min: ratios[0],
                ratio_max: ratios[ratios.len() - 1],
                ours,
                theirs,
            }
        })
        .collect()
}

/// The median of sorted `values` (NaN where there are none).
fn median(values: &[f64]) -> f64 {
    crate::validate::quantile(values, 0.5).unwrap_or(f64::NAN)
}

/// The comparisons as a table: each build's best and median time, and the median ratio.
pub fn render_comparison(comparisons: &[Comparison], against: &Path) -> String {
    let sorted_median = |times: &[f64]| {
        let mut times = times.to_vec();
        times.sort_by(f64::total_cmp);
        (times[0], median(&times))
    };
    let mut text = format!(
        "\nAgainst {}, turn and turn about:\n\n\
         | case | turns | this build: best (median) | other: best (median) | this / other: median (range) |\n\
         |---|---|---|---|---|\n",
        against.display()
    );
    for c in comparisons {
        let (ours_best, ours_median) = sorted_median(&c.ours);
        let (theirs_best, theirs_median) = sorted_median(&c.theirs);
        text.push_str(&format!(
            "| {} | {} | {ours_best:.3} s ({ours_median:.3} s) | {theirs_best:.3} s ({theirs_median:.3} s) | {:.3} ({:.3}-{:.3}) |\n",
            c.case,
            c.ours.len(),
            c.ratio_median,
            c.ratio_min,
            c.ratio_max
        ));
    }
    text.push_str(
        "\nTimes: one run's wall time, setup included (baseline), else the timed seconds of the \
         case (see the table above). Below 1, this build is faster.\n",
    );
    text
}

fn target_line(result: &CaseResult, mesa_rate: Option<f64>) -> String {
    match result.name.as_str() {
        name if name.starts_with("classic") => match mesa_rate {
            Some(mesa) => {
                let ratio = result.agent_updates_per_second / mesa;
                format!(
                    "{ratio:.0} x Mesa ({mesa:.3e}/s); target 1000 x: {}",
                    if ratio >= 1000.0 { "met" } else { "NOT met" }
                )
            }
            None => "Mesa not measured (benches/mesa_compare.py, or --mesa-rate)".to_string(),
        },
        "baseline_1000" | "baseline_150" => {
            let limit = if result.name == "baseline_150" {
                LARGE_WALL_TARGET
            } else {
                BASELINE_WALL_TARGET[usize::from(result.threads > 1)]
            };
            let wall = result.wall_per_run.unwrap_or(result.seconds);
            let mut line = format!(
                "{wall:.2} s wall (build + run); target < {limit} s: {}",
                if wall < limit { "met" } else { "NOT met" }
            );
            if let (Some(measuring), Some(writing)) =
                (result.measuring_seconds, result.writing_seconds)
            {
                let share = measuring / result.seconds.max(1e-9);
                line.push_str(&format!(
                    "; measuring {:.1} % of the run, target < {:.0} %: {}; writing the files {writing:.2} s",
                    PERCENT * share,
                    PERCENT * MEASURING_SHARE_TARGET,
                    if share < MEASURING_SHARE_TARGET { "met" } else { "NOT met" }
                ));
            }
            line
        }
        "classroom" => {
            let wall = result.wall_per_run.unwrap_or(result.seconds);
            format!(
                "{wall:.2} s per what-if, base cached; target < 10 s: {}",
                if wall < 10.0 { "met" } else { "NOT met" }
            )
        }
        _ => format!(
            "{:.1} runs/minute",
            result.runs_per_minute.unwrap_or(f64::NAN)
        ),
    }
}

/// The results as a table, with each figure beside its target.
pub fn render(results: &[CaseResult], mesa_rate: Option<f64>) -> String {
    let mut text = format!(
        "| case | agents | steps x runs | agent-updates/s | speed vs target | peak memory (process) | model bytes/agent (target < {BYTES_PER_AGENT_TARGET} at 1.2 million) |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for r in results {
        let memory = match r.bytes_per_agent {
            None => "-".to_string(),
            Some(bytes) if r.name == MEMORY_TARGET_CASE => format!(
                "{bytes:.0}: {}",
                if bytes < BYTES_PER_AGENT_TARGET {
                    "met"
                } else {
                    "NOT met"
                }
            ),
            Some(bytes) => format!("{bytes:.0}"),
        };
        text.push_str(&format!(
            "| {} | {} | {} x {} | {:.3e} | {} | {:.1} MiB | {} |\n",
            r.name,
            r.agents,
            r.steps,
            r.runs,
            r.agent_updates_per_second,
            target_line(r, mesa_rate),
            r.peak_memory_bytes as f64 / (1024.0 * 1024.0),
            memory
        ));
    }
    text.push_str(
        "\nTimes: the model's steps only (classic), Simulation::with_threads + run (baseline wall, on --threads), \
         the whole sweep (sweep), serve's whole answer (classroom). Peak memory: VmHWM of the process that ran the case; model \
         bytes/agent: (VmHWM - VmRSS before the case) / agents.\n",
    );
    for r in results {
        text.push_str(&format!("- {}: {}\n", r.name, r.what));
    }
    text
}

/// The results as JSON: `{"mesa_rate": ..., "cases": [...], "against": [...]}`, each case's
/// fastest turn, and the comparisons with the other build (empty without one).
pub fn to_json(results: &[CaseRuns], mesa_rate: Option<f64>) -> String {
    let best: Vec<&CaseResult> = results.iter().map(CaseRuns::best).collect();
    serde_json::json!({ "mesa_rate": mesa_rate, "cases": best, "against": compare(results) })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_peak_memory() {
        if Path::new("/proc/self/status").exists() {
            assert!(peak_memory_bytes() > 1024 * 1024);
        }
    }

    #[test]
    fn a_quick_classic_case_runs() {
        let options = BenchOptions {
            quick: true,
            scenarios_dir: PathBuf::from("scenarios"),
            mesa_rate: None,
            threads: 1,
        };
        let result = run_case("classic_40", &options).unwrap();
        assert!(result.agents > 1000 && result.agent_updates_per_second > 0.0);
        assert!(render(&[result], Some(40_000.0)).contains("classic_40"));
        assert!(run_case("nope", &options).is_err());
    }

    /// A result that took `seconds` a run.
    fn took(seconds: f64) -> CaseResult {
        CaseResult {
            name: "baseline_1000".to_string(),
            what: String::new(),
            agents: 1,
            steps: 1,
            runs: 1,
            seconds,
            agent_updates_per_second: 1.0 / seconds,
            runs_per_minute: None,
            wall_per_run: Some(seconds),
            measuring_seconds: None,
            writing_seconds: None,
            threads: 1,
            peak_memory_bytes: 0,
            start_memory_bytes: 0,
            bytes_per_agent: None,
        }
    }

    #[test]
    fn turns_against_another_build_give_the_median_ratio_and_the_fastest_turn() {
        let runs = CaseRuns {
            ours: [3.0, 1.0, 2.0].map(took).to_vec(),
            theirs: [2.0, 2.0, 4.0].map(took).to_vec(),
        };
        assert_eq!(timed(runs.best()), 1.0);
        let [comparison] = compare(&[runs]).try_into().unwrap();
        // Turn by turn: 1.5, 0.5, 0.5.
        assert_eq!(
            (
                comparison.ratio_median,
                comparison.ratio_min,
                comparison.ratio_max
            ),
            (0.5, 0.5, 1.5)
        );
        let table = render_comparison(&[comparison], Path::new("old/revsim"));
        assert!(table.contains("| baseline_1000 | 3 | 1.000 s (2.000 s) | 2.000 s (2.000 s) | 0.500 (0.500-1.500) |"), "{table}");
        assert_eq!(median(&[1.0, 2.0, 4.0, 8.0]), 3.0);
        let alone = CaseRuns {
            ours: vec![took(1.0)],
            theirs: Vec::new(),
        };
        assert!(
            compare(&[alone]).is_empty(),
            "no other build, no comparison"
        );
    }

    /// The memory target is judged at 1.2 million agents only; the recorder's share against its
    /// own target wherever a baseline case measured it.
    #[test]
    fn memory_is_judged_at_scale_and_measuring_beside_its_target() {
        let at = |name: &str| CaseResult {
            name: name.to_string(),
            bytes_per_agent: Some(151.0),
            measuring_seconds: Some(0.03),
            writing_seconds: Some(0.05),
            ..took(1.0)
        };
        let table = render(&[at("baseline_1000"), at("baseline_150")], None);
        assert!(table.contains("| 151 |"), "{table}");
        assert!(table.contains("| 151: NOT met |"), "{table}");
        assert!(
            table.contains("measuring 3.0 % of the run, target < 2 %: NOT met"),
            "{table}"
        );
    }

    #[test]
    fn a_quick_classroom_case_answers_through_serve() {
        let options = BenchOptions {
            quick: true,
            scenarios_dir: PathBuf::from("scenarios"),
            mesa_rate: None,
            threads: 1,
        };
        let result = run_case("classroom", &options).unwrap();
        assert_eq!(result.runs, 2, "one run and its fingerprint run");
        assert!(result.seconds > 0.0 && result.wall_per_run == Some(result.seconds));
        assert!(render(&[result], None).contains("s per what-if, base cached"));
    }
}
