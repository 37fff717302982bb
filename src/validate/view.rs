//! Reading one finished run's metrics for the fit report.

use crate::date::Date;
use crate::record::{LoggedEvent, Metrics};

/// A run's metrics with their step dates parsed, the events that happened in it (where the
/// reader was given them), and the questions targets ask of them.
pub struct RunView<'a> {
    metrics: &'a Metrics,
    dates: Vec<Date>,
    events: &'a [LoggedEvent],
}

impl<'a> RunView<'a> {
    pub fn new(metrics: &'a Metrics) -> RunView<'a> {
        let dates = metrics
            .dates
            .iter()
            .map(|d| Date::parse(d).expect("the recorder writes ISO dates"))
            .collect();
        RunView {
            metrics,
            dates,
            events: &[],
        }
    }

    /// The same view, able to answer when events happened.
    pub fn with_events(self, events: &'a [LoggedEvent]) -> RunView<'a> {
        RunView { events, ..self }
    }

    /// The day number of the first time the event `id` happened.
    pub fn event_day(&self, id: &str) -> Option<f64> {
        self.events
            .iter()
            .find(|event| event.id == id)
            .and_then(|event| Date::parse(&event.date).ok())
            .map(|date| f64::from(day_number(date)))
    }

    fn date(&self, step: u32) -> Date {
        self.dates[step as usize]
    }

    /// The value in the week that contains `date` (the last measurement on or before it).
    pub fn at(&self, metric: &str, group: &str, date: &str) -> Option<f64> {
        let date = parse(date);
        self.metrics
            .series(metric, group)
            .into_iter()
            .take_while(|&(step, _)| self.date(step) <= date)
            .last()
            .map(|(_, value)| value)
    }

    /// The value at the first step (the start state).
    pub fn first(&self, metric: &str, group: &str) -> Option<f64> {
        self.metrics.series(metric, group).first().map(|&(_, v)| v)
    }

    /// The last value measured (for one-off results such as a congress, the only one).
    pub fn last(&self, metric: &str, group: &str) -> Option<f64> {
        self.metrics.series(metric, group).last().map(|&(_, v)| v)
    }

    /// The largest value between two dates, inclusive.
    pub fn max_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.window(metric, group, from, to)
            .map(|(_, v)| v)
            .reduce(f64::max)
    }

    /// The smallest value between two dates, inclusive.
    pub fn min_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.window(metric, group, from, to)
            .map(|(_, v)| v)
            .reduce(f64::min)
    }

    /// The mean value between two dates, inclusive.
    pub fn mean_between(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        let values: Vec<f64> = self
            .window(metric, group, from, to)
            .map(|(_, v)| v)
            .collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// The date (day number) of the largest value between two dates.
    pub fn date_of_max(&self, metric: &str, group: &str, from: &str, to: &str) -> Option<f64> {
        self.window(metric, group, from, to)
            .reduce(|best, next| if next.1 > best.1 { next } else { best })
            .map(|(step, _)| f64::from(day_number(self.date(step))))
    }

    fn window(
        &self,
        metric: &str,
        group: &str,
        from: &str,
        to: &str,
    ) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (from, to) = (parse(from), parse(to));
        self.metrics
            .series(metric, group)
            .into_iter()
            .filter(move |&(step, _)| (from..=to).contains(&self.date(step)))
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
        let from = parse(from);
        self.metrics
            .series(metric, group)
            .into_iter()
            .find(|&(step, v)| self.date(step) >= from && v >= threshold)
            .map(|(step, _)| f64::from(day_number(self.date(step))))
    }
}

fn parse(date: &str) -> Date {
    Date::parse(date).expect("target dates are written in the code")
}

/// Days since 1970-01-01, the scale on which date targets are compared.
pub fn day_number(date: Date) -> i32 {
    Date::from_ymd(1970, 1, 1).map_or(0, |epoch| epoch.days_until(date))
}

/// A day number as a date.
pub fn date_of(day_number: f64) -> Date {
    Date::from_ymd(1970, 1, 1)
        .map(|epoch| epoch.add_days(day_number.round() as i32))
        .expect("1970-01-01 exists")
}
