//! The metric registry (`src/metrics/registry.rs`) is the output contract: what a run writes,
//! what targets, outcomes and fans read, and the table in ARCHITECTURE.md all agree with it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use revsim::compare::{key_outcomes, RunRecord, FAN_METRICS};
use revsim::metrics::{self, Metric, FAMILIES};
use revsim::sim::{RunResult, Simulation};
use revsim::validate::{all_targets, RunView};

use common::root;

/// The baseline at one agent per 200,000 people (about 900 agents), to the end of 1922.
fn tiny_baseline() -> RunResult {
    let scenario = common::baseline(&["run.people_per_agent=200000"]);
    Simulation::new(&scenario)
        .run(|_, _| {})
        .expect("a finite run")
}

#[test]
fn a_run_writes_exactly_what_the_registry_declares() {
    let result = tiny_baseline();
    let mut written = BTreeSet::new();
    for row in &result.metrics.rows {
        assert!(
            row.metric.has_group(row.group),
            "{} is written for {}, which the registry does not declare",
            row.metric,
            row.group
        );
        written.insert(row.metric);
    }
    // The baseline convenes congresses and holds the Assembly election, so every metric of
    // the registry, weekly or announced, appears.
    for metric in Metric::all() {
        assert!(written.contains(&metric), "{metric} is never written");
    }
}

#[test]
fn every_target_outcome_and_fan_names_a_registered_metric() {
    // `RunView` resolves each name against the registry and panics on one it does not know:
    // reading every target and outcome from a whole run reaches every name they use.
    let result = tiny_baseline();
    let view = RunView::new(&result.metrics).with_events(&result.events.events);
    for target in all_targets() {
        let _ = (target.measure)(&view);
    }
    let record = RunRecord::new(
        RunView::new(&result.metrics),
        &result.events.events,
        result.metrics.dates.last().map(String::as_str),
    );
    for outcome in key_outcomes() {
        let _ = outcome.read(&record);
    }
    for fan in FAN_METRICS {
        assert!(
            metrics::resolve(fan.metric, fan.group).is_ok(),
            "{} {}",
            fan.metric,
            fan.group
        );
    }
}

#[test]
fn architecture_md_holds_the_registry_table() {
    let path = root().join("ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).expect("ARCHITECTURE.md");
    let table = metrics::markdown_table();
    assert!(
        text.contains(&table),
        "{}'s metric table differs from the registry; replace it with:\n{table}",
        Path::new("ARCHITECTURE.md").display()
    );
    assert_eq!(table.lines().count(), FAMILIES.len() + 2);
}

#[test]
fn revsim_list_metrics_prints_every_family() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_revsim"))
        .args(["list", "metrics"])
        .current_dir(root())
        .output()
        .expect("the revsim binary starts");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for spec in FAMILIES {
        assert!(text.contains(&spec.pattern()), "{} missing", spec.pattern());
    }
}
