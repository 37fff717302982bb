//! The classic Epstein (2002) model, Mesa variant at the defaults, timed by criterion
//! (DESIGN 7: speed is checked here, never by a timed test). Throughput is agents x steps, so
//! criterion's `thrpt` is agent-updates per second.
//!
//! - `classic_epstein/40`: 40 x 40 (~1,200 agents), 200 steps; compare with Mesa's figure
//!   from `benches/mesa_compare.py` (target: 1,000 x Mesa).
//! - `classic_epstein/200`: 200 x 200 (~30,000 agents), 50 steps.
//! - `classic_epstein/1000`: 1000 x 1000 (~740,000 agents), 10 steps.
//!
//! Setting up the lattice is not timed; each sample starts from the same seeded start state,
//! after 20 untimed steps so that the start-up outburst is over.
//! `cargo bench --bench classic -- --quick` gives rough figures in a few seconds.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use revsim::classic::{Epstein, Params, Variant};

fn warmed_up(side: u32) -> Epstein {
    let params = Params {
        width: side,
        height: side,
        ..Params::defaults(Variant::Mesa)
    };
    let mut model = Epstein::new(&params, 1).expect("the defaults are valid");
    for _ in 0..20 {
        model.step();
    }
    model
}

fn classic(c: &mut Criterion) {
    let mut group = c.benchmark_group("classic_epstein");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (side, steps) in [(40u32, 200u32), (200, 50), (1000, 10)] {
        let start = warmed_up(side);
        let updates = start.agents() as u64 * u64::from(steps);
        group.throughput(Throughput::Elements(updates));
        group.bench_function(BenchmarkId::from_parameter(side), |b| {
            b.iter_batched(
                || start.clone(),
                |mut model| {
                    for _ in 0..steps {
                        model.step();
                    }
                    model.counts()
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, classic);
criterion_main!(benches);
