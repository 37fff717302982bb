//! Scenario files: parse, inherit (`extends`), override (`--set`), validate.
//!
//! A [`Scenario`] is fully resolved and valid: every parameter has a value in range, every
//! event has a known trigger and actions. Nothing runs on an invalid file.

mod error;
mod load;
mod reader;
mod schema;

pub(crate) use error::nearest;
pub use error::{ScenarioError, SourceLocation};
pub(crate) use load::nearest_param;
pub use load::{find_scenario, list_scenarios, load_scenario, Override, ScenarioSummary};
pub use load::{DEFAULT_SEED, MAX_PEOPLE_PER_AGENT};
pub(crate) use reader::{in_order, join_key, valid_name, Key, TomlReader, Value};
pub use schema::json_schema;

use std::path::PathBuf;

use crate::date::Date;
use crate::metrics::{GroupKey, Metric};
use crate::model::ids::{
    GrainPolicy, LandPolicy, LegalStatus, Party, Regime, Region, ShockTarget, Side,
    SovietElections, WarPolicy,
};
use crate::model::params::Params;

/// A validated, fully resolved scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub about: String,
    pub sources: Vec<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// The chain of files it inherits from, nearest first.
    pub extends: Vec<String>,
    pub run: RunConfig,
    pub params: Params,
    /// Events in the order they were declared, with `extends` merged by id.
    pub events: Vec<EventSpec>,
    /// SHA-256 of the resolved scenario (files and overrides), hex.
    pub hash: String,
}

/// The `[run]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    pub start: Date,
    pub end: Date,
    pub seed: u64,
    pub people_per_agent: u32,
}

/// One `[[events]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    pub id: String,
    pub enabled: bool,
    pub description: String,
    pub sources: Vec<String>,
    pub trigger: Trigger,
    pub actions: Vec<Action>,
}

/// When an event fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// On the first step whose week contains this date.
    Date(Date),
    /// On the first step on or after `earliest` when every condition holds; never after `latest`.
    Condition {
        all: Vec<Condition>,
        earliest: Option<Date>,
        latest: Option<Date>,
    },
}

/// A test on a model metric as last measured, e.g. `soviet.share.bolsheviks` of
/// `soviet.petrograd` at or above 0.5.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub metric: Metric,
    pub group: GroupKey,
    pub comparison: Comparison,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
}

/// What an event does. In a file: an inline table whose `do` key names the action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `{ do = "set_policy", policy = "grain", value = "requisition" }`
    SetPolicy(Policy),
    /// `{ do = "set_param", name = "allegiance.social_weight", value = 0.5 }`
    SetParam { name: String, value: f64 },
    /// `{ do = "party_status", party = "bolsheviks", status = "harassed" }`
    PartyStatus { party: Party, status: LegalStatus },
    /// `{ do = "join_government", party = "mensheviks", joined = true }`
    JoinGovernment { party: Party, joined: bool },
    /// `{ do = "party_split", from = "srs", to = "left_srs" }`: members whose class
    /// interests fit the new party better move to it, and each class's standing attachment
    /// divides as its supporters did.
    PartySplit { from: Party, to: Party },
    /// `{ do = "convene_congress", number = 2 }`
    ConveneCongress { number: u32 },
    /// `{ do = "constituent_election" }`: a secret ballot of private preferences.
    ConstituentElection,
    /// `{ do = "shock", target = "food_stocks", factor = 0.5, region = "petrograd" }`
    /// (no region: every region).
    Shock {
        target: ShockTarget,
        factor: f64,
        region: Option<Region>,
    },
    /// `{ do = "transfer_control", region = "ukraine", side = "german" }`
    TransferControl { region: Region, side: Side },
    /// `{ do = "foreign_intervention", region = "ukraine", strength = 0.004 }`: a foreign
    /// army of `strength` soldiers per head of the population goes to war with Sovnarkom in
    /// the region.
    ForeignIntervention { region: Region, strength: f64 },
}

/// A state policy an event can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Regime(Regime),
    War(WarPolicy),
    Land(LandPolicy),
    Grain(GrainPolicy),
    SovietElections(SovietElections),
    PoorCommittees(bool),
}
