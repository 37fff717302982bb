//! The story of a run or a comparison in plain words, from its events and metrics.

pub mod words;
