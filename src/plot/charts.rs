//! The six charts of a run. Each draws what the run recorded and marks the rest "not recorded".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{parse_date, Point, RunData};
use super::panels::{
    draw_events, draw_lines, draw_lines_labelled, draw_reference, draw_stack, figure,
    legend_column, legend_row, max_value, no_data, stack_max, time_chart, Axis, DrawResult, Frame,
    Layer, LegendEntry, Line, TickedRange, PANEL, WIDE,
};
use super::style::{
    group_name, month_year, nice_upper, ordinal, people_unit, percent, share_upper, CATEGORICAL,
    CLASSES, FONT, GRID, PARTIES, SIDES,
};

/// A chart of a run, drawn to both PNG and SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chart {
    Allegiance,
    AllegianceByClass,
    Soviets,
    Economy,
    Armies,
    Unrest,
}

impl Chart {
    pub const ALL: [Chart; 6] = [
        Chart::Allegiance,
        Chart::AllegianceByClass,
        Chart::Soviets,
        Chart::Economy,
        Chart::Armies,
        Chart::Unrest,
    ];

    /// The file name without extension.
    pub fn stem(self) -> &'static str {
        match self {
            Chart::Allegiance => "allegiance",
            Chart::AllegianceByClass => "allegiance_by_class",
            Chart::Soviets => "soviets",
            Chart::Economy => "economy",
            Chart::Armies => "armies",
            Chart::Unrest => "unrest",
        }
    }

    /// The image size in pixels.
    pub fn size(self) -> (u32, u32) {
        match self {
            Chart::Allegiance => (1200, 800),
            Chart::AllegianceByClass => (1500, 1050),
            _ => (1400, 900),
        }
    }

    /// Draws the chart onto a blank drawing area.
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        data: &RunData,
    ) -> DrawResult {
        let frame = frame(data);
        match self {
            Chart::Allegiance => allegiance(root, data, &frame),
            Chart::AllegianceByClass => allegiance_by_class(root, data, &frame),
            Chart::Soviets => soviets(root, data, &frame),
            Chart::Economy => economy(root, data, &frame),
            Chart::Armies => armies(root, data, &frame),
            Chart::Unrest => unrest(root, data, &frame),
        }
    }
}

/// The run's time span (padded when it is a single day; 1917 when the file has no rows).
fn frame(data: &RunData) -> Frame<'_> {
    let (x0, x1) = match data.span {
        Some((x0, x1)) if x1 > x0 => (x0, x1),
        Some((x, _)) => (x - 15.0, x + 15.0),
        None => (
            parse_date("1917-03-01").unwrap_or(0.0),
            parse_date("1917-12-31").unwrap_or(300.0),
        ),
    };
    Frame {
        x0,
        x1,
        events: &data.events,
    }
}

/// Lines for every party recorded under `metric_prefix.<party>` in `group`.
fn party_lines(data: &RunData, metric_prefix: &str, group: &str) -> Vec<Line> {
    PARTIES
        .iter()
        .filter_map(|(id, name, color)| {
            data.get(&format!("{metric_prefix}.{id}"), group)
                .map(|points| Line::solid(name, *color, points))
        })
        .collect()
}

/// Stacked layers for every party recorded under `metric_prefix.<party>` in `group`.
fn party_layers<'d>(data: &'d RunData, metric_prefix: &str, group: &str) -> Vec<Layer<'d>> {
    PARTIES
        .iter()
        .filter_map(|(id, name, color)| {
            data.get(&format!("{metric_prefix}.{id}"), group)
                .map(|points| Layer {
                    label: (*name).to_owned(),
                    color: *color,
                    points,
                })
        })
        .collect()
}

fn party_legend(present: impl Fn(&str) -> bool, block: bool) -> Vec<LegendEntry> {
    PARTIES
        .iter()
        .filter(|(id, _, _)| present(id))
        .map(|(_, name, color)| {
            if block {
                LegendEntry::block(name, *color)
            } else {
                LegendEntry::line(name, *color)
            }
        })
        .collect()
}

/// A panel of lines, or a placeholder if none was recorded.
fn line_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    caption: &str,
    axis: Axis,
    lines: &[Line],
    missing: &str,
    legend: Option<SeriesLabelPosition>,
) -> DrawResult {
    if lines.is_empty() {
        return no_data(area, caption, missing, PANEL);
    }
    let mut chart = time_chart(area, frame, caption, &axis, PANEL)?;
    draw_events(&mut chart, frame, false)?;
    match legend {
        Some(position) => draw_lines_labelled(&mut chart, lines, PANEL.line, position),
        None => draw_lines(&mut chart, lines, PANEL.line),
    }
}

/// A panel of stacked shares, or a placeholder if none was recorded.
fn stack_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    caption: &str,
    desc: &str,
    layers: &[Layer],
    missing: &str,
) -> DrawResult {
    if layers.is_empty() {
        return no_data(area, caption, missing, PANEL);
    }
    // Shares of a whole sum to 1 up to rounding; only a clear excess widens the axis.
    let total = stack_max(layers);
    let axis = Axis::share(if total > 1.02 { nice_upper(total) } else { 1.0 }, desc);
    let mut chart = time_chart(area, frame, caption, &axis, PANEL)?;
    draw_stack(&mut chart, layers)?;
    draw_events(&mut chart, frame, false)
}

/// Chart 1: National private support by party, with public Bolshevik support dashed and events.
fn allegiance<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    let body = figure(
        root,
        "Private party support, all of Russia",
        "Share of the population privately supporting each party; dashed: Bolshevik support \
         declared in public; vertical lines: events",
    )?;
    let mut lines = party_lines(data, "support.private", "all");
    if let Some(points) = data.get("support.public.bolsheviks", "all") {
        lines.push(Line {
            label: "Bolsheviks (public)".to_owned(),
            color: PARTIES[0].2,
            dashed: true,
            points: points.to_vec(),
        });
    }
    if lines.is_empty() {
        return no_data(&body, "", "support.private.<party>, group all", WIDE);
    }
    let (width, _) = body.dim_in_pixel();
    let (plot, side) = body.split_horizontally(width.saturating_sub(210));
    let axis = Axis::share(share_upper(max_value(&lines)), "Share of population");
    let mut chart = time_chart(&plot, frame, "", &axis, WIDE)?;
    draw_events(&mut chart, frame, true)?;
    draw_lines(&mut chart, &lines, WIDE.line)?;
    let entries: Vec<LegendEntry> = lines.iter().map(Line::legend).collect();
    legend_column(&side, Some("Party"), &entries, 15)
}

/// Chart 2: Private support by party within each class, one small panel per class.
fn allegiance_by_class<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    let body = figure(
        root,
        "Private party support by social class",
        "Share of each class privately supporting each party",
    )?;
    let present = |party: &str| {
        let metric = format!("support.private.{party}");
        CLASSES
            .iter()
            .any(|(class, _, _)| data.get(&metric, &format!("class.{class}")).is_some())
    };
    let entries = party_legend(present, false);
    if entries.is_empty() {
        return no_data(
            &body,
            "",
            "support.private.<party>, group class.<class>",
            WIDE,
        );
    }
    let (legend, grid) = body.split_vertically(36);
    legend_row(&legend, &entries, 15)?;
    for (area, (class, name, _)) in grid.split_evenly((3, 3)).iter().zip(CLASSES) {
        let lines = party_lines(data, "support.private", &format!("class.{class}"));
        line_panel(
            area,
            frame,
            name,
            Axis::share(1.0, "Share of class"),
            &lines,
            &format!("class.{class}"),
            None,
        )?;
    }
    Ok(())
}

/// Chart 3: Party composition of the Petrograd, Moscow and Kronstadt soviets, of all local soviets,
/// and of each All-Russian Congress of Soviets.
fn soviets<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    let body = figure(
        root,
        "Party composition of the soviets",
        "Party shares of deputies in local soviets (stacked) and of delegates at the \
         All-Russian Congresses of Soviets",
    )?;
    let present = |party: &str| {
        data.groups_with_prefix(&format!("soviet.share.{party}"), "")
            .len()
            + data
                .groups_with_prefix(&format!("congress.share.{party}"), "congress.")
                .len()
            > 0
    };
    let entries = party_legend(present, true);
    let (legend, grid) = body.split_vertically(36);
    legend_row(&legend, &entries, 15)?;
    let (width, height) = grid.dim_in_pixel();
    let (top, bottom) = grid.split_vertically(height / 2);
    let panels = [
        ("soviet.petrograd", "Petrograd Soviet"),
        ("soviet.moscow", "Moscow Soviet"),
        ("soviet.kronstadt", "Kronstadt Soviet"),
    ];
    for (area, (group, caption)) in top.split_evenly((1, 3)).iter().zip(panels) {
        let layers = party_layers(data, "soviet.share", group);
        let missing = format!("soviet.share.<party>, group {group}");
        stack_panel(area, frame, caption, "Share of deputies", &layers, &missing)?;
    }
    let (all, congress) = bottom.split_horizontally(width * 3 / 5);
    let layers = party_layers(data, "soviet.share", "all");
    stack_panel(
        &all,
        frame,
        "All local soviets",
        "Share of deputies",
        &layers,
        "soviet.share.<party>, group all",
    )?;
    congresses(&congress, data)
}

/// Stacked bars of party shares at each All-Russian Congress of Soviets.
fn congresses<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, data: &RunData) -> DrawResult {
    let caption = "All-Russian Congresses of Soviets";
    // Every congress number seen, with its date and each party's share (the last row if the
    // recorder wrote one at several steps).
    let mut numbers: Vec<(u32, String)> = Vec::new();
    for (id, _, _) in PARTIES {
        for group in data.groups_with_prefix(&format!("congress.share.{id}"), "congress.") {
            if let Ok(n) = group["congress.".len()..].parse::<u32>() {
                if !numbers.iter().any(|(m, _)| *m == n) {
                    numbers.push((n, group.to_owned()));
                }
            }
        }
    }
    if numbers.is_empty() {
        return no_data(area, caption, "congress.share.<party>", PANEL);
    }
    numbers.sort();
    // (congress number, date, (party index, share) from the bottom up)
    type Bar = (u32, Option<f64>, Vec<(usize, f64)>);
    let bars: Vec<Bar> = numbers
        .iter()
        .map(|(n, group)| {
            let mut date = None;
            let mut shares = Vec::new();
            for (p, (id, _, _)) in PARTIES.iter().enumerate() {
                if let Some(&(x, share)) = data
                    .get(&format!("congress.share.{id}"), group)
                    .and_then(<[Point]>::last)
                {
                    date = Some(x);
                    shares.push((p, share.max(0.0)));
                }
            }
            (*n, date, shares)
        })
        .collect();
    let total = bars
        .iter()
        .map(|(_, _, shares)| shares.iter().map(|s| s.1).sum::<f64>())
        .fold(0.0, f64::max);
    let upper = if total > 1.02 { nice_upper(total) } else { 1.0 };
    let count = bars.len();
    let positions: Vec<f64> = (1..=count).map(|i| i as f64).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, PANEL.caption))
        .margin(8)
        .margin_right(18)
        .x_label_area_size(PANEL.labels * 2 + 4)
        .y_label_area_size(PANEL.labels * 3 + PANEL.desc + 10)
        .build_cartesian_2d(
            TickedRange::fixed(0.4, count as f64 + 0.6, positions),
            0.0..upper,
        )?;
    let labels: Vec<String> = bars
        .iter()
        .map(|(n, date, _)| match date {
            Some(x) if count <= 4 => format!("{}, {}", ordinal(*n), month_year(*x)),
            _ => ordinal(*n),
        })
        .collect();
    let x_format = |x: &f64| {
        let i = x.round() as usize;
        labels.get(i.wrapping_sub(1)).cloned().unwrap_or_default()
    };
    let y_format = |y: &f64| percent(*y, upper);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(count)
        .y_labels(PANEL.y_ticks)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .y_desc("Share of delegates")
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(110, 110, 110))
        .label_style((FONT, PANEL.labels))
        .axis_desc_style((FONT, PANEL.desc))
        .draw()?;
    for (i, (_, _, shares)) in bars.iter().enumerate() {
        let x = (i + 1) as f64;
        let mut bottom = 0.0;
        for &(p, share) in shares {
            let color = PARTIES[p].2;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.32, bottom), (x + 0.32, bottom + share)],
                color.mix(0.85).filled(),
            )))?;
            if share >= 0.06 * upper {
                chart.draw_series(std::iter::once(Text::new(
                    format!("{:.0}%", share * 100.0),
                    (x, bottom + share / 2.0),
                    (FONT, 11)
                        .into_font()
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
            bottom += share;
        }
    }
    Ok(())
}

/// How many regions the food panel draws beside the national line.
const HUNGRIEST_SHOWN: usize = 3;

/// The `count` regions whose food security fell lowest, lowest first (ties in name order).
fn hungriest_regions(data: &RunData, count: usize) -> Vec<&str> {
    let mut lows: Vec<(f64, &str)> = data
        .groups_with_prefix("food.security", "region.")
        .into_iter()
        .filter_map(|group| {
            let points = data.get("food.security", group)?;
            Some((
                points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                group,
            ))
        })
        .collect();
    lows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    lows.into_iter()
        .take(count)
        .map(|(_, group)| group)
        .collect()
}

/// Chart 4: Food security (nationally and in the hungriest regions), industrial output, sown
/// area and unemployment, nationally.
fn economy<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    let body = figure(
        root,
        "The economy, all of Russia",
        "Food security (nationally and where it fell lowest), industrial output (1913 = 1), sown area (1916 = 1) and unemployment",
    )?;
    let areas = body.split_evenly((2, 2));
    let single = |metric: &str, label: &str, color: RGBColor| -> Vec<Line> {
        data.get(metric, "all")
            .map(|points| vec![Line::solid(label, color, points)])
            .unwrap_or_default()
    };

    let mut food = single("food.security", "All of Russia", RGBColor(160, 100, 0));
    // The national mean hides where people starve: add the hungriest regions.
    food.extend(
        hungriest_regions(data, HUNGRIEST_SHOWN)
            .into_iter()
            .zip(CATEGORICAL)
            .filter_map(|(group, color)| {
                data.get("food.security", group)
                    .map(|points| Line::solid(&group_name(group), color, points))
            }),
    );
    let axis = Axis::plain(share_upper(max_value(&food)), "Index (1 = fully fed)");
    line_panel(
        &areas[0],
        frame,
        "Food security, and the hungriest regions",
        axis,
        &food,
        "food.security",
        Some(SeriesLabelPosition::LowerLeft),
    )?;

    for (area, metric, caption, desc, reference, color) in [
        (
            &areas[1],
            "industry.output",
            "Industrial output",
            "Output (1913 = 1)",
            "1913 level",
            RGBColor(70, 70, 140),
        ),
        (
            &areas[2],
            "sown_area",
            "Sown area",
            "Area sown (1916 = 1)",
            "1916 level",
            RGBColor(40, 130, 40),
        ),
    ] {
        let lines = single(metric, caption, color);
        if lines.is_empty() {
            no_data(area, caption, metric, PANEL)?;
            continue;
        }
        let axis = Axis::plain(nice_upper(max_value(&lines).max(1.0)), desc);
        let mut chart = time_chart(area, frame, caption, &axis, PANEL)?;
        draw_events(&mut chart, frame, false)?;
        draw_reference(&mut chart, frame, 1.0, reference)?;
        draw_lines(&mut chart, &lines, PANEL.line)?;
    }

    let jobless = single("unemployment", "Unemployment", RGBColor(150, 40, 40));
    let axis = Axis::share(share_upper(max_value(&jobless)), "Share of workforce");
    line_panel(
        &areas[3],
        frame,
        "Unemployment",
        axis,
        &jobless,
        "unemployment",
        None,
    )
}

/// Lines of people counts (armies, deaths), scaled to a readable unit.
fn people_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame,
    caption: &str,
    lines: Vec<Line>,
    missing: &str,
) -> DrawResult {
    let (divisor, unit) = people_unit(max_value(&lines));
    let lines: Vec<Line> = lines.into_iter().map(|line| line.scaled(divisor)).collect();
    // "People (thousands)", but not "People (people)".
    let label = if divisor > 1.0 {
        format!("People ({unit})")
    } else {
        "People".to_string()
    };
    let axis = Axis::plain(nice_upper(max_value(&lines)), &label);
    line_panel(
        area,
        frame,
        caption,
        axis,
        &lines,
        missing,
        Some(SeriesLabelPosition::UpperLeft),
    )
}

/// Chart 5: Red and White army sizes, cumulative deaths by cause, and territorial control.
fn armies<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    let body = figure(
        root,
        "Civil war: armies, deaths and territory",
        "Army sizes, cumulative deaths by cause, and the share of the population under each \
         side's control",
    )?;
    let (_, height) = body.dim_in_pixel();
    let (top, bottom) = body.split_vertically(height / 2);
    let top = top.split_evenly((1, 2));
    let recorded = |specs: &[(&str, &str, RGBColor)]| -> Vec<Line> {
        specs
            .iter()
            .filter_map(|(metric, label, color)| {
                data.get(metric, "all")
                    .map(|points| Line::solid(label, *color, points))
            })
            .collect()
    };

    let armies = recorded(&[
        ("army.red.size", "Red Army", RGBColor(204, 0, 0)),
        ("army.white.size", "White armies", RGBColor(70, 100, 170)),
    ]);
    people_panel(
        &top[0],
        frame,
        "Army size",
        armies,
        "army.red.size, army.white.size",
    )?;

    let deaths = recorded(&[
        ("deaths.famine", "Famine", RGBColor(150, 100, 20)),
        ("deaths.war", "War", RGBColor(60, 60, 60)),
        ("deaths.repression", "Repression", RGBColor(130, 0, 50)),
    ]);
    people_panel(
        &top[1],
        frame,
        "Cumulative deaths by cause",
        deaths,
        "deaths.<cause>",
    )?;

    let layers: Vec<Layer> = SIDES
        .iter()
        .filter_map(|(id, name, color)| {
            data.get(&format!("control.{id}"), "all")
                .map(|points| Layer {
                    label: (*name).to_owned(),
                    color: *color,
                    points,
                })
        })
        .collect();
    let (width, _) = bottom.dim_in_pixel();
    let (plot, side) = bottom.split_horizontally(width.saturating_sub(230));
    let caption = "Population under each side's control";
    stack_panel(
        &plot,
        frame,
        caption,
        "Share of population",
        &layers,
        "control.<side>",
    )?;
    let entries: Vec<LegendEntry> = layers
        .iter()
        .map(|layer| LegendEntry::block(&layer.label, layer.color))
        .collect();
    legend_column(&side, None, &entries, 14)
}

/// Chart 6: Legitimacy, hardship and the share in open revolt, nationally and by class (or, when the
/// run recorded no class breakdown, by region).
fn unrest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    frame: &Frame,
) -> DrawResult {
    const METRICS: [(&str, &str); 3] = [
        ("legitimacy", "Legitimacy"),
        ("hardship", "Hardship"),
        ("active", "In open revolt"),
    ];
    let by_class = METRICS
        .iter()
        .any(|(metric, _)| !data.groups_with_prefix(metric, "class.").is_empty());
    // The breakdown groups, in display order, with their colours.
    let groups: Vec<(String, String, RGBColor)> = if by_class {
        CLASSES
            .iter()
            .map(|(id, name, color)| (format!("class.{id}"), (*name).to_owned(), *color))
            .filter(|(group, _, _)| METRICS.iter().any(|(m, _)| data.get(m, group).is_some()))
            .collect()
    } else {
        let mut regions: Vec<&str> = METRICS
            .iter()
            .flat_map(|(metric, _)| data.groups_with_prefix(metric, "region."))
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
            .into_iter()
            .enumerate()
            .map(|(i, group)| {
                let color = CATEGORICAL[i % CATEGORICAL.len()];
                (group.to_owned(), group_name(group), color)
            })
            .collect()
    };
    let breakdown = if by_class { "class" } else { "region" };
    let body = figure(
        root,
        "Legitimacy, hardship and revolt",
        &format!(
            "Perceived legitimacy of the government, hardship, and the share in open revolt: \
             nationally and by {breakdown}"
        ),
    )?;
    let (_, height) = body.dim_in_pixel();
    let (grid, legend) = body.split_vertically(height.saturating_sub(40));
    let areas = grid.split_evenly((2, 2));

    let national: Vec<Line> = METRICS
        .iter()
        .zip([
            RGBColor(30, 90, 210),
            RGBColor(150, 90, 20),
            RGBColor(204, 0, 0),
        ])
        .filter_map(|((metric, label), color)| {
            data.get(metric, "all")
                .map(|points| Line::solid(label, color, points))
        })
        .collect();
    let axis = Axis::plain(share_upper(max_value(&national)), "Level (0-1)");
    line_panel(
        &areas[0],
        frame,
        "All of Russia",
        axis,
        &national,
        "legitimacy, hardship, active",
        Some(SeriesLabelPosition::UpperRight),
    )?;

    for (area, (metric, label)) in areas[1..].iter().zip(METRICS) {
        let lines: Vec<Line> = groups
            .iter()
            .filter_map(|(group, name, color)| {
                data.get(metric, group)
                    .map(|points| Line::solid(name, *color, points))
            })
            .collect();
        let caption = format!("{label} by {breakdown}");
        let axis = if metric == "active" {
            Axis::share(share_upper(max_value(&lines)), "Share in open revolt")
        } else {
            Axis::plain(share_upper(max_value(&lines)), &format!("{label} (0-1)"))
        };
        let missing = format!("{metric} by class or region");
        line_panel(area, frame, &caption, axis, &lines, &missing, None)?;
    }

    let entries: Vec<LegendEntry> = groups
        .iter()
        .map(|(_, name, color)| LegendEntry::line(name, *color))
        .collect();
    legend_row(&legend, &entries, 14)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::data::read_run;

    #[test]
    fn the_food_panel_adds_the_regions_that_went_hungriest() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut csv = String::from("step,date,metric,group,value\n");
        for (step, date) in [(0, "1921-01-06"), (1, "1921-01-13")] {
            for (group, value) in [
                ("all", [0.95, 0.9]),
                ("region.volga", [0.9, 0.3]),
                ("region.moscow", [0.6, 0.8]),
                ("region.siberia", [1.0, 1.0]),
                ("region.petrograd", [0.6, 0.9]),
            ] {
                csv += &format!("{step},{date},food.security,{group},{}\n", value[step]);
            }
        }
        std::fs::write(dir.path().join("timeseries.csv"), csv).expect("written");
        let data = read_run(dir.path()).expect("read");
        assert_eq!(
            hungriest_regions(&data, 3),
            ["region.volga", "region.moscow", "region.petrograd"],
            "lowest first, a tie in name order, the well-fed left out"
        );
    }
}
