//! The story of a run or a comparison in plain words, generated from what the folder holds
//! (its events, who held power week by week, its key outcomes and the historical targets):
//! who held power and when, what happened when, how a what-if differs from the baseline,
//! and what history says beside each outcome that has a target. For an ensemble, "in 7 of 10
//! runs ...; in the other 3 ..." whenever the runs split. `revsim story DIR` prints it; the
//! report shows it.

pub mod words;

use crate::compare::{show, unit_from_id, view_day, world_labels, ScenarioEntry, Stat};
use crate::report::{Kind, ReportModel};

use words::{event_title, regime_name};

/// One paragraph of the story.
#[derive(Debug, Clone, PartialEq)]
pub enum Paragraph {
    Text(String),
    /// One of a list.
    Item(String),
    /// What history says, beside a number.
    History(String),
}

/// What a section tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Who held power, and when.
    Power,
    /// How a what-if differs from the first scenario.
    Differences,
    /// The numbers beside history (a page shows them in its table instead).
    History,
    /// What happened week by week (a page shows it as a table instead).
    Events,
}

/// A titled part of the story.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
    pub part: Part,
}

/// The story of a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub title: String,
    pub sections: Vec<Section>,
}

/// "12 Mar 1917" from "1917-03-12" (the text itself if it is not a date).
pub fn plain_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    if let [year, month, day] = parts[..] {
        if let (Ok(m), Ok(d)) = (month.parse::<usize>(), day.parse::<u32>()) {
            if (1..=12).contains(&m) {
                return format!("{d} {} {year}", MONTHS[m - 1]);
            }
        }
    }
    iso.to_string()
}

/// "the week of 12 Mar 1917": the model moves a week at a time, and a date is its week's
/// first day.
pub fn week_of(iso: &str) -> String {
    format!("the week of {}", plain_date(iso))
}

/// "1 run", "3 runs".
fn runs(n: usize) -> String {
    format!("{n} run{}", if n == 1 { "" } else { "s" })
}

/// Who held power, for one scenario: one paragraph when its runs agree, else one per world.
fn power(entry: &ScenarioEntry, ensemble: bool) -> Vec<Paragraph> {
    let path = |regimes: &[String], from: &[String]| -> String {
        let mut text = String::new();
        for (i, regime) in regimes.iter().enumerate() {
            let when = from.get(i).filter(|d| !d.is_empty());
            if i == 0 {
                text.push_str(&format!("{} governed at the start", regime_name(regime)));
            } else {
                text.push_str(&format!(
                    "; then {}{}",
                    regime_name(regime),
                    when.map_or_else(String::new, |d| format!(" from {}", week_of(d)))
                ));
            }
        }
        if let Some(last) = regimes.last() {
            let end = if entry.end.is_empty() {
                String::new()
            } else {
                format!(" ({})", plain_date(&entry.end))
            };
            text.push_str(&format!(
                ". {} still held power at the end{end}.",
                capitalise(&regime_name(last))
            ));
        }
        text
    };
    match entry.worlds.len() {
        0 => vec![Paragraph::Text(
            "The run did not record who held power.".to_string(),
        )],
        1 => {
            let world = &entry.worlds[0];
            let lead = if !ensemble {
                String::new()
            } else if world.of == 2 {
                "In both runs, ".to_string()
            } else {
                format!("In all {} runs, ", world.of)
            };
            let text = path(&world.regimes, &world.from);
            vec![Paragraph::Text(format!(
                "{lead}{}",
                if lead.is_empty() {
                    capitalise(&text)
                } else {
                    text
                }
            ))]
        }
        n => {
            let of = entry.worlds[0].of;
            let mut out = vec![Paragraph::Text(format!(
                "The runs split into {n} different histories: the same question, different rolls \
                 of the dice, different outcomes."
            ))];
            for (i, world) in entry.worlds.iter().enumerate() {
                let lead = if n == 2 && i == 1 {
                    format!("In the other {}", world.runs.len())
                } else {
                    format!("In {} of {of} runs", world.runs.len())
                };
                out.push(Paragraph::Item(format!(
                    "{lead}: {}",
                    path(&world.regimes, &world.from)
                )));
            }
            out
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The events of one scenario, in order, each with its week (and, in an ensemble, in how
/// many runs and over which weeks).
fn events(entry: &ScenarioEntry) -> Vec<Paragraph> {
    entry
        .timeline
        .iter()
        .filter(|e| e.runs > 0)
        .map(|e| {
            let mut notes = Vec::new();
            if e.of > 1 && e.runs < e.of {
                notes.push(format!("in {} of {} runs", e.runs, e.of));
            }
            if e.of > 1 && e.earliest != e.latest {
                notes.push(format!(
                    "between {} and {}",
                    plain_date(&e.earliest),
                    plain_date(&e.latest)
                ));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            let when = if e.of > 1 {
                format!("Around {}", week_of(&e.date))
            } else {
                capitalise(&week_of(&e.date))
            };
            Paragraph::Item(format!("{when}{notes}: {}.", titled(&e.id, &e.description)))
        })
        .collect()
}

/// An event's short title and its description, the title once when the description opens
/// with it ("Order No. 1: soldiers' committees ..."), without a closing full stop.
pub fn titled(id: &str, description: &str) -> String {
    let title = event_title(id);
    let description = description.trim().trim_end_matches('.');
    if description.is_empty() {
        return title;
    }
    if description
        .to_lowercase()
        .starts_with(&title.to_lowercase())
    {
        return format!("{title}{}", description.get(title.len()..).unwrap_or(""));
    }
    format!("{title}. {description}")
}

/// Weeks apart a date must be to count as a difference between scenarios.
const MOVED_WEEKS: f64 = 4.0;

/// How a what-if's events differ from the first scenario's: events that happen in only one,
/// or in different numbers of runs (those that change alike are told together), or weeks
/// apart.
fn differences(base: &ScenarioEntry, entry: &ScenarioEntry) -> Vec<Paragraph> {
    let mut ids: Vec<(f64, &str)> = Vec::new();
    for e in base.timeline.iter().chain(&entry.timeline) {
        if !ids.iter().any(|(_, id)| *id == e.id) {
            ids.push((view_day(&e.date).unwrap_or(f64::MAX), e.id.as_str()));
        }
    }
    ids.sort_by(|a, b| a.0.total_cmp(&b.0));
    let find = |s: &ScenarioEntry, id: &str| s.timeline.iter().find(|e| e.id == id).cloned();
    let of = |s: &ScenarioEntry| s.worlds.first().map_or(1, |w| w.of);
    let in_runs = |k: usize, n: usize| {
        if n == 1 {
            if k == 1 { "happens" } else { "does not happen" }.to_string()
        } else if k == n {
            "in every run".to_string()
        } else if k == 0 {
            "in no run".to_string()
        } else {
            format!("in {k} of {n} runs")
        }
    };
    // (runs here, runs in the base) → the events that changed so, in order of date.
    let mut changed: Vec<((usize, usize), Vec<String>)> = Vec::new();
    let mut moved = Vec::new();
    for (_, id) in ids {
        let (b, w) = (find(base, id), find(entry, id));
        let b_runs = b.as_ref().map_or(0, |e| e.runs);
        let w_runs = w.as_ref().map_or(0, |e| e.runs);
        if b_runs * of(entry) != w_runs * of(base) {
            let key = (w_runs, b_runs);
            match changed.iter_mut().find(|(k, _)| *k == key) {
                Some((_, titles)) => titles.push(event_title(id)),
                None => changed.push((key, vec![event_title(id)])),
            }
        } else if let (Some(b), Some(w)) = (&b, &w) {
            if let (Some(bd), Some(wd)) = (view_day(&b.date), view_day(&w.date)) {
                if (wd - bd).abs() >= 7.0 * MOVED_WEEKS {
                    moved.push(Paragraph::Item(format!(
                        "{} — around {} here; around {} in {}.",
                        event_title(id),
                        week_of(&w.date),
                        week_of(&b.date),
                        base.name
                    )));
                }
            }
        }
    }
    let mut out: Vec<Paragraph> = changed
        .into_iter()
        .map(|((w_runs, b_runs), titles)| {
            Paragraph::Item(format!(
                "{} here; {} of {}: {}.",
                capitalise(&in_runs(w_runs, of(entry))),
                in_runs(b_runs, of(base)),
                base.name,
                titles.join("; ")
            ))
        })
        .collect();
    out.extend(moved);
    if out.is_empty() {
        out.push(Paragraph::Text(format!(
            "The same events happen as in {}, within {MOVED_WEEKS} weeks.",
            base.name
        )));
    }
    out
}

/// The key numbers scenario `i` clearly moves from the first scenario's, in words: an
/// outcome whose difference is clear (its interval leaves out zero and the two ranges do not
/// overlap), or that comes in every run of one and in none of the other.
fn number_changes(model: &ReportModel, i: usize) -> Vec<Paragraph> {
    let Some(base) = model.scenarios.first() else {
        return Vec::new();
    };
    let said = |unit, stat: &Stat| {
        if stat.reached == 0 {
            "never".to_string()
        } else {
            number(unit, stat.median)
        }
    };
    model
        .outcomes
        .iter()
        .filter_map(|row| {
            let unit = unit_from_id(&row.unit);
            let (b, w) = (row.stats.first()?, row.stats.get(i)?);
            let clear = row
                .differences
                .get(i)
                .and_then(Option::as_ref)
                .is_some_and(|d| d.clear() && !d.bands_overlap);
            let every = |s: &Stat| s.replicates > 0 && s.reached == s.replicates;
            let comes_or_not = (every(b) && w.reached == 0) || (every(w) && b.reached == 0);
            (clear || comes_or_not).then(|| {
                Paragraph::Item(format!(
                    "{}: {} here; {} in {}.",
                    row.label,
                    said(unit, w),
                    said(unit, b),
                    base.name
                ))
            })
        })
        .collect()
}

/// A value over runs in words: the value of one run, or the median of several ("in k of n
/// runs" when not all reached it).
fn value_text(unit: crate::validate::Unit, stat: &Stat) -> String {
    if stat.reached == 0 {
        return "nothing (it never came)".to_string();
    }
    let value = number(unit, stat.median);
    if stat.replicates <= 1 {
        return value;
    }
    let mut text = format!("{value} (the middle of {})", runs(stat.reached));
    if stat.reached < stat.replicates {
        text.push_str(&format!(
            "; it never came in {} of {}",
            stat.replicates - stat.reached,
            stat.replicates
        ));
    }
    text
}

/// A number in words; a date as "12 Mar 1917".
fn number(unit: crate::validate::Unit, value: Option<f64>) -> String {
    let text = show(unit, value);
    if unit == crate::validate::Unit::Date {
        plain_date(&text)
    } else {
        text
    }
}

/// Whether a value falls within the target's band, in words.
fn verdict(value: Option<f64>, low: f64, high: f64) -> &'static str {
    match value {
        Some(v) if (low..=high).contains(&v) => "close to history",
        Some(_) => "far from history",
        None => "nothing to set beside history",
    }
}

/// What history says beside each outcome that has a target, and what the model gave: per
/// scenario, and per world where its runs split.
fn history(model: &ReportModel) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let many = model.scenarios.len() > 1;
    if many && model.outcomes.iter().any(|row| row.history.is_some()) {
        out.push(Paragraph::Text(
            "History is set beside the scenario that tells what happened. A what-if is \
             another world: being far from history there is its point, not a fault of the \
             model."
                .to_string(),
        ));
    }
    for (o, row) in model.outcomes.iter().enumerate() {
        let Some(h) = &row.history else { continue };
        let unit = unit_from_id(&h.unit);
        out.push(Paragraph::History(format!(
            "{}. History says {} (close to history from {} to {}).",
            row.label.trim_end_matches('.'),
            number(unit, Some(h.expected)),
            number(unit, Some(h.low)),
            number(unit, Some(h.high))
        )));
        for (i, entry) in model.scenarios.iter().enumerate() {
            let name = if many {
                entry.name.clone()
            } else {
                "This run".to_string()
            };
            if entry.worlds.len() > 1 {
                let labels = world_labels(&entry.worlds);
                for (w, label) in entry.worlds.iter().zip(labels) {
                    let stat = w.history.get(o).cloned().unwrap_or_else(|| Stat::of(&[]));
                    out.push(Paragraph::Item(format!(
                        "{name}, the {} with {label}: {} — {}.",
                        runs(w.runs.len()),
                        value_text(unit, &stat),
                        verdict(stat.median, h.low, h.high)
                    )));
                }
            } else if let Some(stat) = h.stats.get(i) {
                out.push(Paragraph::Item(format!(
                    "{name}: {} — {}.",
                    value_text(unit, stat),
                    verdict(stat.median, h.low, h.high)
                )));
            }
        }
    }
    out
}

/// The story of what the folder holds.
pub fn tell(model: &ReportModel) -> Story {
    let ensemble = matches!(model.kind, Kind::Comparison { .. });
    let title = match (&model.kind, model.scenarios.as_slice()) {
        (Kind::Run { seed }, [entry, ..]) => {
            format!("One run of “{}” (seed {seed})", entry.title)
        }
        (Kind::Comparison { replicates, .. }, [only]) => {
            format!("“{}”, {}", only.title, runs(*replicates))
        }
        (Kind::Comparison { replicates, .. }, [base, rest @ ..]) => format!(
            "{} compared with {} ({} of each)",
            rest.iter()
                .map(|e| format!("“{}”", e.title))
                .collect::<Vec<_>>()
                .join(", "),
            base.name,
            runs(*replicates)
        ),
        _ => "Nothing to tell".to_string(),
    };
    let mut sections = Vec::new();
    let many = model.scenarios.len() > 1;
    for entry in &model.scenarios {
        let heading = if many {
            format!("Who held power in {}", entry.name)
        } else {
            "Who held power".to_string()
        };
        sections.push(Section {
            heading,
            paragraphs: power(entry, ensemble),
            part: Part::Power,
        });
    }
    if let [base, rest @ ..] = model.scenarios.as_slice() {
        for (i, entry) in rest.iter().enumerate() {
            sections.push(Section {
                heading: format!("What is different in {}", entry.name),
                paragraphs: differences(base, entry),
                part: Part::Differences,
            });
            let numbers = number_changes(model, i + 1);
            if !numbers.is_empty() {
                sections.push(Section {
                    heading: format!("The numbers {} clearly moves", entry.name),
                    paragraphs: numbers,
                    part: Part::Differences,
                });
            }
        }
    }
    let history = history(model);
    if !history.is_empty() {
        sections.push(Section {
            heading: "The numbers beside history".to_string(),
            paragraphs: history,
            part: Part::History,
        });
    }
    for entry in model
        .scenarios
        .iter()
        .rev()
        .take(if many { 1 } else { usize::MAX })
    {
        sections.push(Section {
            heading: if many {
                format!("What happened in {}, week by week", entry.name)
            } else {
                "What happened, week by week".to_string()
            },
            paragraphs: events(entry),
            part: Part::Events,
        });
    }
    Story { title, sections }
}

impl Story {
    /// The sections a page shows (who held power, what differs), as HTML, the first use of
    /// each glossary term linked to the glossary.
    pub fn html(&self) -> String {
        let mut out = String::new();
        let mut linked = Vec::new();
        for section in &self.sections {
            if !matches!(section.part, Part::Power | Part::Differences) {
                continue;
            }
            out.push_str(&format!(
                "<h3>{}</h3>\n",
                link_terms(&section.heading, &mut linked)
            ));
            let mut in_list = false;
            for paragraph in &section.paragraphs {
                let (item, text) = match paragraph {
                    Paragraph::Item(t) => (true, t),
                    Paragraph::Text(t) | Paragraph::History(t) => (false, t),
                };
                if item != in_list {
                    out.push_str(if item {
                        "<ul class=\"story\">\n"
                    } else {
                        "</ul>\n"
                    });
                    in_list = item;
                }
                let tag = if item { "li" } else { "p" };
                out.push_str(&format!(
                    "<{tag}>{}</{tag}>\n",
                    link_terms(text, &mut linked)
                ));
            }
            if in_list {
                out.push_str("</ul>\n");
            }
        }
        out
    }

    /// The story as plain text for a terminal, wrapped at `width` characters.
    pub fn text(&self, width: usize) -> String {
        let mut out = format!(
            "{}\n{}\n",
            self.title,
            "=".repeat(self.title.chars().count())
        );
        for section in &self.sections {
            out.push_str(&format!(
                "\n{}\n{}\n",
                section.heading,
                "-".repeat(section.heading.chars().count())
            ));
            for paragraph in &section.paragraphs {
                let (first, rest, text) = match paragraph {
                    Paragraph::Text(t) => ("", "", t.as_str()),
                    Paragraph::Item(t) => ("- ", "  ", t.as_str()),
                    Paragraph::History(t) => ("  > ", "    ", t.as_str()),
                };
                out.push_str(&wrap(text, width, first, rest));
            }
        }
        out
    }
}

/// A scenario's events for `revsim list events`: per event its id, when it fires, its short
/// title and what it does, and whether it is switched off.
pub fn event_listing(scenario: &crate::scenario::Scenario) -> String {
    use crate::compare::{describe_action, describe_trigger};
    let mut out = format!(
        "Events of {} ({}); a what-if names them by id, e.g. [[events]] id = \"...\" \
         enabled = false:\n",
        scenario.name, scenario.title
    );
    for event in &scenario.events {
        let off = if event.enabled { "" } else { " [switched off]" };
        out.push_str(&format!(
            "\n  {}{off}\n    {}\n    when: {}\n",
            event.id,
            titled(&event.id, &event.description),
            describe_trigger(&event.trigger)
        ));
        let actions: Vec<String> = event.actions.iter().map(describe_action).collect();
        if !actions.is_empty() {
            out.push_str(&format!("    does: {}\n", actions.join("; ")));
        }
    }
    out
}

/// Text as HTML, escaped, with the first use on the page of each glossary term (matched
/// whole, case as written) linked to its entry; `linked` holds the terms already linked.
pub fn link_terms(text: &str, linked: &mut Vec<&'static str>) -> String {
    use crate::report::escape;
    let mut out = String::new();
    let mut rest = text;
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    'outer: while !rest.is_empty() {
        let before = text[..text.len() - rest.len()].chars().next_back();
        if boundary(before) {
            for (term, _) in words::GLOSSARY {
                if linked.contains(term) || !rest.starts_with(term) {
                    continue;
                }
                if !boundary(rest[term.len()..].chars().next()) {
                    continue;
                }
                out.push_str(&format!(
                    "<a class=\"term\" href=\"#{}\">{}</a>",
                    words::glossary_anchor(term),
                    escape(term)
                ));
                linked.push(term);
                rest = &rest[term.len()..];
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push_str(&escape(&c.to_string()));
        }
        rest = chars.as_str();
    }
    out
}

/// The glossary as an HTML definition list, each term with its anchor.
pub fn glossary_html() -> String {
    let mut out = String::from("<dl class=\"glossary\">\n");
    for (term, meaning) in words::GLOSSARY {
        out.push_str(&format!(
            "<dt id=\"{}\">{}</dt><dd>{}</dd>\n",
            words::glossary_anchor(term),
            crate::report::escape(term),
            crate::report::escape(meaning)
        ));
    }
    out.push_str("</dl>\n");
    out
}

/// Words wrapped at `width`, the first line after `first`, the others after `rest`.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_weeks() {
        assert_eq!(plain_date("1917-11-05"), "5 Nov 1917");
        assert_eq!(week_of("1917-03-12"), "the week of 12 Mar 1917");
        assert_eq!(plain_date("soon"), "soon");
    }

    #[test]
    fn glossary_terms_are_linked_once_and_whole() {
        let mut linked = Vec::new();
        let html = link_terms("Sovnarkom & the Sovnarkoms; Sovnarkom again", &mut linked);
        assert_eq!(
            html,
            "<a class=\"term\" href=\"#glossary-sovnarkom\">Sovnarkom</a> &amp; the \
             Sovnarkoms; Sovnarkom again"
        );
        assert_eq!(linked, ["Sovnarkom"]);
        let glossary = glossary_html();
        assert!(glossary.contains("id=\"glossary-sovnarkom\""));
        assert!(glossary.contains("id=\"glossary-razverstka\""));
    }

    #[test]
    fn titles_are_not_said_twice() {
        assert_eq!(
            titled("order_no_1", "Order No. 1: soldiers' committees."),
            "Order No. 1: soldiers' committees"
        );
        assert_eq!(
            titled("nep", "A tax in kind"),
            "NEP replaces requisitioning. A tax in kind"
        );
        assert_eq!(titled("x_y", ""), "X y");
    }

    #[test]
    fn text_wraps_and_indents() {
        assert_eq!(
            wrap("a bb ccc dddd", 6, "- ", "  "),
            "- a bb\n  ccc\n  dddd\n"
        );
    }
}
