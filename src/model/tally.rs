//! The census of the last step: aggregates over persons that rules read (community shares,
//! coercive force, active rebels) and the recorder reports. Counts are in agents.

use bevy_ecs::prelude::Resource;

use super::ids::{Class, Party, Region, Role};

/// A breakdown group of the output contract: `all`, `class.<id>`, `role.<id>`, `region.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    All,
    Class(Class),
    Role(Role),
    Region(Region),
}

impl Group {
    pub const COUNT: usize = 1 + Class::COUNT + Role::COUNT + Region::COUNT;

    pub fn index(self) -> usize {
        match self {
            Group::All => 0,
            Group::Class(c) => 1 + c.index(),
            Group::Role(r) => 1 + Class::COUNT + r.index(),
            Group::Region(r) => 1 + Class::COUNT + Role::COUNT + r.index(),
        }
    }

    /// Every group in output order.
    pub fn all() -> impl Iterator<Item = Group> {
        std::iter::once(Group::All)
            .chain(Class::ALL.iter().map(|&c| Group::Class(c)))
            .chain(Role::ALL.iter().map(|&r| Group::Role(r)))
            .chain(Region::ALL.iter().map(|&r| Group::Region(r)))
    }

    pub fn name(self) -> String {
        match self {
            Group::All => "all".to_string(),
            Group::Class(c) => format!("class.{}", c.id()),
            Group::Role(r) => format!("role.{}", r.id()),
            Group::Region(r) => format!("region.{}", r.id()),
        }
    }
}

/// How many of a count by party are for a socialist (soviet) party.
pub fn socialists(by_party: &[f64; Party::COUNT]) -> f64 {
    Party::ALL
        .iter()
        .filter(|party| party.is_socialist())
        .map(|party| by_party[party.index()])
        .sum()
}

/// Sums over the persons of one group.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupStats {
    pub persons: f64,
    pub private: [f64; Party::COUNT],
    pub public: [f64; Party::COUNT],
    pub legitimacy: f64,
    pub hardship: f64,
    pub active: f64,
    pub defiant: f64,
}

/// Per-region sums that rules use.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionTally {
    pub alive: f64,
    pub urban: f64,
    /// Members of village communities: who eats from the peasants' stocks.
    pub village: f64,
    pub active: f64,
    /// Armed and not in revolt: soldiers, sailors, Red and White armies.
    pub loyal_armed: f64,
    pub red_army: f64,
    pub white_army: f64,
    pub food_detachments: f64,
    pub insurgents: f64,
    pub industrial_workers: f64,
    /// Industrial workers at work defying in public: on strike.
    pub strikers: f64,
    /// Town people (not away) defying in public: the crowd in the streets.
    pub town_defiant: f64,
    pub soldiers: f64,
    /// Soldiers and sailors defying in public: refusing orders, mutinying.
    pub soldiers_defiant: f64,
    /// Soldiers and sailors whose public stance is for a socialist (soviet) party.
    pub soldiers_socialist: f64,
    /// Soldiers and sailors whose public stance is Bolshevik.
    pub soldiers_bolshevik: f64,
    /// Industrial workers at work whose public stance is Bolshevik.
    pub workers_bolshevik: f64,
    /// Industrial workers at work whose public stance is for a socialist (soviet) party.
    pub workers_socialist: f64,
    /// Soldiers, sailors and Red Army men by their public stance: whom a party can call out
    /// under arms.
    pub armed_public: [f64; Party::COUNT],
}

impl RegionTally {
    /// Who lives on grain the state ships: the towns and, at `army_ration` each, everyone
    /// outside both towns and villages (soldiers, sailors, the armies, food detachments).
    pub fn town_need(&self, army_ration: f64) -> f64 {
        self.urban + army_ration * (self.alive - self.urban - self.village)
    }
}

/// What party membership follows (`census::count_members`): the persons' conviction by the
/// party they prefer, overall and by region at home, and how many could join a ruling party
/// for position. Counted from the census's cells (`census::support_from_cells`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Support {
    /// Conviction by party (peasants' weighed by `party.peasant_activism`).
    pub convinced: [f64; Party::COUNT],
    /// The same, of those at home (not away in the armies or food detachments), by region.
    pub convinced_at_home: [[f64; Party::COUNT]; Region::COUNT],
    /// Town workers and intelligentsia, free.
    pub pool: u32,
    /// The same, at home, by region.
    pub pool_at_home: [u32; Region::COUNT],
}

#[derive(Debug, Clone, Resource)]
pub struct Tally {
    pub groups: Vec<GroupStats>,
    pub regions: [RegionTally; Region::COUNT],
    /// Per community: private and public preference counts.
    pub community_private: Vec<[u32; Party::COUNT]>,
    pub community_public: Vec<[u32; Party::COUNT]>,
    /// Per community: members at home in open revolt.
    pub community_active: Vec<u32>,
    /// Members of each community defying in public at the last tally.
    pub community_defiant: Vec<u32>,
    /// Members of each community at home who came back from the old army.
    pub community_returned: Vec<u32>,
    /// Red Army by origin class.
    pub red_by_class: [f64; Class::COUNT],
    pub jailed_by_class: [f64; Class::COUNT],
    pub support: Support,
}

impl Tally {
    pub fn new(communities: usize) -> Tally {
        Tally {
            groups: vec![GroupStats::default(); Group::COUNT],
            regions: [RegionTally::default(); Region::COUNT],
            community_private: vec![[0; Party::COUNT]; communities],
            community_public: vec![[0; Party::COUNT]; communities],
            community_active: vec![0; communities],
            community_defiant: vec![0; communities],
            community_returned: vec![0; communities],
            red_by_class: [0.0; Class::COUNT],
            jailed_by_class: [0.0; Class::COUNT],
            support: Support::default(),
        }
    }

    /// Zeroes every count in place (the census runs every week; no reallocation).
    pub fn clear(&mut self) {
        self.groups.fill(GroupStats::default());
        self.regions = [RegionTally::default(); Region::COUNT];
        self.community_private.fill([0; Party::COUNT]);
        self.community_public.fill([0; Party::COUNT]);
        self.community_active.fill(0);
        self.community_defiant.fill(0);
        self.community_returned.fill(0);
        self.red_by_class = [0.0; Class::COUNT];
        self.jailed_by_class = [0.0; Class::COUNT];
        self.support = Support::default();
    }

    pub fn group(&self, group: Group) -> &GroupStats {
        &self.groups[group.index()]
    }

    /// The living, in agents, counted at least 1 so that shares of it are defined.
    pub fn alive(&self) -> f64 {
        self.regions.iter().map(|r| r.alive).sum::<f64>().max(1.0)
    }

    /// White soldiers per head of the living.
    pub fn whites_per_head(&self) -> f64 {
        self.regions.iter().map(|r| r.white_army).sum::<f64>() / self.alive()
    }
}
