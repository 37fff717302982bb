//! The person agent: its components are plain data; the systems give them meaning.

use bevy_ecs::prelude::Component;

use super::ids::{Class, Party, Region, Role};

/// Who a person is: fixed at birth except for where they live.
#[derive(Component, Debug, Clone, Copy)]
pub struct Person {
    /// Stable id: the spawn order. Every random draw and every tie is keyed on it.
    pub id: u32,
    pub class: Class,
    /// The region the person comes from and goes back to (deserters, hungry migrants).
    pub home: Region,
    /// Where the person is now.
    pub region: Region,
    /// Index into [`super::community::Communities`].
    pub community: u32,
    /// An industrial worker (as opposed to the rest of the town population of that class).
    pub industrial: bool,
    /// Of a national minority: nationalist parties speak to them.
    pub minority: bool,
    /// Village ties, 0-1: high for recent migrants to the factories [000:241].
    pub village_tie: f32,
}

/// What the person is doing.
#[derive(Component, Debug, Clone, Copy)]
pub struct Status {
    pub role: Role,
    /// Weeks left in jail.
    pub jail_weeks: u16,
    /// What a prisoner was doing when arrested, and goes back to on release: a sailor
    /// stays a sailor, an insurgent goes home a civilian.
    pub before_jail: Role,
    /// In armed revolt this step (rising, mutiny in arms): Epstein's costly act.
    pub active: bool,
    /// Defying the regime in public this step (striking, demonstrating, seizing land, refusing
    /// orders): Kuran's cheap act. Everyone in armed revolt defies too.
    pub defiant: bool,
    /// Came home from an army (the old army, the Red or the White; deserted or demobilised),
    /// rifle in hand: the men who lead a village's seizures and risings [000:245].
    pub returned: bool,
}

/// Party preference, private and public (Kuran's preference falsification).
#[derive(Component, Debug, Clone, Copy)]
pub struct Allegiance {
    pub private: Party,
    /// Probability the person gave their private choice when they made it: how firmly held.
    pub strength: f32,
    /// The stance the person expresses, which soviet elections count.
    pub public: Party,
    /// The person's own attachment to each party beyond their class's, fixed for life.
    pub leanings: Leanings,
}

/// A person's own attachment to each party, in standard deviations (times
/// `allegiance.idiosyncrasy` in the party's utility): a standard normal per party, drawn once
/// and kept in steps of 1/[`Leanings::STEPS`] so that the nine of them cost a person 18 bytes
/// and no draw a week.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Leanings([i16; Party::COUNT]);

impl Leanings {
    /// Steps per standard deviation; the range is about ±8 of them.
    pub const STEPS: f64 = 4096.0;

    /// Leanings from a standard normal for each party, in party order.
    pub fn from_normals(normal: impl Fn(Party) -> f64) -> Leanings {
        let limit = f64::from(i16::MAX);
        Leanings(std::array::from_fn(|i| {
            (normal(Party::ALL[i]) * Leanings::STEPS)
                .round()
                .clamp(-limit, limit) as i16
        }))
    }

    /// The leaning toward `party`, in standard deviations.
    pub fn toward(&self, party: Party) -> f64 {
        f64::from(self.0[party.index()]) / Leanings::STEPS
    }
}

/// How the person sees their lot and the regime.
#[derive(Component, Debug, Clone, Copy)]
pub struct Outlook {
    pub hardship: f32,
    pub legitimacy: f32,
    /// How far legitimacy fell this step: a sudden drop ignites, a slow one does not.
    pub legitimacy_drop: f32,
}

/// Fixed traits of the Epstein rule.
#[derive(Component, Debug, Clone, Copy)]
pub struct Temperament {
    pub risk_aversion: f32,
    /// How hard this person feels the hardship of their class and place, around 1: Epstein
    /// draws hardship per agent, so a crowd does not rise as one.
    pub hardship_sensitivity: f32,
}
