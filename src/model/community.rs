//! Communities (villages, factories, garrisons, regiments, ships, towns) and their soviets.

use bevy_ecs::prelude::Resource;

use super::ids::{CommunityKind, Party, Region};
use super::person::Person;

/// The three city soviets whose composition the texts follow closely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitySoviet {
    Petrograd,
    Moscow,
    Kronstadt,
}

impl CitySoviet {
    pub const ALL: [CitySoviet; 3] = [
        CitySoviet::Petrograd,
        CitySoviet::Moscow,
        CitySoviet::Kronstadt,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CitySoviet::Petrograd => "petrograd",
            CitySoviet::Moscow => "moscow",
            CitySoviet::Kronstadt => "kronstadt",
        }
    }
}

/// Seats of a body by party, as shares summing to 1 (or all zero before its first election).
pub type Seats = [f32; Party::COUNT];

/// One community and its local soviet (and, for factories, its factory committee).
#[derive(Debug, Clone)]
pub struct Community {
    pub kind: CommunityKind,
    pub region: Region,
    /// The city soviet its deputies sit in, if any.
    pub city: Option<CitySoviet>,
    pub soviet: Seats,
    pub soviet_elected: bool,
    pub factory_committee: Seats,
    /// Members alive and free, as of the last tally.
    pub members: u32,
    /// Members when the soviet was first elected: the measure of how far it has emptied.
    pub founding_members: u32,
}

impl Community {
    pub fn new(kind: CommunityKind, region: Region, city: Option<CitySoviet>) -> Community {
        Community {
            kind,
            region,
            city,
            soviet: [0.0; Party::COUNT],
            soviet_elected: false,
            factory_committee: [0.0; Party::COUNT],
            members: 0,
            founding_members: 0,
        }
    }

    /// The share of its founding members a soviet still has (1 before its first election).
    pub fn vitality(&self) -> f64 {
        if self.founding_members == 0 {
            1.0
        } else {
            (f64::from(self.members) / f64::from(self.founding_members)).min(1.0)
        }
    }

    pub fn is_urban(&self) -> bool {
        matches!(
            self.kind,
            CommunityKind::Factory | CommunityKind::Town | CommunityKind::Garrison
        )
    }
}

/// Every community, indexed by `Person::community`.
#[derive(Debug, Clone, Default, Resource)]
pub struct Communities {
    pub list: Vec<Community>,
    /// Where a deserter or a returning migrant settles in each region: its first village.
    pub home_village: Vec<u32>,
}

impl Communities {
    /// Sends a person back to a village of their home region (deserters, demobilised
    /// soldiers, workers fleeing hungry towns).
    pub fn send_home(&self, person: &mut Person) {
        person.region = person.home;
        person.community = self.home_village[person.home.index()];
    }
}
