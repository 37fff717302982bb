//! Reading one finished run's metrics for the fit report, in the statistics language of
//! `metrics::Stat`.

use crate::date::Date;
use crate::metrics::{known, Metrics, Stat, Window};
use crate::model::LoggedEvent;

/// A run's metrics with their step dates parsed, the events that happened in it (where the
/// reader was given them), and the questions targets ask of them.
pub struct RunView<'a> {
    metrics: &'a Metrics,
    events: &'a [LoggedEvent],
}

impl<'a> RunView<'a> {
    pub fn new(metrics: &'a Metrics) -> RunView<'a> {
        RunView {
            metrics,
            events: &[],
        }
    }

    /// The same view, able to answer when events happened.
    pub fn with_events(self, events: &'a [LoggedEvent]) -> RunView<'a> {
        RunView { events, ..self }
    }

    /// The day number of the first time the event `id` happened.
    pub fn event_day(&self, id: &str) -> Option<f64> {
        day_of(self.events.iter().find(|event| event.id == id))
    }

    /// The day number of the last time the event `id` happened.
    pub fn last_event_day(&self, id: &str) -> Option<f64> {
        day_of(self.events.iter().rev().find(|event| event.id == id))
    }

    /// A statistic of a metric (named in the code, so checked against the registry by the
    /// tests that read every target and outcome); dates come back as day numbers.
    pub fn read(&self, metric: &str, group: &str, stat: Stat) -> Option<f64> {
        let (metric, group) = known(metric, group);
        self.metrics
            .read(metric, group, &stat)
            .map(|reading| reading.number())
    }

    /// The value in the week that contains `date` (the last measurement on or before it).
    pub fn at(&self, metric: &str, group: &str, date: &str) -> Option<f64> {
        self.read(metric, group, Stat::At(parse(date)))
    }

    /// The value in the week the event `id` first happened.
    pub fn at_event(&self, metric: &str, group: &str, id: &str) -> Option<f64> {
        let date = date_of(self.event_day(id)?);
        self.read(metric, group, Stat::At(date))
    }

    /// Weeks from the first time the event `id` happened until the value falls to `share` of
    /// what it was that week or below (none if the event never happened, or the value never
    /// falls that far).
    pub fn weeks_to_fall_after_event(
        &self,
        metric: &str,
        group: &str,
        id: &str,
        share: f64,
    ) -> Option<f64> {
        let day = self.event_day(id)?;
        let at_event = self.at_event(metric, group, id)?;
        let window = Window::from(date_of(day));
        let fallen = self.read(metric, group, Stat::FirstBelow(share * at_event, window))?;
        Some((fallen - day) / 7.0)
    }

    /// The value at the first step (the start state).
    pub fn first(&self, metric: &str, group: &str) -> Option<f64> {
        self.read(metric, group, Stat::Initial)
    }

    /// The last value measured (for one-off results such as a congress, the only one).
    pub fn last(&self, metric: &str, group: &str) -> Option<f64> {
        self.read(metric, group, Stat::Final)
    }

    /// The largest value between two dates, inclusive.
    pub fn max_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.read(metric, group, Stat::Max(window(from, to)))
    }

    /// The smallest value between two dates, inclusive.
    pub fn min_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.read(metric, group, Stat::Min(window(from, to)))
    }

    /// The mean value between two dates, inclusive.
    pub fn mean_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.read(metric, group, Stat::Mean(window(from, to)))
    }

    /// The date (day number) of the largest value between two dates.
    pub fn date_of_max(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.read(metric, group, Stat::DateOfMax(window(from, to)))
    }

    /// The date (as a day number) of the first step on or after `from` when the value is at
    /// least `threshold`.
    pub fn first_at_least(
        &self,
        metric: &str,
        group: &str,
        threshold: f64,
        from: &str,
    ) -> Option<f64> {
        self.read(
            metric,
            group,
            Stat::FirstAbove(threshold, Window::from(parse(from))),
        )
    }
}

fn window(from: &str, to: &str) -> Window {
    Window::between(parse(from), parse(to))
}

fn parse(date: &str) -> Date {
    Date::parse(date).expect("target dates are written in the code")
}

/// Days since 1970-01-01, the scale on which date targets are compared.
pub fn day_number(date: Date) -> i32 {
    date.days_since_epoch()
}

/// A day number as a date.
pub fn date_of(day_number: f64) -> Date {
    Date::from_ymd(1970, 1, 1)
        .map(|epoch| epoch.add_days(day_number.round() as i32))
        .expect("1970-01-01 exists")
}

/// The day number of a logged event, if there is one and its date parses.
fn day_of(event: Option<&LoggedEvent>) -> Option<f64> {
    event
        .and_then(|event| Date::parse(&event.date).ok())
        .map(|date| f64::from(day_number(date)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{known, Metrics};

    /// Weekly values of the middle peasants in arms from 1921-03-01, and NEP logged in the
    /// second week.
    fn run(values: &[f64]) -> (Metrics, Vec<LoggedEvent>) {
        let (metric, group) = known("active", "class.peasant_middle");
        let mut metrics = Metrics::default();
        let start = Date::parse("1921-03-01").unwrap();
        for (step, &value) in values.iter().enumerate() {
            metrics
                .dates
                .push(start.add_days(7 * step as i32).to_string());
            metrics.push(step as u32, metric, group, value);
        }
        let nep = LoggedEvent {
            step: 1,
            date: start.add_days(7).to_string(),
            id: "nep".to_string(),
            kind: "triggered".to_string(),
            description: String::new(),
            sources: String::new(),
        };
        (metrics, vec![nep])
    }

    #[test]
    fn weeks_to_a_tenth_are_counted_from_the_event() {
        let weeks = |values: &[f64]| {
            let (metrics, events) = run(values);
            RunView::new(&metrics)
                .with_events(&events)
                .weeks_to_fall_after_event("active", "class.peasant_middle", "nep", 0.1)
        };
        // 0.05 at NEP; 0.004 (below 0.005) three weeks later.
        assert_eq!(weeks(&[0.06, 0.05, 0.03, 0.01, 0.004, 0.0]), Some(3.0));
        // Never down to a tenth.
        assert_eq!(weeks(&[0.06, 0.05, 0.03, 0.01, 0.006]), None);
        // No NEP, no count.
        let (metrics, _) = run(&[0.06, 0.0]);
        let view = RunView::new(&metrics);
        assert_eq!(
            view.weeks_to_fall_after_event("active", "class.peasant_middle", "nep", 0.1),
            None
        );
    }
}
