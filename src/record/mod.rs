//! A run's metrics and event log -> the output files (timeseries.csv or .parquet,
//! events.csv, manifest.json); `table.rs` the one writer and reader of tables in either
//! format. The recorder reads the world; it never changes it.

mod output;
mod read;
mod run_files;
mod table;

pub(crate) use output::format_value;
pub use output::{
    wrap, write_events, write_manifest, write_timeseries, Manifest, OutputError, TIMESERIES,
};
pub use read::{read_events, read_timeseries, ReadError, TimeseriesRow};
pub use run_files::{is_run_folder, write_run, write_run_on, RUN_FOLDER};
pub use table::{columns, write_table, Column, Format, Kind, Rows, TableReader};
