//! What a scenario changes with respect to the scenario it extends (its root, usually the
//! baseline): parameters set to other values, events disabled, moved, given other actions or
//! added. Each change is said in words a class can read.

use serde::{Deserialize, Serialize};

use crate::model::params::{spec, ParamKind};
use crate::scenario::{Action, Comparison, EventSpec, Policy, Scenario, Trigger};

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `param`, `event_disabled`, `event_enabled`, `event_moved`, `event_actions` or
    /// `event_added`.
    pub kind: String,
    /// What changed, e.g. "Kornilov's march on Petrograd does not happen".
    pub text: String,
    /// The event's or parameter's sources.
    pub sources: Vec<String>,
}

/// A parameter value as a person writes it (true/false for flags).
fn param_value(name: &str, value: f64) -> String {
    match spec(name).map(|s| s.kind) {
        Some(ParamKind::Flag) => (value >= 0.5).to_string(),
        _ => format!("{value}"),
    }
}

/// An event's short name: its description up to the first colon or full stop, else its id.
fn event_name(event: &EventSpec) -> String {
    let text = event.description.trim();
    if text.is_empty() {
        return event.id.replace('_', " ");
    }
    text.to_string()
}

/// A trigger in words.
pub fn describe_trigger(trigger: &Trigger) -> String {
    match trigger {
        Trigger::Date(date) => format!("on {date}"),
        Trigger::Condition {
            all,
            earliest,
            latest,
        } => {
            let conditions: Vec<String> = all
                .iter()
                .map(|c| {
                    let op = match c.comparison {
                        Comparison::AtLeast => "≥",
                        Comparison::AtMost => "≤",
                    };
                    format!("{} ({}) {op} {}", c.metric, c.group, c.value)
                })
                .collect();
            let mut text = if conditions.is_empty() {
                "as soon as it may".to_string()
            } else {
                format!("when {}", conditions.join(" and "))
            };
            if let Some(date) = earliest {
                text.push_str(&format!(", not before {date}"));
            }
            if let Some(date) = latest {
                text.push_str(&format!(", not after {date}"));
            }
            text
        }
    }
}

/// An action in words.
pub fn describe_action(action: &Action) -> String {
    match action {
        Action::SetPolicy(policy) => {
            let (what, value) = match policy {
                Policy::Regime(v) => ("regime", v.id().to_string()),
                Policy::War(v) => ("war policy", v.id().to_string()),
                Policy::Land(v) => ("land policy", v.id().to_string()),
                Policy::Grain(v) => ("grain policy", v.id().to_string()),
                Policy::SovietElections(v) => ("soviet elections", v.id().to_string()),
                Policy::PoorCommittees(on) => (
                    "committees of poor peasants",
                    if *on { "on" } else { "off" }.to_string(),
                ),
            };
            format!("{what} becomes {}", value.replace('_', " "))
        }
        Action::SetParam(setting) => {
            format!(
                "{} set to {}",
                setting.name(),
                param_value(setting.name(), setting.value())
            )
        }
        Action::PartyStatus { party, status } => {
            format!("{} {}", party.id().replace('_', " "), status.id())
        }
        Action::JoinGovernment { party, joined } => format!(
            "{} {} the government",
            party.id().replace('_', " "),
            if *joined { "join" } else { "leave" }
        ),
        Action::PartySplit { from, to } => format!("{} split from {}", to.id(), from.id()),
        Action::ConveneCongress { number } => format!("Congress of Soviets no. {number} meets"),
        Action::ConstituentElection => "the Constituent Assembly is elected".to_string(),
        Action::Shock {
            target,
            factor,
            region,
        } => format!(
            "{} × {factor}{}",
            target.id().replace('_', " "),
            region
                .map(|r| format!(" in {}", r.id().replace('_', " ")))
                .unwrap_or_default()
        ),
        Action::TransferControl { region, side } => {
            format!("{} passes to {}", region.id().replace('_', " "), side.id())
        }
        Action::ForeignOccupation { region } => {
            format!("a foreign army occupies {}", region.id().replace('_', " "))
        }
        Action::ForeignWithdrawal => {
            "the occupier withdraws; its regions go to whoever has the force there".to_string()
        }
        Action::Coup { region } => format!(
            "a general marches on {}; force decides whether he takes it",
            region.id().replace('_', " ")
        ),
        Action::Rising { party, region } => format!(
            "the {} rise in {}; force decides whether they take it",
            party.id().replace('_', " "),
            region.id().replace('_', " ")
        ),
        Action::ForeignIntervention { region, strength } => format!(
            "a foreign army of {strength} per head invades {}",
            region.id().replace('_', " ")
        ),
    }
}

/// Actions in words, separated by semicolons ("nothing" for none).
pub fn describe_actions(actions: &[Action]) -> String {
    if actions.is_empty() {
        return "nothing".to_string();
    }
    actions
        .iter()
        .map(describe_action)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every change of `scenario` with respect to `base`, parameters first, then events in the
/// order of the scenario.
pub fn changes(scenario: &Scenario, base: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    let before = base.params.resolved();
    for ((name, new), (_, old)) in scenario.params.resolved().into_iter().zip(before) {
        if new.to_bits() == old.to_bits() {
            continue;
        }
        let (doc, sources) = spec(name).map_or((String::new(), Vec::new()), |s| {
            (
                s.doc.to_string(),
                s.sources.iter().map(|x| x.to_string()).collect(),
            )
        });
        out.push(Change {
            kind: "param".to_string(),
            text: format!(
                "{name}: {} → {} ({doc})",
                param_value(name, old),
                param_value(name, new)
            ),
            sources,
        });
    }
    for event in &scenario.events {
        let Some(old) = base.events.iter().find(|e| e.id == event.id) else {
            if event.enabled {
                out.push(Change {
                    kind: "event_added".to_string(),
                    text: format!(
                        "New event: {} (id `{}`), {}: {}",
                        event_name(event),
                        event.id,
                        describe_trigger(&event.trigger),
                        describe_actions(&event.actions)
                    ),
                    sources: event.sources.clone(),
                });
            }
            continue;
        };
        if old.enabled && !event.enabled {
            out.push(Change {
                kind: "event_disabled".to_string(),
                text: format!("Does not happen: {} (id `{}`)", event_name(old), event.id),
                sources: old.sources.clone(),
            });
            continue;
        }
        if !old.enabled && event.enabled {
            out.push(Change {
                kind: "event_enabled".to_string(),
                text: format!("Happens: {} (id `{}`)", event_name(event), event.id),
                sources: event.sources.clone(),
            });
        }
        if !event.enabled {
            continue;
        }
        if old.trigger != event.trigger {
            out.push(Change {
                kind: "event_moved".to_string(),
                text: format!(
                    "{} (id `{}`) now comes {} (was {})",
                    event_name(event),
                    event.id,
                    describe_trigger(&event.trigger),
                    describe_trigger(&old.trigger)
                ),
                sources: event.sources.clone(),
            });
        }
        if old.actions != event.actions {
            let added: Vec<&Action> = event
                .actions
                .iter()
                .filter(|a| !old.actions.contains(a))
                .collect();
            let dropped: Vec<&Action> = old
                .actions
                .iter()
                .filter(|a| !event.actions.contains(a))
                .collect();
            let list = |actions: &[&Action]| {
                actions
                    .iter()
                    .map(|a| describe_action(a))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("now {}", list(&added)));
            }
            if !dropped.is_empty() {
                what.push(format!("no longer {}", list(&dropped)));
            }
            out.push(Change {
                kind: "event_actions".to_string(),
                text: format!(
                    "{} (id `{}`): {}",
                    event_name(event),
                    event.id,
                    what.join("; and ")
                ),
                sources: event.sources.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{find_scenario, load_scenario};

    fn load(name: &str) -> Scenario {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        load_scenario(&find_scenario(name, &dir).unwrap(), &dir, &[]).unwrap()
    }

    #[test]
    fn changes_name_disabled_added_and_altered_events_and_parameters() {
        let base = load("baseline_1917");
        assert!(changes(&base, &base).is_empty());
        let kinds = |name: &str| -> Vec<String> {
            changes(&load(name), &base)
                .into_iter()
                .map(|c| c.kind)
                .collect()
        };
        assert_eq!(kinds("no_kornilov"), ["event_disabled"]);
        assert!(kinds("revolutionary_war").contains(&"event_added".to_string()));
        let franchise = changes(&load("equal_franchise"), &base);
        assert_eq!(franchise.len(), 1);
        assert!(franchise[0]
            .text
            .starts_with("soviets.peasant_vote_weight: 0.2 → 1"));
        let war = changes(&load("revolutionary_war"), &base);
        assert!(
            war.iter()
                .any(|c| c.text.starts_with("soviets.old_army_gone: 0.5 → 0")),
            "{war:?}"
        );
        let nep = changes(&load("nep_1919"), &base);
        assert_eq!(nep[0].kind, "event_moved");
        assert!(nep[0].text.contains("on 1919-03-18"), "{}", nep[0].text);
    }
}
