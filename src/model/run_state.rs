//! What events and systems change during a run that starts as a parameter: the switches (the
//! civil war begins and ends, the Red Army forms, the Assembly is dispersed, ...) and the
//! classes' attachments to the parties (a split divides them). Each starts from the scenario's
//! [`Params`], which the systems only read; the one place a run changes `Params` itself is a
//! `set_param` action on a real-valued parameter (`systems::events::apply`).

use bevy_ecs::prelude::Resource;

use super::ids::{Class, Party};
use super::params::{flag, Params, Table};

/// Declares the switches: each a flag parameter of the registry that events or systems turn on
/// and off during a run.
macro_rules! switches {
    ($( $(#[doc = $doc:literal])+ $variant:ident => $field:ident = $family:ident . $param:ident, )+) => {
        /// A switch, as `set_param` names it by its parameter.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Switch {
            $( $(#[doc = $doc])+ $variant, )+
        }

        /// The switches of a run, set at the start from the scenario's parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Resource)]
        pub struct Switches {
            $( $(#[doc = $doc])+ pub $field: bool, )+
        }

        impl Switch {
            const ALL: &'static [Switch] = &[$(Switch::$variant),+];

            /// The flag parameter that gives its value at the start.
            pub fn param(self) -> &'static str {
                match self {
                    $( Switch::$variant => concat!(stringify!($family), ".", stringify!($param)), )+
                }
            }

            /// The switch a parameter name stands for, if any.
            pub fn from_param(name: &str) -> Option<Switch> {
                Switch::ALL.iter().copied().find(|switch| switch.param() == name)
            }
        }

        impl Switches {
            pub fn new(params: &Params) -> Switches {
                Switches {
                    $( $field: flag(params.$family.$param), )+
                }
            }

            pub fn set(&mut self, switch: Switch, on: bool) {
                match switch {
                    $( Switch::$variant => self.$field = on, )+
                }
            }
        }
    };
}

switches! {
    /// Civil war under way.
    CivilWarActive => civil_war_active = civil_war.active,
    /// The Red Army exists and takes volunteers.
    RedArmy => red_army = civil_war.red_army,
    /// The Red Army conscripts.
    Conscription => conscription = civil_war.conscription,
    /// The Constituent Assembly has been dispersed.
    AssemblyDispersed => assembly_dispersed = legitimacy.assembly_dispersed,
    /// Village soviets send delegates to the Congress of Soviets.
    PeasantsInCongress => peasants_in_congress = soviets.peasants_in_congress,
    /// The Petrograd Soviet has armed the Red Guards.
    RedGuards => red_guards = october.red_guards,
    /// Sovnarkom has restored the death penalty.
    DeathPenalty => death_penalty = repression.death_penalty,
}

/// Each class's standing attachment to each party, from `affinity.<class>.<party>`; a party
/// split divides a class's attachment as its supporters divided.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Affinities(Table);

impl Affinities {
    pub fn new(params: &Params) -> Affinities {
        Affinities(params.affinity.clone())
    }

    pub fn get(&self, class: Class, party: Party) -> f64 {
        self.0.get(class.index(), party.index())
    }

    pub fn set(&mut self, class: Class, party: Party, value: f64) {
        self.0.set(class.index(), party.index(), value);
    }
}
