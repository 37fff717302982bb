//! Finding scenario files: by name in the scenarios folder or by path, and listing them for
//! `revsim list`.

use std::fs;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::error::{nearest, ScenarioError, SourceLocation};
use super::load::load_scenario;
use super::reader::read_source;

/// Finds a scenario: `name_or_path` itself if it is a file (or ends in `.toml`), else
/// `scenarios_dir/<name>.toml`.
pub fn find_scenario(name_or_path: &str, scenarios_dir: &Path) -> Result<PathBuf, ScenarioError> {
    let path = Path::new(name_or_path);
    if path.is_file() || name_or_path.ends_with(".toml") {
        return Ok(path.to_path_buf());
    }
    let candidate = scenarios_dir.join(format!("{name_or_path}.toml"));
    if candidate.is_file() {
        return Ok(candidate);
    }
    Err(unknown_scenario(None, name_or_path, scenarios_dir))
}

/// A scenario as `revsim list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSummary {
    pub name: String,
    pub title: String,
    pub path: PathBuf,
}

/// Every `*.toml` file directly in `scenarios_dir` that has a `[scenario]` table (sweep files and
/// subfolders are skipped), sorted by name. A file that does not load is listed with the title
/// `(invalid: <reason>)`.
pub fn list_scenarios(scenarios_dir: &Path) -> Vec<ScenarioSummary> {
    let mut summaries = Vec::new();
    for path in toml_files(scenarios_dir) {
        let stem = file_stem(&path);
        let Ok(text) = read_source(&path) else {
            summaries.push(ScenarioSummary {
                name: stem,
                title: "(invalid: cannot read the file)".to_string(),
                path,
            });
            continue;
        };
        let declared_name = match DeTable::parse(&text) {
            Err(error) => {
                summaries.push(ScenarioSummary {
                    name: stem,
                    title: format!("(invalid: {})", short(error.message())),
                    path,
                });
                continue;
            }
            Ok(root) => match root.get_ref().get("scenario") {
                None => continue,
                Some(table) => table
                    .get_ref()
                    .get("name")
                    .and_then(|name| name.get_ref().as_str())
                    .map(str::to_string),
            },
        };
        let summary = match load_scenario(&path, scenarios_dir, &[]) {
            Ok(scenario) => ScenarioSummary {
                name: scenario.name,
                title: scenario.title,
                path,
            },
            Err(error) => {
                let message = error.to_string();
                let own_prefix = format!("{}:", path.display());
                let reason = message.strip_prefix(&own_prefix).unwrap_or(&message);
                ScenarioSummary {
                    name: declared_name.unwrap_or(stem),
                    title: format!("(invalid: {})", short(reason)),
                    path,
                }
            }
        };
        summaries.push(summary);
    }
    summaries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    summaries
}

fn short(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("").trim();
    if first_line.chars().count() > 120 {
        let cut: String = first_line.chars().take(117).collect();
        format!("{cut}...")
    } else {
        first_line.to_string()
    }
}

/// The `*.toml` files directly in `dir`, sorted by path.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

pub(super) fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn unknown_scenario(
    location: Option<Box<SourceLocation>>,
    name: &str,
    dir: &Path,
) -> ScenarioError {
    let available: Vec<String> = toml_files(dir).iter().map(|p| file_stem(p)).collect();
    let wanted = name.strip_suffix(".toml").unwrap_or(name);
    let wanted = Path::new(wanted)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suggestion = nearest(&wanted, available.iter().map(String::as_str));
    ScenarioError::UnknownScenario {
        location,
        name: name.to_string(),
        dir: dir.to_path_buf(),
        available,
        suggestion,
    }
}

/// Whether a scenario reference (`extends = "..."`, a sweep's `scenario = "..."`) is a path
/// relative to the file that writes it rather than a name in the scenarios folder.
pub(crate) fn names_a_path(name: &str) -> bool {
    name.ends_with(".toml") || name.contains('/') || name.contains('\\')
}

/// The scenario file a reference written in `file` at `location` names: a path relative to
/// `file` when it looks like one, else a scenario in `scenarios_dir`.
pub(crate) fn resolve_reference(
    name: &str,
    file: &Path,
    scenarios_dir: &Path,
    location: &SourceLocation,
) -> Result<PathBuf, ScenarioError> {
    let (dir, path) = if names_a_path(name) {
        // A bare file name's parent is "", which names no folder: it is the current one.
        let dir = file
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        (dir, dir.join(name))
    } else {
        (scenarios_dir, scenarios_dir.join(format!("{name}.toml")))
    };
    if path.is_file() {
        return Ok(path);
    }
    Err(unknown_scenario(
        Some(Box::new(location.clone())),
        name,
        dir,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfound_relative_path_names_the_current_folder_not_an_empty_one() {
        let at = SourceLocation {
            file: PathBuf::from("s.toml"),
            line: 2,
            column: 10,
        };
        let error = resolve_reference("nope.toml", Path::new("s.toml"), Path::new("x"), &at);
        let message = error.unwrap_err().to_string();
        assert!(message.contains("`nope.toml` in .;"), "{message}");
    }

    #[test]
    fn list_skips_non_scenarios_and_marks_invalid_files() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("zeta", "[scenario]\nname = \"zeta\"\ntitle = \"Z\"\n"),
            ("alpha", "[scenario]\nname = \"alpha\"\n[run]\nsed = 1\n"),
            ("sweep", "[sweep]\nname = \"s\"\n"),
            ("broken", "[scenario\n"),
        ] {
            fs::write(dir.path().join(format!("{name}.toml")), text).unwrap();
        }
        let list = list_scenarios(dir.path());
        let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["alpha", "broken", "zeta"]);
        assert!(list[0].title.starts_with("(invalid: "), "{}", list[0].title);
        assert!(list[0].title.contains("seed"), "{}", list[0].title);
        assert!(list[1].title.starts_with("(invalid: "), "{}", list[1].title);
        assert_eq!(list[2].title, "Z");
    }
}
