//! The key outcomes a comparison (and a report) sets side by side, each read from one run's
//! metrics and event log, and the metrics drawn as overlaid fan charts.

use crate::model::LoggedEvent;
use crate::validate::{self, RunView, Unit};

use super::view_day;

/// One run, as the outcomes read it: its metrics and the events that happened.
pub struct RunRecord<'a> {
    pub view: RunView<'a>,
    /// The last date measured (a window ending after it is not reached).
    last_day: Option<f64>,
}

impl<'a> RunRecord<'a> {
    pub fn new(view: RunView<'a>, events: &'a [LoggedEvent], last_date: Option<&str>) -> Self {
        RunRecord {
            view: view.with_events(events),
            last_day: last_date.and_then(view_day),
        }
    }

    /// Whether the run went on to `date` (within its last week).
    pub fn reaches(&self, date: &str) -> bool {
        match (self.last_day, view_day(date)) {
            (Some(last), Some(day)) => last + 7.0 > day,
            _ => false,
        }
    }

    /// The day number of the first time the event `id` happened.
    pub fn event_day(&self, id: &str) -> Option<f64> {
        self.view.event_day(id)
    }

    /// The value at `date`, if the run went that far.
    pub fn at(&self, metric: &str, group: &str, date: &str) -> Option<f64> {
        self.reaches(date)
            .then(|| self.view.at(metric, group, date))
            .flatten()
    }

    /// The mean between two dates, if the run covered the window.
    pub fn mean(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.reaches(to)
            .then(|| self.view.mean_between(metric, group, from, to))
            .flatten()
    }

    /// The largest value between two dates, if the run covered the window.
    pub fn max(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.reaches(to)
            .then(|| self.view.max_between(metric, group, from, to))
            .flatten()
    }

    /// The smallest value between two dates, if the run covered the window.
    pub fn min(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.reaches(to)
            .then(|| self.view.min_between(metric, group, from, to))
            .flatten()
    }
}

/// A key outcome: what it is, how to show it, how to read it from a run.
pub struct Outcome {
    pub id: &'static str,
    /// What it measures, for people.
    pub label: &'static str,
    pub unit: Unit,
    /// The id of the historical target (`validate`) this outcome is set beside as "history
    /// says", if any: then the outcome is that target's measure, in its unit, so history
    /// always sits beside the number it speaks of.
    pub target: Option<&'static str>,
    reading: Reading,
}

/// How an outcome reads a run.
enum Reading {
    Own(fn(&RunRecord) -> Option<f64>),
    Target(fn(&RunView) -> Option<f64>),
}

impl Outcome {
    /// An outcome of the comparison's own, with no historical target.
    fn own(
        id: &'static str,
        label: &'static str,
        unit: Unit,
        measure: fn(&RunRecord) -> Option<f64>,
    ) -> Outcome {
        Outcome {
            id,
            label,
            unit,
            target: None,
            reading: Reading::Own(measure),
        }
    }

    /// The validate target `target` (one of `targets`) as an outcome, under a short label.
    fn beside(
        targets: &[validate::Target],
        id: &'static str,
        label: &'static str,
        target: &'static str,
    ) -> Outcome {
        let found = targets
            .iter()
            .find(|t| t.id == target)
            .unwrap_or_else(|| panic!("outcome {id}: no validate target {target}"));
        Outcome {
            id,
            label,
            unit: found.unit,
            target: Some(found.id),
            reading: Reading::Target(found.measure),
        }
    }

    /// The outcome in one run (`None` where the run did not reach or measure it).
    pub fn read(&self, run: &RunRecord) -> Option<f64> {
        match self.reading {
            Reading::Own(measure) => measure(run),
            Reading::Target(measure) => measure(&run.view),
        }
    }
}

/// The key outcomes, in the order of the table: 1917, then the civil war, then its end.
pub fn key_outcomes() -> Vec<Outcome> {
    let targets = validate::all_targets();
    let beside = |id, label, target| Outcome::beside(&targets, id, label, target);
    vec![
        beside(
            "petrograd_soviet_majority",
            "The Bolsheviks win a majority in the Petrograd Soviet",
            "petrograd_soviet_majority",
        ),
        Outcome::own(
            "bolshevik_support_oct1917",
            "Bolshevik support (private), all Russia, Oct 1917",
            Unit::Share,
            |run| {
                run.mean(
                    "support.private.bolsheviks",
                    "all",
                    "1917-10-10",
                    "1917-11-06",
                )
            },
        ),
        Outcome::own(
            "soviet_power",
            "Soviet power: half the population under Sovnarkom",
            Unit::Date,
            |run| {
                run.view
                    .first_at_least("control.soviet", "all", 0.5, "1917-03-01")
            },
        ),
        beside(
            "assembly_bolsheviks",
            "Constituent Assembly: Bolshevik vote",
            "constituent_assembly_minority",
        ),
        beside(
            "assembly_sr_lead",
            "Constituent Assembly: SR lead over the Bolsheviks",
            "constituent_assembly_sr_lead",
        ),
        Outcome::own(
            "third_congress_bolsheviks",
            "Bolsheviks at the Third Congress of Soviets, Jan 1918",
            Unit::Share,
            |run| run.view.last("congress.share.bolsheviks", "congress.3"),
        ),
        Outcome::own(
            "legitimacy_first_months",
            "Legitimacy of whoever governs, Nov 1917 - Apr 1918",
            Unit::Share,
            |run| run.mean("legitimacy", "all", "1917-11-15", "1918-04-30"),
        ),
        Outcome::own(
            "legitimacy_1918",
            "Legitimacy of whoever governs, Mar - Dec 1918",
            Unit::Share,
            |run| run.mean("legitimacy", "all", "1918-03-15", "1918-12-31"),
        ),
        Outcome::own(
            "war_deaths_1918",
            "Deaths at war by 10 Nov 1918",
            Unit::People,
            |run| run.at("deaths.war", "all", "1918-11-10"),
        ),
        beside(
            "red_army_1920",
            "Red Army at its 1920 peak",
            "red_army_1920",
        ),
        beside(
            "sown_area_low",
            "Lowest sown area, 1919-1921 (1916 = 100 %)",
            "sown_area_low",
        ),
        Outcome::own(
            "peasant_legitimacy",
            "Legitimacy among middle peasants, 1919-1920",
            Unit::Share,
            |run| {
                run.mean(
                    "legitimacy",
                    "class.peasant_middle",
                    "1919-01-01",
                    "1920-12-31",
                )
            },
        ),
        // The risings against requisitioning; from 1918 the window would be taken by the
        // Siberian peasants' rising against the Whites.
        Outcome::own(
            "peasant_revolt_peak",
            "Peak share of middle peasants in revolt, 1920-21",
            Unit::Share,
            |run| run.max("active", "class.peasant_middle", "1920-01-01", "1921-12-31"),
        ),
        beside(
            "peasant_risings_peak",
            "Peasant risings under way at once, Dec 1920 - Apr 1921 (village districts)",
            "peasant_risings_1921",
        ),
        beside(
            "industry_1921",
            "Industrial output in 1921 (1913 = 100 %)",
            "industry_1921",
        ),
        beside(
            "famine_deaths",
            "Famine deaths, 1921-1922",
            "famine_deaths_1921_22",
        ),
        beside(
            "repression_deaths",
            "Killed in repression, 1917-1922",
            "repression_deaths",
        ),
        beside(
            "petrograd_decline",
            "Change in Petrograd's population, March 1917 - March 1920",
            "petrograd_decline",
        ),
        Outcome::own(
            "soviets_bolsheviks_1922",
            "Bolshevik share of all soviets, 1922",
            Unit::Share,
            |run| run.mean("soviet.share.bolsheviks", "all", "1922-01-01", "1922-12-31"),
        ),
        beside("nep", "NEP: a tax in kind replaces requisitioning", "nep"),
    ]
}

/// A metric drawn as a fan chart (median and 5-95 % band of each scenario, overlaid).
pub struct FanMetric {
    pub metric: &'static str,
    pub group: &'static str,
    pub title: &'static str,
    pub unit: Unit,
}

/// The metrics a comparison draws, each into `plots/fan_<stem>.svg` and `.png`.
pub const FAN_METRICS: [FanMetric; 10] = [
    FanMetric {
        metric: "support.private.bolsheviks",
        group: "all",
        title: "Bolshevik support (private), all of Russia",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "soviet.share.bolsheviks",
        group: "soviet.petrograd",
        title: "Bolshevik share of the Petrograd Soviet",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "soviet.share.bolsheviks",
        group: "all",
        title: "Bolshevik share of all local soviets",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "legitimacy",
        group: "all",
        title: "Legitimacy of whoever governs, everyone",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "legitimacy",
        group: "class.peasant_middle",
        title: "Legitimacy of whoever governs, among middle peasants",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "active",
        group: "class.peasant_middle",
        title: "Middle peasants in open revolt",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "sown_area",
        group: "all",
        title: "Sown area (1916 = 100 %)",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "industry.output",
        group: "all",
        title: "Industrial output (1913 = 100 %)",
        unit: Unit::Share,
    },
    FanMetric {
        metric: "army.red.size",
        group: "all",
        title: "Red Army",
        unit: Unit::People,
    },
    FanMetric {
        metric: "deaths.famine",
        group: "all",
        title: "Famine deaths (cumulative)",
        unit: Unit::People,
    },
];

impl FanMetric {
    /// The file stem of its chart.
    pub fn stem(&self) -> String {
        let group = self.group.replace('.', "_");
        format!("fan_{}_{group}", self.metric.replace('.', "_"))
    }
}

/// A unit's id in `compare.json`.
pub fn unit_id(unit: Unit) -> &'static str {
    unit.name()
}

/// The unit of an id in `compare.json`.
pub fn unit_from_id(id: &str) -> Unit {
    Unit::from_name(id).unwrap_or(Unit::Share)
}

/// A value for people to read ("—" when there is none): as the validation table writes it,
/// but a few people as a plain number rather than "0 k".
pub fn show(unit: Unit, value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) if unit == Unit::People && v.abs() < 1e3 => format!("{v:.0}"),
        Some(_) => validate::format(unit, value),
    }
}

/// A difference for people to read: people in k or M, shares in percentage points, dates in
/// weeks, each with its sign.
pub fn show_difference(unit: Unit, difference: f64) -> String {
    let sign = if difference > 0.0 {
        "+"
    } else if difference < 0.0 {
        "−"
    } else {
        "±"
    };
    let size = difference.abs();
    match unit {
        Unit::People if size >= 1e6 => format!("{sign}{:.2} M", size / 1e6),
        Unit::People if size >= 1e3 => format!("{sign}{:.0} k", size / 1e3),
        Unit::People => format!("{sign}{size:.0}"),
        Unit::Share | Unit::Points => format!("{sign}{:.1} pts", 100.0 * size),
        Unit::Date => format!("{sign}{:.1} wk", size / 7.0),
        Unit::Weeks => format!("{sign}{size:.1} wk"),
        Unit::Count | Unit::Flag => format!("{sign}{size:.0}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_differences_read_well() {
        assert_eq!(show(Unit::Share, Some(0.6284)), "62.8 %");
        assert_eq!(show(Unit::Points, Some(-0.608)), "-60.8 pts");
        assert_eq!(show(Unit::People, Some(2_797_000.0)), "2.80 M");
        assert_eq!(show(Unit::People, Some(962_000.0)), "962 k");
        assert_eq!(show(Unit::Date, None), "—");
        assert_eq!(show_difference(Unit::Share, -0.081), "−8.1 pts");
        assert_eq!(show_difference(Unit::Date, 14.0), "+2.0 wk");
        assert_eq!(show_difference(Unit::People, 1.5e6), "+1.50 M");
        assert_eq!(unit_from_id(unit_id(Unit::People)), Unit::People);
    }

    #[test]
    fn linked_targets_exist() {
        let targets = validate::all_targets();
        for outcome in key_outcomes() {
            if let Some(id) = outcome.target {
                assert!(
                    targets.iter().any(|t| t.id == id),
                    "outcome {} names target {id}, which validate does not have",
                    outcome.id
                );
            }
        }
    }

    #[test]
    fn fan_stems_are_file_names() {
        for fan in &FAN_METRICS {
            let stem = fan.stem();
            assert!(stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }
}
