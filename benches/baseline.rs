//! The baseline scenario end to end, timed by criterion (DESIGN 7: speed is checked here, never
//! by a timed test). Throughput is agents x weekly steps, so criterion reports agent-updates
//! per second (`thrpt`, in elem/s).
//!
//! - `baseline_1917/people_per_agent/1000`: the default scale (~180,000 agents, ~300 weeks,
//!   ~5 s a run); 10 samples of one run each.
//! - `baseline_1917_small/people_per_agent/10000`: a tenth of the agents, for quick checks:
//!   `cargo bench --bench baseline -- small`.
//!
//! With one run per sample criterion warns that it is "unable to complete 10 samples" in the
//! measurement time: that is expected, the 10 runs are done anyway.
//!
//! Building the World (spawning the agents) is setup and is not timed; only
//! `Simulation::run` is. Each scale ends with the share of the runs' time the recorder took
//! measuring each week. `cargo bench --bench baseline -- --quick` gives a rough figure from
//! three runs at each scale (about a minute).

use std::path::Path;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use revsim::scenario::{load_scenario, Override, Scenario};
use revsim::sim::Simulation;

/// The baseline scenario at `people_per_agent`, with its own seed and dates.
fn baseline(people_per_agent: u32) -> Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scale = Override::PeoplePerAgent(people_per_agent);
    load_scenario(
        &root.join("scenarios/baseline_1917.toml"),
        &root.join("scenarios"),
        &[scale],
    )
    .unwrap_or_else(|error| panic!("error: {error}"))
}

/// Benchmarks full runs of the baseline at `people_per_agent` in a group of `name`: 10
/// samples, as many runs each as fit in `measurement_time` / 10 (at least one).
fn bench_scale(c: &mut Criterion, name: &str, people_per_agent: u32, measurement_time: Duration) {
    let scenario = baseline(people_per_agent);
    let (agents, steps) = {
        let probe = Simulation::new(&scenario);
        (probe.agents(), probe.steps())
    };
    let updates = agents as u64 * u64::from(steps);
    eprintln!("{name}: {agents} agents x {steps} weeks = {updates} agent-updates a run");

    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        // Runs take seconds: the same number of runs in every sample, no linear ramp.
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(measurement_time)
        .throughput(Throughput::Elements(updates));
    // The recorder's time over the runs' (the target: under 2 %).
    let (mut measuring, mut wall) = (0.0, 0.0);
    group.bench_with_input(
        BenchmarkId::new("people_per_agent", people_per_agent),
        &scenario,
        |b, scenario| {
            b.iter_batched(
                || Simulation::new(scenario),
                |simulation| {
                    let result = simulation.run(|_, _| {}).expect("a finite run");
                    measuring += result.measuring_seconds;
                    wall += result.wall_seconds;
                    result
                },
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
    // Nothing ran where a filter left the group out.
    if wall > 0.0 {
        eprintln!(
            "{name}: the recorder took {:.1} % of the runs' time measuring (target: under 2 %)",
            100.0 * measuring / wall
        );
    }
}

fn full_scale(c: &mut Criterion) {
    // About 5-8 s a run: 10 samples of one run each (two if a run gets under 5 s).
    bench_scale(c, "baseline_1917", 1000, Duration::from_secs(50));
}

fn small_scale(c: &mut Criterion) {
    // About 0.6 s a run: 10 samples of two runs each.
    bench_scale(c, "baseline_1917_small", 10_000, Duration::from_secs(10));
}

criterion_group!(benches, small_scale, full_scale);
criterion_main!(benches);
