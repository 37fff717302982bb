//! Overlaid fan charts of a comparison: for each metric of [`FAN_METRICS`], every scenario's
//! weekly median as a line and its 5-95 % band as a shaded area, in one colour per scenario.
//! Drawn large (for a projector) as SVG and PNG into `<dir>/plots/`.

use std::fs;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::data::parse_date;
use crate::plot::panels::{
    figure, legend_row, time_chart, Axis, DrawResult, Frame, LegendEntry, Scale, WIDE,
};
use crate::plot::style::{nice_upper, people_unit, share_upper, OKABE_ITO, REFERENCE};
use crate::plot::{register_fonts, write_atomic, PlotError};
use crate::validate::Unit;

use super::{Comparison, FanMetric, FanSeries, FAN_METRICS};

/// One colour per scenario, in the order compared: the first (the reference) grey, the
/// others from the colour-blind-safe Okabe–Ito palette.
pub const SCENARIO_COLOURS: [RGBColor; 8] = [
    RGBColor(110, 110, 110),
    OKABE_ITO[6],
    OKABE_ITO[5],
    OKABE_ITO[3],
    OKABE_ITO[7],
    OKABE_ITO[1],
    OKABE_ITO[2],
    OKABE_ITO[0],
];

/// The colour of the `i`-th scenario compared.
pub fn scenario_colour(i: usize) -> RGBColor {
    SCENARIO_COLOURS[i % SCENARIO_COLOURS.len()]
}

const SIZE: (u32, u32) = (1280, 720);

/// Text a little larger than a run's wide chart, for a projector.
const BIG: Scale = Scale {
    caption: 22,
    labels: 19,
    desc: 19,
    x_ticks: 12,
    y_ticks: 8,
    line: 4,
};

/// A scenario's series to draw.
struct Series<'a> {
    name: &'a str,
    colour: RGBColor,
    points: Vec<(f64, f64, f64, f64)>,
    /// Where its runs split by who held power: each world's points, its median drawn dashed
    /// so that the split is not hidden in the one median.
    worlds: Vec<Vec<(f64, f64, f64, f64)>>,
}

fn points(series: &FanSeries) -> Vec<(f64, f64, f64, f64)> {
    series
        .dates
        .iter()
        .enumerate()
        .filter_map(|(i, date)| {
            let x = parse_date(date)?;
            let (m, lo, hi) = (series.median[i], series.p05[i], series.p95[i]);
            (m.is_finite() && lo.is_finite() && hi.is_finite()).then_some((x, lo, m, hi))
        })
        .collect()
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fan: &FanMetric,
    series: &[Series],
    replicates: usize,
) -> DrawResult {
    let body = figure(
        root,
        fan.title,
        &format!(
            "line: each scenario's middle run of {replicates}, week by week; shaded: the range \
             of all but its most extreme runs"
        ),
    )?;
    let (legend, chart_area) = body.split_vertically(44);
    let mut entries: Vec<LegendEntry> = series
        .iter()
        .map(|s| LegendEntry::line(s.name, s.colour))
        .collect();
    if series.iter().any(|s| !s.worlds.is_empty()) {
        entries.push(LegendEntry::line(
            "dashed: runs split by who held power, each group's median",
            REFERENCE,
        ));
    }
    legend_row(&legend, &entries, 20)?;
    let all = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut hi) = (f64::MAX, f64::MIN, 0.0_f64);
    for &(x, _, _, high) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        hi = hi.max(high);
    }
    if x0 > x1 {
        return Ok(());
    }
    if x1 <= x0 {
        x1 = x0 + 7.0;
    }
    let (axis, divisor) = match fan.unit {
        Unit::People => {
            let (divisor, unit) = people_unit(hi);
            (Axis::plain(nice_upper(hi / divisor), unit), divisor)
        }
        _ => (Axis::share(share_upper(hi), "share"), 1.0),
    };
    let frame = Frame {
        x0,
        x1,
        events: &[],
    };
    let mut chart = time_chart(&chart_area, &frame, "", &axis, BIG)?;
    for s in series {
        let mut outline: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0, p.3 / divisor)).collect();
        outline.extend(s.points.iter().rev().map(|p| (p.0, p.1 / divisor)));
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            s.colour.mix(0.16).filled(),
        )))?;
    }
    // Each line narrower than the one drawn before it, so that where medians coincide every
    // scenario's colour still shows (the reference as a wide grey edge around the others).
    let width = WIDE.line.max(BIG.line);
    let count = series.len() as u32;
    for (i, s) in series.iter().enumerate() {
        // A split's one median would hide it: its groups' medians are drawn instead.
        if !s.worlds.is_empty() {
            continue;
        }
        let extra = 3 * (count - 1 - i as u32);
        chart.draw_series(LineSeries::new(
            s.points.iter().map(|p| (p.0, p.2 / divisor)),
            s.colour.stroke_width(width + extra),
        ))?;
    }
    for s in series {
        for points in &s.worlds {
            chart.draw_series(DashedLineSeries::new(
                points.iter().map(|p| (p.0, p.2 / divisor)),
                10,
                6,
                s.colour.stroke_width(width),
            ))?;
        }
    }
    Ok(())
}

/// Draws every fan chart of the comparison into `dir/plots/` as SVG and PNG.
pub fn plot_fans(dir: &Path, comparison: &Comparison) -> Result<Vec<PathBuf>, PlotError> {
    register_fonts();
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for (f, fan) in FAN_METRICS.iter().enumerate() {
        let series: Vec<Series> = comparison
            .ensembles
            .iter()
            .enumerate()
            .map(|(i, e)| Series {
                name: &e.candidate.scenario.name,
                colour: scenario_colour(i),
                points: points(&e.fans[f]),
                worlds: e.world_fans.iter().map(|fans| points(&fans[f])).collect(),
            })
            .collect();
        let stem = fan.stem();
        let svg = plots.join(format!("{stem}.svg"));
        write_atomic(&svg, |temp| {
            let root = SVGBackend::new(temp, SIZE).into_drawing_area();
            draw(&root, fan, &series, comparison.replicates)?;
            root.present()?;
            Ok(())
        })?;
        written.push(svg);
        let png = plots.join(format!("{stem}.png"));
        write_atomic(&png, |temp| {
            let root = BitMapBackend::new(temp, SIZE).into_drawing_area();
            draw(&root, fan, &series, comparison.replicates)?;
            root.present()?;
            Ok(())
        })?;
        written.push(png);
    }
    Ok(written)
}
