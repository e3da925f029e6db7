//! The data folder is private to its user: on Unix the folder (and any folder in it) is 0700 and
//! every file 0600. It holds settings and a history of every provisioning run (names, emails,
//! the targets' error text). Files the app writes are created that way; [`secure`] checks at
//! start (app and CLI) what is already there, and tightens anything looser with a warning
//! (a copied backup, a file from an older build, a umask of 0002).

use std::path::{Path, PathBuf};

/// One permission that was looser than allowed and has been tightened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    pub path: PathBuf,
    /// Permission bits found (e.g. 0o644) and set (0o600).
    pub was: u32,
    pub now: u32,
}

/// Mode of the data folder and of folders inside it.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file inside it.
pub const FILE_MODE: u32 = 0o600;

/// Tightens `dir` and everything in it to [`DIR_MODE`] / [`FILE_MODE`], logging a warning per
/// change, and returns the changes. Symbolic links are not followed. A folder that does not
/// exist yet is fine (it is created private). Elsewhere than Unix this does nothing.
pub fn secure(dir: &Path) -> std::io::Result<Vec<Tightened>> {
    let mut changed = Vec::new();
    #[cfg(unix)]
    {
        match std::fs::symlink_metadata(dir) {
            Ok(_) => walk(dir, &mut changed)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        for t in &changed {
            tracing::warn!(
                path = %t.path.display(),
                was = format!("{:o}", t.was),
                now = format!("{:o}", t.now),
                "the data folder was readable by other users; permissions tightened"
            );
        }
    }
    Ok(changed)
}

/// Creates `dir` (and missing parents) and makes `dir` itself private.
pub fn create(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != DIR_MODE {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn walk(path: &Path, changed: &mut Vec<Tightened>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Ok(());
    }
    let was = meta.permissions().mode() & 0o777;
    let wanted = if kind.is_dir() { DIR_MODE } else { FILE_MODE };
    // Only looser is a problem; a read-only file the admin made 0400 stays 0400.
    if was & 0o077 != 0 || (kind.is_dir() && was & DIR_MODE != DIR_MODE) {
        let now = if kind.is_dir() { wanted } else { was & wanted };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(now))?;
        changed.push(Tightened {
            path: path.to_owned(),
            was,
            now,
        });
    }
    if kind.is_dir() {
        for entry in std::fs::read_dir(path)? {
            walk(&entry?.path(), changed)?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn set(p: &Path, m: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    }

    #[test]
    fn loose_folder_and_files_are_tightened_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        let names = [
            "settings.json",
            "settings.json.bak",
            "history.sqlite",
            "history.sqlite-wal",
            "history.sqlite-shm",
            "ui-prefs.json",
        ];
        for name in names {
            std::fs::write(dir.join(name), b"x").unwrap();
            set(&dir.join(name), 0o644);
        }
        std::fs::create_dir(dir.join("cache")).unwrap();
        std::fs::write(dir.join("cache").join("x"), b"x").unwrap();
        set(&dir.join("cache").join("x"), 0o666);
        set(&dir.join("cache"), 0o755);
        set(&dir, 0o755);

        let changed = secure(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("cache")), 0o700);
        assert_eq!(mode(&dir.join("cache").join("x")), 0o600);
        for name in names {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        assert_eq!(changed.len(), names.len() + 3);
        assert!(changed
            .iter()
            .any(|t| t.path == dir && t.was == 0o755 && t.now == 0o700));

        // Private already: nothing to report the second time.
        assert!(secure(&dir).unwrap().is_empty());
    }

    #[test]
    fn symlinks_are_not_followed_and_a_missing_folder_is_fine() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        set(&dir, 0o700);
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, b"x").unwrap();
        set(&outside, 0o644);
        std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
        assert!(secure(&dir).unwrap().is_empty());
        assert_eq!(mode(&outside), 0o644);
        assert!(secure(&tmp.path().join("absent")).unwrap().is_empty());
    }

    #[test]
    fn create_makes_the_folder_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new").join("data");
        create(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
    }
}
