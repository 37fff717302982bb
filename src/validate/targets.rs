//! The historical targets of DESIGN §3, each with the tolerance it is judged by and why.
//! A target reads a run; it never feeds back into the model.

use super::view::{day_number, RunView};
use crate::date::Date;

/// How a target's value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count of people.
    People,
    /// A share, 0-1.
    Share,
    /// A date (day number).
    Date,
    /// Weeks between two dates.
    Weeks,
    /// A count of things (risings).
    Count,
}

/// One historical target.
pub struct Target {
    pub id: &'static str,
    pub what: &'static str,
    pub sources: &'static str,
    pub unit: Unit,
    /// The historical value.
    pub expected: f64,
    /// The band the ensemble median must fall in to pass.
    pub low: f64,
    pub high: f64,
    /// Why this tolerance.
    pub why: &'static str,
    pub measure: fn(&RunView) -> Option<f64>,
}

fn day(text: &str) -> f64 {
    f64::from(day_number(Date::parse(text).expect("valid target date")))
}

fn weeks_between(first: Option<f64>, second: Option<f64>) -> Option<f64> {
    Some((second? - first?) / 7.0)
}

const MONTH_TOLERANCE: &str =
    "a month either side: weekly steps, and soviets re-elect every few weeks";

/// The 1917 targets.
pub fn targets_1917() -> Vec<Target> {
    vec![
        Target {
            id: "start_population",
            what: "Population of the empire, March 1917",
            sources: "000:669",
            unit: Unit::People,
            expected: 182e6,
            low: 178e6,
            high: 186e6,
            why: "start state: only rounding to whole agents may move it",
            measure: |run| run.first("population", "all"),
        },
        Target {
            id: "start_rural_share",
            what: "Share of the population outside the towns",
            sources: "000:669",
            unit: Unit::Share,
            expected: 0.85,
            low: 0.82,
            high: 0.88,
            why: "start state; front regiments count as rural (peasants in uniform)",
            measure: |run| Some(1.0 - run.first("population.urban", "all")? / run.first("population", "all")?),
        },
        Target {
            id: "start_industrial_workers",
            what: "Industrial workers, March 1917",
            sources: "000:669",
            unit: Unit::People,
            expected: 3.4e6,
            low: 3.2e6,
            high: 3.6e6,
            why: "start state",
            measure: |run| run.first("workers.industrial", "all"),
        },
        Target {
            id: "petrograd_population",
            what: "Population of Petrograd, March 1917",
            sources: "000:669",
            unit: Unit::People,
            expected: 2.4e6,
            low: 2.3e6,
            high: 2.6e6,
            why: "start state; the garrison and the Baltic sailors are counted in",
            measure: |run| run.first("population", "region.petrograd"),
        },
        Target {
            id: "petrograd_workers",
            what: "Industrial workers in Petrograd, March 1917",
            sources: "000:669",
            unit: Unit::People,
            expected: 400e3,
            low: 360e3,
            high: 440e3,
            why: "start state",
            measure: |run| run.first("workers.industrial", "region.petrograd"),
        },
        Target {
            id: "february_strikers",
            what: "Peak strikers in Petrograd, February-March 1917 (84k -> 100k -> 250k)",
            sources: "000:229",
            unit: Unit::People,
            expected: 250e3,
            low: 150e3,
            high: 400e3,
            why: "weekly steps cannot resolve the ten days of the cascade, so only the peak is judged, within a factor of about 1.6",
            measure: |run| run.max_between("strikers", "region.petrograd", "1917-03-01", "1917-03-31"),
        },
        Target {
            id: "factory_committee_majority",
            what: "First Bolshevik majority in Petrograd's factory committees",
            sources: "000:707",
            unit: Unit::Date,
            expected: day("1917-06-15"),
            low: day("1917-05-15"),
            high: day("1917-07-15"),
            why: MONTH_TOLERANCE,
            measure: |run| run.first_at_least("factory_committee.share.bolsheviks", "region.petrograd", 0.5, "1917-03-01"),
        },
        Target {
            id: "petrograd_soviet_majority",
            what: "First Bolshevik majority in the Petrograd Soviet",
            sources: "000:263",
            unit: Unit::Date,
            expected: day("1917-09-15"),
            low: day("1917-08-15"),
            high: day("1917-10-15"),
            why: MONTH_TOLERANCE,
            measure: |run| run.first_at_least("soviet.share.bolsheviks", "soviet.petrograd", 0.5, "1917-03-01"),
        },
        Target {
            id: "committees_lead_soviets",
            what: "Weeks by which the factory committees lead the Petrograd Soviet",
            sources: "000:707",
            unit: Unit::Weeks,
            expected: 13.0,
            low: 6.0,
            high: 20.0,
            why: "\"about three months\": half that to half again",
            measure: |run| {
                weeks_between(
                    run.first_at_least("factory_committee.share.bolsheviks", "region.petrograd", 0.5, "1917-03-01"),
                    run.first_at_least("soviet.share.bolsheviks", "soviet.petrograd", 0.5, "1917-03-01"),
                )
            },
        },
        Target {
            id: "second_congress",
            what: "Bolshevik share of delegates at the Second Congress of Soviets",
            sources: "000:293;001:197",
            unit: Unit::Share,
            expected: 0.6,
            low: 0.5,
            high: 0.75,
            why: "the texts say a (large) majority: anything from a bare majority to three quarters",
            measure: |run| run.last("congress.share.bolsheviks", "congress.2"),
        },
        Target {
            id: "kronstadt_october",
            what: "Bolshevik share of the Kronstadt soviet, October 1917",
            sources: "000:148",
            unit: Unit::Share,
            expected: 1.0 / 3.0,
            low: 0.2,
            high: 0.5,
            why: "\"only one third\"; the Kronstadt soviet is a few dozen agents at the default scale",
            measure: |run| run.at("soviet.share.bolsheviks", "soviet.kronstadt", "1917-11-01"),
        },
        Target {
            id: "constituent_assembly_minority",
            what: "Bolshevik share of the Constituent Assembly vote (a minority; the SRs won)",
            sources: "001:169;004:35",
            unit: Unit::Share,
            expected: 0.24,
            low: 0.15,
            high: 0.45,
            why: "the texts give only a Bolshevik minority and an SR win; the band spans a minority that still trails the SRs",
            measure: |run| run.last("election.constituent.bolsheviks", "all"),
        },
        Target {
            id: "constituent_assembly_sr_lead",
            what: "SR lead over the Bolsheviks in the Constituent Assembly vote (share points)",
            sources: "004:35;001:169",
            unit: Unit::Share,
            expected: 0.16,
            low: 0.0,
            high: 0.35,
            why: "the SRs won: any lead counts; history's was about 16 points (40 % to 24 %)",
            measure: |run| {
                Some(run.last("election.constituent.srs", "all")? - run.last("election.constituent.bolsheviks", "all")?)
            },
        },
        Target {
            id: "members_early_1917",
            what: "Bolshevik party members, early 1917",
            sources: "002:115",
            unit: Unit::People,
            expected: 23e3,
            low: 10e3,
            high: 50e3,
            why: "a factor of about two either way: membership counts of an underground party are rough",
            measure: |run| run.at("members.bolsheviks", "all", "1917-03-20"),
        },
        Target {
            id: "members_july_1917",
            what: "Bolshevik party members, July 1917",
            sources: "001:237",
            unit: Unit::People,
            expected: 170e3,
            low: 100e3,
            high: 250e3,
            why: "within about half either way",
            measure: |run| run.at("members.bolsheviks", "all", "1917-07-20"),
        },
    ]
}

/// The 1918-1922 targets.
pub fn targets_1918_1922() -> Vec<Target> {
    vec![
        Target {
            id: "brest_ratified",
            what: "Share of the Fourth Congress voting to ratify Brest-Litovsk (748-261)",
            sources: "004:75",
            unit: Unit::Share,
            expected: 748.0 / 1009.0,
            low: 0.6,
            high: 0.85,
            why: "a clear majority for ratification, within about ten points of the recorded vote",
            measure: |run| run.last("congress.vote.peace", "congress.4"),
        },
        Target {
            id: "soviet_majorities_lost_1918",
            what: "Bolshevik share of all local soviets, June 1918 (majorities lost where elections stayed free)",
            sources: "000:146",
            unit: Unit::Share,
            expected: 0.4,
            low: 0.0,
            high: 0.5,
            why: "the text says majorities were lost: anything short of a majority",
            measure: |run| run.at("soviet.share.bolsheviks", "all", "1918-06-10"),
        },
        Target {
            id: "petrograd_unemployment_1918",
            what: "Peak unemployment in Petrograd, spring 1918",
            sources: "004:113",
            unit: Unit::Share,
            expected: 0.46,
            low: 0.3,
            high: 0.6,
            why: "within about fifteen points: one city-wide figure",
            measure: |run| run.max_between("unemployment", "region.petrograd", "1918-03-01", "1918-06-30"),
        },
        Target {
            id: "petrograd_party_autumn_1918",
            what: "Bolshevik members in Petrograd (not counting those away in the Red Army), October 1918",
            sources: "004:121-123",
            unit: Unit::People,
            expected: 6e3,
            low: 3e3,
            high: 12e3,
            why: "\"a mere 6,000\" after halving in three months: a factor of two either way",
            measure: |run| run.at("members.bolsheviks", "region.petrograd", "1918-10-15"),
        },
        Target {
            id: "petrograd_decline",
            what: "Change in Petrograd's population over three years",
            sources: "002:107",
            unit: Unit::Share,
            expected: -0.575,
            low: -0.68,
            high: -0.45,
            why: "about ten points either way",
            measure: |run| {
                Some(run.at("population", "region.petrograd", "1920-03-08")? / run.first("population", "region.petrograd")? - 1.0)
            },
        },
        Target {
            id: "moscow_decline",
            what: "Change in Moscow's population over three years",
            sources: "002:107",
            unit: Unit::Share,
            expected: -0.445,
            low: -0.55,
            high: -0.35,
            why: "about ten points either way",
            measure: |run| Some(run.at("population", "region.moscow", "1920-03-08")? / run.first("population", "region.moscow")? - 1.0),
        },
        Target {
            id: "sown_area_low",
            what: "Lowest sown area under requisitioning, 1919-1921 (1916 = 1)",
            sources: "001:147",
            unit: Unit::Share,
            expected: 0.75,
            low: 0.65,
            high: 0.85,
            why: "\"about a quarter\" down: between 15 and 35 per cent",
            measure: |run| run.min_between("sown_area", "all", "1919-01-01", "1921-12-31"),
        },
        Target {
            id: "railways_low",
            what: "Lowest usable railway capacity, 1919-1921 (1917 = 1)",
            sources: "001:147",
            unit: Unit::Share,
            expected: 0.27,
            low: 0.15,
            high: 0.4,
            why: "\"almost three-quarters of the railroad lines were unusable\": a quarter usable, give or take half",
            measure: |run| run.min_between("railways", "all", "1919-01-01", "1921-12-31"),
        },
        Target {
            id: "industry_1921",
            what: "Industrial output in 1921 (1913 = 1)",
            sources: "002:193",
            unit: Unit::Share,
            expected: 0.18,
            low: 0.08,
            high: 0.2,
            why: "\"under a fifth\"",
            measure: |run| run.at("industry.output", "all", "1921-06-30"),
        },
        Target {
            id: "red_army_april_1918",
            what: "Red Army volunteers, April 1918",
            sources: "004:99",
            unit: Unit::People,
            expected: 200e3,
            low: 100e3,
            high: 350e3,
            why: "within about half either way",
            measure: |run| run.at("army.red.size", "all", "1918-04-30"),
        },
        Target {
            id: "red_army_1920",
            what: "Red Army, mid-1920",
            sources: "002:97",
            unit: Unit::People,
            expected: 5e6,
            low: 3.5e6,
            high: 6.5e6,
            why: "\"five million strong\": within 30 per cent",
            measure: |run| run.max_between("army.red.size", "all", "1920-01-01", "1920-12-31"),
        },
        Target {
            id: "revolt_peak_1921",
            what: "When peasant revolt peaks, autumn 1920 to autumn 1921 (early 1921, then NEP)",
            sources: "001:149;003:111-117",
            unit: Unit::Date,
            expected: day("1921-02-15"),
            low: day("1920-12-01"),
            high: day("1921-04-30"),
            why: "the risings of winter 1920-21 (Tambov, West Siberia, Kronstadt) up to NEP in March",
            measure: |run| run.date_of_max("active", "class.peasant_middle", "1920-09-01", "1921-09-30"),
        },
        Target {
            id: "peasant_risings_1921",
            what: "Peasant risings under way at once, Dec 1920 - Apr 1921: village districts (200,000 people at the default scale) with `revolt.rising_share` of their people in open revolt",
            sources: "001:149",
            unit: Unit::Count,
            expected: 50.0,
            low: 50.0,
            high: 150.0,
            why: "\"no less than fifty separate peasant revolts\" in March 1921: at least fifty, not three times that",
            measure: |run| run.max_between("risings", "all", "1920-12-01", "1921-04-30"),
        },
        Target {
            id: "kronstadt_rising_1921",
            what: "Peak share of the Kronstadt sailors in open revolt, Jan - Apr 1921",
            sources: "001:149;003:113",
            unit: Unit::Share,
            expected: 0.9,
            low: 0.5,
            high: 1.0,
            why: "the fortress rose, calling for new elections to the soviets: most of its sailors, not a few",
            measure: |run| run.max_between("active", "soviet.kronstadt", "1921-01-01", "1921-04-30"),
        },
        Target {
            id: "nep",
            what: "NEP replaces requisitioning (a conditional event: it must fire in most runs)",
            sources: "001:149;004:136-140",
            unit: Unit::Date,
            expected: day("1921-03-15"),
            low: day("1921-02-01"),
            high: day("1921-06-30"),
            why: "the Tenth Congress in March 1921, as the risings peak; its earliest date is an input, so what this checks is that the risings call it forth",
            measure: |run| run.event_day("nep"),
        },
        Target {
            id: "famine_deaths_1921_22",
            what: "Famine deaths, 1921-1922",
            sources: "002:195;003:95",
            unit: Unit::People,
            expected: 5e6,
            low: 1e6,
            high: 5.5e6,
            why: "\"up to 5 million\": at least a million, not much above five",
            measure: |run| Some(run.at("deaths.famine", "all", "1922-12-31")? - run.at("deaths.famine", "all", "1921-01-01")?),
        },
        Target {
            id: "famine_affected_1921_22",
            what: "People below the famine threshold at the worst of the famine year, Sept 1921 - Aug 1922",
            sources: "002:195",
            unit: Unit::People,
            expected: 36e6,
            low: 20e6,
            high: 50e6,
            why: "\"36 million affected\": within about 40 per cent, since regions are whole provinces",
            measure: |run| run.max_between("famine.affected", "all", "1921-09-01", "1922-08-31"),
        },
        Target {
            id: "members_1922",
            what: "Communist Party members, 1922",
            sources: "002:115",
            unit: Unit::People,
            expected: 700e3,
            low: 500e3,
            high: 900e3,
            why: "within about 30 per cent",
            measure: |run| run.at("members.bolsheviks", "all", "1922-12-31"),
        },
    ]
}

/// Every target, 1917 first.
pub fn all_targets() -> Vec<Target> {
    let mut targets = targets_1917();
    targets.extend(targets_1918_1922());
    targets
}
