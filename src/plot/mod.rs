//! Charts of a run (plotters), drawn from the run's output files: `timeseries.csv` and, if
//! present, `events.csv` (whose scheduled, triggered and emergent events are marked on the
//! time axis). Every chart is written as PNG and SVG into `<run>/plots/`, atomically.
//!
//! Text is drawn with the bundled DejaVu Sans, so charts render the same on machines without
//! system fonts. Metrics a run did not record are skipped: their panels say "not recorded".

mod charts;
pub(crate) mod data;
pub(crate) mod panels;
pub(crate) mod style;
mod validation;

pub use validation::{plot_validation, ValidationRow};

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::fsutil::{commit, temp_sibling};
use charts::Chart;
use panels::DrawError;

/// Why a run could not be plotted. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error(
        "no {} in {}: run `revsim run` first or point to a run's output folder",
        crate::record::Format::either(crate::record::TIMESERIES),
        dir.display()
    )]
    MissingTimeseries { dir: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Read(#[from] crate::record::ReadError),
    #[error("could not draw {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
}

impl PlotError {
    /// Whether the folder given is not a run, or its files are damaged (exit status 2), rather
    /// than the plots failing to be written.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            PlotError::MissingTimeseries { .. }
                | PlotError::Read(crate::record::ReadError::Header { .. })
                | PlotError::Read(crate::record::ReadError::Malformed { .. })
        )
    }
}

/// The stems of the chart files `plot_run` writes (each as `<stem>.png` and `<stem>.svg`).
pub fn plot_files() -> &'static [&'static str] {
    const STEMS: [&str; 6] = [
        "allegiance",
        "allegiance_by_class",
        "soviets",
        "economy",
        "armies",
        "unrest",
    ];
    &STEMS
}

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled font as "sans-serif" (once per process).
pub(crate) fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled font is a valid TrueType file; should registration ever fail, drawing
        // text reports the missing font as a drawing error instead.
        let _ = plotters::style::register_font(style::FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// Reads `dir/timeseries.csv` (and `dir/events.csv` if present) and writes every chart of
/// [`plot_files`] into `dir/plots/` as PNG and SVG. Returns the paths written.
pub fn plot_run(dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let data = data::read_run(dir)?;
    register_fonts();
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::with_capacity(Chart::ALL.len() * 2);
    for chart in Chart::ALL {
        let (width, height) = chart.size();

        let png = plots.join(format!("{}.png", chart.stem()));
        write_atomic(&png, |temp| {
            let root = BitMapBackend::new(temp, (width, height)).into_drawing_area();
            chart.draw(&root, &data)?;
            root.present()?;
            Ok(())
        })?;
        written.push(png);

        let svg = plots.join(format!("{}.svg", chart.stem()));
        write_atomic(&svg, |temp| {
            let root = SVGBackend::new(temp, (width, height)).into_drawing_area();
            chart.draw(&root, &data)?;
            root.present()?;
            Ok(())
        })?;
        written.push(svg);
    }
    Ok(written)
}

/// Draws into a temporary sibling of `path`, then renames it into place (removing the
/// temporary file if drawing fails).
pub(crate) fn write_atomic(
    path: &Path,
    draw: impl FnOnce(&Path) -> Result<(), DrawError>,
) -> Result<(), PlotError> {
    let temp = temp_sibling(path);
    if let Err(DrawError(message)) = draw(&temp) {
        let _ = fs::remove_file(&temp);
        return Err(PlotError::Draw {
            path: path.to_path_buf(),
            message,
        });
    }
    commit(&temp, path).map_err(|source| {
        let _ = fs::remove_file(&temp);
        PlotError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_match_the_charts() {
        let stems: Vec<&str> = Chart::ALL.iter().map(|c| c.stem()).collect();
        assert_eq!(stems, plot_files());
    }
}
