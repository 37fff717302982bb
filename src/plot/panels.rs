//! Building blocks shared by the charts: a figure title, a time-series panel with a date axis,
//! line and stacked-area layers, event markers, legends and "no data" placeholders.

use std::cell::Cell;
use std::error::Error;
use std::rc::Rc;

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Event, EventKind, Point};
use super::style::{date_label, date_ticks, percent, plain, FONT, GRID, REFERENCE};

/// Why a chart could not be drawn (a backend error, as text).
#[derive(Debug)]
pub(crate) struct DrawError(pub String);

impl<E: Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        DrawError(error.to_string())
    }
}

pub(crate) type DrawResult<T = ()> = Result<T, DrawError>;

/// Where an axis puts its ticks.
enum Ticks {
    /// Month starts (or days) chosen for the space; remembers the first tick for its label.
    Dates(Rc<Cell<f64>>),
    /// Exactly these values.
    Fixed(Vec<f64>),
}

/// A continuous axis over `lo..hi` with ticks of our choosing (plotters' own combinators lose
/// the custom label formatter on `f64` ranges).
pub(crate) struct TickedRange {
    lo: f64,
    hi: f64,
    ticks: Ticks,
}

impl TickedRange {
    /// A date axis (days since 1970); returns the cell that will hold its first tick.
    pub fn dates(lo: f64, hi: f64) -> (TickedRange, Rc<Cell<f64>>) {
        let first = Rc::new(Cell::new(f64::NAN));
        let range = TickedRange {
            lo,
            hi,
            ticks: Ticks::Dates(Rc::clone(&first)),
        };
        (range, first)
    }

    pub fn fixed(lo: f64, hi: f64, ticks: Vec<f64>) -> TickedRange {
        TickedRange {
            lo,
            hi,
            ticks: Ticks::Fixed(ticks),
        }
    }
}

impl Ranged for TickedRange {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span == 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let fraction = (value - self.lo) / span;
        limit.0 + (f64::from(limit.1 - limit.0) * fraction).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        match &self.ticks {
            Ticks::Dates(first) => {
                let ticks = date_ticks(self.lo, self.hi, hint.max_num_points());
                first.set(ticks.first().copied().unwrap_or(f64::NAN));
                ticks
            }
            Ticks::Fixed(ticks) => ticks.clone(),
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A panel's coordinates: dates (days since 1970) across, values up.
pub(crate) type TimeCoord = Cartesian2d<TickedRange, RangedCoordf64>;
pub(crate) type TimeChart<'a, DB> = ChartContext<'a, DB, TimeCoord>;

/// The time span every panel of a run shares, and the events to mark on it.
pub(crate) struct Frame<'d> {
    pub x0: f64,
    pub x1: f64,
    pub events: &'d [Event],
}

/// Text sizes and tick counts for a full-size chart or a small panel.
#[derive(Clone, Copy)]
pub(crate) struct Scale {
    pub caption: u32,
    pub labels: u32,
    pub desc: u32,
    pub x_ticks: usize,
    pub y_ticks: usize,
    pub line: u32,
}

pub(crate) const WIDE: Scale = Scale {
    caption: 20,
    labels: 15,
    desc: 16,
    x_ticks: 14,
    y_ticks: 11,
    line: 3,
};

pub(crate) const PANEL: Scale = Scale {
    caption: 17,
    labels: 13,
    desc: 13,
    x_ticks: 7,
    y_ticks: 8,
    line: 2,
};

/// How a value axis labels its ticks.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    /// A 0-1 share shown as a percentage.
    Percent,
    /// A plain number (an index such as 1913 = 1, or people already divided into a unit).
    Plain,
}

/// A value axis: its range, description and tick format.
pub(crate) struct Axis {
    pub lower: f64,
    pub upper: f64,
    pub desc: String,
    pub format: Format,
}

impl Axis {
    pub fn share(upper: f64, desc: &str) -> Axis {
        Axis {
            lower: 0.0,
            upper,
            desc: desc.to_owned(),
            format: Format::Percent,
        }
    }

    pub fn plain(upper: f64, desc: &str) -> Axis {
        Axis {
            lower: 0.0,
            upper,
            desc: desc.to_owned(),
            format: Format::Plain,
        }
    }

    fn label(&self, value: f64) -> String {
        match self.format {
            Format::Percent => percent(value, self.upper - self.lower),
            Format::Plain => plain(value, self.upper - self.lower),
        }
    }
}

/// Draws a figure's title and a one-line explanation under it; returns the area below.
pub(crate) fn figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> DrawResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let (head, body) = root.split_vertically(72);
    let centre = (width / 2) as i32;
    head.draw(&Text::new(
        title.to_owned(),
        (centre, 14),
        (FONT, 28)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    head.draw(&Text::new(
        subtitle.to_owned(),
        (centre, 48),
        (FONT, 15)
            .into_font()
            .color(&RGBColor(90, 90, 90))
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    Ok(body)
}

/// Builds a time-series panel on `area` with a date axis and the given value axis, drawing its
/// caption, gridlines, tick labels and (faint) event markers.
pub(crate) fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &Frame,
    caption: &str,
    axis: &Axis,
    scale: Scale,
) -> DrawResult<TimeChart<'a, DB>> {
    let (x0, x1) = (frame.x0, frame.x1);
    let (x_range, first_tick) = TickedRange::dates(x0, x1);
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(8)
        .margin_right(18)
        .x_label_area_size(scale.labels * 2 + 4)
        .y_label_area_size(scale.labels * 3 + scale.desc + 10);
    if !caption.is_empty() {
        builder.caption(caption, (FONT, scale.caption));
    }
    let mut chart = builder.build_cartesian_2d(x_range, axis.lower..axis.upper)?;
    let x_format = |x: &f64| date_label(*x, &first_tick);
    let y_format = |y: &f64| axis.label(*y);
    chart
        .configure_mesh()
        .x_labels(scale.x_ticks)
        .y_labels(scale.y_ticks)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .y_desc(axis.desc.as_str())
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(110, 110, 110))
        .label_style((FONT, scale.labels))
        .axis_desc_style((FONT, scale.desc))
        .draw()?;
    Ok(chart)
}

/// One line in a panel.
pub(crate) struct Line {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
    pub points: Vec<Point>,
}

impl Line {
    pub fn solid(label: &str, color: RGBColor, points: &[Point]) -> Line {
        Line {
            label: label.to_owned(),
            color,
            dashed: false,
            points: points.to_vec(),
        }
    }

    /// The line with every value divided by `divisor` (people shown in thousands or millions).
    pub fn scaled(mut self, divisor: f64) -> Line {
        for point in &mut self.points {
            point.1 /= divisor;
        }
        self
    }

    pub fn legend(&self) -> LegendEntry {
        LegendEntry {
            label: self.label.clone(),
            color: self.color,
            swatch: if self.dashed {
                Swatch::Dashed
            } else {
                Swatch::Line
            },
        }
    }
}

/// The largest value among some lines (0 if none).
pub(crate) fn max_value(lines: &[Line]) -> f64 {
    lines
        .iter()
        .flat_map(|line| line.points.iter().map(|p| p.1))
        .fold(0.0, f64::max)
}

/// Draws lines on a panel.
pub(crate) fn draw_lines<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    lines: &[Line],
    width: u32,
) -> DrawResult {
    for line in lines {
        let style = line.color.stroke_width(width);
        if line.dashed {
            chart.draw_series(DashedLineSeries::new(
                line.points.iter().copied(),
                9,
                6,
                style,
            ))?;
        } else {
            chart.draw_series(LineSeries::new(line.points.iter().copied(), style))?;
        }
    }
    Ok(())
}

/// Draws lines on a panel with a small legend box inside it.
pub(crate) fn draw_lines_labelled<'a, DB: DrawingBackend + 'a>(
    chart: &mut TimeChart<'a, DB>,
    lines: &[Line],
    width: u32,
    position: SeriesLabelPosition,
) -> DrawResult {
    for line in lines {
        let style = line.color.stroke_width(width);
        let legend_style = line.color.stroke_width(3);
        let annotation = if line.dashed {
            chart.draw_series(DashedLineSeries::new(
                line.points.iter().copied(),
                9,
                6,
                style,
            ))?
        } else {
            chart.draw_series(LineSeries::new(line.points.iter().copied(), style))?
        };
        annotation
            .label(line.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], legend_style));
    }
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

/// A horizontal reference line (e.g. the 1913 level of output) with a small label.
pub(crate) fn draw_reference<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    frame: &Frame,
    y: f64,
    label: &str,
) -> DrawResult {
    chart.draw_series(DashedLineSeries::new(
        [(frame.x0, y), (frame.x1, y)],
        6,
        5,
        REFERENCE.stroke_width(1),
    ))?;
    chart.draw_series(std::iter::once(
        EmptyElement::at((frame.x1, y))
            + Text::new(
                label.to_owned(),
                (-4, -4),
                (FONT, 12)
                    .into_font()
                    .color(&REFERENCE)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            ),
    ))?;
    Ok(())
}

/// One layer of a stacked-area panel.
pub(crate) struct Layer<'d> {
    pub label: String,
    pub color: RGBColor,
    pub points: &'d [Point],
}

/// The cumulative tops of stacked layers on the union of their dates (a layer missing at a
/// date counts as 0 there). Returns the dates and, per layer, (bottom, top) at each date.
pub(crate) fn stack(layers: &[Layer]) -> (Vec<f64>, Vec<Vec<(f64, f64)>>) {
    let mut xs: Vec<f64> = layers
        .iter()
        .flat_map(|layer| layer.points.iter().map(|p| p.0))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let mut base = vec![0.0; xs.len()];
    let mut bands = Vec::with_capacity(layers.len());
    for layer in layers {
        let mut band = Vec::with_capacity(xs.len());
        let mut points = layer.points.iter().peekable();
        for (x, bottom) in xs.iter().zip(base.iter_mut()) {
            let mut value = 0.0;
            while let Some(&&(px, pv)) = points.peek() {
                if px < *x {
                    points.next();
                } else {
                    if px == *x {
                        value = pv.max(0.0);
                    }
                    break;
                }
            }
            band.push((*bottom, *bottom + value));
            *bottom += value;
        }
        bands.push(band);
    }
    (xs, bands)
}

/// Draws stacked areas (bottom layer first).
pub(crate) fn draw_stack<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    layers: &[Layer],
) -> DrawResult {
    let (xs, bands) = stack(layers);
    if xs.is_empty() {
        return Ok(());
    }
    for (layer, band) in layers.iter().zip(&bands) {
        let mut outline: Vec<(f64, f64)> = xs.iter().zip(band).map(|(x, b)| (*x, b.1)).collect();
        outline.extend(xs.iter().zip(band).rev().map(|(x, b)| (*x, b.0)));
        if xs.len() == 1 {
            // A single date: show it as a thin sliver rather than nothing.
            let (x, (bottom, top)) = (xs[0], band[0]);
            outline = vec![
                (x - 1.0, top),
                (x + 1.0, top),
                (x + 1.0, bottom),
                (x - 1.0, bottom),
            ];
        }
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            layer.color.mix(0.85).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            xs.iter().zip(band).map(|(x, b)| (*x, b.1)),
            WHITE.mix(0.8).stroke_width(1),
        ))?;
    }
    Ok(())
}

/// The highest stacked total among layers (shares that sum to 1 give 1).
pub(crate) fn stack_max(layers: &[Layer]) -> f64 {
    let (_, bands) = stack(layers);
    bands
        .last()
        .map(|band| band.iter().map(|b| b.1).fold(0.0, f64::max))
        .unwrap_or(0.0)
}

fn event_color(kind: EventKind) -> RGBColor {
    match kind {
        EventKind::Scheduled => RGBColor(110, 110, 110),
        EventKind::Triggered => RGBColor(190, 120, 0),
        EventKind::Emergent => RGBColor(150, 0, 150),
    }
}

/// Rows of labels at the top of a chart with event labels.
const LABEL_LANES: usize = 4;

/// Marks events as thin vertical lines; with `labels`, writes each event's short title
/// beside its line, level, in one of [`LABEL_LANES`] rows at the top: the turning points
/// ([`crate::story::words::KEY_EVENTS`]) first, then the others in order of date, each in the
/// first row where it overlaps no label already placed, or not at all.
pub(crate) fn draw_events<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    frame: &Frame,
    labels: bool,
) -> DrawResult {
    let y = chart.y_range();
    let shown: Vec<&Event> = frame
        .events
        .iter()
        .filter(|e| (frame.x0..=frame.x1).contains(&e.x))
        .collect();
    for event in &shown {
        let opacity = if labels { 0.55 } else { 0.22 };
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(event.x, y.start), (event.x, y.end)],
            event_color(event.kind).mix(opacity).stroke_width(1),
        )))?;
    }
    if !labels {
        return Ok(());
    }
    let key = |e: &Event| {
        crate::story::words::KEY_EVENTS
            .iter()
            .position(|k| *k == e.id)
            .unwrap_or(usize::MAX)
    };
    let mut order: Vec<&Event> = shown.clone();
    // A stable sort: within each priority, by date.
    order.sort_by_key(|e| key(e));
    let font = (FONT, 11).into_font();
    let right = chart.backend_coord(&(frame.x1, y.end)).0;
    let mut lanes: Vec<Vec<(i32, i32)>> = vec![Vec::new(); LABEL_LANES];
    let mut seen: Vec<&str> = Vec::new();
    for event in order {
        // A repeated event is labelled once, at its first time.
        if seen.contains(&event.id.as_str()) {
            continue;
        }
        seen.push(&event.id);
        let title = crate::story::words::event_title(&event.id);
        let width = chart
            .plotting_area()
            .estimate_text_size(&title, &TextStyle::from(font.clone()))
            .map_or(6 * title.len() as i32, |(w, _)| w as i32);
        let left = chart.backend_coord(&(event.x, y.end)).0 + 2;
        let span = (left - 3, left + width + 3);
        if span.1 > right {
            continue;
        }
        let Some(lane) = lanes
            .iter()
            .position(|taken| taken.iter().all(|&(a, b)| span.1 < a || span.0 > b))
        else {
            continue;
        };
        lanes[lane].push(span);
        let top = 3 + 13 * lane as i32;
        // A pale ground, so the event lines crossing a label do not hide it.
        chart.draw_series(std::iter::once(
            EmptyElement::at((event.x, y.end))
                + Rectangle::new([(1, top - 1), (width + 3, top + 12)], WHITE.filled())
                + Text::new(
                    title,
                    (2, top),
                    font.clone().color(&event_color(event.kind)),
                ),
        ))?;
    }
    Ok(())
}

/// What a legend entry shows beside its label.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Line,
    Dashed,
    Block,
}

pub(crate) struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub fn block(label: &str, color: RGBColor) -> LegendEntry {
        LegendEntry {
            label: label.to_owned(),
            color,
            swatch: Swatch::Block,
        }
    }

    pub fn line(label: &str, color: RGBColor) -> LegendEntry {
        LegendEntry {
            label: label.to_owned(),
            color,
            swatch: Swatch::Line,
        }
    }
}

const SWATCH_WIDTH: i32 = 26;

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entry: &LegendEntry,
    (x, y): (i32, i32),
) -> DrawResult {
    match entry.swatch {
        Swatch::Line => area.draw(&PathElement::new(
            vec![(x, y), (x + SWATCH_WIDTH, y)],
            entry.color.stroke_width(3),
        ))?,
        Swatch::Dashed => {
            for start in [0, 10, 20] {
                area.draw(&PathElement::new(
                    vec![(x + start, y), (x + (start + 6).min(SWATCH_WIDTH), y)],
                    entry.color.stroke_width(3),
                ))?;
            }
        }
        Swatch::Block => area.draw(&Rectangle::new(
            [(x, y - 7), (x + SWATCH_WIDTH, y + 7)],
            entry.color.mix(0.85).filled(),
        ))?,
    }
    Ok(())
}

fn legend_font(size: u32) -> TextStyle<'static> {
    (FONT, size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center))
}

/// A legend listed top to bottom, with an optional heading.
pub(crate) fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    heading: Option<&str>,
    entries: &[LegendEntry],
    size: u32,
) -> DrawResult {
    let row = (size as i32 * 17) / 10;
    let mut y = 40;
    if let Some(heading) = heading {
        area.draw(&Text::new(
            heading.to_owned(),
            (8, y),
            (FONT, size + 1)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        y += row + 4;
    }
    for entry in entries {
        draw_swatch(area, entry, (10, y))?;
        area.draw(&Text::new(
            entry.label.clone(),
            (10 + SWATCH_WIDTH + 8, y),
            legend_font(size),
        ))?;
        y += row;
    }
    Ok(())
}

/// A legend laid out left to right, centred, wrapping onto more rows when too wide.
pub(crate) fn legend_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    size: u32,
) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    let font = legend_font(size);
    let gap = 22;
    let mut widths = Vec::with_capacity(entries.len());
    for entry in entries {
        let (text_width, _) = area.estimate_text_size(&entry.label, &font)?;
        widths.push(SWATCH_WIDTH + 6 + text_width as i32);
    }
    // Greedy rows that fit the width.
    let mut rows: Vec<(usize, usize, i32)> = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, w) in widths.iter().enumerate() {
        let add = if i == start { *w } else { gap + *w };
        if i > start && used + add > width as i32 - 20 {
            rows.push((start, i, used));
            start = i;
            used = *w;
        } else {
            used += add;
        }
    }
    if start < entries.len() {
        rows.push((start, entries.len(), used));
    }
    let row_height = (size as i32 * 17) / 10;
    let top = (height as i32 - row_height * rows.len() as i32) / 2 + row_height / 2;
    for (r, (from, to, used)) in rows.into_iter().enumerate() {
        let mut x = (width as i32 - used) / 2;
        let y = top + r as i32 * row_height;
        for (entry, w) in entries[from..to].iter().zip(&widths[from..to]) {
            draw_swatch(area, entry, (x, y))?;
            area.draw(&Text::new(
                entry.label.clone(),
                (x + SWATCH_WIDTH + 6, y),
                font.clone(),
            ))?;
            x += w + gap;
        }
    }
    Ok(())
}

/// A placeholder panel for data the run did not record.
pub(crate) fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    what: &str,
    scale: Scale,
) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    let (w, h) = (width as i32, height as i32);
    area.draw(&Rectangle::new(
        [(10, 10), (w - 10, h - 10)],
        GRID.stroke_width(1),
    ))?;
    area.draw(&Text::new(
        caption.to_owned(),
        (w / 2, 18),
        (FONT, scale.caption)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    area.draw(&Text::new(
        format!("not recorded in this run ({what})"),
        (w / 2, h / 2),
        (FONT, scale.labels)
            .into_font()
            .color(&RGBColor(130, 130, 130))
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}
