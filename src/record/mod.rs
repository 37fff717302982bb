//! A run's metrics and event log -> the output files (timeseries.csv, events.csv,
//! manifest.json). The recorder reads the world; it never changes it.

mod output;
mod read;
mod run_files;

pub(crate) use output::format_value;
pub use output::{wrap, write_events, write_manifest, write_timeseries, Manifest, OutputError};
pub use read::{read_events, read_timeseries, ReadError, TimeseriesRow};
pub use run_files::{is_run_folder, write_run, RUN_FOLDER};
