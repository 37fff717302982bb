//! The charts' shared look: one palette for parties, classes and sides, human-readable names,
//! date ticks and number formats.

use std::cell::Cell;
use std::rc::Rc;

use plotters::style::RGBColor;

use crate::date::{civil_from_days, days_from_civil};

/// The font family every chart uses (registered from the bundled DejaVu Sans).
pub(crate) const FONT: &str = "sans-serif";

/// Parties in display order: id, name, colour (the same in every chart).
pub(crate) const PARTIES: [(&str, &str, RGBColor); 9] = [
    ("bolsheviks", "Bolsheviks", RGBColor(213, 94, 0)),
    ("left_srs", "Left SRs", RGBColor(230, 159, 0)),
    ("srs", "SRs", RGBColor(0, 114, 178)),
    ("mensheviks", "Mensheviks", RGBColor(204, 121, 167)),
    ("kadets", "Kadets", RGBColor(86, 180, 233)),
    ("anarchists", "Anarchists", RGBColor(0, 0, 0)),
    ("nationalists", "Nationalists", RGBColor(0, 158, 115)),
    ("monarchists", "Monarchists", RGBColor(110, 80, 30)),
    ("none", "No party", RGBColor(160, 160, 160)),
];

/// Social classes in display order: id, name, colour.
pub(crate) const CLASSES: [(&str, &str, RGBColor); 9] = [
    ("worker_established", "Established workers", OKABE_ITO[6]),
    ("worker_migrant", "Migrant workers", OKABE_ITO[1]),
    ("peasant_poor", "Poor peasants", OKABE_ITO[3]),
    ("peasant_middle", "Middle peasants", OKABE_ITO[2]),
    ("peasant_kulak", "Kulaks", OKABE_ITO[5]),
    ("cossack", "Cossacks", OKABE_ITO[7]),
    ("intelligentsia", "Intelligentsia", OKABE_ITO[0]),
    ("bourgeoisie", "Bourgeoisie", RGBColor(153, 153, 153)),
    ("nobility", "Nobility", OKABE_ITO[4]),
];

/// The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008), told apart by
/// people with the common colour-vision deficiencies: black, orange, sky blue, bluish green,
/// yellow (darkened to be seen as a line on white), blue, vermillion, reddish purple.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(190, 170, 0),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
];

/// Sides that control territory: id, name, colour.
pub(crate) const SIDES: [(&str, &str, RGBColor); 6] = [
    ("tsar", "Tsarist government", RGBColor(70, 40, 110)),
    (
        "provisional",
        "Provisional Government",
        RGBColor(0, 150, 170),
    ),
    ("soviet", "Soviet power", RGBColor(204, 0, 0)),
    ("white", "Whites", RGBColor(140, 165, 205)),
    ("german", "Central Powers", RGBColor(90, 90, 90)),
    ("green", "Greens", RGBColor(60, 165, 60)),
];

/// A categorical palette for groups without a fixed colour (regions).
pub(crate) const CATEGORICAL: [RGBColor; 10] = [
    OKABE_ITO[5],
    OKABE_ITO[1],
    OKABE_ITO[3],
    OKABE_ITO[6],
    OKABE_ITO[7],
    OKABE_ITO[2],
    OKABE_ITO[0],
    OKABE_ITO[4],
    RGBColor(153, 153, 153),
    RGBColor(102, 51, 0),
];

/// Gridlines and reference lines.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(crate) const REFERENCE: RGBColor = RGBColor(120, 120, 120);

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Mar 1917" for a day count.
pub(crate) fn month_year(x: f64) -> String {
    let (year, month, _) = civil_from_days(x.round() as i32);
    format!("{} {year}", MONTHS[month as usize - 1])
}

/// "1st", "2nd", "3rd", "4th", ...
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A human name for a class, region or other group id (`class.peasant_poor` -> "Poor peasants").
pub(crate) fn group_name(group: &str) -> String {
    let id = group.split_once('.').map_or(group, |(_, id)| id);
    if let Some((_, name, _)) = CLASSES.iter().find(|(c, _, _)| *c == id) {
        return (*name).to_owned();
    }
    let mut name = id.replace('_', " ");
    if let Some(first) = name.get(0..1) {
        let upper = first.to_uppercase();
        name.replace_range(0..1, &upper);
    }
    name
}

/// Date ticks between `x0` and `x1` (days), at most `max_n` of them: month starts every 1, 2,
/// 3, 6, 12, 24 or 60 months, or for spans under two months, days every 1, 2, 7 or 14 days.
pub(crate) fn date_ticks(x0: f64, x1: f64, max_n: usize) -> Vec<f64> {
    let max_n = max_n.max(2);
    let (lo, hi) = (x0.ceil() as i64, x1.floor() as i64);
    if hi < lo {
        return vec![x0, x1];
    }
    let (y0, m0, _) = civil_from_days(lo as i32);
    let (y1, m1, _) = civil_from_days(hi as i32);
    let first_month = i64::from(y0) * 12 + i64::from(m0) - 1;
    let last_month = i64::from(y1) * 12 + i64::from(m1) - 1;
    let month_start = |index: i64| {
        i64::from(days_from_civil(
            index.div_euclid(12) as i32,
            (index.rem_euclid(12) + 1) as u32,
            1,
        ))
    };
    let months = |step: i64| -> Vec<f64> {
        (first_month..=last_month)
            .filter(|index| index.rem_euclid(step) == 0)
            .map(month_start)
            .filter(|&day| day >= lo && day <= hi)
            .map(|day| day as f64)
            .collect()
    };
    if months(1).len() >= 2 {
        for step in [1, 2, 3, 6, 12, 24, 60] {
            let ticks = months(step);
            if ticks.len() <= max_n {
                return ticks;
            }
        }
    }
    for step in [1_i64, 2, 7, 14, 28] {
        let ticks: Vec<f64> = (lo..=hi)
            .filter(|day| day.rem_euclid(step) == 0)
            .map(|day| day as f64)
            .collect();
        if ticks.len() <= max_n {
            return ticks;
        }
    }
    vec![x0, x1]
}

/// Labels date ticks concisely: "1918" on New Year, "Jul" at other month starts, "12 Mar"
/// inside a month; the first tick also names its year. `first` is the first tick drawn.
pub(crate) fn date_label(x: f64, first: &Rc<Cell<f64>>) -> String {
    let (year, month, day) = civil_from_days(x.round() as i32);
    let month_name = MONTHS[month as usize - 1];
    let is_first = (x - first.get()).abs() < 0.5;
    match (month, day, is_first) {
        (1, 1, _) => year.to_string(),
        (_, 1, false) => month_name.to_owned(),
        (_, 1, true) => format!("{month_name} {year}"),
        (_, _, false) => format!("{day} {month_name}"),
        (_, _, true) => format!("{day} {month_name} {year}"),
    }
}

/// A "nice" upper bound for an axis whose data reach `max`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8
/// times a power of ten, at least 5% above `max`.
pub(crate) fn nice_upper(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let target = max * 1.05;
    let magnitude = 10f64.powf(target.log10().floor());
    for step in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if step * magnitude >= target {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// The upper bound for a share axis: a nice bound, never above 100% unless the data are.
pub(crate) fn share_upper(max: f64) -> f64 {
    let upper = nice_upper(max);
    if max <= 1.0 && upper > 1.0 {
        1.0
    } else {
        upper
    }
}

/// Formats `value` with at most `decimals` decimals, dropping trailing zeros ("0.5", "1").
fn trimmed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Decimals enough to tell apart ticks on an axis spanning `span` (one more than usually
/// needed, since trailing zeros are dropped anyway).
fn decimals_for(span: f64) -> usize {
    if span <= 0.05 {
        4
    } else if span <= 0.5 {
        3
    } else if span <= 5.0 {
        2
    } else if span <= 50.0 {
        1
    } else {
        0
    }
}

/// Formats a share as a percentage with as many decimals as the axis needs.
pub(crate) fn percent(value: f64, span: f64) -> String {
    format!("{}%", trimmed(value * 100.0, decimals_for(span * 100.0)))
}

/// Formats a plain number with as many decimals as the axis needs.
pub(crate) fn plain(value: f64, span: f64) -> String {
    trimmed(value, decimals_for(span))
}

/// The unit to show counts of people in: (divisor, unit name) for the largest value.
pub(crate) fn people_unit(max: f64) -> (f64, &'static str) {
    if max >= 1.0e6 {
        (1.0e6, "millions")
    } else if max >= 1.0e3 {
        (1.0e3, "thousands")
    } else {
        (1.0, "people")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::data::parse_date;

    #[test]
    fn ticks_fall_on_month_starts_and_respect_the_limit() {
        let x0 = parse_date("1917-03-08").unwrap();
        let x1 = parse_date("1922-12-30").unwrap();
        let ticks = date_ticks(x0, x1, 12);
        assert!(ticks.len() <= 12 && ticks.len() >= 2);
        let first = Rc::new(Cell::new(ticks[0]));
        assert_eq!(date_label(ticks[0], &first), "Jul 1917");
        assert_eq!(date_label(ticks[1], &first), "1918");
        let ticks = date_ticks(x0, parse_date("1918-03-01").unwrap(), 12);
        first.set(ticks[0]);
        assert_eq!(date_label(ticks[0], &first), "Apr 1917");
        assert_eq!(date_label(ticks[1], &first), "May");
        let ticks = date_ticks(x0, x0 + 20.0, 6);
        assert!(ticks.len() >= 2 && ticks.len() <= 6);
    }

    #[test]
    fn nice_bounds() {
        assert_eq!(nice_upper(0.93), 1.0);
        assert_eq!(share_upper(0.97), 1.0);
        assert_eq!(share_upper(0.41), 0.5);
        assert!((nice_upper(3.1e6) - 4.0e6).abs() < 1.0);
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(plain(0.5, 1.2), "0.5");
        assert_eq!(plain(1.0, 1.2), "1");
        assert_eq!(plain(2.5e6 / 1e6, 6.0), "2.5");
        assert_eq!(percent(0.4, 1.0), "40%");
        assert_eq!(percent(0.025, 0.03), "2.5%");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(group_name("class.peasant_kulak"), "Kulaks");
        assert_eq!(
            group_name("region.central_industrial"),
            "Central industrial"
        );
    }
}
