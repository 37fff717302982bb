//! Small-ensemble checks that switching off a decisive 1917 mechanism moves the outcome the
//! way the texts argue. Each runs 3 seeds at 4,000 people per agent to November 1917.

use std::path::Path;

use revsim::scenario::{load_scenario, Override, Scenario};
use revsim::sim::Simulation;
use revsim::validate::RunView;

const SEEDS: [u64; 3] = [1, 2, 3];

fn baseline(extra: &[(&str, &str)]) -> Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut overrides = vec![
        Override {
            name: "run.people_per_agent".into(),
            value: "4000".into(),
        },
        Override {
            name: "run.end".into(),
            value: "1917-11-20".into(),
        },
    ];
    overrides.extend(extra.iter().map(|(name, value)| Override {
        name: name.to_string(),
        value: value.to_string(),
    }));
    load_scenario(
        &root.join("scenarios/baseline_1917.toml"),
        &root.join("scenarios"),
        &overrides,
    )
    .expect("the baseline loads")
}

/// Mean over seeds of the mean of `metric` for `group` between two dates.
fn ensemble_mean(scenario: &Scenario, metric: &str, group: &str, from: &str, to: &str) -> f64 {
    let mut total = 0.0;
    for seed in SEEDS {
        let mut run = scenario.clone();
        run.run.seed = seed;
        let result = Simulation::new(&run).run(|_, _| {});
        let view = RunView::new(&result.metrics);
        total += view
            .mean_between(metric, group, from, to)
            .expect("the metric is recorded");
    }
    total / SEEDS.len() as f64
}

fn without_events(mut scenario: Scenario, prefix: &str) -> Scenario {
    scenario
        .events
        .retain(|event| !event.id.starts_with(prefix));
    scenario
}

/// The Kornilov affair freed and armed the left and discredited the government: without it
/// the Bolshevik surge of the autumn is weaker [000:263-271][001:229-233].
#[test]
fn without_kornilov_the_bolshevik_surge_is_weaker() {
    let with = ensemble_mean(
        &baseline(&[]),
        "support.private.bolsheviks",
        "all",
        "1917-10-10",
        "1917-11-01",
    );
    let without = ensemble_mean(
        &without_events(baseline(&[]), "kornilov"),
        "support.private.bolsheviks",
        "all",
        "1917-10-10",
        "1917-11-01",
    );
    assert!(
        with > without + 0.015,
        "Bolshevik support in October: with Kornilov {with:.3}, without {without:.3}"
    );
}

/// The moderate socialists paid for joining a failing government: without the coalition
/// penalty they keep the Petrograd Soviet and the Bolsheviks get no majority by October
/// [000:263-279][001:189].
#[test]
fn without_the_coalition_penalty_the_moderates_keep_the_petrograd_soviet() {
    let with = ensemble_mean(
        &baseline(&[]),
        "soviet.share.bolsheviks",
        "soviet.petrograd",
        "1917-09-15",
        "1917-10-31",
    );
    let without = ensemble_mean(
        &baseline(&[("allegiance.government_penalty", "0")]),
        "soviet.share.bolsheviks",
        "soviet.petrograd",
        "1917-09-15",
        "1917-10-31",
    );
    assert!(
        with > 0.5,
        "baseline Bolshevik share of the Petrograd Soviet, autumn 1917: {with:.3}"
    );
    assert!(
        without < with - 0.1,
        "with the penalty {with:.3}, without {without:.3}"
    );
}
