//! The state, the parties and the regions: the few, large actors held as resources.

use bevy_ecs::prelude::Resource;

use super::ids::{
    GrainPolicy, Issue, LandPolicy, LegalStatus, Party, Regime, Region, Side, SovietElections,
    WarPolicy,
};

/// Who rules and with what policies.
#[derive(Debug, Clone, Resource)]
pub struct State {
    pub regime: Regime,
    pub war: WarPolicy,
    pub land: LandPolicy,
    pub grain: GrainPolicy,
    pub soviet_elections: SovietElections,
    pub poor_committees: bool,
    /// Soviets exist (from the fall of the Tsar).
    pub soviets: bool,
    pub status: [LegalStatus; Party::COUNT],
    pub in_government: [bool; Party::COUNT],
    /// Whether a party exists as a party yet (the Left SRs only after their split).
    pub exists: [bool; Party::COUNT],
    /// Railway capacity, 1916 = 1.
    pub railways: f64,
    /// The regime changed since people last judged it.
    pub regime_changed: bool,
    /// Parties joined or left the government this week: their promises raise what people
    /// expect.
    pub government_changed: bool,
    /// The Cheka's strength, per head, under Sovnarkom.
    pub cheka: f64,
    /// What the people fed from each region's stocks (villages 0, towns 1) have come to
    /// expect of the regime on each issue, -1 to 1: its record taken for granted, or its
    /// parties' promises when it came to power.
    pub expected: [[[f64; Issue::COUNT]; 2]; Region::COUNT],
    /// How much of the soviets' banner Sovnarkom still carries, 0-1: 1 when it took power in
    /// their name, fading while their elections are managed.
    pub banner: f64,
    /// What the regime delivers this week, by region and by villages (0) and towns (1).
    pub delivered: [[[f64; Issue::COUNT]; 2]; Region::COUNT],
    /// The regime's record as people judge it this week, by region and by villages (0) and
    /// towns (1): what parties in government are judged by.
    pub judged: [[[f64; Issue::COUNT]; 2]; Region::COUNT],
    /// Weeks the civil war has gone on.
    pub civil_war_weeks: u32,
    /// Foreign armies at war with Sovnarkom, by region, in agents.
    pub foreign_army: [f64; Region::COUNT],
    /// The foreign armies' strength when they invaded, in agents.
    pub foreign_invaded: f64,
    /// A general's march on the capital and how it ended (`coup::decide`).
    pub coup: Coup,
    /// A party's armed rising against the government and how it ended
    /// (`coup::decide_rising`).
    pub rising: Rising,
}

/// A general's march on a capital to take power: under way, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coup {
    /// No general has marched.
    None,
    /// A general marches on the region's capital this week.
    Marching(Region),
    /// The march took the capital.
    Taken,
    /// The march collapsed under the regime then in power.
    Collapsed(Regime),
}

/// A party's armed rising in a region's capital against the government of the day: under
/// way, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rising {
    /// No party has risen.
    None,
    /// The party rises in the region's capital this week.
    Under(Party, Region),
    /// The rising took the capital.
    Taken(Party),
    /// The rising failed.
    Failed(Party),
}

/// Who governs when a run starts (March 1917), before its first week.
pub const START_REGIME: Regime = Regime::Tsar;

impl State {
    pub fn tsarist() -> State {
        let mut status = [LegalStatus::Legal; Party::COUNT];
        for party in [
            Party::Bolsheviks,
            Party::LeftSrs,
            Party::Srs,
            Party::Mensheviks,
            Party::Anarchists,
        ] {
            status[party.index()] = LegalStatus::Banned;
        }
        let mut in_government = [false; Party::COUNT];
        in_government[Party::Monarchists.index()] = true;
        let mut exists = [true; Party::COUNT];
        exists[Party::LeftSrs.index()] = false;
        State {
            exists,
            railways: 1.0,
            regime_changed: true,
            government_changed: false,
            cheka: 0.0,
            expected: [[[0.0; Issue::COUNT]; 2]; Region::COUNT],
            banner: 1.0,
            delivered: [[[0.0; Issue::COUNT]; 2]; Region::COUNT],
            judged: [[[0.0; Issue::COUNT]; 2]; Region::COUNT],
            civil_war_weeks: 0,
            foreign_army: [0.0; Region::COUNT],
            foreign_invaded: 0.0,
            coup: Coup::None,
            rising: Rising::None,
            regime: START_REGIME,
            war: WarPolicy::Fighting,
            land: LandPolicy::Landlords,
            grain: GrainPolicy::FreeMarket,
            soviet_elections: SovietElections::Free,
            poor_committees: false,
            soviets: false,
            status,
            in_government,
        }
    }

    pub fn status_of(&self, party: Party) -> LegalStatus {
        self.status[party.index()]
    }
}

/// One party as an organisation.
#[derive(Debug, Clone, Default)]
pub struct PartyState {
    /// Members, in people.
    pub members: f64,
    /// Weeks the party has been banned without a break: its underground erodes with them.
    pub weeks_banned: f64,
}

#[derive(Debug, Clone, Default, Resource)]
pub struct Parties {
    pub list: [PartyState; Party::COUNT],
    /// Members who joined the ruling parties for position, in agents.
    pub careerists: f64,
    /// Weeks the ruling parties have held power.
    pub weeks_in_power: f64,
    /// Each region's party organisations, in agents: the members living there, not those away
    /// in the armies or the food detachments.
    pub by_region: [[f64; Party::COUNT]; Region::COUNT],
}

/// A region's economy and who holds it.
#[derive(Debug, Clone)]
pub struct RegionState {
    pub control: Side,
    /// Grain held by peasants, in person-weeks of food.
    pub peasant_stocks: f64,
    /// Of which hidden from procurement.
    pub hidden_stocks: f64,
    /// Grain held by the state in the region, in person-weeks.
    pub state_stocks: f64,
    /// Sown area, 1916 = 1.
    pub sown_area: f64,
    /// Last harvest, in person-weeks.
    pub harvest: f64,
    /// Factor on the towns' supply after a shock (e.g. a bread crisis); recovers weekly.
    pub supply_factor: f64,
    /// Factor on the next harvest (a drought); reset once it comes in.
    pub weather_shock: f64,
    /// Grain procured this step, in person-weeks.
    pub procurement: f64,
    /// Share of the last harvest the state took: what peasants expect next year.
    pub extraction: f64,
    /// Share of a normal year's marketable surplus the state took without paying for it
    /// since the last harvest: what the villages have lost until the next one, whatever the
    /// policy now (the imposts of their hardship).
    pub confiscation: f64,
    /// The same, counted only since the grain policy last changed: what peasants judge the
    /// state by and sow against.
    pub confiscation_under_policy: f64,
    /// Industrial output, 1913 = 1.
    pub industry: f64,
    pub unemployment: f64,
    /// Share of the towns' heating fuel that reaches them, 0-1 (1 = as before the war).
    pub heating: f64,
    /// Food security of town and village, 0-1 (1 = needs met).
    pub food_urban: f64,
    pub food_rural: f64,
    /// What the towns' people have come to expect of their food security: it follows the
    /// supply at `industry.expectation_rate` a week.
    pub food_expected: f64,
    /// Share of the estate land around the region's villages that their peasants have seized,
    /// weighted by village members, 0-1.
    pub seized: f64,
    /// Loyal coercive force per head, from the last tally.
    pub coercion: f64,
    /// Men a national government could put under arms in the region, in agents: set weekly
    /// by `nations::muster` (0 where the nationalists lack the support to secede).
    pub national_army: f64,
    /// Persons in open revolt this week, in agents (set by the revolt rule before arrests).
    pub active_now: f64,
    /// People alive in the region at the last tally, urban and rural, in agents.
    pub urban_agents: f64,
    pub rural_agents: f64,
}

#[derive(Debug, Clone, Default, Resource)]
pub struct Regions {
    pub list: Vec<RegionState>,
}

impl Regions {
    pub fn get(&self, region: Region) -> &RegionState {
        &self.list[region.index()]
    }

    pub fn get_mut(&mut self, region: Region) -> &mut RegionState {
        &mut self.list[region.index()]
    }
}
