//! revsim: an agent-based simulator of the Russian Revolution and Civil War (1917-1922).
//!
//! Data flows one way: scenario file -> validated [`scenario::Scenario`] ->
//! [`sim::Simulation`] (a bevy_ecs World and Schedule) -> recorder -> files -> plots.
//! See `ARCHITECTURE.md` for the code map.

pub mod bench;
pub mod classic;
pub mod compare;
pub mod date;
pub mod ensemble;
pub mod fingerprint;
pub mod fsutil;
pub mod metrics;
pub mod model;
pub mod numeric;
pub mod parallel;
pub mod plot;
pub mod record;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod serve;
pub mod sim;
pub mod story;
pub mod sweep;
pub mod systems;
pub mod validate;
