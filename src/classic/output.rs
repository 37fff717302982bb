//! The files of a classic Epstein run, each written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::config::EpsteinSetup;
use super::epstein::History;
use super::ClassicError;
use crate::fsutil::{commit, temp_sibling, write_atomic};

/// A share with up to 6 decimals and no trailing zeros, the same on every platform.
fn format_share(value: f64) -> String {
    let text = format!("{value:.6}");
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed.is_empty() || trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `timeseries.csv`: `step,metric,group,value`; per step the shares `active`, `quiet`,
/// `jailed` and the counts `count.active`, `count.quiet`, `count.jailed`, group `all`.
pub fn write_timeseries(path: &Path, history: &History) -> Result<(), ClassicError> {
    write_atomic(path, |out| {
        writeln!(out, "step,metric,group,value")?;
        for (step, counts) in history.counts.iter().enumerate() {
            let shares = [
                ("active", counts.active_share()),
                ("quiet", counts.quiet_share()),
                ("jailed", counts.jailed_share()),
            ];
            for (metric, value) in shares {
                writeln!(out, "{step},{metric},all,{}", format_share(value))?;
            }
            let numbers = [
                ("count.active", counts.active),
                ("count.quiet", counts.quiet),
                ("count.jailed", counts.jailed),
            ];
            for (metric, value) in numbers {
                writeln!(out, "{step},{metric},all,{value}")?;
            }
        }
        Ok(())
    })
    .map_err(|source| ClassicError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[derive(serde::Serialize)]
struct Manifest<'a> {
    revsim_version: &'static str,
    model: &'static str,
    name: &'a str,
    title: &'a str,
    scenario_file: String,
    seed: u64,
    steps: u32,
    citizens: usize,
    cops: usize,
    agents: usize,
    parameters: &'a super::Params,
    mean_active_share: f64,
    peak_active_share: f64,
    wall_seconds: f64,
    agent_updates_per_second: f64,
    timeseries_columns: &'static str,
}

/// `manifest.json`: what was run, with what, and how long it took.
pub fn write_manifest(
    path: &Path,
    setup: &EpsteinSetup,
    history: &History,
    wall_seconds: f64,
) -> Result<(), ClassicError> {
    let agents = history.citizens + history.cops;
    let manifest = Manifest {
        revsim_version: env!("CARGO_PKG_VERSION"),
        model: "epstein",
        name: &setup.name,
        title: &setup.title,
        scenario_file: setup
            .file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        seed: setup.seed,
        steps: history.steps(),
        citizens: history.citizens,
        cops: history.cops,
        agents,
        parameters: &setup.params,
        mean_active_share: history.mean_active_share(),
        peak_active_share: history.peak_active_share(),
        wall_seconds,
        agent_updates_per_second: agents as f64 * f64::from(history.steps())
            / wall_seconds.max(1e-9),
        timeseries_columns: "step,metric,group,value",
    };
    write_atomic(path, |out| {
        serde_json::to_writer_pretty(&mut *out, &manifest)?;
        writeln!(out)
    })
    .map_err(|source| ClassicError::Write {
        path: path.to_path_buf(),
        source,
    })
}

const FONT: &str = "sans-serif";
const ACTIVE: RGBColor = RGBColor(204, 0, 0);
const QUIET: RGBColor = RGBColor(30, 110, 200);
const JAILED: RGBColor = RGBColor(40, 40, 40);

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// An upper bound for the zoomed axis: 1, 2 or 5 times a power of ten, at least 1 %.
fn nice_upper(max: f64) -> f64 {
    let max = max.max(0.01);
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&u| u >= max * 1.05)
        .unwrap_or(10.0 * power)
        .min(1.0)
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    setup: &EpsteinSetup,
    history: &History,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let p = &setup.params;
    let (head, body) = root.split_vertically(70);
    head.draw(&Text::new(
        setup.title.clone(),
        (20, 12),
        (FONT, 24).into_font().color(&BLACK),
    ))?;
    head.draw(&Text::new(
        format!(
            "{} x {}, {} citizens, {} cops, vision {}, L {}, J_max {}, T {}, k {}, t = {}, seed {}",
            p.width,
            p.height,
            history.citizens,
            history.cops,
            p.vision,
            p.legitimacy,
            p.max_jail,
            p.threshold,
            p.k,
            p.transform.name(),
            history.seed
        ),
        (20, 44),
        (FONT, 14).into_font().color(&RGBColor(90, 90, 90)),
    ))?;
    let (top, bottom) = body.split_vertically(body.dim_in_pixel().1 / 2);
    let steps = history.steps().max(1) as f64;
    let series = |f: fn(&super::Counts) -> f64| -> Vec<(f64, f64)> {
        history
            .counts
            .iter()
            .enumerate()
            .map(|(s, c)| (s as f64, f(c)))
            .collect()
    };
    let lines = [
        ("quiet", QUIET, series(|c| c.quiet_share())),
        ("jailed", JAILED, series(|c| c.jailed_share())),
        ("active", ACTIVE, series(|c| c.active_share())),
    ];
    let mut chart = ChartBuilder::on(&top)
        .margin(10)
        .margin_right(24)
        .caption("Citizens by state", (FONT, 18))
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..steps, 0.0..1.0)?;
    chart
        .configure_mesh()
        .y_desc("share of citizens")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0} %", y * 100.0))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(TRANSPARENT)
        .draw()?;
    for (label, color, points) in &lines {
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(*label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FONT, 14))
        .draw()?;

    let active = &lines[2].2;
    let upper = nice_upper(active.iter().map(|&(_, y)| y).fold(0.0, f64::max));
    let mut zoom = ChartBuilder::on(&bottom)
        .margin(10)
        .margin_right(24)
        .caption("Active citizens (outbursts)", (FONT, 18))
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..steps, 0.0..upper)?;
    zoom.configure_mesh()
        .x_desc("step")
        .y_desc("share active")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.1} %", y * 100.0))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(TRANSPARENT)
        .draw()?;
    zoom.draw_series(AreaSeries::new(
        active.clone(),
        0.0,
        ACTIVE.mix(0.25).filled(),
    ))?;
    zoom.draw_series(LineSeries::new(active.clone(), ACTIVE.stroke_width(2)))?;
    root.present()?;
    Ok(())
}

/// Draws `plots/epstein.png` and `plots/epstein.svg` into `out`; returns their paths.
pub fn plot_epstein(
    out: &Path,
    setup: &EpsteinSetup,
    history: &History,
) -> Result<Vec<PathBuf>, ClassicError> {
    crate::plot::register_fonts();
    let dir = out.join("plots");
    std::fs::create_dir_all(&dir).map_err(|source| ClassicError::Write {
        path: dir.clone(),
        source,
    })?;
    let size = (1200, 800);
    let png = dir.join("epstein.png");
    let svg = dir.join("epstein.svg");
    for path in [&png, &svg] {
        let temp = temp_sibling(path);
        let drawn = if path == &png {
            draw(
                BitMapBackend::new(&temp, size).into_drawing_area(),
                setup,
                history,
            )
        } else {
            draw(
                SVGBackend::new(&temp, size).into_drawing_area(),
                setup,
                history,
            )
        };
        let result = drawn
            .map_err(|error| error.to_string())
            .and_then(|()| commit(&temp, path).map_err(|error| error.to_string()));
        if let Err(message) = result {
            let _ = std::fs::remove_file(&temp);
            return Err(ClassicError::Plot {
                path: path.clone(),
                message,
            });
        }
    }
    Ok(vec![png, svg])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_short_and_stable() {
        assert_eq!(format_share(0.0), "0");
        assert_eq!(format_share(1.0), "1");
        assert_eq!(format_share(0.125), "0.125");
        assert_eq!(format_share(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn zoomed_axis_is_round() {
        assert_eq!(nice_upper(0.0), 0.02);
        assert_eq!(nice_upper(0.03), 0.05);
        assert_eq!(nice_upper(0.12), 0.2);
        assert_eq!(nice_upper(0.9), 1.0);
    }
}
