//! Where a subcommand gets its JumpCloud directory from: a file the admin saved (our JSON
//! snapshot from `jumpcloud snapshot --out`, or the admin console's CSV user export), or the
//! demo directory.

use std::path::{Path, PathBuf};

use jumpcloud::{CsvMode, Directory};

use crate::error::{CliError, CliResult};

/// A directory and a one-line description of where it came from (printed on stderr).
pub struct Loaded {
    pub directory: Directory,
    pub source: String,
}

/// Reads `path` as a JSON snapshot, or as a CSV export when it ends in `.csv` (or does not
/// start with `{`). CSV import is strict: one bad row fails the whole file, with every row error.
pub fn load_file(path: &Path) -> CliResult<Loaded> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        || !text.trim_start().starts_with('{');
    if is_csv {
        let import = jumpcloud::import_users_csv(text.as_bytes(), CsvMode::Strict)?;
        for warning in &import.warnings {
            eprintln!(
                "warning: {}: column {}: {}",
                path.display(),
                warning.column,
                warning.message
            );
        }
        let users = import.users.len();
        Ok(Loaded {
            directory: Directory::from_users(import.users),
            source: format!("{} (CSV export, {users} users)", path.display()),
        })
    } else {
        let directory = Directory::from_json(&text)?;
        let stats = directory.stats();
        Ok(Loaded {
            directory,
            source: format!(
                "{} (snapshot, {} users, {} groups)",
                path.display(),
                stats.users,
                stats.groups
            ),
        })
    }
}

/// The generated demo directory the app shows on first launch.
pub fn demo() -> Loaded {
    Loaded {
        directory: sim::jumpcloud::demo_directory(),
        source: "demo directory (JumpCloud-shaped, generated)".to_owned(),
    }
}

/// `--directory FILE` if given, else the demo.
pub fn load(file: Option<&PathBuf>) -> CliResult<Loaded> {
    match file {
        Some(path) => load_file(path),
        None => Ok(demo()),
    }
}
