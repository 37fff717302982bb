//! Scenario events: scheduled by date or triggered by a condition on the model's metrics,
//! and what their actions do to the world.

use bevy_ecs::prelude::{Mut, Resource, World};

use crate::metrics::Metrics;
use crate::model::clock::DAYS_PER_WEEK;
use crate::model::ids::{Class, GrainPolicy, Party, Regime, Region, ShockTarget, Side};
use crate::model::params::Params;
use crate::model::{
    Affinities, Clock, Coup, EventLog, Persons, Regions, Rising, State, Switches, Tally,
};
use crate::scenario::{Action, Comparison, EventSpec, ParamSetting, Policy, Trigger};
use crate::systems::allegiance::fit;
use crate::systems::{civil_war, soviets};

/// The scenario's enabled events and whether each has fired.
#[derive(Debug, Clone, Resource)]
pub struct Agenda {
    pub events: Vec<EventSpec>,
    pub fired: Vec<bool>,
}

impl Agenda {
    pub fn new(events: &[EventSpec]) -> Agenda {
        let events: Vec<EventSpec> = events.iter().filter(|e| e.enabled).cloned().collect();
        let fired = vec![false; events.len()];
        Agenda { events, fired }
    }
}

/// Whether an event is due this week: a date within the week, or conditions that hold on
/// the last measured metrics within the earliest/latest window.
fn is_due(trigger: &Trigger, clock: &Clock, metrics: &Metrics) -> bool {
    let week_end = clock.date.add_days(DAYS_PER_WEEK);
    match trigger {
        Trigger::Date(date) => *date < week_end,
        Trigger::Condition {
            all,
            earliest,
            latest,
        } => {
            if earliest.is_some_and(|d| d >= week_end) || latest.is_some_and(|d| d < clock.date) {
                return false;
            }
            all.iter().all(|condition| {
                metrics
                    .get(condition.metric, condition.group)
                    .is_some_and(|value| match condition.comparison {
                        Comparison::AtLeast => value >= condition.value,
                        Comparison::AtMost => value <= condition.value,
                    })
            })
        }
    }
}

/// Fires every due event, in declaration order, and logs it.
pub fn fire_events(world: &mut World) {
    let clock = *world.resource::<Clock>();
    let due: Vec<usize> = {
        let agenda = world.resource::<Agenda>();
        let metrics = world.resource::<Metrics>();
        (0..agenda.events.len())
            .filter(|&i| !agenda.fired[i] && is_due(&agenda.events[i].trigger, &clock, metrics))
            .collect()
    };
    for index in due {
        let event = {
            let mut agenda = world.resource_mut::<Agenda>();
            agenda.fired[index] = true;
            agenda.events[index].clone()
        };
        for action in &event.actions {
            apply(world, action);
        }
        let kind = match event.trigger {
            Trigger::Date(_) => "scheduled",
            Trigger::Condition { .. } => "triggered",
        };
        world.resource_mut::<EventLog>().record(
            &clock,
            &event.id,
            kind,
            &event.description,
            &event.sources.join(";"),
        );
    }
}

/// Hands every region the old regime held to the new one.
pub fn change_regime(state: &mut State, regions: &mut Regions, regime: Regime) {
    let old = state.regime.side();
    for region in &mut regions.list {
        if region.control == old {
            region.control = regime.side();
        }
    }
    state.regime = regime;
    state.regime_changed = true;
}

/// A new grain policy: peasants judge the state, and plan their sowing, by what the new
/// policy takes from now on, not by what the old one took or confiscated before it; until it
/// has taken more, they expect a normal year's take (`grain.normal_extraction`). So the tax in
/// kind "economically enfranchised the petty peasant proprietor" [004:136-140][001:149]. What
/// was confiscated is still gone until the harvest: the villages' hardship keeps it
/// (model assumption).
pub fn change_grain_policy(
    normal_extraction: f64,
    state: &mut State,
    regions: &mut Regions,
    grain: GrainPolicy,
) {
    if state.grain != grain {
        for region in &mut regions.list {
            region.extraction = region.extraction.min(normal_extraction);
            region.confiscation_under_policy = 0.0;
        }
    }
    state.grain = grain;
}

/// Applies one action to the world.
pub fn apply(world: &mut World, action: &Action) {
    match action {
        Action::SetPolicy(policy) => {
            world.resource_scope(|world, mut state: Mut<State>| match *policy {
                Policy::Regime(regime) => {
                    change_regime(&mut state, &mut world.resource_mut::<Regions>(), regime)
                }
                Policy::War(war) => state.war = war,
                Policy::Land(land) => state.land = land,
                Policy::Grain(grain) => {
                    let normal = world.resource::<Params>().grain.normal_extraction;
                    let mut regions = world.resource_mut::<Regions>();
                    change_grain_policy(normal, &mut state, &mut regions, grain)
                }
                Policy::SovietElections(elections) => state.soviet_elections = elections,
                Policy::PoorCommittees(on) => state.poor_committees = on,
            });
        }
        Action::SetParam(ParamSetting::Switch { switch, on }) => {
            world.resource_mut::<Switches>().set(*switch, *on)
        }
        // The one place a run changes its parameters.
        Action::SetParam(ParamSetting::Param { name, value }) => {
            world.resource_mut::<Params>().set(name, *value);
        }
        Action::PartyStatus { party, status } => {
            world.resource_mut::<State>().status[party.index()] = *status
        }
        Action::JoinGovernment { party, joined } => {
            let mut state = world.resource_mut::<State>();
            state.government_changed |= state.in_government[party.index()] != *joined;
            state.in_government[party.index()] = *joined
        }
        Action::PartySplit { from, to } => split_party(world, *from, *to),
        Action::ConveneCongress { number } => soviets::convene_congress(world, *number),
        Action::ConstituentElection => soviets::constituent_election(world),
        Action::Shock {
            target,
            factor,
            region,
        } => shock(world, *target, *factor, *region),
        Action::TransferControl { region, side } => {
            world.resource_mut::<Regions>().get_mut(*region).control = *side
        }
        Action::ForeignOccupation { region } => {
            world.resource_mut::<Regions>().get_mut(*region).control = Side::German
        }
        Action::ForeignWithdrawal => {
            let seceded = world.resource_scope(|world, mut regions: Mut<Regions>| {
                civil_war::fill_vacuum(world.resource::<Tally>(), &mut regions)
            });
            let clock = *world.resource::<Clock>();
            for region in seceded {
                world.resource_mut::<EventLog>().record(
                    &clock,
                    "independence",
                    "emergent",
                    &format!(
                        "The nationalists' army holds {} as the occupier leaves: it secedes",
                        region.name()
                    ),
                    "000:251;000:753",
                );
            }
        }
        Action::Coup { region } => world.resource_mut::<State>().coup = Coup::Marching(*region),
        Action::Rising { party, region } => {
            world.resource_mut::<State>().rising = Rising::Under(*party, *region);
        }
        Action::ForeignIntervention { region, strength } => {
            let alive = world.resource::<Tally>().alive();
            let mut state = world.resource_mut::<State>();
            state.foreign_army[region.index()] += strength * alive;
            state.foreign_invaded += strength * alive;
        }
    }
}

/// A party split: the new party comes into being and those of the old party whose own
/// interests (their class's and their [`Concerns`](crate::model::Concerns)) fit the new program
/// better follow it [000:265][000:381]. A class's standing
/// attachment to the old party, the work of the organisers among them, divides as the
/// class's supporters divided: the organisers went with their people, so the Left SRs, not
/// the SRs, kept the countryside and the military bases [001:169].
fn split_party(world: &mut World, from: Party, to: Party) {
    world.resource_mut::<State>().exists[to.index()] = true;
    let params = world.resource::<Params>().clone();
    let (old, new) = (params.stands(from), params.stands(to));
    let (mut stayed, mut moved) = ([0.0f64; Class::COUNT], [0.0f64; Class::COUNT]);
    let mut persons = world.resource_mut::<Persons>();
    let Persons {
        person: persons,
        status: statuses,
        allegiance: allegiances,
        ..
    } = &mut *persons;
    for ((person, status), allegiance) in persons.iter().zip(&*statuses).zip(allegiances) {
        if allegiance.private != from || !status.role.is_alive() {
            continue;
        }
        let concerns = &allegiance.concerns.deviations();
        if fit(&params, person.class, status.role, &new).to(concerns)
            > fit(&params, person.class, status.role, &old).to(concerns)
        {
            allegiance.private = to;
            moved[person.class.index()] += 1.0;
        } else {
            stayed[person.class.index()] += 1.0;
        }
    }
    let mut affinities = world.resource_mut::<Affinities>();
    for &class in Class::ALL {
        let supporters = moved[class.index()] + stayed[class.index()];
        if supporters == 0.0 {
            continue;
        }
        let share = moved[class.index()] / supporters;
        let attachment = affinities.get(class, from);
        let gained = affinities.get(class, to) + share * attachment;
        affinities.set(class, from, attachment * (1.0 - share));
        affinities.set(class, to, gained);
    }
}

/// Multiplies a stock or capacity, in one region or all.
fn shock(world: &mut World, target: ShockTarget, factor: f64, region: Option<Region>) {
    if target == ShockTarget::Railways {
        let mut state = world.resource_mut::<State>();
        state.railways = (state.railways * factor).min(1.0);
        return;
    }
    let mut regions = world.resource_mut::<Regions>();
    for (index, state_r) in regions.list.iter_mut().enumerate() {
        if region.is_some_and(|r| r.index() != index) {
            continue;
        }
        match target {
            ShockTarget::FoodStocks => {
                state_r.peasant_stocks *= factor;
                state_r.state_stocks *= factor;
                state_r.supply_factor *= factor;
            }
            ShockTarget::Industry => state_r.industry *= factor,
            ShockTarget::Harvest => state_r.weather_shock *= factor,
            ShockTarget::Railways => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::Role;
    use crate::model::{Allegiance, Concerns, Leanings, Outlook, Person, Status, Temperament};

    /// A world of default parameters where every person of the classes given backs `party`.
    fn world_of_supporters(classes: &[Class], party: Party) -> World {
        let mut world = World::new();
        world.insert_resource(Affinities::new(&Params::default()));
        world.insert_resource(Params::default());
        world.insert_resource(State::tsarist());
        let mut persons = Persons::default();
        for (id, &class) in classes.iter().enumerate() {
            persons.push((
                Person {
                    id: id as u32,
                    class,
                    home: Region::Volga,
                    region: Region::Volga,
                    community: 0,
                    industrial: false,
                    minority: false,
                    village_tie: 1.0,
                },
                Status {
                    role: Role::Civilian,
                    jail_weeks: 0,
                    before_jail: Role::Civilian,
                    active: false,
                    defiant: false,
                    returned: false,
                },
                Allegiance {
                    private: party,
                    strength: 1.0,
                    public: party,
                    reconsider_in: 0.0,
                    leanings: Leanings::default(),
                    concerns: Concerns::default(),
                },
                Outlook::default(),
                Temperament::default(),
            ));
        }
        world.insert_resource(persons);
        world
    }

    #[test]
    fn a_class_attachment_follows_its_supporters_at_a_split() {
        let classes = [
            Class::PeasantMiddle,
            Class::PeasantMiddle,
            Class::Bourgeoisie,
        ];
        let mut world = world_of_supporters(&classes, Party::Srs);
        let before = world
            .resource::<Affinities>()
            .get(Class::PeasantMiddle, Party::Srs);
        split_party(&mut world, Party::Srs, Party::LeftSrs);
        let persons = world.resource::<Persons>();
        let peasants: Vec<Party> = persons
            .person
            .iter()
            .zip(&persons.allegiance)
            .filter(|(person, _)| person.class == Class::PeasantMiddle)
            .map(|(_, allegiance)| allegiance.private)
            .collect();
        let left = peasants.iter().filter(|&&p| p == Party::LeftSrs).count();
        let share = left as f64 / peasants.len() as f64;
        assert!(
            share > 0.0,
            "the land and soviets program draws peasants left"
        );
        let affinities = world.resource::<Affinities>();
        let kept = affinities.get(Class::PeasantMiddle, Party::Srs);
        let gained = affinities.get(Class::PeasantMiddle, Party::LeftSrs);
        assert!((kept - before * (1.0 - share)).abs() < 1e-9, "{kept}");
        assert!((gained - before * share).abs() < 1e-9, "{gained}");
        assert!((kept + gained - before).abs() < 1e-9);
    }

    /// NEP: the peasants judge the state and sow by the tax in kind from its first week, but
    /// what requisitioning took since the harvest is still gone.
    #[test]
    fn a_new_grain_policy_is_judged_afresh_but_the_grain_taken_stays_taken() {
        let params = Params::default();
        let mut regions = crate::systems::economy::initial_regions(&params, 1000.0);
        let mut state = State::tsarist();
        state.grain = GrainPolicy::Requisition;
        for region in &mut regions.list {
            region.confiscation = 0.8;
            region.confiscation_under_policy = 0.8;
        }
        let normal = params.grain.normal_extraction;
        change_grain_policy(normal, &mut state, &mut regions, GrainPolicy::TaxInKind);
        assert_eq!(state.grain, GrainPolicy::TaxInKind);
        for region in &regions.list {
            assert_eq!(region.confiscation_under_policy, 0.0);
            assert_eq!(region.confiscation, 0.8);
        }
    }
}
