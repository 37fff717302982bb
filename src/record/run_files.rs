//! Everything a finished run writes into its folder.

use std::path::Path;
use std::time::Instant;

use crate::fsutil::FolderKind;
use crate::record::{
    write_events, write_manifest, write_timeseries, Format, Manifest, OutputError, TIMESERIES,
};
use crate::scenario::Scenario;
use crate::sim::RunResult;

/// Writes the timeseries (as `format`), `events.csv` and `manifest.json` into `dir` (created
/// if needed).
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    result: &RunResult,
    format: Format,
) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    write_timeseries(
        &dir.join(format.file_name(TIMESERIES)),
        &result.metrics,
        None,
        &[],
    )?;
    write_events(&dir.join("events.csv"), &result.events)?;
    let parameters = scenario
        .params
        .resolved()
        .into_iter()
        .map(|(name, value)| (name.to_string(), serde_json::json!(value)))
        .collect();
    let manifest = Manifest {
        revsim_version: env!("CARGO_PKG_VERSION").to_string(),
        build: crate::fingerprint::build().clone(),
        scenario: scenario.name.clone(),
        scenario_file: scenario.path.display().to_string(),
        scenario_hash: scenario.hash.clone(),
        seed: scenario.run.seed,
        start: scenario.run.start.to_string(),
        end: scenario.run.end.to_string(),
        people_per_agent: scenario.run.people_per_agent,
        agents: result.agents,
        steps: result.steps,
        wall_seconds: result.wall_seconds,
        agent_updates_per_second: result.agent_updates_per_second(),
        parameters,
        events_enabled: scenario
            .events
            .iter()
            .filter(|e| e.enabled)
            .map(|e| e.id.clone())
            .collect(),
    };
    write_manifest(&dir.join("manifest.json"), &manifest)
}

/// [`write_run`] with the timeseries formatted on `threads` threads of a pool of its own (as
/// many as the run's rules took); returns the seconds it took.
pub fn write_run_on(
    threads: usize,
    dir: &Path,
    scenario: &Scenario,
    result: &RunResult,
    format: Format,
) -> Result<f64, OutputError> {
    let started = Instant::now();
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?
        .install(|| write_run(dir, scenario, result, format))?;
    Ok(started.elapsed().as_secs_f64())
}

/// Whether `dir` holds a run that `revsim run` wrote: its `manifest.json` names a scenario, a
/// seed and a number of agents, and is no sweep's (`kind`).
pub fn is_run_folder(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|manifest| {
        ["scenario_hash", "seed", "agents"]
            .iter()
            .all(|key| manifest.get(key).is_some())
            && manifest.get("kind").is_none()
    })
}

/// A run's output folder, for [`crate::fsutil::replace_folder`].
pub const RUN_FOLDER: FolderKind = FolderKind {
    name: "run",
    is_own: is_run_folder,
    forceable: true,
};
