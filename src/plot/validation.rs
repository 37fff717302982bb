//! The fit chart of `revsim validate`: one row per target, on a scale where each target's
//! tolerance runs from 0 to 1, with the ensemble's 5-95 % band, its median and the
//! historical value.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::panels::DrawError;
use super::style::FONT;
use super::{register_fonts, write_atomic, PlotError};

/// One target as the chart draws it.
#[derive(Debug, Clone)]
pub struct ValidationRow {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub expected: f64,
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    pub pass: bool,
}

/// Position on the chart: the tolerance maps to [0, 1]; far misses are clipped to the edges.
fn scaled(row: &ValidationRow, value: f64) -> f64 {
    let span = (row.high - row.low).abs().max(f64::MIN_POSITIVE);
    ((value - row.low) / span).clamp(-1.5, 2.5)
}

/// The row's height on the chart: the first target at the top.
fn row_y(index: usize, rows: usize) -> f64 {
    (rows - 1 - index) as f64
}

/// The label of the row drawn at height `y`, if a row is drawn there.
fn label_at(rows: &[ValidationRow], y: f64) -> Option<&str> {
    let i = y.round();
    if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= rows.len() {
        return None;
    }
    Some(rows[rows.len() - 1 - i as usize].label.as_str())
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    rows: &[ValidationRow],
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Ensemble against history (tolerance = grey band)",
            (FONT, 24),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(230)
        .build_cartesian_2d(-1.5f64..2.5f64, -0.5f64..(n - 0.5))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("position within the tolerance (0 = low end, 1 = high end)")
        .y_labels(rows.len())
        .y_label_formatter(&|y| label_at(rows, *y).unwrap_or_default().to_string())
        .label_style((FONT, 13))
        .draw()?;
    for (i, row) in rows.iter().enumerate() {
        let y = row_y(i, rows.len());
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.3), (1.0, y + 0.3)],
            RGBColor(225, 225, 225).filled(),
        )))?;
        let colour = if row.pass {
            RGBColor(30, 140, 60)
        } else {
            RGBColor(200, 40, 40)
        };
        if let (Some(lo), Some(hi)) = (row.p05, row.p95) {
            chart.draw_series(LineSeries::new(
                [(scaled(row, lo), y), (scaled(row, hi), y)],
                colour.stroke_width(3),
            ))?;
        }
        if let Some(median) = row.median {
            chart.draw_series(std::iter::once(Circle::new(
                (scaled(row, median), y),
                6,
                colour.filled(),
            )))?;
        }
        let expected = scaled(row, row.expected);
        chart.draw_series(std::iter::once(PathElement::new(
            [(expected, y - 0.35), (expected, y + 0.35)],
            BLACK.stroke_width(2),
        )))?;
    }
    Ok(())
}

/// Writes `validate.png` and `validate.svg` into `dir`.
pub fn plot_validation(dir: &Path, rows: &[ValidationRow]) -> Result<Vec<PathBuf>, PlotError> {
    register_fonts();
    let height = 120 + 34 * rows.len() as u32;
    let png = dir.join("validate.png");
    write_atomic(&png, |temp| {
        let root = BitMapBackend::new(temp, (1100, height)).into_drawing_area();
        draw(&root, rows)?;
        root.present()?;
        Ok(())
    })?;
    let svg = dir.join("validate.svg");
    write_atomic(&svg, |temp| {
        let root = SVGBackend::new(temp, (1100, height)).into_drawing_area();
        draw(&root, rows)?;
        root.present()?;
        Ok(())
    })?;
    Ok(vec![png, svg])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str) -> ValidationRow {
        ValidationRow {
            label: label.to_string(),
            low: 0.0,
            high: 1.0,
            expected: 0.5,
            median: Some(0.5),
            p05: None,
            p95: None,
            pass: true,
        }
    }

    #[test]
    fn each_row_is_labelled_with_its_own_target() {
        let rows = [row("first"), row("second"), row("third")];
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                label_at(&rows, row_y(i, rows.len())),
                Some(r.label.as_str())
            );
        }
        assert_eq!(
            label_at(&rows, 2.0),
            Some("first"),
            "the first target is at the top"
        );
        assert_eq!(label_at(&rows, 0.5), None);
        assert_eq!(label_at(&rows, 3.0), None);
    }
}
