//! Every what-if scenario in `scenarios/` against the baseline: each moves a key outcome the
//! way the passages it cites argue, by a margin, over a small ensemble (seeds 1-3 at 5,000
//! people per agent, or at the default scale where a question needs it: [`Scale`]; each run
//! only as far as its question needs). The baseline ensemble at each scale is run once and
//! shared. The numbers are printed, so `cargo test --release --test whatifs -- --nocapture`
//! shows each question's answer.

mod common;

use std::sync::OnceLock;

use common::root;
use revsim::compare::RunRecord;
use revsim::ensemble::{replicate_jobs, run_seeds, unwatched};
use revsim::metrics::Metrics;
use revsim::model::LoggedEvent;
use revsim::scenario::{find_scenario, load_scenario, Override};
use revsim::validate::RunView;

/// Seeds 1, 2, 3 (the ensemble's seeds are the scenario seed plus 0, 1, 2).
const FIRST_SEED: u64 = 1;
const REPLICATES: usize = 3;
/// How far the coarse baseline runs: the latest any question at that scale needs.
const BASELINE_END: &str = "1921-12-31";
/// How far the default-scale baseline runs: the latest any question at that scale needs.
const DEFAULT_BASELINE_END: &str = "1919-12-31";

/// How many people an agent stands for in a question's runs.
#[derive(Clone, Copy)]
enum Scale {
    /// 5,000: enough for most questions, and fast.
    Coarse,
    /// The scenario's own (1,000): for the civil war's ground, which at 5,000 people an agent
    /// is held by armies of a few agents and moves by a third from seed to seed.
    Default,
}

impl Scale {
    /// The overrides that set the scale.
    fn overrides(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Scale::Coarse => &[("run.people_per_agent", "5000")],
            Scale::Default => &[],
        }
    }

    /// The baseline at this scale, run once as far as the latest question at it needs.
    fn baseline(self) -> &'static [Run] {
        static COARSE: OnceLock<Vec<Run>> = OnceLock::new();
        static DEFAULT: OnceLock<Vec<Run>> = OnceLock::new();
        match self {
            Scale::Coarse => COARSE.get_or_init(|| ensemble("baseline_1917", BASELINE_END, self)),
            Scale::Default => {
                DEFAULT.get_or_init(|| ensemble("baseline_1917", DEFAULT_BASELINE_END, self))
            }
        }
    }
}

/// One finished run: its metrics and events.
struct Run {
    metrics: Metrics,
    events: Vec<LoggedEvent>,
}

/// Runs scenario `name` from `scenarios/` to `end` over the seeds at `scale`, one thread (the
/// tests run side by side).
fn ensemble(name: &str, end: &str, scale: Scale) -> Vec<Run> {
    let root = root();
    let dir = root.join("scenarios");
    let seed = FIRST_SEED.to_string();
    let overrides: Vec<Override> = [("run.end", end), ("run.seed", seed.as_str())]
        .iter()
        .chain(scale.overrides())
        .map(|(name, value)| Override::parse(name, value).unwrap())
        .collect();
    let path = find_scenario(name, &dir).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = load_scenario(&path, &dir, &overrides).unwrap_or_else(|e| panic!("{name}: {e}"));
    let jobs = replicate_jobs(&[&scenario], REPLICATES);
    run_seeds(&jobs, 1, &mut |_| {}, &unwatched, &|result| Run {
        metrics: result.metrics.clone(),
        events: result.events.events.clone(),
    })
    .expect("the ensemble runs")
}

/// The mean over the runs of a statistic (every run must have it).
fn mean(runs: &[Run], what: &str, statistic: impl Fn(&RunRecord) -> Option<f64>) -> f64 {
    let values: Vec<f64> = runs
        .iter()
        .map(|run| {
            let record = RunRecord::new(
                RunView::new(&run.metrics),
                &run.events,
                run.metrics.dates.last().map(String::as_str),
            );
            statistic(&record).unwrap_or_else(|| panic!("{what}: not recorded"))
        })
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// How a what-if's mean must compare with the baseline's mean `base`.
enum Expect {
    /// Below `base - margin`.
    Below(f64),
    /// Above `base + margin`.
    Above(f64),
    /// Below `fraction * base`.
    BelowShare(f64),
}
use Expect::{Above, Below, BelowShare};

/// Runs `scenario` to `end` at `scale`, prints the baseline's and the what-if's mean of a
/// statistic (`what` names it) and asserts `expect`; `message` is the outcome and the names of
/// the two worlds, for the failure: `["legitimacy in 1918", "Brest", "revolutionary war"]`.
fn check(
    scale: Scale,
    scenario: &str,
    end: &str,
    what: &str,
    statistic: impl Fn(&RunRecord) -> Option<f64> + Copy,
    expect: Expect,
    message: [&str; 3],
) {
    let runs = ensemble(scenario, end, scale);
    let base = mean(scale.baseline(), what, statistic);
    let what_if = mean(&runs, what, statistic);
    eprintln!("{scenario}: {what}: baseline {base:.4}, what-if {what_if:.4}");
    let holds = match expect {
        Below(margin) => what_if < base - margin,
        Above(margin) => what_if > base + margin,
        BelowShare(fraction) => what_if < fraction * base,
    };
    let [outcome, before, after] = message;
    assert!(holds, "{outcome}: {before} {base:.3}, {after} {what_if:.3}");
}

/// Without Kornilov's march the Bolsheviks are not rescued from the July repression nor seen
/// as the revolution's only defenders: their support in October is lower
/// [000:263][000:269-271][001:229-233].
#[test]
fn no_kornilov_means_a_weaker_bolshevik_surge() {
    check(
        Scale::Coarse,
        "no_kornilov",
        "1917-11-10",
        "Bolshevik private support, Oct 1917",
        |r| {
            r.mean(
                "support.private.bolsheviks",
                "all",
                "1917-10-10",
                "1917-11-06",
            )
        },
        Below(0.015),
        [
            "Bolshevik support in October",
            "baseline",
            "without Kornilov",
        ],
    );
}

/// A rising in the party's own name would have had less popular backing [000:171][000:665]:
/// the new regime is trusted less in its first months.
#[test]
fn party_insurrection_means_a_less_trusted_regime() {
    check(
        Scale::Coarse,
        "party_insurrection",
        "1918-05-01",
        "legitimacy, Nov 1917 - Apr 1918",
        |r| r.mean("legitimacy", "all", "1917-11-15", "1918-04-30"),
        Below(0.05),
        [
            "legitimacy of Sovnarkom",
            "in the soviets' name",
            "in the party's",
        ],
    );
}

/// An all-socialist coalition keeps the soviets' other parties and their voters with the
/// state [000:679][003:103]: the regime is more legitimate through 1918.
#[test]
fn socialist_coalition_means_a_more_legitimate_regime() {
    check(
        Scale::Coarse,
        "socialist_coalition",
        "1918-12-31",
        "legitimacy, Mar - Dec 1918",
        |r| r.mean("legitimacy", "all", "1918-03-15", "1918-12-31"),
        Above(0.03),
        ["legitimacy in 1918", "Bolshevik government", "coalition"],
    );
}

/// Dispersing the Assembly disenfranchised the outlying peasants and split town from country
/// [004:55]: keeping it, the peasants trust the regime more in 1918.
#[test]
fn keeping_the_assembly_keeps_the_peasants_trust() {
    check(
        Scale::Coarse,
        "assembly_kept",
        "1918-12-31",
        "middle peasants' legitimacy, Feb - Dec 1918",
        |r| {
            r.mean(
                "legitimacy",
                "class.peasant_middle",
                "1918-02-01",
                "1918-12-31",
            )
        },
        Above(0.04),
        ["middle peasants' legitimacy in 1918", "dispersed", "kept"],
    );
}

/// "The old army does not exist" [004:65]: a revolutionary war keeps unwilling soldiers at
/// the front and breaks the promise of peace; the regime loses standing in 1918.
#[test]
fn revolutionary_war_costs_the_regime_its_standing() {
    check(
        Scale::Coarse,
        "revolutionary_war",
        "1918-11-10",
        "legitimacy, Mar - Nov 1918",
        |r| r.mean("legitimacy", "all", "1918-03-15", "1918-11-10"),
        Below(0.05),
        ["legitimacy in 1918", "Brest", "revolutionary war"],
    );
}

/// Without requisitioning the peasants do not cut their sowings [002:95][001:147].
#[test]
fn market_procurement_keeps_the_fields_sown() {
    check(
        Scale::Coarse,
        "market_procurement",
        "1921-06-30",
        "lowest sown area, 1919 - mid 1921",
        |r| r.min("sown_area", "all", "1919-01-01", "1921-06-30"),
        Above(0.08),
        ["lowest sown area", "requisitioning", "market"],
    );
}

/// NEP two years early removes the grievance behind the peasant risings of 1920-21
/// [004:136-140][003:113][001:149]. The window starts after the harvest of 1920: the
/// risings of 1919-20 that follow the end of the civil war and the Polish invasion come
/// under either policy.
#[test]
fn nep_in_1919_means_fewer_peasant_revolts() {
    check(
        Scale::Coarse,
        "nep_1919",
        "1921-06-30",
        "peak share of middle peasants in revolt, September 1920 - June 1921",
        |r| r.max("active", "class.peasant_middle", "1920-09-01", "1921-06-30"),
        BelowShare(0.75),
        ["peak peasant revolt", "NEP in 1921", "NEP in 1919"],
    );
}

/// With title to the land, the state has no legal ground for forced requisitions
/// [000:215][000:227]: the peasants keep sowing.
#[test]
fn peasant_title_keeps_the_fields_sown() {
    check(
        Scale::Coarse,
        "peasant_title",
        "1921-06-30",
        "lowest sown area, 1919 - mid 1921",
        |r| r.min("sown_area", "all", "1919-01-01", "1921-06-30"),
        Above(0.08),
        ["lowest sown area", "state land", "peasant title"],
    );
}

/// Free soviet elections with the suppressed parties legal "would most likely have led to
/// the Bolsheviks' ouster" [000:719].
#[test]
fn kronstadt_granted_ousts_the_bolsheviks_from_the_soviets() {
    check(
        Scale::Coarse,
        "kronstadt_granted",
        BASELINE_END,
        "Bolshevik share of all soviets, Jul - Dec 1921",
        |r| r.mean("soviet.share.bolsheviks", "all", "1921-07-01", "1921-12-31"),
        Below(0.1),
        [
            "Bolshevik share of the soviets, late 1921",
            "suppressed",
            "granted",
        ],
    );
}

/// Public tribunals: "the same efficiency with far less abuse" [003:105]. Fewer are shot.
#[test]
fn public_tribunals_shoot_fewer() {
    check(
        Scale::Coarse,
        "public_tribunals",
        "1920-12-31",
        "deaths in repression by the end of 1920",
        |r| r.at("deaths.repression", "all", "1920-12-31"),
        BelowShare(0.75),
        ["shot in repression by 1921", "Cheka", "tribunals"],
    );
}

/// The five-to-one franchise was what gave the towns, and the Bolsheviks, their weight in
/// the congresses [004:43]: with equal votes their share of the Third Congress falls.
#[test]
fn equal_franchise_shrinks_the_bolshevik_congress() {
    check(
        Scale::Coarse,
        "equal_franchise",
        "1918-01-31",
        "Bolshevik share of the Third Congress",
        |r| r.view.last("congress.share.bolsheviks", "congress.3"),
        Below(0.015),
        ["Bolsheviks at the Third Congress", "five-to-one", "equal"],
    );
}

/// Peace was the masses' central demand [001:189][001:241]: granted in the spring, the
/// Bolsheviks' rise stalls.
#[test]
fn provisional_peace_stalls_the_bolsheviks() {
    check(
        Scale::Coarse,
        "provisional_peace",
        "1917-11-10",
        "Bolshevik private support, Oct 1917",
        |r| {
            r.mean(
                "support.private.bolsheviks",
                "all",
                "1917-10-10",
                "1917-11-06",
            )
        },
        Below(0.015),
        ["Bolshevik support in October", "war", "peace in May"],
    );
}

/// The Allied landings were one reason the civil war lasted thirty months [001:155][002:89]:
/// without them the Whites hold less of the country in 1919. At the default scale: at 5,000
/// people an agent the Whites held from 1 % to 46 % of the people in 1919 from seed to seed.
#[test]
fn without_the_allied_landings_the_whites_hold_less() {
    check(
        Scale::Default,
        "no_allied_intervention",
        "1919-12-31",
        "share of the people under the Whites, 1919",
        |r| r.mean("control.white", "all", "1919-01-01", "1919-12-31"),
        Below(0.05),
        ["the Whites' ground in 1919", "with the landings", "without"],
    );
}

/// "The Bolsheviks lost their majorities in the soviets around the country five-and-a-half
/// months later" [000:146]: kept free, the soviets go to other parties.
#[test]
fn free_soviets_elect_fewer_bolsheviks() {
    check(
        Scale::Coarse,
        "free_soviets",
        "1919-12-31",
        "Bolshevik seats in the local soviets, 1919",
        |r| r.mean("soviet.share.bolsheviks", "all", "1919-01-01", "1919-12-31"),
        Below(0.2),
        ["Bolshevik seats in 1919", "managed", "free"],
    );
}

/// The government that "did nothing to ... resolve the land question" lost the peasants
/// [000:289]: giving them the land in May 1917 keeps their trust through the summer.
#[test]
fn land_in_the_spring_of_1917_keeps_the_peasants_trust() {
    check(
        Scale::Coarse,
        "land_and_assembly_1917",
        "1917-10-31",
        "middle peasants' legitimacy, Jun - Oct 1917",
        |r| {
            r.mean(
                "legitimacy",
                "class.peasant_middle",
                "1917-06-01",
                "1917-10-31",
            )
        },
        Above(0.1),
        ["the peasants' trust in 1917", "no reform", "land in May"],
    );
}

/// The generals "were incapable of making any concessions ... of land to the peasants, in
/// order to obtain their support" [001:155]: had they made them, the Whites would have held
/// more of the country in 1919.
#[test]
fn whites_who_concede_the_land_hold_more() {
    check(
        Scale::Coarse,
        "whites_concede_land",
        "1919-12-31",
        "share of the people under the Whites, 1919",
        |r| r.mean("control.white", "all", "1919-01-01", "1919-12-31"),
        Above(0.2),
        [
            "the Whites' ground in 1919",
            "landlords back",
            "land conceded",
        ],
    );
}

/// Every what-if in `scenarios/` extends the baseline alone, asks a question, says what it
/// changes and why with its sources, and has a direction test here.
#[test]
fn every_what_if_is_tested_and_asks_a_question() {
    let dir = root().join("scenarios");
    let source = include_str!("whatifs.rs");
    let mut count = 0;
    for summary in revsim::scenario::list_scenarios(&dir) {
        if summary.name == "baseline_1917" {
            continue;
        }
        let scenario = load_scenario(&summary.path, &dir, &[])
            .unwrap_or_else(|e| panic!("{} does not load: {e}", summary.name));
        // A what-if: a scenario that extends the baseline or asks "What if".
        if !scenario.extends.iter().any(|e| e == "baseline_1917")
            && !scenario.title.starts_with("What if")
        {
            continue;
        }
        assert_eq!(
            scenario.extends,
            vec!["baseline_1917".to_string()],
            "{} extends the baseline",
            scenario.name
        );
        assert!(
            scenario.title.starts_with("What if") && scenario.title.ends_with('?'),
            "{}: the title is a question: {}",
            scenario.name,
            scenario.title
        );
        assert!(
            scenario.about.len() > 400 && !scenario.sources.is_empty(),
            "{}: says what changes and why, with sources",
            scenario.name
        );
        assert!(
            source.contains(&format!("\"{}\"", scenario.name)),
            "{} has no direction test in tests/whatifs.rs",
            scenario.name
        );
        count += 1;
    }
    assert!(count >= 12, "only {count} what-if scenarios");
}
