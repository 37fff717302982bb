//! The nouns of the model: the persons' table and the ECS resources.

#[macro_use]
pub mod ids;
pub mod clock;
pub mod community;
pub mod event_log;
pub mod params;
pub mod person;
pub mod run_state;
pub mod tally;
pub mod world_state;

pub use clock::{Clock, Tolls};
pub use community::{CitySoviet, Communities, Community, Seats};
pub use event_log::{EventLog, LoggedEvent};
pub use params::{flag, Params};
pub use person::{Allegiance, Concerns, Leanings, Outlook, Person, Persons, Status, Temperament};
pub use run_state::{Affinities, Switch, Switches};
pub use tally::{Group, GroupStats, Support, Tally};
pub use world_state::{Coup, Parties, PartyState, RegionState, Regions, Rising, State};
