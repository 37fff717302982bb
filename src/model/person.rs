//! The person agent: its parts are plain data; the systems give them meaning. The persons
//! live in one table, [`Persons`], a column per part, a row per person in spawn order.

use bevy_ecs::prelude::Resource;

use super::ids::{Class, Issue, Party, Region, Role};

/// Who a person is: fixed at birth except for where they live.
#[derive(Debug, Clone, Copy, Default)]
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
#[derive(Debug, Clone, Copy, Default)]
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
#[derive(Debug, Clone, Copy, Default)]
pub struct Allegiance {
    pub private: Party,
    /// Probability the person gave their private choice when they made it: how firmly held.
    pub strength: f32,
    /// The stance the person expresses, which soviet elections count.
    pub public: Party,
    /// The hazard left before the person next reconsiders their party: an exponential draw
    /// when they choose, less each week's hazard of reconsidering (`ChoiceWeek::choose`); 0
    /// at spawn, so everyone chooses in their first week.
    pub reconsider_in: f32,
    /// The person's own attachment to each party beyond their class's, fixed for life.
    pub leanings: Leanings,
    /// How much more or less than their class the person wants each issue won, fixed for life.
    pub concerns: Concerns,
}

/// Standard normals drawn once for a person and kept in whole steps of `S` (no draw a
/// week): [`Leanings`] and [`Concerns`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normals<S, const N: usize>([S; N]);

/// A signed integer that keeps a standard normal in steps of 1/`STEPS`.
pub trait Step: Copy + Default {
    /// Steps per standard deviation.
    const STEPS: f64;
    /// The normal `x`, rounded to a step and clamped to the type's range.
    fn keep(x: f64) -> Self;
    /// The value in standard deviations.
    fn deviations(self) -> f64;
}

macro_rules! step {
    ($int:ty, $steps:expr, $deviations:expr) => {
        impl Step for $int {
            const STEPS: f64 = $steps;
            fn keep(x: f64) -> $int {
                let limit = f64::from(<$int>::MAX);
                (x * Self::STEPS).round().clamp(-limit, limit) as $int
            }
            fn deviations(self) -> f64 {
                $deviations(self)
            }
        }
    };
}

// ±8 standard deviations in 2 bytes; ±4 in 1 byte, read through a table ([`I8_DEVIATIONS`]).
step!(i16, 4096.0, |step: i16| f64::from(step)
    / <i16 as Step>::STEPS);
step!(i8, 32.0, |step: i8| I8_DEVIATIONS[usize::from(step as u8)]);

/// `f64::from(step) / STEPS` for every `i8` step, by its bits: every person's concerns are
/// read every week, and a table load is cheaper than the conversion of a byte that x86-64's
/// baseline instruction set allows.
static I8_DEVIATIONS: [f64; 256] = {
    let mut table = [0.0; 256];
    let mut bits = 0;
    while bits < 256 {
        table[bits] = (bits as u8 as i8) as f64 / <i8 as Step>::STEPS;
        bits += 1;
    }
    table
};

impl<S: Step, const N: usize> Default for Normals<S, N> {
    fn default() -> Self {
        Normals([S::default(); N])
    }
}

impl<S: Step, const N: usize> Normals<S, N> {
    /// Kept from a standard normal for each index, drawn in index order.
    pub fn from_normals(mut normal: impl FnMut() -> f64) -> Self {
        Normals(std::array::from_fn(|_| S::keep(normal())))
    }

    /// Every value, in standard deviations, in index order.
    pub fn deviations(&self) -> [f64; N] {
        self.0.map(Step::deviations)
    }
}

impl Leanings {
    /// The leaning toward `party`, in standard deviations.
    pub fn toward(&self, party: Party) -> f64 {
        self.0[party.index()].deviations()
    }
}

/// A person's own attachment to each party, in standard deviations (times
/// `allegiance.idiosyncrasy` in the party's utility), by party: 18 bytes.
pub type Leanings = Normals<i16, { Party::COUNT }>;

/// How much more or less than their class a person wants each issue won, in standard
/// deviations (times `allegiance.interest_spread`), by issue: 8 bytes.
pub type Concerns = Normals<i8, { Issue::COUNT }>;

/// How the person sees their lot and the regime.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outlook {
    pub hardship: f32,
    pub legitimacy: f32,
    /// How far legitimacy fell this step: a sudden drop ignites, a slow one does not.
    pub legitimacy_drop: f32,
}

/// Fixed traits of the Epstein rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct Temperament {
    pub risk_aversion: f32,
    /// How hard this person feels the hardship of their class and place, around 1: Epstein
    /// draws hardship per agent, so a crowd does not rise as one.
    pub hardship_sensitivity: f32,
}

/// Every person, one row each in spawn order (the row is [`Person::id`]), a column per part:
/// the systems read and write the columns they need as slices, in chunks on the run's threads
/// ([`crate::parallel`]). A resource rather than an entity per person: bevy 0.20 keeps two
/// change ticks per component and about 60 bytes of bookkeeping per entity, which a
/// population of plain rows that never despawn has no use for (about 100 of the 240 bytes an
/// agent took at 1.2 million agents; docs/research.md, "Performance").
#[derive(Debug, Default, Resource)]
pub struct Persons {
    pub person: Vec<Person>,
    pub status: Vec<Status>,
    pub allegiance: Vec<Allegiance>,
    pub outlook: Vec<Outlook>,
    pub temperament: Vec<Temperament>,
}

impl Persons {
    /// An empty table with room for `rows` persons.
    pub fn with_capacity(rows: usize) -> Persons {
        Persons {
            person: Vec::with_capacity(rows),
            status: Vec::with_capacity(rows),
            allegiance: Vec::with_capacity(rows),
            outlook: Vec::with_capacity(rows),
            temperament: Vec::with_capacity(rows),
        }
    }

    /// Adds a person as the last row.
    pub fn push(&mut self, row: (Person, Status, Allegiance, Outlook, Temperament)) {
        let (person, status, allegiance, outlook, temperament) = row;
        self.person.push(person);
        self.status.push(status);
        self.allegiance.push(allegiance);
        self.outlook.push(outlook);
        self.temperament.push(temperament);
    }

    /// Makes the table `rows` long: rows added are empty (the default of each part) until
    /// written.
    pub fn resize(&mut self, rows: usize) {
        self.person.resize(rows, Person::default());
        self.status.resize(rows, Status::default());
        self.allegiance.resize(rows, Allegiance::default());
        self.outlook.resize(rows, Outlook::default());
        self.temperament.resize(rows, Temperament::default());
    }

    /// How many persons there are, alive or not.
    pub fn len(&self) -> usize {
        self.person.len()
    }

    /// Whether there is no one.
    pub fn is_empty(&self) -> bool {
        self.person.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_byte_steps_reads_each_step_as_the_division_would() {
        for step in i8::MIN..=i8::MAX {
            assert_eq!(
                step.deviations().to_bits(),
                (f64::from(step) / 32.0).to_bits()
            );
        }
    }
}
