//! The one language that reduces a metric's weekly series to a number: a sweep's summaries,
//! compare's outcomes and validate's targets all say what they read from a run with a
//! [`Stat`], and [`Stat::evaluate`] is the only place that reads it.

use crate::date::Date;

/// The steps a statistic looks at: those dated within `[from, to]` (each bound optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Window {
    /// The steps dated from `from` to `to`, both included.
    pub fn between(from: Date, to: Date) -> Window {
        Window {
            from: Some(from),
            to: Some(to),
        }
    }

    /// The steps dated on or after `from`.
    pub fn from(from: Date) -> Window {
        Window {
            from: Some(from),
            to: None,
        }
    }

    fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
    }
}

/// How a metric's series is reduced to one value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// The last value recorded.
    Final,
    /// The value at the first step (the start state).
    Initial,
    /// The value at the last step dated on or before `date`.
    At(Date),
    /// The largest value in the window.
    Max(Window),
    /// The smallest value in the window.
    Min(Window),
    /// The mean over the steps in the window.
    Mean(Window),
    /// The date of the (first) largest value in the window.
    DateOfMax(Window),
    /// The date of the first step in the window whose value is at least `threshold`.
    FirstAbove(f64, Window),
    /// The date of the first step in the window whose value is at most `threshold`.
    FirstBelow(f64, Window),
}

/// The stat names a sweep file may use, in the order messages list them.
pub const STATS: &[&str] = &[
    "final",
    "initial",
    "at",
    "max",
    "min",
    "mean",
    "date_of_max",
    "first_above",
    "first_below",
];

/// What a statistic found: a value, or the date of a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    Value(f64),
    Date(Date),
}

impl Reading {
    /// The value, or the date as days since 1970-01-01 (the scale targets compare dates on).
    pub fn number(self) -> f64 {
        match self {
            Reading::Value(value) => value,
            Reading::Date(date) => f64::from(date.days_since_epoch()),
        }
    }
}

impl Stat {
    pub fn name(&self) -> &'static str {
        match self {
            Stat::Final => "final",
            Stat::Initial => "initial",
            Stat::At(_) => "at",
            Stat::Max(_) => "max",
            Stat::Min(_) => "min",
            Stat::Mean(_) => "mean",
            Stat::DateOfMax(_) => "date_of_max",
            Stat::FirstAbove(..) => "first_above",
            Stat::FirstBelow(..) => "first_below",
        }
    }

    /// Whether the statistic is a date rather than a value.
    pub fn is_date(&self) -> bool {
        matches!(
            self,
            Stat::DateOfMax(_) | Stat::FirstAbove(..) | Stat::FirstBelow(..)
        )
    }

    pub fn window(&self) -> Option<Window> {
        match self {
            Stat::Final | Stat::Initial | Stat::At(_) => None,
            Stat::Max(w) | Stat::Min(w) | Stat::Mean(w) | Stat::DateOfMax(w) => Some(*w),
            Stat::FirstAbove(_, w) | Stat::FirstBelow(_, w) => Some(*w),
        }
    }

    /// Reduces a series of (step date, value) in step order; `None` when nothing in the
    /// series answers (no step in the window, no crossing).
    pub fn evaluate(&self, series: impl IntoIterator<Item = (Date, f64)>) -> Option<Reading> {
        let mut series = series.into_iter();
        let in_window = |window: Window| move |&(date, _): &(Date, f64)| window.contains(date);
        let value = Reading::Value;
        match *self {
            Stat::Final => series.last().map(|(_, v)| value(v)),
            Stat::Initial => series.next().map(|(_, v)| value(v)),
            Stat::At(at) => series
                .take_while(|&(date, _)| date <= at)
                .last()
                .map(|(_, v)| value(v)),
            Stat::Max(w) => series
                .filter(in_window(w))
                .map(|(_, v)| v)
                .reduce(f64::max)
                .map(value),
            Stat::Min(w) => series
                .filter(in_window(w))
                .map(|(_, v)| v)
                .reduce(f64::min)
                .map(value),
            Stat::Mean(w) => {
                let (sum, count) = series
                    .filter(in_window(w))
                    .fold((0.0, 0u64), |(sum, n), (_, v)| (sum + v, n + 1));
                (count > 0).then(|| value(sum / count as f64))
            }
            Stat::DateOfMax(w) => series
                .filter(in_window(w))
                .reduce(|best, next| if next.1 > best.1 { next } else { best })
                .map(|(date, _)| Reading::Date(date)),
            Stat::FirstAbove(threshold, w) => series
                .filter(in_window(w))
                .find(|&(_, v)| v >= threshold)
                .map(|(date, _)| Reading::Date(date)),
            Stat::FirstBelow(threshold, w) => series
                .filter(in_window(w))
                .find(|&(_, v)| v <= threshold)
                .map(|(date, _)| Reading::Date(date)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stat() {
        let d = |s: &str| Date::parse(s).unwrap();
        let series: Vec<(Date, f64)> = [0.1, 0.5, 0.3, 0.7, 0.2]
            .iter()
            .enumerate()
            .map(|(step, &v)| (d("1918-01-01").add_days(7 * step as i32), v))
            .collect();
        let window = Window::between(d("1918-01-08"), d("1918-01-22"));
        let read = |stat: Stat| stat.evaluate(series.iter().copied());
        assert_eq!(read(Stat::Final), Some(Reading::Value(0.2)));
        assert_eq!(read(Stat::Initial), Some(Reading::Value(0.1)));
        assert_eq!(read(Stat::At(d("1918-01-10"))), Some(Reading::Value(0.5)));
        assert_eq!(
            read(Stat::At(d("1917-12-31"))),
            None,
            "before the first step"
        );
        assert_eq!(
            read(Stat::Max(Window::default())),
            Some(Reading::Value(0.7))
        );
        assert_eq!(read(Stat::Min(window)), Some(Reading::Value(0.3)));
        assert_eq!(read(Stat::Mean(window)), Some(Reading::Value(0.5)));
        assert_eq!(
            read(Stat::DateOfMax(window)),
            Some(Reading::Date(d("1918-01-22")))
        );
        assert_eq!(
            read(Stat::FirstAbove(0.6, Window::default())),
            Some(Reading::Date(d("1918-01-22")))
        );
        assert_eq!(read(Stat::FirstBelow(0.25, window)), None);
        assert_eq!(
            read(Stat::FirstBelow(0.25, Window::from(d("1918-01-02")))),
            Some(Reading::Date(d("1918-01-29")))
        );
        assert_eq!(read(Stat::FirstAbove(0.9, Window::default())), None);
    }
}
