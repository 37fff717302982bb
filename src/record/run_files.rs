//! Everything a finished run writes into its folder.

use std::path::Path;

use crate::record::{write_events, write_manifest, write_timeseries, Manifest, OutputError};
use crate::scenario::Scenario;
use crate::sim::RunResult;

/// Writes `timeseries.csv`, `events.csv` and `manifest.json` into `dir` (created if needed).
pub fn write_run(dir: &Path, scenario: &Scenario, result: &RunResult) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    write_timeseries(&dir.join("timeseries.csv"), &result.metrics)?;
    write_events(&dir.join("events.csv"), &result.events)?;
    let parameters = scenario
        .params
        .resolved()
        .into_iter()
        .map(|(name, value)| (name.to_string(), serde_json::json!(value)))
        .collect();
    let manifest = Manifest {
        revsim_version: env!("CARGO_PKG_VERSION").to_string(),
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
