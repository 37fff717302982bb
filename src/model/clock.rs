//! Time and the running totals of a run.

use bevy_ecs::prelude::Resource;

use crate::date::Date;

/// Days in one step: a unit, not a parameter (the model's step is a week).
pub const DAYS_PER_WEEK: i32 = 7;

/// One step is one week.
#[derive(Debug, Clone, Copy, Resource)]
pub struct Clock {
    pub step: u32,
    pub date: Date,
    pub people_per_agent: f64,
}

impl Clock {
    /// The week of the year, 0-51, for seasonal rules.
    pub fn week_of_year(&self) -> u32 {
        (self.date.day_of_year() / DAYS_PER_WEEK).min(51) as u32
    }

    /// How deep into winter the week is, 0-1: 1 in mid-January, falling to 0 by mid-April
    /// and rising again from mid-October.
    pub fn cold(&self) -> f64 {
        let coldest_day = 15.0;
        let angle =
            std::f64::consts::TAU * (f64::from(self.date.day_of_year()) - coldest_day) / 365.25;
        angle.cos().max(0.0)
    }
}

/// Cumulative deaths and this step's flows, in agents.
#[derive(Debug, Clone, Default, Resource)]
pub struct Tolls {
    pub famine: f64,
    pub war: f64,
    pub repression: f64,
    /// Red Army deserters this step.
    pub red_desertion: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cold_on(month: u32, day: u32) -> f64 {
        Clock {
            step: 0,
            date: Date::from_ymd(1920, month, day).expect("a valid date"),
            people_per_agent: 1.0,
        }
        .cold()
    }

    #[test]
    fn winter_is_coldest_in_mid_january_and_gone_from_spring_to_autumn() {
        assert!(cold_on(1, 15) > 0.99);
        assert!(cold_on(3, 1) > 0.5 && cold_on(3, 1) < 0.9);
        assert_eq!(cold_on(5, 1), 0.0);
        assert_eq!(cold_on(8, 1), 0.0);
        assert!(cold_on(12, 1) > 0.5);
    }
}
