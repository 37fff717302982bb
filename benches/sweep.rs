//! Sweeps end to end, timed by criterion: runs per minute of `revsim sweep` on this machine,
//! all cores, with every output file written and synced (plots are not drawn).
//!
//! - `sweep/default_scale`: the sweep of `benches/sweep.toml` (the baseline at the default
//!   scale, `people_per_agent` 1000: ~180,000 agents, ~300 weeks, ~6 s a run on one core),
//!   cut to two runs per core; 10 samples of one sweep each.
//! - `sweep/small_scale`: the same at `people_per_agent` 20000 (about 9,000 agents), eight
//!   runs per core, for quick checks: `cargo bench --bench sweep -- small`.
//!
//! Criterion's throughput (`thrpt`, elem/s) is runs per second; the bench also prints runs per
//! minute (the median sample) on its own line. With one sweep per sample criterion warns that
//! it is "unable to complete 10 samples" in the measurement time: expected.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use revsim::sweep::{load_sweep, run_sweep, Sweep, SweepOptions};

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// The bench sweep with `runs` runs (one per point, the first `runs` points of a longer
/// design), at `people_per_agent`.
fn bench_sweep(runs: usize, people_per_agent: u32) -> Sweep {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("benches/sweep.toml"))
        .expect("benches/sweep.toml")
        .replace(
            "\"run.people_per_agent\" = 1000",
            &format!("\"run.people_per_agent\" = {people_per_agent}"),
        )
        .replace("steps = 8", &format!("steps = {}", runs.max(2)));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("sweep.toml");
    std::fs::write(&file, text).expect("the bench sweep is written");
    let mut sweep =
        load_sweep(&file, &root.join("scenarios")).unwrap_or_else(|error| panic!("error: {error}"));
    sweep.points.truncate(runs);
    sweep
}

fn bench(c: &mut Criterion, name: &str, runs: usize, people_per_agent: u32, time: Duration) {
    let threads = threads();
    let sweep = bench_sweep(runs, people_per_agent);
    eprintln!(
        "sweep/{name}: {} runs of {} at people_per_agent {people_per_agent} on {threads} threads",
        sweep.runs(),
        sweep.scenario_name
    );
    let mut minutes_per_sweep: Vec<f64> = Vec::new();
    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(time)
        .throughput(Throughput::Elements(sweep.runs()));
    group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let out = tempfile::tempdir().expect("a temporary folder");
                let options = SweepOptions {
                    out: out.path().join("sweep"),
                    threads,
                    shard: None,
                    resume: false,
                    plots: false,
                    max_memory_mb: revsim::sim::DEFAULT_MAX_MEMORY_MB,
                };
                let started = Instant::now();
                run_sweep(&sweep, &options, &mut |_, _| {}).expect("the sweep runs");
                let elapsed = started.elapsed();
                minutes_per_sweep.push(elapsed.as_secs_f64() / 60.0);
                total += elapsed;
            }
            total
        })
    });
    group.finish();
    minutes_per_sweep.sort_by(f64::total_cmp);
    if let Some(median) = minutes_per_sweep.get(minutes_per_sweep.len() / 2) {
        eprintln!(
            "sweep/{name}: {:.1} runs per minute on {threads} threads (median of {} sweeps of {} runs)",
            sweep.runs() as f64 / median,
            minutes_per_sweep.len(),
            sweep.runs()
        );
    }
}

fn default_scale(c: &mut Criterion) {
    // About 6 s a run on one core: two runs per core, one sweep per sample.
    let threads = threads();
    bench(
        c,
        "default_scale",
        2 * threads,
        1000,
        Duration::from_secs(60),
    );
}

fn small_scale(c: &mut Criterion) {
    bench(
        c,
        "small_scale",
        8 * threads(),
        20_000,
        Duration::from_secs(10),
    );
}

criterion_group!(benches, small_scale, default_scale);
criterion_main!(benches);
