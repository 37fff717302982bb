//! Ensemble plots of a finished sweep, drawn from its folder (`manifest.json`, `runs.csv`,
//! `fans.csv`) into `plots/`, as PNG and SVG, with the bundled font:
//!
//! - `fan_<metric>_<group>`: for each `[[fan]]`, the median and the 5-95 % band over the
//!   replicates at each date; one small panel per point for a grid of up to 36 points, else
//!   one panel over all runs.
//! - `summary_<column>`: for each `[[summary]]` (when something is varied), the outcome
//!   against the varied parameters: with one varied parameter, the median over replicates as a
//!   line with its 5-95 % band; with two on a grid, a heatmap of the median; otherwise one
//!   scatter panel per parameter, a dot per run.
//!
//! Each fan chart reads one metric of every run from `fans.csv` (a few hundred numbers a run);
//! the outcome charts read `runs.csv` once.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::data::parse_date;
use crate::plot::panels::{
    figure, time_chart, Axis, DrawResult, Format, Frame, Scale, TickedRange, PANEL, WIDE,
};
use crate::plot::style::{group_name, month_year, nice_upper, people_unit, plain, FONT, GRID};
use crate::plot::{register_fonts, write_atomic};

use super::adequacy::{read_outcomes, Outcomes};
use super::store::{read_lines, Manifest, ManifestSummary, FANS};
use super::{Fan, SweepError};

/// Most points a fan chart draws as separate panels.
const MAX_PANELS: usize = 36;
const BAND: RGBColor = RGBColor(150, 180, 225);
const MEDIAN: RGBColor = RGBColor(20, 60, 140);
const DOT: RGBColor = RGBColor(40, 80, 160);
/// Viridis, at five stops.
const SCALE: [(f64, f64, f64); 5] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
    (253.0, 231.0, 37.0),
];

/// The stems of the plots `plot_sweep` draws for a sweep (each as `.png` and `.svg`).
pub fn sweep_plot_files(manifest: &Manifest) -> Vec<String> {
    let mut stems: Vec<String> = manifest
        .fans
        .iter()
        .map(|fan| format!("fan_{}_{}", fan.metric, fan.group))
        .collect();
    if !manifest.vary.is_empty() {
        stems.extend(
            manifest
                .summaries
                .iter()
                .map(|s| format!("summary_{}", s.column)),
        );
    }
    stems
}

/// Draws every plot of the sweep in `dir` into `dir/plots/`; returns the files written.
pub fn plot_sweep(dir: &Path) -> Result<Vec<PathBuf>, SweepError> {
    let manifest = Manifest::read(dir)?;
    register_fonts();
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(SweepError::io(&plots))?;
    let stems = sweep_plot_files(&manifest);
    let mut written = Vec::new();
    let mut charts: Vec<Chart> = Vec::new();
    for fan in &manifest.fans {
        charts.push(Chart::Fan(read_fan(dir, &manifest, fan)?));
    }
    if !manifest.vary.is_empty() && !manifest.summaries.is_empty() {
        let outcomes = std::rc::Rc::new(read_outcomes(dir, &manifest)?);
        for index in 0..manifest.summaries.len() {
            charts.push(Chart::Outcome {
                outcomes: outcomes.clone(),
                index,
            });
        }
    }
    for (chart, stem) in charts.iter().zip(&stems) {
        let size = chart.size(&manifest);
        written.extend(write_figure(
            &plots,
            stem,
            size,
            &SweepChart(chart, &manifest),
        )?);
    }
    Ok(written)
}

/// One chart and its data.
enum Chart {
    Fan(FanData),
    Outcome {
        outcomes: std::rc::Rc<Outcomes>,
        index: usize,
    },
}

impl Chart {
    fn size(&self, manifest: &Manifest) -> (u32, u32) {
        match self {
            Chart::Fan(data) if data.panels.len() > 1 => {
                let rows = data.panels.len().div_ceil(data.columns) as u32;
                ((data.columns as u32 * 330).max(900), 80 + rows * 250)
            }
            Chart::Fan(_) => (1100, 650),
            Chart::Outcome { .. } => match shape(manifest) {
                Shape::Line => (1000, 720),
                Shape::Heatmap => (1050, 720),
                Shape::Scatter => {
                    let n = manifest.vary.len() as u32;
                    let columns = n.min(3);
                    (columns * 450 + 40, 80 + n.div_ceil(columns) * 380)
                }
            },
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        manifest: &Manifest,
    ) -> DrawResult {
        match self {
            Chart::Fan(data) => draw_fan(root, manifest, data),
            Chart::Outcome { outcomes, index } => draw_outcome(root, manifest, outcomes, *index),
        }
    }
}

/// A figure that can draw itself on any plotters backend.
trait Figure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// A chart of the sweep with the manifest it reads.
struct SweepChart<'a>(&'a Chart, &'a Manifest);

impl Figure for SweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        self.0.draw(root, self.1)
    }
}

/// Writes `figure` as `plots/<stem>.png` and `plots/<stem>.svg`; returns both paths.
fn write_figure(
    plots: &Path,
    stem: &str,
    size: (u32, u32),
    figure: &impl Figure,
) -> Result<Vec<PathBuf>, SweepError> {
    let png = plots.join(format!("{stem}.png"));
    write_atomic(&png, |temp| {
        let root = BitMapBackend::new(temp, size).into_drawing_area();
        figure.draw(&root)?;
        root.present()?;
        Ok(())
    })?;
    let svg = plots.join(format!("{stem}.svg"));
    write_atomic(&svg, |temp| {
        let root = SVGBackend::new(temp, size).into_drawing_area();
        figure.draw(&root)?;
        root.present()?;
        Ok(())
    })?;
    Ok(vec![png, svg])
}

// ---- reading ----

/// Quantiles at one date: (day, 5 %, median, 95 %).
type Band = (f64, f64, f64, f64);

struct FanPanel {
    caption: String,
    bands: Vec<Band>,
    runs: usize,
}

struct FanData {
    metric: String,
    group: String,
    panels: Vec<FanPanel>,
    columns: usize,
}

/// The short name of a dotted parameter name (`grain.requisition_rate` -> `requisition_rate`).
fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn point_caption(manifest: &Manifest, point: usize) -> String {
    manifest
        .vary
        .iter()
        .zip(&manifest.design_points[point])
        .map(|(v, value)| format!("{} {value}", short_name(&v.name)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_grid(manifest: &Manifest) -> bool {
    manifest.design == "grid"
}

/// Linear-interpolated quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

fn band(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        quantile(values, 0.05),
        quantile(values, 0.5),
        quantile(values, 0.95),
    )
}

fn read_fan(dir: &Path, manifest: &Manifest, fan: &Fan) -> Result<FanData, SweepError> {
    let points = manifest.points.max(1);
    let per_point = is_grid(manifest) && points > 1 && points <= MAX_PANELS;
    let panels_count = if per_point { points } else { 1 };
    // Per panel: step -> (day, values).
    let mut steps: Vec<BTreeMap<u32, (f64, Vec<f64>)>> = vec![BTreeMap::new(); panels_count];
    let mut runs: Vec<BTreeMap<u64, ()>> = vec![BTreeMap::new(); panels_count];
    read_lines(dir, FANS, &mut |line| {
        let mut fields = line.split(',');
        let (Some(run), Some(metric), Some(group), Some(step), Some(date), Some(value)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Ok(());
        };
        if metric != fan.metric || group != fan.group {
            return Ok(());
        }
        let (Ok(run), Ok(step), Some(day), Ok(value)) = (
            run.parse::<u64>(),
            step.parse::<u32>(),
            parse_date(date),
            value.parse::<f64>(),
        ) else {
            return Ok(());
        };
        let panel = if per_point {
            (run % points as u64) as usize
        } else {
            0
        };
        steps[panel]
            .entry(step)
            .or_insert_with(|| (day, Vec::new()))
            .1
            .push(value);
        runs[panel].insert(run, ());
        Ok(())
    })?;
    let panels = steps
        .into_iter()
        .zip(runs)
        .enumerate()
        .map(|(i, (steps, runs))| FanPanel {
            caption: if per_point {
                point_caption(manifest, i)
            } else {
                String::new()
            },
            bands: steps
                .into_values()
                .map(|(day, mut values)| {
                    let (lo, mid, hi) = band(&mut values);
                    (day, lo, mid, hi)
                })
                .collect(),
            runs: runs.len(),
        })
        .collect::<Vec<_>>();
    let columns = if per_point && manifest.vary.len() == 2 {
        let mut second: Vec<&String> = manifest.design_points.iter().map(|p| &p[1]).collect();
        second.sort();
        second.dedup();
        second.len().max(1)
    } else {
        (panels.len() as f64).sqrt().ceil().max(1.0) as usize
    };
    Ok(FanData {
        metric: fan.metric.clone(),
        group: fan.group.clone(),
        panels,
        columns,
    })
}

/// The scenarios a sweep's only `[vary]` entry chooses among, if it is the scenario lever.
fn chosen(manifest: &Manifest) -> Option<Vec<String>> {
    (manifest.vary.first()?.kind == "scenario")
        .then(|| manifest.choices.iter().map(|c| c.name.clone()).collect())
}

/// Where a value of the first `[vary]` entry lies on a line chart's axis: its number, or for
/// the scenario lever the scenario's place in the lever's list.
fn axis_position(chosen: Option<&[String]>, text: &str) -> f64 {
    match chosen {
        Some(names) => names
            .iter()
            .position(|n| n == text)
            .map_or(f64::NAN, |i| i as f64),
        None => number(text),
    }
}

/// A varied value as a number, if it is one (flags: 0 and 1; an event's date: days since
/// 1970-01-01).
pub(crate) fn number_of(text: &str) -> Option<f64> {
    Some(number(text)).filter(|v| v.is_finite())
}

/// A varied value as a number (flags: 0 and 1; an event's date: days since 1970-01-01).
fn number(text: &str) -> f64 {
    match text {
        "true" => 1.0,
        "false" => 0.0,
        _ => text.parse().unwrap_or_else(|_| {
            crate::date::Date::parse(text).map_or(f64::NAN, super::adequacy::epoch_days)
        }),
    }
}

// ---- drawing ----

/// How a value axis shows numbers: a share as a percentage, people in a unit, or plain.
struct ValueScale {
    format: Format,
    divisor: f64,
    unit: &'static str,
}

fn value_scale(metric: &str, lo: f64, hi: f64) -> ValueScale {
    let index = matches!(metric, "sown_area" | "industry.output");
    if !index && lo >= 0.0 && hi <= 1.0 {
        return ValueScale {
            format: Format::Percent,
            divisor: 1.0,
            unit: "",
        };
    }
    let (divisor, unit) = if hi.abs().max(lo.abs()) >= 1000.0 {
        people_unit(hi.abs().max(lo.abs()))
    } else {
        (1.0, "")
    };
    ValueScale {
        format: Format::Plain,
        divisor,
        unit,
    }
}

fn metric_label(metric: &str, group: &str) -> String {
    if group == "all" {
        metric.to_string()
    } else {
        format!("{metric} ({})", group_name(group))
    }
}

fn draw_fan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    manifest: &Manifest,
    data: &FanData,
) -> DrawResult {
    let label = metric_label(&data.metric, &data.group);
    let runs: usize = data.panels.iter().map(|p| p.runs).sum();
    let what = if data.panels.len() > 1 {
        format!(
            "one panel per point, {} replicates each",
            manifest.replicates
        )
    } else {
        format!("over all {runs} runs of the design")
    };
    let body = figure(
        root,
        &format!("{label}: median and 5-95 % band"),
        &format!("sweep {}: {what}", manifest.sweep),
    )?;
    let all = data.panels.iter().flat_map(|p| p.bands.iter());
    let (mut x0, mut x1, mut lo, mut hi) = (f64::MAX, f64::MIN, 0.0_f64, f64::MIN);
    for &(day, low, _, high) in all {
        x0 = x0.min(day);
        x1 = x1.max(day);
        lo = lo.min(low);
        hi = hi.max(high);
    }
    if x0 > x1 {
        return empty(&body, "no values recorded");
    }
    if x1 <= x0 {
        x1 = x0 + 7.0;
    }
    let scale = value_scale(&data.metric, lo, hi);
    let unit = if scale.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", scale.unit)
    };
    let upper = nice_upper(hi / scale.divisor);
    let lower = if lo < 0.0 {
        -nice_upper(-lo / scale.divisor)
    } else {
        0.0
    };
    let axis = Axis {
        lower,
        upper,
        desc: format!("{}{unit}", data.metric),
        format: scale.format,
    };
    let frame = Frame {
        x0,
        x1,
        events: &[],
    };
    let (areas, panel_scale) = if data.panels.len() > 1 {
        let rows = data.panels.len().div_ceil(data.columns);
        (
            body.split_evenly((rows, data.columns)),
            Scale {
                x_ticks: 4,
                y_ticks: 6,
                ..PANEL
            },
        )
    } else {
        (vec![body.clone()], WIDE)
    };
    for (area, panel) in areas.iter().zip(&data.panels) {
        let mut chart = time_chart(area, &frame, &panel.caption, &axis, panel_scale)?;
        let d = scale.divisor;
        let mut outline: Vec<(f64, f64)> = panel.bands.iter().map(|b| (b.0, b.3 / d)).collect();
        outline.extend(panel.bands.iter().rev().map(|b| (b.0, b.1 / d)));
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            BAND.mix(0.6).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            panel.bands.iter().map(|b| (b.0, b.2 / d)),
            MEDIAN.stroke_width(panel_scale.line),
        ))?;
    }
    Ok(())
}

fn empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, what: &str) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    area.draw(&Text::new(
        what.to_string(),
        (width as i32 / 2, height as i32 / 2),
        (FONT, 18)
            .into_font()
            .color(&RGBColor(130, 130, 130))
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Line,
    Heatmap,
    Scatter,
}

fn shape(manifest: &Manifest) -> Shape {
    match manifest.vary.len() {
        1 => Shape::Line,
        2 if is_grid(manifest) => Shape::Heatmap,
        _ => Shape::Scatter,
    }
}

/// Labels a summary value: a date for first crossings, else in the scale's format.
fn value_label(summary: &ManifestSummary, scale: &ValueScale, value: f64, span: f64) -> String {
    if summary.is_date {
        return month_year(value);
    }
    match scale.format {
        Format::Percent => crate::plot::style::percent(value, span),
        Format::Plain => plain(value, span),
    }
}

fn summary_scale(summary: &ManifestSummary, lo: f64, hi: f64) -> ValueScale {
    if summary.is_date {
        ValueScale {
            format: Format::Plain,
            divisor: 1.0,
            unit: "",
        }
    } else {
        value_scale(&summary.metric, lo, hi)
    }
}

fn summary_title(summary: &ManifestSummary) -> String {
    let metric = metric_label(&summary.metric, &summary.group);
    let window = match (&summary.from, &summary.to) {
        (None, None) => String::new(),
        (from, to) => format!(
            " {} to {}",
            from.as_deref().unwrap_or("start"),
            to.as_deref().unwrap_or("end")
        ),
    };
    let stat = match summary.stat.as_str() {
        "final" => "final value".to_string(),
        "at" => format!("value on {}", summary.date.as_deref().unwrap_or("")),
        "max" => format!("maximum{window}"),
        "min" => format!("minimum{window}"),
        "mean" => format!("mean{window}"),
        other => format!(
            "date {} {}{window}",
            if other == "first_above" {
                "first at or above"
            } else {
                "first at or below"
            },
            summary.threshold.as_deref().unwrap_or("")
        ),
    };
    format!("{metric}: {stat}")
}

fn draw_outcome<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    manifest: &Manifest,
    outcomes: &Outcomes,
    index: usize,
) -> DrawResult {
    let summary = &manifest.summaries[index];
    let values = &outcomes.values[index];
    let shape = shape(manifest);
    let explain = match shape {
        Shape::Line => "median over replicates, 5-95 % band".to_string(),
        Shape::Heatmap => "median over replicates at each point of the grid".to_string(),
        Shape::Scatter => "one dot per run".to_string(),
    };
    let body = figure(
        root,
        &summary_title(summary),
        &format!(
            "sweep {}: {} (column `{}`)",
            manifest.sweep, explain, summary.column
        ),
    )?;
    let (lo, hi) = values
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if lo > hi {
        return empty(&body, "no run recorded a value");
    }
    let scale = summary_scale(summary, lo, hi);
    match shape {
        Shape::Line => draw_line(&body, manifest, summary, values, &scale, (lo, hi)),
        Shape::Heatmap => draw_heatmap(&body, manifest, summary, values, &scale),
        Shape::Scatter => draw_scatter(&body, manifest, summary, values, &scale, (lo, hi)),
    }
}

/// The value range of an outcome axis (in the scale's unit).
fn outcome_range(
    summary: &ManifestSummary,
    scale: &ValueScale,
    (lo, hi): (f64, f64),
) -> (f64, f64) {
    if summary.is_date {
        let pad = ((hi - lo) * 0.05).max(15.0);
        return (lo - pad, hi + pad);
    }
    let (lo, hi) = (lo / scale.divisor, hi / scale.divisor);
    let upper = if matches!(scale.format, Format::Percent) {
        crate::plot::style::share_upper(hi)
    } else {
        nice_upper(hi)
    };
    let lower = if lo < 0.0 { -nice_upper(-lo) } else { 0.0 };
    (lower, upper)
}

fn x_range(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs
        .filter(|x| x.is_finite())
        .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if lo > hi {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.04 } else { 0.5 };
    (lo - pad, hi + pad)
}

fn y_desc(summary: &ManifestSummary, scale: &ValueScale) -> String {
    if summary.is_date {
        "date".to_string()
    } else if scale.unit.is_empty() {
        summary.metric.clone()
    } else {
        format!("{} ({})", summary.metric, scale.unit)
    }
}

fn draw_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    manifest: &Manifest,
    summary: &ManifestSummary,
    values: &[Vec<f64>],
    scale: &ValueScale,
    range: (f64, f64),
) -> DrawResult {
    let names = chosen(manifest);
    let mut points: Vec<(f64, f64, f64, f64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(point, v)| {
            let mut v = v.clone();
            let (lo, mid, hi) = band(&mut v);
            let d = scale.divisor;
            (
                axis_position(names.as_deref(), &manifest.design_points[point][0]),
                lo / d,
                mid / d,
                hi / d,
            )
        })
        .filter(|p| p.0.is_finite())
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (x0, x1) = match &names {
        Some(names) => (-0.5, names.len() as f64 - 0.5),
        None => x_range(points.iter().map(|p| p.0)),
    };
    let (y0, y1) = outcome_range(summary, scale, range);
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let (xs, ys) = (x1 - x0, y1 - y0);
    chart
        .configure_mesh()
        .x_desc(manifest.vary[0].name.as_str())
        .y_desc(y_desc(summary, scale))
        .x_label_formatter(&|x| match &names {
            Some(names) if (x - x.round()).abs() < 1e-9 => {
                names.get(x.round() as usize).cloned().unwrap_or_default()
            }
            Some(_) => String::new(),
            None => plain(*x, xs),
        })
        .y_label_formatter(&|y| value_label(summary, scale, *y, ys))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 16))
        .draw()?;
    if names.is_some() {
        // Scenarios have no order between them: a bar per scenario, not a line across.
        chart.draw_series(
            points
                .iter()
                .map(|p| PathElement::new(vec![(p.0, p.1), (p.0, p.3)], BAND.stroke_width(10))),
        )?;
    } else {
        let mut outline: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.3)).collect();
        outline.extend(points.iter().rev().map(|p| (p.0, p.1)));
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            BAND.mix(0.6).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.0, p.2)),
            MEDIAN.stroke_width(3),
        ))?;
    }
    chart.draw_series(
        points
            .iter()
            .map(|p| Circle::new((p.0, p.2), 4, MEDIAN.filled())),
    )?;
    Ok(())
}

/// A colour on the viridis scale for `t` in [0, 1].
fn colour(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let position = t * (SCALE.len() - 1) as f64;
    let i = (position.floor() as usize).min(SCALE.len() - 2);
    let f = position - i as f64;
    let (a, b) = (SCALE[i], SCALE[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    manifest: &Manifest,
    summary: &ManifestSummary,
    values: &[Vec<f64>],
    scale: &ValueScale,
) -> DrawResult {
    // The levels of each parameter, in design order.
    let levels = |d: usize| {
        let mut seen: Vec<String> = Vec::new();
        for point in &manifest.design_points {
            if !seen.contains(&point[d]) {
                seen.push(point[d].clone());
            }
        }
        seen
    };
    let (xs, ys) = (levels(0), levels(1));
    let medians: Vec<Option<f64>> = values
        .iter()
        .map(|v| {
            (!v.is_empty()).then(|| {
                let mut v = v.clone();
                band(&mut v).1 / scale.divisor
            })
        })
        .collect();
    let (lo, hi) = medians
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = (hi - lo).max(1e-12);

    let (plot, legend) = area.split_horizontally(area.dim_in_pixel().0 - 200);
    let x_ticks: Vec<f64> = (0..xs.len()).map(|i| i as f64).collect();
    let y_ticks: Vec<f64> = (0..ys.len()).map(|i| i as f64).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(
            TickedRange::fixed(-0.5, xs.len() as f64 - 0.5, x_ticks),
            TickedRange::fixed(-0.5, ys.len() as f64 - 0.5, y_ticks),
        )?;
    let x_label = |x: &f64| xs.get(x.round() as usize).cloned().unwrap_or_default();
    let y_label = |y: &f64| ys.get(y.round() as usize).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(manifest.vary[0].name.as_str())
        .y_desc(manifest.vary[1].name.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 16))
        .draw()?;
    let cell_font = |t: f64| {
        let ink = if t > 0.6 { BLACK } else { WHITE };
        (FONT, 15)
            .into_font()
            .color(&ink)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    for (point, median) in medians.iter().enumerate() {
        let values = &manifest.design_points[point];
        let x = xs.iter().position(|l| *l == values[0]).unwrap_or(0) as f64;
        let y = ys.iter().position(|l| *l == values[1]).unwrap_or(0) as f64;
        let Some(median) = median else {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                GRID.filled(),
            )))?;
            continue;
        };
        let t = (median - lo) / span;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
            colour(t).filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            value_label(summary, scale, *median, span),
            (x, y),
            cell_font(t),
        )))?;
    }

    // The colour bar.
    let (_, height) = legend.dim_in_pixel();
    let (top, bottom) = (40, height as i32 - 80);
    for i in 0..=100 {
        let t = f64::from(i) / 100.0;
        let y = bottom - ((bottom - top) as f64 * t) as i32;
        legend.draw(&Rectangle::new(
            [(20, y - 3), (50, y + 3)],
            colour(t).filled(),
        ))?;
    }
    let label_font = (FONT, 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (t, value) in [(0.0, lo), (0.5, lo + span / 2.0), (1.0, hi)] {
        let y = bottom - ((bottom - top) as f64 * t) as i32;
        legend.draw(&Text::new(
            value_label(summary, scale, value, span),
            (58, y),
            label_font.clone(),
        ))?;
    }
    legend.draw(&Text::new(
        y_desc(summary, scale),
        (10, top - 22),
        (FONT, 13)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

fn draw_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    manifest: &Manifest,
    summary: &ManifestSummary,
    values: &[Vec<f64>],
    scale: &ValueScale,
    range: (f64, f64),
) -> DrawResult {
    let n = manifest.vary.len();
    let columns = n.min(3);
    let panels = area.split_evenly((n.div_ceil(columns), columns));
    let (y0, y1) = outcome_range(summary, scale, range);
    let ys = y1 - y0;
    for (d, panel) in panels.iter().enumerate().take(n) {
        let xs_of = |point: usize| number(&manifest.design_points[point][d]);
        let (x0, x1) = x_range((0..manifest.points).map(xs_of));
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .margin_right(20)
            .x_label_area_size(46)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let xs = x1 - x0;
        chart
            .configure_mesh()
            .x_desc(manifest.vary[d].name.as_str())
            .y_desc(y_desc(summary, scale))
            .x_label_formatter(&|x| plain(*x, xs))
            .y_label_formatter(&|y| value_label(summary, scale, *y, ys))
            .x_labels(6)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()?;
        chart.draw_series(values.iter().enumerate().flat_map(|(point, v)| {
            let x = xs_of(point);
            v.iter()
                .map(move |y| Circle::new((x, y / scale.divisor), 3, DOT.mix(0.45).filled()))
        }))?;
    }
    Ok(())
}

/// `plots/sensitivity.{png,svg}`: one panel per summary, one row per parameter, the main
/// index with its bootstrap interval (Morris μ*; Sobol ST, and S1 beside it).
pub fn plot_sensitivity(
    dir: &Path,
    outcome: &super::SensitivityOutcome,
) -> Result<Vec<PathBuf>, SweepError> {
    register_fonts();
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(SweepError::io(&plots))?;
    let mut summaries: Vec<&str> = Vec::new();
    let mut parameters: Vec<&str> = Vec::new();
    for (summary, parameter, ..) in &outcome.rows {
        if !summaries.contains(&summary.as_str()) {
            summaries.push(summary);
        }
        if !parameters.contains(&parameter.as_str()) {
            parameters.push(parameter);
        }
    }
    let indices: &[&str] = if outcome.method == "morris" {
        &["mu_star"]
    } else {
        &["ST", "S1"]
    };
    let columns = summaries.len().clamp(1, 3);
    let rows = summaries.len().div_ceil(columns).max(1);
    let height = 72 + rows as u32 * (80 + 36 * parameters.len() as u32);
    let size = ((columns as u32 * 520).max(960), height);
    let layout = SensitivityLayout {
        outcome,
        summaries: &summaries,
        parameters: &parameters,
        indices,
        grid: (rows, columns),
    };
    write_figure(&plots, "sensitivity", size, &layout)
}

/// Bins of a posterior histogram.
const POSTERIOR_BINS: usize = 12;

/// `plots/posterior.{png,svg}` for `revsim calibrate`: per varied parameter, how the prior's
/// points (every point of the design) and the accepted ones spread over its range, as
/// histograms on one axis; the accepted bars are the posterior. Parameters whose values are
/// not numbers (the scenario lever) are left out.
pub fn plot_posterior(
    dir: &Path,
    manifest: &Manifest,
    accepted: &[usize],
) -> Result<Vec<PathBuf>, SweepError> {
    register_fonts();
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(SweepError::io(&plots))?;
    let histograms: Vec<Histogram> = manifest
        .vary
        .iter()
        .enumerate()
        .filter_map(|(i, varied)| {
            let value = |point: usize| number_of(&manifest.design_points[point][i]);
            let prior: Vec<f64> = (0..manifest.points).filter_map(value).collect();
            let chosen: Vec<f64> = accepted.iter().filter_map(|&p| value(p)).collect();
            Histogram::new(
                &varied.name,
                declared_range(&varied.levels),
                &prior,
                &chosen,
            )
        })
        .collect();
    let columns = histograms.len().clamp(1, 3);
    let rows = histograms.len().div_ceil(columns).max(1);
    let size = (columns as u32 * 460 + 40, 72 + rows as u32 * 360);
    let subtitle = format!(
        "sweep {}: the design's {} points (light) and the {} accepted (dark)",
        manifest.sweep,
        manifest.points,
        accepted.len()
    );
    let posterior = Posterior {
        histograms,
        grid: (rows, columns),
        subtitle,
    };
    write_figure(&plots, "posterior", size, &posterior)
}

/// The posterior figure: a histogram panel per parameter.
struct Posterior {
    histograms: Vec<Histogram>,
    grid: (usize, usize),
    subtitle: String,
}

impl Figure for Posterior {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = figure(root, "Calibration: prior and posterior", &self.subtitle)?;
        if self.histograms.is_empty() {
            return empty(&body, "no varied parameter has numeric values");
        }
        for (histogram, area) in self.histograms.iter().zip(body.split_evenly(self.grid)) {
            histogram.draw(&area)?;
        }
        Ok(())
    }
}

/// The range a `[vary]` entry declares, as the manifest keeps it written: a range's or a
/// uniform distribution's `min` and `max`; `None` for a list or an unbounded distribution.
fn declared_range(written: &str) -> Option<(f64, f64)> {
    let table: toml::Table = format!("entry = {written}").parse().ok()?;
    let entry = table.get("entry")?.as_table()?;
    let bound = |key: &str| {
        let value = entry.get(key)?;
        value
            .as_float()
            .or_else(|| value.as_integer().map(|i| i as f64))
    };
    Some((bound("min")?, bound("max")?)).filter(|(low, high)| low < high)
}

/// One parameter's prior and accepted values, counted in [`POSTERIOR_BINS`] equal bins over
/// the range its `[vary]` entry declares (else the prior's).
struct Histogram {
    name: String,
    low: f64,
    width: f64,
    prior: [u32; POSTERIOR_BINS],
    accepted: [u32; POSTERIOR_BINS],
}

impl Histogram {
    fn new(
        name: &str,
        declared: Option<(f64, f64)>,
        prior: &[f64],
        accepted: &[f64],
    ) -> Option<Histogram> {
        let (low, high) = declared.unwrap_or_else(|| {
            let low = prior.iter().copied().fold(f64::INFINITY, f64::min);
            let high = prior.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (low, high)
        });
        if !(low.is_finite() && high.is_finite()) {
            return None;
        }
        let width = ((high - low) / POSTERIOR_BINS as f64).max(f64::MIN_POSITIVE);
        let count = |values: &[f64]| {
            let mut bins = [0u32; POSTERIOR_BINS];
            for v in values {
                let bin = (((v - low) / width).floor().max(0.0) as usize).min(POSTERIOR_BINS - 1);
                bins[bin] += 1;
            }
            bins
        };
        Some(Histogram {
            name: name.to_string(),
            low,
            width,
            prior: count(prior),
            accepted: count(accepted),
        })
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let high = self.low + self.width * POSTERIOR_BINS as f64;
        let top = f64::from(self.prior.iter().copied().max().unwrap_or(1).max(1)) * 1.1;
        let mut chart = ChartBuilder::on(area)
            .margin(14)
            .caption(&self.name, (FONT, 16))
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(self.low..high, 0.0..top)?;
        let span = high - self.low;
        chart
            .configure_mesh()
            .x_labels(5)
            .x_label_formatter(&|x| plain(*x, span))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("points")
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()?;
        for (counts, colour) in [(&self.prior, BAND), (&self.accepted, MEDIAN)] {
            chart.draw_series(counts.iter().enumerate().filter(|(_, &n)| n > 0).map(
                |(bin, &n)| {
                    let x0 = self.low + self.width * bin as f64;
                    Rectangle::new(
                        [(x0, 0.0), (x0 + self.width * 0.92, f64::from(n))],
                        colour.filled(),
                    )
                },
            ))?;
        }
        Ok(())
    }
}

/// What the sensitivity figure shows and how its panels are laid out.
struct SensitivityLayout<'a> {
    outcome: &'a super::SensitivityOutcome,
    summaries: &'a [&'a str],
    parameters: &'a [&'a str],
    indices: &'a [&'a str],
    /// Rows and columns of panels.
    grid: (usize, usize),
}

impl Figure for SensitivityLayout<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        draw_sensitivity(root, self)
    }
}

fn draw_sensitivity<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &SensitivityLayout<'_>,
) -> DrawResult {
    let (title, subtitle) = match layout.outcome.method.as_str() {
        "morris" => (
            "Morris: mu* (mean absolute elementary effect), 95 % interval",
            "one panel per summary; effects per unit of each parameter's range",
        ),
        _ => (
            "Sobol: ST (dark) and S1 (light), 95 % intervals",
            "one panel per summary; bootstrap percentile intervals over the base rows",
        ),
    };
    let body = figure(root, title, subtitle)?;
    let panels = body.split_evenly(layout.grid);
    for (panel, summary) in panels.iter().zip(layout.summaries.iter()) {
        let rows_of = |index: &str| -> Vec<&(String, String, String, f64, f64, f64)> {
            layout
                .outcome
                .rows
                .iter()
                .filter(|r| r.0 == *summary && r.2 == index)
                .collect()
        };
        let high = layout
            .indices
            .iter()
            .flat_map(|index| rows_of(index).into_iter().map(|r| r.3.max(r.5)))
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let x1 = if high > 0.0 { high * 1.1 } else { 1.0 };
        let k = layout.parameters.len() as f64;
        let mut chart = ChartBuilder::on(panel)
            .caption(*summary, (FONT, 15))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(170)
            .build_cartesian_2d(0.0..x1, -0.5..k - 0.5)?;
        chart
            .configure_mesh()
            .y_labels(layout.parameters.len() * 2 + 1)
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < layout.parameters.len() {
                    layout.parameters[i as usize].to_string()
                } else {
                    String::new()
                }
            })
            .x_labels(5)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 12))
            .draw()?;
        for (n, index) in layout.indices.iter().enumerate() {
            let colour = if n == 0 { MEDIAN } else { BAND };
            let offset = if layout.indices.len() > 1 {
                0.15 - 0.3 * n as f64
            } else {
                0.0
            };
            for row in rows_of(index) {
                let Some(at) = layout.parameters.iter().position(|p| *p == row.1) else {
                    continue;
                };
                let y = at as f64 + offset;
                if row.4.is_finite() && row.5.is_finite() {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(row.4.max(0.0), y), (row.5.min(x1), y)],
                        colour.stroke_width(2),
                    )))?;
                }
                if row.3.is_finite() {
                    chart.draw_series(std::iter::once(Circle::new(
                        (row.3.clamp(0.0, x1), y),
                        5,
                        colour.filled(),
                    )))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The posterior's bins span what `[vary]` declares, not what the design happened to draw.
    #[test]
    fn a_posterior_spans_the_declared_range() {
        assert_eq!(declared_range("{ min = 0.5, max = 5.0 }"), Some((0.5, 5.0)));
        assert_eq!(
            declared_range("{ distribution = \"loguniform\", min = 0.2, max = 2 }"),
            Some((0.2, 2.0))
        );
        assert_eq!(declared_range("[0.1, 0.2]"), None);
        assert_eq!(
            declared_range("{ distribution = \"normal\", mean = 1.0, sd = 0.1 }"),
            None
        );
        let histogram = Histogram::new("a", Some((0.0, 12.0)), &[0.5, 6.5, 11.9], &[6.5]).unwrap();
        assert_eq!(histogram.prior.iter().sum::<u32>(), 3);
        assert_eq!(
            (histogram.prior[0], histogram.prior[6], histogram.prior[11]),
            (1, 1, 1)
        );
        assert_eq!(histogram.accepted[6], 1);
    }

    #[test]
    fn quantiles_interpolate() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&sorted, 0.5), 3.0);
        assert!((quantile(&sorted, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&sorted, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn colours_run_from_purple_to_yellow() {
        assert_eq!(colour(0.0), RGBColor(68, 1, 84));
        assert_eq!(colour(1.0), RGBColor(253, 231, 37));
    }
}
