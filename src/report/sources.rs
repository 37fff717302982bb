//! The source texts a report cites (`NNN:L`: line L of text NNN): their titles, and the
//! opening of each cited passage where the texts are at hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The five source texts, by number: a short name and the full title.
const TEXTS: [(&str, &str, &str); 5] = [
    (
        "000",
        "Tabor",
        "Ron Tabor, Explorations in the Russian Revolution: An Anarchist Interpretation (2017)",
    ),
    (
        "001",
        "Guillamón",
        "Agustín Guillamón, From the Russian Revolution of 1917 to Stalinist Totalitarianism",
    ),
    (
        "002",
        "To Lead the People",
        "To Lead the People: Notes on the Russian Revolution, Part II",
    ),
    (
        "003",
        "This Changed Everything",
        "This Changed Everything—Twice (2017)",
    ),
    (
        "004",
        "Soviet power, after Cliff",
        "An article on soviet power in the revolution's first year, after Tony Cliff's Lenin",
    ),
];

/// Longest quoted opening of a passage, in characters.
const EXCERPT_CHARS: usize = 320;

/// A cited passage: the text it is from and its opening words.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// The text's number, e.g. `000`.
    pub number: String,
    /// The first line cited.
    pub line: usize,
    /// The text's short name, e.g. "Tabor".
    pub short: String,
    /// The opening words of the line (empty when the texts are not at hand).
    pub text: String,
}

/// (text number, first line) of a citation such as `000:263-271`.
fn parse(citation: &str) -> Option<(&str, usize)> {
    let (text, lines) = citation.trim().split_once(':')?;
    let first = lines.split(['-', ',']).next()?.trim().parse().ok()?;
    (text.len() == 3 && text.chars().all(|c| c.is_ascii_digit())).then_some((text, first))
}

/// The distinct citations among `cited`, in the order of text and line.
pub fn citations_in(cited: &[String]) -> Vec<String> {
    let mut all: Vec<String> = cited.iter().map(|c| c.trim().to_string()).collect();
    all.sort_by(|a, b| {
        let key = |c: &str| parse(c).map(|(t, l)| (t.to_string(), l));
        key(a).cmp(&key(b)).then(a.cmp(b))
    });
    all.dedup();
    all.retain(|c| !c.is_empty());
    all
}

/// Where the source texts are: `$REVSIM_SOURCES`, else `../shared/seeds` or `shared/seeds`
/// from the working folder, else beside the crate.
pub fn sources_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("REVSIM_SOURCES") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        PathBuf::from("../shared/seeds"),
        PathBuf::from("shared/seeds"),
        crate_dir.join("../shared/seeds"),
        crate_dir.join("shared/seeds"),
    ]
    .into_iter()
    .find(|dir| dir.is_dir())
}

/// The short quoted passages kept in the repository (`tools/quotes.py` writes them from the
/// texts; a test checks each against the texts when they are at hand), so a report quotes its
/// sources without `../shared`.
const QUOTES_TOML: &str = include_str!("../../assets/quotes.toml");

/// One kept quotation: the citation it serves, the line it is on, the sentence.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Quote {
    pub cite: String,
    pub line: usize,
    pub text: String,
}

#[derive(serde::Deserialize)]
struct QuoteFile {
    #[serde(default)]
    quote: Vec<Quote>,
}

/// The kept quotations (none if the file does not parse; a test makes sure it does).
pub fn quotes() -> Vec<Quote> {
    toml::from_str::<QuoteFile>(QUOTES_TOML)
        .map(|f| f.quote)
        .unwrap_or_default()
}

/// The short name and full title of text `number`.
pub fn text_names(number: &str) -> (String, String) {
    TEXTS.iter().find(|(n, _, _)| *n == number).map_or_else(
        || (format!("text {number}"), format!("Source text {number}")),
        |(_, short, title)| ((*short).to_string(), (*title).to_string()),
    )
}

/// The opening words of a line, cut at a word boundary.
fn opening(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= EXCERPT_CHARS {
        return line.to_string();
    }
    let cut: String = line.chars().take(EXCERPT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) => &cut[..space],
        None => &cut,
    };
    format!("{} …", cut.trim_end_matches([',', ';', ':']))
}

/// The excerpt of each citation: the title of its text and its kept quotation, else, when
/// the texts are in `dir`, the opening of its first line.
pub fn excerpts(citations: &[String], dir: Option<&Path>) -> BTreeMap<String, Excerpt> {
    let mut files: BTreeMap<String, Option<Vec<String>>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    let kept = quotes();
    for citation in citations {
        let Some((number, line)) = parse(citation) else {
            continue;
        };
        if let Some(quote) = kept.iter().find(|q| q.cite == citation.trim()) {
            out.insert(
                citation.clone(),
                Excerpt {
                    number: number.to_string(),
                    line: quote.line,
                    short: text_names(number).0,
                    text: quote.text.clone(),
                },
            );
            continue;
        }
        let lines = files.entry(number.to_string()).or_insert_with(|| {
            let dir = dir?;
            let entries = std::fs::read_dir(dir).ok()?;
            let path = entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{number}_")) && n.ends_with(".txt"))
            })?;
            let text = std::fs::read_to_string(path).ok()?;
            Some(text.lines().map(str::to_string).collect())
        });
        let text = lines
            .as_ref()
            .and_then(|l| l.get(line.wrapping_sub(1)))
            .map(|l| opening(l))
            .unwrap_or_default();
        out.insert(
            citation.clone(),
            Excerpt {
                number: number.to_string(),
                line,
                short: text_names(number).0,
                text,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_sort_by_text_and_line_once_each() {
        let cited: Vec<String> = ["001:229-233", "000:263", "000:44", "000:263", " 004:43 "]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            citations_in(&cited),
            ["000:44", "000:263", "001:229-233", "004:43"]
        );
        assert_eq!(parse("000:263-271"), Some(("000", 263)));
        assert_eq!(parse("nonsense"), None);
    }

    /// Every kept quotation is short, serves a well-formed citation, lies in its cited lines,
    /// and, when the texts are at hand, is in them word for word on the line it names (but for
    /// the "…" that mark a cut).
    #[test]
    fn kept_quotes_are_verbatim_from_their_cited_lines() {
        let kept = quotes();
        assert!(
            !kept.is_empty(),
            "assets/quotes.toml parses and holds quotations"
        );
        let dir = sources_dir();
        let mut checked = 0;
        for quote in &kept {
            let (number, first) = parse(&quote.cite).expect("a citation NNN:L");
            let last = quote
                .cite
                .split_once('-')
                .and_then(|(_, l)| l.trim().parse().ok())
                .unwrap_or(first);
            assert!(
                (first..=last).contains(&quote.line),
                "{}: line {} is outside the citation",
                quote.cite,
                quote.line
            );
            assert!(
                (20..=300).contains(&quote.text.chars().count()),
                "{}: a short passage",
                quote.cite
            );
            let Some(dir) = &dir else { continue };
            let Some(text) = std::fs::read_dir(dir)
                .ok()
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .find(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&format!("{number}_")))
                })
                .and_then(|p| std::fs::read_to_string(p).ok())
            else {
                continue;
            };
            let line = text.lines().nth(quote.line - 1).unwrap_or_default();
            // "…" marks where a long sentence was cut; between the marks, word for word.
            let verbatim = quote.text.trim_start_matches('…').trim_end_matches('…');
            assert!(
                line.contains(verbatim),
                "{}: the quotation is not on line {} of text {number}",
                quote.cite,
                quote.line
            );
            checked += 1;
        }
        eprintln!(
            "{checked} of {} quotations checked against the texts{}",
            kept.len(),
            if dir.is_none() {
                " (the texts are not at hand: set REVSIM_SOURCES)"
            } else {
                ""
            }
        );
    }

    #[test]
    fn excerpts_quote_the_opening_of_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let long = "word ".repeat(100);
        std::fs::write(
            dir.path().join("000_abc.txt"),
            format!("first line\nsecond line\n{long}\n"),
        )
        .unwrap();
        let citations = vec![
            "000:2".to_string(),
            "000:3-4".to_string(),
            "001:1".to_string(),
        ];
        let excerpts = excerpts(&citations, Some(dir.path()));
        assert_eq!(excerpts["000:2"].text, "second line");
        assert!(excerpts["000:3-4"].text.ends_with(" …"));
        assert!(excerpts["000:3-4"].text.chars().count() <= EXCERPT_CHARS + 2);
        assert_eq!(excerpts["001:1"].text, "");
        assert_eq!(excerpts["001:1"].short, "Guillamón");
        assert!(text_names("000").1.contains("Tabor"));
    }
}
