//! The one place for the words a class reads instead of ids: short titles of events, the
//! names of the regimes, and the glossary. An id not in a table is humanised (`left_sr_ban`
//! becomes "Left sr ban"), so a new event still reads, if less well.

/// Short human titles of event ids (the scenario's `description` says the rest).
/// The turning points a chart labels first, most important first; other events are labelled
/// where room is left.
pub const KEY_EVENTS: &[&str] = &[
    "february_revolution",
    "october_insurrection",
    "kornilov_march",
    "july_days_repression",
    "order_no_1",
    "constituent_assembly_dispersed",
    "brest_litovsk",
    "civil_war_begins",
    "red_terror",
    "civil_war_ends",
    "nep",
];

const EVENT_TITLES: &[(&str, &str)] = &[
    ("bread_queues", "Bread queues in Petrograd"),
    ("february_revolution", "February Revolution: the Tsar falls"),
    ("order_no_1", "Order No. 1"),
    ("grain_monopoly", "Grain monopoly"),
    ("april_turn", "Lenin's April Theses"),
    ("coalition_government", "Socialists join the government"),
    ("first_congress_of_soviets", "First Congress of Soviets"),
    ("june_offensive", "Kerensky's June offensive"),
    ("offensive_collapses", "The offensive collapses"),
    ("july_days_repression", "July Days: Bolsheviks repressed"),
    ("land_seizures", "Peasants seize the land"),
    ("kornilov_march", "Kornilov marches on Petrograd"),
    (
        "coup_collapses",
        "The coup collapses: his troops will not fight",
    ),
    ("coup_takes_capital", "A general takes the capital"),
    (
        "kornilov_affair",
        "The Bolsheviks freed, the Red Guards armed",
    ),
    ("kornilov_takes_petrograd", "Kornilov bans the socialists"),
    ("october_insurrection", "October: the Bolsheviks take power"),
    ("left_sr_split", "The Left SRs split off"),
    (
        "constituent_assembly_election",
        "Constituent Assembly elected",
    ),
    ("kadets_outlawed", "Kadets outlawed"),
    ("armistice", "Armistice with Germany"),
    ("red_army_founded", "Red Army founded"),
    (
        "constituent_assembly_dispersed",
        "Constituent Assembly dispersed",
    ),
    ("third_congress_of_soviets", "Third Congress of Soviets"),
    ("german_terms", "Germany dictates its terms"),
    (
        "fourth_congress_of_soviets",
        "Fourth Congress votes on the peace",
    ),
    ("brest_litovsk", "Peace of Brest-Litovsk ratified"),
    (
        "revolutionary_war_declared",
        "The congress rejects the peace: revolutionary war",
    ),
    ("anarchists_raided", "Anarchists raided"),
    ("czech_legion", "The Czechoslovak Legion revolts"),
    ("allied_landings", "The Allies land troops"),
    ("civil_war_begins", "Civil war begins"),
    ("german_withdrawal", "Germany withdraws"),
    ("central_powers_collapse", "The Central Powers collapse"),
    (
        "food_dictatorship",
        "Food dictatorship: grain requisitioned",
    ),
    ("conscription", "Conscription into the Red Army"),
    (
        "socialists_expelled",
        "Other socialists expelled from the soviets",
    ),
    ("left_sr_rising", "The Left SRs rise in Moscow"),
    ("rising_fails", "The rising is put down"),
    ("rising_takes_capital", "The rising takes the capital"),
    ("left_sr_ban", "Left SRs banned"),
    (
        "left_sr_revolutionary_war",
        "The Left SRs tear up the peace",
    ),
    ("opposition_suppressed", "Mensheviks and SRs suppressed"),
    ("red_terror", "The Red Terror"),
    ("polish_war", "War with Poland"),
    ("foreign_peace", "The foreign armies leave"),
    ("civil_war_ends", "The civil war ends"),
    ("independence", "A nation secedes"),
    ("reconquest", "The Red Army retakes a seceded land"),
    ("volga_drought", "Drought on the Volga"),
    ("nep", "NEP replaces requisitioning"),
    ("kronstadt_demands_granted", "Kronstadt's demands granted"),
    (
        "provisional_peace",
        "The Provisional Government makes peace",
    ),
    ("land_reform", "The land goes to the peasants"),
];

/// A short title for an event id (a repeated event's id may end in " (n)").
pub fn event_title(id: &str) -> String {
    let (base, repeat) = match id.rsplit_once(" (") {
        Some((base, rest)) if rest.ends_with(')') => (base, Some(rest.trim_end_matches(')'))),
        _ => (id, None),
    };
    let title = EVENT_TITLES
        .iter()
        .find(|(known, _)| *known == base)
        .map_or_else(|| humanise(base), |(_, title)| (*title).to_string());
    match repeat {
        Some("2") => format!("{title} again"),
        Some(n) => format!("{title} (for the {} time)", ordinal(n)),
        None => title,
    }
}

/// "3" → "3rd", "11" → "11th": the words of a repeat count.
fn ordinal(n: &str) -> String {
    let suffix = match n.parse::<u32>() {
        Ok(k) if k % 100 / 10 == 1 => "th",
        Ok(k) => match k % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        },
        Err(_) => "",
    };
    format!("{n}{suffix}")
}

/// `snake_case` as a sentence: `left_sr_ban` → "Left sr ban".
pub fn humanise(id: &str) -> String {
    let text = id.replace(['_', '.'], " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Who governs, in words, by regime id (`regime.<id>` in the metrics).
pub fn regime_name(id: &str) -> String {
    match id {
        "tsar" => "the Tsar".to_string(),
        "provisional" => "the Provisional Government".to_string(),
        "sovnarkom" => "Sovnarkom (the Soviet government led by the Bolsheviks)".to_string(),
        other => humanise(other),
    }
}

/// A regime's name for a table cell.
pub fn regime_short(id: &str) -> String {
    match id {
        "tsar" => "Tsar".to_string(),
        "provisional" => "Provisional Government".to_string(),
        "sovnarkom" => "Sovnarkom".to_string(),
        other => humanise(other),
    }
}

/// Words a class may not know, with what they mean (the page links them from its text).
pub const GLOSSARY: &[(&str, &str)] = &[
    (
        "Bolsheviks",
        "Lenin's party of revolutionary socialists; from 1918 the Communist Party.",
    ),
    (
        "Mensheviks",
        "The other wing of Russia's Marxist socialists: they expected a long capitalist stage \
         before socialism and backed the Provisional Government.",
    ),
    (
        "SRs",
        "Socialist Revolutionaries: the peasants' party, the largest in 1917.",
    ),
    (
        "Left SR",
        "The SRs' left wing, which split off in late 1917 and governed with the Bolsheviks until \
         the peace of Brest-Litovsk.",
    ),
    (
        "Kadets",
        "Constitutional Democrats: the liberal party of the middle classes.",
    ),
    (
        "Provisional Government",
        "The government that replaced the Tsar in February 1917, meant to last until a \
         Constituent Assembly was elected.",
    ),
    (
        "soviet",
        "Russian for \"council\": a council of delegates elected by workers, soldiers or \
         peasants.",
    ),
    (
        "Congress of Soviets",
        "A national meeting of delegates from the local soviets.",
    ),
    (
        "Sovnarkom",
        "The Council of People's Commissars: the Soviet government formed after October 1917.",
    ),
    (
        "dual power",
        "February to October 1917, when the Provisional Government and the soviets both \
         claimed authority.",
    ),
    (
        "Constituent Assembly",
        "An elected assembly meant to write Russia's constitution; elected in November 1917, \
         dispersed after one sitting in January 1918.",
    ),
    (
        "Cheka",
        "The Soviet political police, founded in December 1917.",
    ),
    (
        "Red Army",
        "The Soviet government's army, founded in early 1918.",
    ),
    (
        "Whites",
        "The armies that fought the Soviet government in the civil war, led mostly by former \
         officers.",
    ),
    ("Greens", "Peasant armies that fought both Reds and Whites."),
    (
        "kulak",
        "A better-off peasant who owned more land or hired labour; in Soviet use, any peasant \
         who resisted.",
    ),
    (
        "razverstka",
        "Prodrazverstka: the quota of grain each district had to hand over, taken by armed \
         food detachments (1919-1921).",
    ),
    (
        "requisitioning",
        "Taking grain from the peasants by force, for a fixed price or for nothing.",
    ),
    (
        "War Communism",
        "The policies of 1918-1921: requisitioned grain, state-run industry, no free trade.",
    ),
    (
        "NEP",
        "The New Economic Policy of 1921: a tax in kind replaced requisitioning and peasants \
         could sell their surplus.",
    ),
    (
        "Brest-Litovsk",
        "The peace treaty of March 1918 with Germany, which gave up Ukraine and the western \
         borderlands.",
    ),
    (
        "Kronstadt",
        "The naval fortress near Petrograd whose sailors backed October 1917 and rose against \
         the Bolsheviks in March 1921.",
    ),
    (
        "legitimacy",
        "How far people accept that the government has the right to rule, from 0 (not at all) \
         to 1 (fully).",
    ),
    (
        "hardship",
        "How badly people are doing (hunger, cold, loss of work), from 0 to 1.",
    ),
    (
        "Old Style",
        "The Julian calendar Russia used until February 1918, 13 days behind ours: the \
         October Revolution was on 7 November in our calendar.",
    ),
    (
        "run",
        "One simulation with one seed (one roll of the dice). Runs with other seeds differ, \
         which is why revsim runs several.",
    ),
    (
        "median",
        "The middle value: half the runs gave less, half gave more.",
    ),
    (
        "week of",
        "The simulation moves a week at a time; \"week of 5 Nov 1917\" means the week that \
         starts on that day.",
    ),
];

/// The glossary's anchor for a term, e.g. `glossary-left-sr`.
pub fn glossary_anchor(term: &str) -> String {
    let slug: String = term
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("glossary-{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_fall_back_to_the_humanised_id() {
        assert_eq!(event_title("order_no_1"), "Order No. 1");
        assert_eq!(event_title("nep (2)"), "NEP replaces requisitioning again");
        assert_eq!(
            event_title("civil_war_ends (3)"),
            "The civil war ends (for the 3rd time)"
        );
        assert_eq!(event_title("a_new_event"), "A new event");
        assert_eq!(regime_short("sovnarkom"), "Sovnarkom");
        assert_eq!(regime_name("junta"), "Junta");
    }

    #[test]
    fn every_regime_and_glossary_term_has_words() {
        for regime in crate::model::ids::Regime::ALL {
            assert_ne!(regime_name(regime.id()), humanise(regime.id()));
        }
        let mut anchors: Vec<String> = GLOSSARY.iter().map(|(t, _)| glossary_anchor(t)).collect();
        anchors.sort();
        anchors.dedup();
        assert_eq!(
            anchors.len(),
            GLOSSARY.len(),
            "glossary anchors are distinct"
        );
    }
}
