//! Who held power in each run, and the "worlds" an ensemble splits into: runs grouped by the
//! sequence of regimes that governed (e.g. Tsar → Provisional Government → Sovnarkom in some
//! runs, Tsar → Provisional Government in the others). An outcome is summarised per world, so
//! a split is shown as a split rather than hidden in a median.

use serde::{Deserialize, Serialize};

use crate::metrics::{Family, GroupKey, Metric, Metrics};
use crate::model::ids::Regime;
use crate::model::world_state::START_REGIME;
use crate::validate::quantile;

use super::{view_day, Stat};

/// A regime coming to power in a run: its id and the date of the week it first governed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spell {
    pub regime: String,
    pub date: String,
}

/// The regimes that governed a run, in order, each with the week it came to power (a regime
/// that returns after another counts again). The first is the regime a run starts under
/// ([`START_REGIME`]), even where it fell within the first week, before anything was
/// measured: such a run followed the same history as one where it fell a week later.
pub fn power_spells(metrics: &Metrics) -> Vec<Spell> {
    let flags: Vec<(Regime, Vec<(u32, f64)>)> = Regime::ALL
        .iter()
        .map(|&r| {
            (
                r,
                metrics.series(Metric::regime(Family::Regime, r), GroupKey::All),
            )
        })
        .collect();
    let mut spells: Vec<Spell> = metrics
        .dates
        .first()
        .map(|start| Spell {
            regime: START_REGIME.id().to_string(),
            date: start.clone(),
        })
        .into_iter()
        .collect();
    for (step, date) in metrics.dates.iter().enumerate() {
        let governing = flags.iter().find(|(_, series)| {
            series
                .iter()
                .any(|&(s, value)| s as usize == step && value >= 0.5)
        });
        if let Some((regime, _)) = governing {
            if spells.last().map(|s| s.regime.as_str()) != Some(regime.id()) {
                spells.push(Spell {
                    regime: regime.id().to_string(),
                    date: date.clone(),
                });
            }
        }
    }
    spells
}

/// Runs that followed the same sequence of regimes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct World {
    /// The regimes in the order they governed.
    pub regimes: Vec<String>,
    /// The replicates (indices in seed order) that followed it.
    pub runs: Vec<usize>,
    /// Replicates in the ensemble.
    pub of: usize,
    /// Per regime, the median date it came to power in these runs.
    pub from: Vec<String>,
    /// Per key outcome (in the order of the comparison's outcomes), over these runs only.
    pub outcomes: Vec<Stat>,
    /// Per key outcome, its historical target's measure over these runs (see
    /// [`super::History`]).
    #[serde(default)]
    pub history: Vec<Stat>,
}

/// Groups the runs by their sequence of regimes, the most common first (ties: the one met
/// first in seed order). `values[run][outcome]` are the runs' key outcomes, `history` their
/// targets' measures.
pub fn worlds(
    spells: &[Vec<Spell>],
    values: &[Vec<Option<f64>>],
    history: &[Vec<Option<f64>>],
) -> Vec<World> {
    let mut found: Vec<World> = Vec::new();
    for (run, path) in spells.iter().enumerate() {
        let regimes: Vec<String> = path.iter().map(|s| s.regime.clone()).collect();
        match found.iter_mut().find(|w| w.regimes == regimes) {
            Some(world) => world.runs.push(run),
            None => found.push(World {
                regimes,
                runs: vec![run],
                of: spells.len(),
                from: Vec::new(),
                outcomes: Vec::new(),
                history: Vec::new(),
            }),
        }
    }
    for world in &mut found {
        world.from = (0..world.regimes.len())
            .map(|i| {
                let mut days: Vec<f64> = world
                    .runs
                    .iter()
                    .filter_map(|&r| view_day(&spells[r][i].date))
                    .collect();
                days.sort_by(f64::total_cmp);
                quantile(&days, 0.5)
                    .map_or_else(String::new, |d| crate::validate::date_of(d).to_string())
            })
            .collect();
        world.outcomes = columns(values, &world.runs);
        world.history = columns(history, &world.runs);
    }
    // A stable sort keeps the order of first appearance among equals.
    found.sort_by_key(|w| std::cmp::Reverse(w.runs.len()));
    found
}

/// Per column of `table[run][column]`, its statistics over `runs`.
fn columns(table: &[Vec<Option<f64>>], runs: &[usize]) -> Vec<Stat> {
    let width = table.first().map_or(0, Vec::len);
    (0..width)
        .map(|c| {
            let column: Vec<Option<f64>> = runs
                .iter()
                .filter_map(|&r| table.get(r).and_then(|v| v.get(c).copied()))
                .collect();
            Stat::of(&column)
        })
        .collect()
}

/// A short label per world, for table cells: who governs at the end ("Sovnarkom at the
/// end"), or the whole sequence where two worlds end alike.
pub fn world_labels(worlds: &[World]) -> Vec<String> {
    use crate::story::words::regime_short;
    let last = |w: &World| w.regimes.last().cloned().unwrap_or_default();
    worlds
        .iter()
        .map(|w| {
            let shared = worlds.iter().filter(|o| last(o) == last(w)).count() > 1;
            if shared {
                w.regimes
                    .iter()
                    .map(|r| regime_short(r))
                    .collect::<Vec<_>>()
                    .join(" → ")
            } else {
                format!("{} at the end", regime_short(&last(w)))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(regime: &str, date: &str) -> Spell {
        Spell {
            regime: regime.to_string(),
            date: date.to_string(),
        }
    }

    /// A run's regime flags, week by week, from who governed each week.
    fn measured(governing: &[Regime]) -> Metrics {
        let mut metrics = Metrics::default();
        for (step, now) in governing.iter().enumerate() {
            metrics
                .dates
                .push(format!("1917-03-{:02}", 1 + 7 * step as u32));
            for &regime in Regime::ALL {
                let flag = if regime == *now { 1.0 } else { 0.0 };
                metrics.push(
                    step as u32,
                    Metric::regime(Family::Regime, regime),
                    GroupKey::All,
                    flag,
                );
            }
        }
        metrics
    }

    #[test]
    fn a_run_whose_tsar_falls_in_the_first_week_follows_the_same_history() {
        use Regime::{Provisional, Tsar};
        let first_week = power_spells(&measured(&[Provisional, Provisional, Provisional]));
        let second_week = power_spells(&measured(&[Tsar, Provisional, Provisional]));
        assert_eq!(
            first_week,
            [
                spell("tsar", "1917-03-01"),
                spell("provisional", "1917-03-01")
            ]
        );
        assert_eq!(
            second_week,
            [
                spell("tsar", "1917-03-01"),
                spell("provisional", "1917-03-08")
            ]
        );
        let w = worlds(
            &[first_week, second_week],
            &[vec![], vec![]],
            &[vec![], vec![]],
        );
        assert_eq!(w.len(), 1, "one world, not a split: {w:?}");
    }

    #[test]
    fn runs_group_by_their_sequence_of_regimes() {
        let october = |date: &str| {
            vec![
                spell("tsar", "1917-03-01"),
                spell("provisional", "1917-03-15"),
                spell("sovnarkom", date),
            ]
        };
        let no_october = vec![
            spell("tsar", "1917-03-01"),
            spell("provisional", "1917-03-15"),
        ];
        let spells = vec![
            no_october.clone(),
            october("1917-11-05"),
            october("1917-11-19"),
            october("1917-11-12"),
        ];
        let values = vec![
            vec![Some(0.0)],
            vec![Some(4.0)],
            vec![Some(5.0)],
            vec![Some(6.0)],
        ];
        let w = worlds(&spells, &values, &values);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].runs, [1, 2, 3], "the most common world first");
        assert_eq!(w[0].from[2], "1917-11-12", "the median date of October");
        assert_eq!(w[0].outcomes[0].median, Some(5.0));
        assert_eq!(w[1].runs, [0]);
        assert_eq!(w[1].outcomes[0].median, Some(0.0));
        assert_eq!(
            world_labels(&w),
            ["Sovnarkom at the end", "Provisional Government at the end"]
        );
    }
}
