//! The report page, built as a plain string: escaped text, inline SVG, one stylesheet, no
//! scripts. Sized to be read from the back of a classroom.

use crate::compare::{
    difference_cell, history_text, no_difference_reason, scenario_cell, show, unit_from_id,
    view_day, Change, OutcomeRow, ScenarioEntry, TimelineEntry,
};
use crate::validate::Unit;

use super::sources::{citations_in, text_names, Excerpt};
use super::{Kind, ReportModel};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #5b5b5b; --line: #d9d9d9; --soft: #f4f2ee; --accent: #b3261e; }
* { box-sizing: border-box; }
html { font-size: clamp(16px, 1.9vw, 22px); }
body { margin: 0; color: var(--ink); background: #fff; overflow-wrap: break-word;
  font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; }
main { max-width: 1500px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
nav.top { font-size: 0.8rem; margin: 0.4rem 0 0; }
nav.top a { margin-right: 1em; }
#story h3 { margin-top: 0.8rem; }
ul.story li { margin: 0.3rem 0; }
a.term { color: inherit; text-decoration: underline dotted #1f5fa8; }
.history { display: block; font-size: 0.72rem; color: #1f5fa8; }
dl.glossary dt { font-weight: bold; margin-top: 0.5rem; }
dl.glossary dd { margin: 0.1rem 0 0 1.2rem; }
.evtitle { font-weight: bold; }
header { border-bottom: 4px solid var(--accent); padding-bottom: 0.6rem; margin-bottom: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; color: var(--accent);
  font-size: 0.8rem; font-weight: bold; margin: 0; }
h1 { font-size: 2.3rem; line-height: 1.15; margin: 0.3rem 0 0.4rem; }
h2 { font-size: 1.6rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.2rem 0 0.4rem; }
.lede { font-size: 1.15rem; color: var(--muted); margin: 0; }
.swatch { display: inline-block; width: 1.1em; height: 0.35em; vertical-align: middle;
  margin-right: 0.4em; border-radius: 2px; }
.about p { margin: 0.5rem 0; max-width: 60rem; }
ul.changes { margin: 0.3rem 0 0.8rem; padding-left: 1.4rem; }
ul.changes li { margin: 0.3rem 0; }
.tag { display: inline-block; font-size: 0.7rem; font-weight: bold; text-transform: uppercase;
  letter-spacing: 0.05em; padding: 0.05rem 0.4rem; border-radius: 0.3rem; color: #fff;
  vertical-align: middle; }
.tag.scheduled { background: #6d6d6d; } .tag.triggered { background: #1f5fa8; }
.tag.emergent { background: #c25400; } .tag.param { background: #6b4ea3; }
.tag.event { background: #2f7d32; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem;
  border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-size: 0.9rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.split { text-align: left; font-size: 0.85rem; }
td.num .v { white-space: nowrap; }
td.date .band { white-space: normal; min-width: 7em; }
td.date { width: 1%; white-space: nowrap; }
details { margin: 0.6rem 0; } details summary { cursor: pointer; font-weight: bold; }
td .band { display: block; font-size: 0.72rem; color: var(--muted); }
td.diff { text-align: right; }
td.diff .why { display: block; font-size: 0.72rem; color: var(--muted); }
tr.clear td.diff { font-weight: bold; }
tr.differs td { background: #fff6e0; }
.note { color: var(--muted); font-size: 0.85rem; max-width: 60rem; }
figure.plot { margin: 1.2rem 0 2rem; }
figure.plot svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); }
figure.plot figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.3rem; }
.cite { font-family: "DejaVu Sans Mono", monospace; font-size: 0.78rem; white-space: nowrap; }
a.cite { color: #1f5fa8; text-decoration: none; }
dl.sources dt { font-weight: bold; margin-top: 0.6rem; }
dl.sources dd { margin: 0.1rem 0 0 1.2rem; font-size: 0.85rem; color: #333; }
footer { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 0.6rem;
  font-size: 0.75rem; color: var(--muted); }
code { font-size: 0.85em; background: var(--soft); padding: 0 0.2em; }
@media print { html { font-size: 12pt; } figure.plot { break-inside: avoid; } }
"#;

/// The colour of scenario `i` as CSS (the same as in the plots).
fn css_colour(i: usize) -> String {
    let c = crate::compare::scenario_colour(i);
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

fn swatch(i: usize) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>",
        css_colour(i)
    )
}

/// Citation links to the sources section.
fn cite_links(sources: &[String]) -> String {
    sources
        .iter()
        .map(|s| {
            let s = s.trim();
            format!(
                "<a class=\"cite\" href=\"#src-{}\">[{}]</a>",
                escape(&anchor(s)),
                escape(s)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The anchor of a citation, e.g. `000-263-271`.
pub fn anchor(citation: &str) -> String {
    citation
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Paragraphs of a scenario's `about`: blank lines separate them.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", inline(&p)))
        .collect()
}

fn split_sources(text: &str) -> Vec<String> {
    text.split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn page_title(model: &ReportModel) -> (String, String) {
    let s = &model.scenarios;
    match (&model.kind, s.len()) {
        (Kind::Run { seed }, _) => (
            s[0].title.clone(),
            format!("One run of `{}` (seed {seed})", s[0].name),
        ),
        (Kind::Comparison { .. }, 1) => (s[0].title.clone(), format!("`{}`", s[0].name)),
        (Kind::Comparison { .. }, 2) => (
            s[1].title.clone(),
            format!(
                "`{}` compared with `{}`: {}",
                s[1].name, s[0].name, s[0].title
            ),
        ),
        (Kind::Comparison { .. }, _) => (
            "What if ...? Several answers side by side".to_string(),
            s.iter()
                .map(|e| format!("`{}`", e.name))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// Text with `code` spans for backticks, escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn change_item(change: &Change) -> String {
    let (tag, label) = match change.kind.as_str() {
        "param" => ("param", "parameter"),
        _ => ("event", "event"),
    };
    let sources = if change.sources.is_empty() {
        String::new()
    } else {
        format!(" {}", cite_links(&change.sources))
    };
    format!(
        "<li><span class=\"tag {tag}\">{label}</span> {}{sources}</li>\n",
        escape(&change.text)
    )
}

fn question_section(model: &ReportModel, out: &mut String) {
    out.push_str("<section id=\"question\">\n<h2>The question</h2>\n");
    let comparing = model.scenarios.len() > 1;
    for (i, entry) in model.scenarios.iter().enumerate() {
        // In a comparison the baseline is the reference: its long description folds away.
        let fold = comparing && entry.extends.is_empty();
        if fold {
            out.push_str(&format!(
                "<details>\n<summary>{}The reference: {} <span class=\"cite\">{}</span></summary>\n",
                swatch(i),
                escape(&entry.title),
                escape(&entry.name)
            ));
        } else if comparing {
            out.push_str(&format!(
                "<h3>{}{} <span class=\"cite\">{}</span></h3>\n",
                swatch(i),
                escape(&entry.title),
                escape(&entry.name)
            ));
        }
        out.push_str("<div class=\"about\">\n");
        match entry.about.split_once("\n\n") {
            Some((first, rest)) if !fold => {
                out.push_str(&paragraphs(first));
                out.push_str(&format!(
                    "<details><summary>More about this question</summary>\n{}</details>\n",
                    paragraphs(rest)
                ));
            }
            _ => out.push_str(&paragraphs(&entry.about)),
        }
        if !entry.sources.is_empty() {
            let label = if entry.extends.is_empty() {
                "Sources"
            } else {
                "Passages that raise the question"
            };
            out.push_str(&format!(
                "<p class=\"note\">{label}: {}</p>\n",
                cite_links(&entry.sources)
            ));
        }
        out.push_str("</div>\n");
        if fold {
            out.push_str("</details>\n");
        }
    }
    out.push_str("</section>\n");
}

fn story_section(model: &ReportModel, out: &mut String) {
    let story = crate::story::tell(model);
    out.push_str("<section id=\"story\">\n<h2>What happened</h2>\n");
    out.push_str(&story.html());
    out.push_str(
        "<p class=\"note\">The same story, with every event week by week and the numbers \
         beside history, is printed by <code>revsim story</code> on this folder. Words \
         underlined with dots are in the <a href=\"#glossary\">glossary</a>.</p>\n</section>\n",
    );
}

fn glossary_section(out: &mut String) {
    out.push_str("<section id=\"glossary\">\n<h2>Glossary</h2>\n");
    out.push_str(&crate::story::glossary_html());
    out.push_str("</section>\n");
}

fn changes_section(model: &ReportModel, out: &mut String) {
    out.push_str("<section id=\"changes\">\n<h2>What changed</h2>\n");
    let comparing = model.scenarios.len() > 1;
    for (i, entry) in model.scenarios.iter().enumerate() {
        // In a comparison the baseline is the reference: nothing to list.
        if comparing && entry.extends.is_empty() {
            continue;
        }
        if comparing {
            out.push_str(&format!(
                "<h3>{}<span class=\"cite\">{}</span></h3>\n",
                swatch(i),
                escape(&entry.name)
            ));
        }
        let base = entry.extends.last().map_or_else(String::new, |b| b.clone());
        if entry.extends.is_empty() {
            out.push_str(
                "<p>Nothing: this is the baseline, the history as the model tells it. The \
                 what-ifs change it.</p>\n",
            );
        } else if entry.changes.is_empty() {
            out.push_str(&format!(
                "<p>Nothing with respect to <code>{}</code>.</p>\n",
                escape(&base)
            ));
        } else {
            out.push_str(&format!(
                "<p>With respect to <code>{}</code>:</p>\n<ul class=\"changes\">\n",
                escape(&base)
            ));
            for change in &entry.changes {
                out.push_str(&change_item(change));
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</section>\n");
}

/// The key numbers as an HTML section (the report's, and `serve`'s after a run).
pub fn key_numbers(model: &ReportModel) -> String {
    let mut out = String::new();
    numbers_section(model, &mut out);
    out
}

fn numbers_section(model: &ReportModel, out: &mut String) {
    out.push_str(
        "<section id=\"numbers\">\n<h2>Key numbers</h2>\n<table>\n<thead><tr><th>Outcome</th>",
    );
    let comparing = model.scenarios.len() > 1;
    for (i, entry) in model.scenarios.iter().enumerate() {
        out.push_str(&format!(
            "<th class=\"num\">{}{}</th>",
            swatch(i),
            escape(&entry.name)
        ));
        if i > 0 {
            out.push_str(&format!(
                "<th class=\"num\">Δ vs {}</th>",
                escape(&model.scenarios[0].name)
            ));
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (o, row) in model.outcomes.iter().enumerate() {
        // A quantity no run reached (outside the runs' time span) is left out.
        let reached = row.stats.iter().any(|s| s.reached > 0);
        if reached || unit_from_id(&row.unit) == Unit::Date {
            out.push_str(&outcome_row(row, o, &model.scenarios, comparing));
        }
    }
    out.push_str("</tbody>\n</table>\n");
    let note = match &model.kind {
        Kind::Run { .. } => {
            "One seeded run: another seed gives somewhat different numbers. Compare an \
             ensemble with <code>revsim compare</code> before drawing conclusions. Quantities \
             outside the run's time span are left out; “never”: it did not happen before the \
             run ended."
                .to_string()
        }
        Kind::Comparison { replicates, .. } => format!(
            "Each scenario ran {replicates} times, each time with different chance events. \
             Each number is the middle result (half the runs gave more, half less); under it, \
             the range that all but the most extreme runs fell in. Δ: how far the what-if's \
             middle result is from the first scenario's, with the range that difference \
             would likely take if the runs were repeated; <b>clear</b> when that range \
             leaves out zero and the two scenarios' ranges do not overlap, <b>likely</b> when \
             only the first holds, <b>within noise</b> when chance alone could give it. Shares \
             are in per cent, their differences in percentage points. “never”: it did not \
             happen before the runs ended; “—”: nothing to measure (say, a congress that \
             never met)."
        ),
    };
    out.push_str(&format!("<p class=\"note\">{note}</p>\n</section>\n"));
}

fn outcome_row(row: &OutcomeRow, o: usize, scenarios: &[ScenarioEntry], comparing: bool) -> String {
    let unit = unit_from_id(&row.unit);
    let clear = row
        .differences
        .iter()
        .flatten()
        .any(|d| d.clear() && !d.bands_overlap);
    let class = if clear { " class=\"clear\"" } else { "" };
    let history = row.history.as_ref().map_or_else(String::new, |h| {
        format!(
            "<span class=\"history\">History says: {}</span>",
            escape(&history_text(h))
        )
    });
    let mut out = format!("<tr{class}><td>{}{history}</td>", escape(&row.label));
    for (i, stat) in row.stats.iter().enumerate() {
        let main = if stat.reached == 0 {
            if unit == Unit::Date {
                "never".to_string()
            } else {
                "—".to_string()
            }
        } else {
            show(unit, stat.median)
        };
        let split = scenarios.get(i).is_some_and(|e| e.worlds.len() > 1);
        let (main, band) = match scenarios.get(i) {
            Some(entry) if split => (scenario_cell(unit, entry, o, stat), String::new()),
            _ if comparing && stat.reached > 0 => {
                let full = crate::compare::stat_cell(unit, stat);
                let band = full.strip_prefix(&main).unwrap_or("").trim().to_string();
                (main, band)
            }
            _ => (main, String::new()),
        };
        let class = if split { "split" } else { "num" };
        out.push_str(&format!(
            "<td class=\"{class}\"><span class=\"v\">{}</span><span class=\"band\">{}</span></td>",
            escape(&main),
            escape(&band)
        ));
        if i > 0 {
            let reason = match (scenarios.first(), scenarios.get(i)) {
                (Some(first), Some(this)) => {
                    no_difference_reason((&row.stats[0], first), (stat, this))
                }
                _ => None,
            };
            let text = difference_cell(
                unit,
                reason.as_deref(),
                row.differences.get(i).and_then(Option::as_ref),
            );
            let (value, why) = match text.split_once(" (") {
                Some((v, rest)) => (v.to_string(), format!("({rest}")),
                None => (text.clone(), String::new()),
            };
            out.push_str(&format!(
                "<td class=\"diff\">{}<span class=\"why\">{}</span></td>",
                escape(&value),
                escape(&why)
            ));
        }
    }
    out.push_str("</tr>\n");
    out
}

fn plots_section(model: &ReportModel, out: &mut String) {
    out.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    if model.scenarios.len() > 1 {
        out.push_str("<p class=\"note\">");
        for (i, entry) in model.scenarios.iter().enumerate() {
            out.push_str(&format!(
                "{}<code>{}</code> ",
                swatch(i),
                escape(&entry.name)
            ));
        }
        out.push_str(
            "— the line is each scenario's median week by week, the shaded band holds 90 % of \
             its runs; where a scenario's runs split by who held power, dashed lines give each \
             group's median instead of one median that would hide the split.</p>\n",
        );
    }
    for plot in &model.plots {
        out.push_str(&format!(
            "<figure class=\"plot\" id=\"plot-{}\" aria-label=\"{}\">\n{}\n</figure>\n",
            escape(&plot.stem),
            escape(&plot.title),
            plot.svg
        ));
    }
    out.push_str("</section>\n");
}

/// One row of the timeline: an event id, and per scenario what happened.
struct TimelineRow<'a> {
    first: &'a TimelineEntry,
    order: f64,
    cells: Vec<Option<&'a TimelineEntry>>,
}

/// When an event happened in one scenario: the (median) date, and a note of its spread.
fn when(entry: Option<&TimelineEntry>) -> (String, String, bool) {
    match entry {
        None => ("did not happen".to_string(), String::new(), false),
        Some(e) if e.of <= 1 => (e.date.clone(), String::new(), true),
        Some(e) => {
            let mut note = Vec::new();
            if e.runs < e.of {
                note.push(format!("in {} of {} runs", e.runs, e.of));
            }
            if e.earliest != e.latest {
                note.push(format!("{} – {}", e.earliest, e.latest));
            }
            (e.date.clone(), note.join(", "), true)
        }
    }
}

fn timeline_section(model: &ReportModel, out: &mut String) {
    let n = model.scenarios.len();
    let mut rows: Vec<TimelineRow> = Vec::new();
    for (i, entry) in model.scenarios.iter().enumerate() {
        for event in &entry.timeline {
            let order = view_day(&event.date).unwrap_or(f64::MAX);
            match rows.iter_mut().find(|r| r.first.id == event.id) {
                Some(row) => {
                    row.cells[i] = Some(event);
                    row.order = row.order.min(order);
                }
                None => {
                    let mut cells = vec![None; n];
                    cells[i] = Some(event);
                    rows.push(TimelineRow {
                        first: event,
                        order,
                        cells,
                    });
                }
            }
        }
    }
    rows.sort_by(|a, b| a.order.total_cmp(&b.order));
    out.push_str(&format!(
        "<section id=\"timeline\">\n<h2>Timeline</h2>\n<details>\n<summary>Every event, week by \
         week ({} events)</summary>\n",
        rows.len()
    ));
    out.push_str(
        "<p class=\"note\"><span class=\"tag scheduled\">scheduled</span> on a date the \
         scenario gives; <span class=\"tag triggered\">triggered</span> when the conditions \
         the scenario sets hold in the simulation; <span class=\"tag emergent\">emergent</span> \
         found by the model itself. Dates are Gregorian (New Style), each the first day of the \
         simulated week in which it happened.",
    );
    if n > 1 {
        out.push_str(" Highlighted rows: the scenarios differ.");
    }
    out.push_str("</p>\n<table>\n<thead><tr>");
    if n == 1 {
        out.push_str("<th>Week of</th>");
    } else {
        for (i, entry) in model.scenarios.iter().enumerate() {
            out.push_str(&format!("<th>{}{}</th>", swatch(i), escape(&entry.name)));
        }
    }
    out.push_str("<th>What happened</th><th>Sources</th></tr></thead>\n<tbody>\n");
    for row in &rows {
        let texts: Vec<(String, String, bool)> = row.cells.iter().map(|c| when(*c)).collect();
        let differs = n > 1
            && texts
                .windows(2)
                .any(|w| w[0].0 != w[1].0 || w[0].1 != w[1].1);
        let class = if differs { " class=\"differs\"" } else { "" };
        out.push_str(&format!("<tr{class}>"));
        for (text, note, happened) in &texts {
            let text = if *happened {
                escape(text)
            } else {
                format!("<i>{}</i>", escape(text))
            };
            out.push_str(&format!(
                "<td class=\"date\">{text}<span class=\"band\">{}</span></td>",
                escape(note)
            ));
        }
        let e = row.first;
        out.push_str(&format!(
            "<td><span class=\"evtitle\">{}</span> <span class=\"tag {}\">{}</span> \
             {}</td><td>{}</td></tr>\n",
            escape(&crate::story::words::event_title(&e.id)),
            escape(&e.kind),
            escape(&e.kind),
            escape(&e.description),
            cite_links(&split_sources(&e.sources))
        ));
    }
    out.push_str("</tbody>\n</table>\n</details>\n</section>\n");
}

fn sources_section(model: &ReportModel, out: &mut String) {
    let mut cited: Vec<String> = Vec::new();
    for entry in &model.scenarios {
        cited.extend(entry.sources.iter().cloned());
        for change in &entry.changes {
            cited.extend(change.sources.iter().cloned());
        }
        for event in &entry.timeline {
            cited.extend(split_sources(&event.sources));
        }
    }
    let citations = citations_in(&cited);
    // Citations that open on the same line share one quotation.
    let mut groups: Vec<(Vec<&String>, Option<&Excerpt>)> = Vec::new();
    for citation in &citations {
        let excerpt = model.excerpts.get(citation);
        let key = excerpt.map(|e| (e.number.as_str(), e.line));
        match groups.last_mut() {
            Some((members, Some(last))) if key == Some((last.number.as_str(), last.line)) => {
                members.push(citation)
            }
            _ => groups.push((vec![citation], excerpt)),
        }
    }
    let mut texts: Vec<&str> = model.excerpts.values().map(|e| e.number.as_str()).collect();
    texts.dedup();
    out.push_str("<section id=\"sources\">\n<h2>Sources</h2>\n");
    out.push_str(
        "<p class=\"note\">Citations are <code>NNN:L</code>: line L of source text NNN. Each \
         passage is quoted by the sentence that bears on the claim citing it, kept in the \
         repository (<code>assets/quotes.toml</code>, checked against the texts). The texts, \
         all written from the revolutionary left (see the README):</p>\n<ul class=\"note\">\n",
    );
    for number in texts {
        let (short, title) = text_names(number);
        out.push_str(&format!(
            "<li><span class=\"cite\">{}</span> <b>{}</b>: {}</li>\n",
            escape(number),
            escape(&short),
            escape(&title)
        ));
    }
    out.push_str(&format!(
        "</ul>\n<details>\n<summary>The passages cited ({})</summary>\n<dl class=\"sources\">\n",
        groups.len()
    ));
    for (members, excerpt) in &groups {
        out.push_str("<dt>");
        for citation in members {
            out.push_str(&format!(
                "<span class=\"cite\" id=\"src-{}\">[{}]</span> ",
                escape(&anchor(citation)),
                escape(citation)
            ));
        }
        if let Some(e) = excerpt {
            out.push_str(&escape(&e.short));
        }
        out.push_str("</dt>\n");
        if let Some(e) = excerpt.filter(|e| !e.text.is_empty()) {
            out.push_str(&format!("<dd>“{}”</dd>\n", escape(&e.text)));
        }
    }
    out.push_str("</dl>\n</details>\n</section>\n");
}

/// The whole page.
pub fn render(model: &ReportModel) -> String {
    let (title, lede) = page_title(model);
    let kicker = match &model.kind {
        Kind::Run { .. } => "revsim · one run",
        Kind::Comparison { .. } => "revsim · what-if comparison",
    };
    let mut out = String::with_capacity(1 << 20);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title)));
    out.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    ));
    out.push_str(&format!(
        "<header>\n<p class=\"kicker\">{kicker}</p>\n<h1>{}</h1>\n<p class=\"lede\">{}</p>\n\
         <nav class=\"top\"><a href=\"#numbers\">Key numbers</a><a \
         href=\"#story\">What happened</a><a href=\"#plots\">Charts</a><a href=\"#timeline\">Timeline</a><a \
         href=\"#glossary\">Glossary</a><a href=\"#sources\">Sources</a></nav>\n</header>\n",
        escape(&title),
        inline(&lede)
    ));
    question_section(model, &mut out);
    numbers_section(model, &mut out);
    story_section(model, &mut out);
    changes_section(model, &mut out);
    plots_section(model, &mut out);
    timeline_section(model, &mut out);
    glossary_section(&mut out);
    sources_section(model, &mut out);
    out.push_str(&format!(
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        inline(&model.footer)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"Land\" & 'bread'</b>"),
            "&lt;b&gt;&quot;Land&quot; &amp; &#39;bread&#39;&lt;/b&gt;"
        );
        assert_eq!(anchor("000:263-271"), "000-263-271");
        assert_eq!(inline("run `x` now"), "run <code>x</code> now");
        assert_eq!(
            paragraphs("one\nline\n\ntwo & three"),
            "<p>one line</p>\n<p>two &amp; three</p>\n"
        );
    }
}
