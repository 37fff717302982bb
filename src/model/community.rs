//! Communities (villages, factories, garrisons, regiments, ships, towns) and their soviets.

use bevy_ecs::prelude::Resource;

use super::ids::{CommunityKind, Party, Region, Role};
use super::person::{Person, Status};

/// The three city soviets whose composition the texts follow closely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Share of the estates around a village its peasants have seized, 0-1: it stays seized
    /// until the landlords come back.
    pub seized: f64,
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
            seized: 0.0,
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
    /// The villages of each region, where its deserters and returning migrants settle.
    pub home_villages: Vec<Vec<u32>>,
    /// The factories of each region, where workers come back to when they hire again.
    pub factories: Vec<Vec<u32>>,
}

impl Communities {
    /// Sends a person back to a village of their home region (deserters, demobilised
    /// soldiers, workers fleeing hungry towns), spread over its villages by id, so that no one
    /// village takes in a whole region's returners.
    pub fn send_home(&self, person: &mut Person) {
        person.region = person.home;
        let villages = &self.home_villages[person.home.index()];
        if let Some(&village) = villages.get(person.id as usize % villages.len().max(1)) {
            person.community = village;
        }
    }

    /// A soldier leaves an army (deserted or demobilised) and goes home to their village with
    /// their rifle: a civilian who can lead its seizures and risings [000:245].
    pub fn discharge(&self, person: &mut Person, status: &mut Status) {
        status.role = Role::Civilian;
        status.returned = true;
        self.send_home(person);
    }

    /// Sends a person to a factory of `town` (a worker going back to work), spread over its
    /// factories by id as [`Communities::send_home`] spreads returners over villages.
    pub fn send_to_factory(&self, person: &mut Person, town: Region) {
        let factories = &self.factories[town.index()];
        if let Some(&factory) = factories.get(person.id as usize % factories.len().max(1)) {
            person.region = town;
            person.community = factory;
            person.industrial = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::Class;

    #[test]
    fn returners_spread_over_the_villages_of_their_home_region() {
        let mut communities = Communities {
            list: vec![
                Community::new(CommunityKind::Factory, Region::Petrograd, None),
                Community::new(CommunityKind::Village, Region::Volga, None),
                Community::new(CommunityKind::Village, Region::Volga, None),
            ],
            home_villages: Vec::new(),
            factories: Vec::new(),
        };
        communities.home_villages = vec![Vec::new(); Region::COUNT];
        communities.home_villages[Region::Volga.index()] = vec![1, 2];
        let settled: Vec<u32> = (0..4)
            .map(|id| {
                let mut person = Person {
                    id,
                    class: Class::WorkerMigrant,
                    home: Region::Volga,
                    region: Region::Petrograd,
                    community: 0,
                    industrial: true,
                    minority: false,
                    village_tie: 0.9,
                };
                communities.send_home(&mut person);
                assert_eq!(person.region, Region::Volga);
                person.community
            })
            .collect();
        assert_eq!(settled, [1, 2, 1, 2]);
    }
}
