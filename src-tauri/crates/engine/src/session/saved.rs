//! What the setup page shows of the data folder: the saved targets with why each cannot be
//! used (if so), the JumpCloud connection, and a settings file that could not be read.

use std::path::PathBuf;
use std::sync::Arc;

use super::Session;
use crate::config::{self, JumpCloudSettings, TargetSettings};
use crate::error::{Error, TargetProblem};

pub struct SavedSetup {
    pub targets: Vec<(TargetSettings, Option<TargetProblem>)>,
    pub jumpcloud: Option<JumpCloudSettings>,
    pub settings_path: PathBuf,
    /// The settings file could not be read (now or at start); it is left untouched.
    pub settings_error: Option<Arc<Error>>,
}

impl Session {
    /// The settings as saved now, read from the file (not from the running workspace).
    pub fn saved_setup(&self) -> SavedSetup {
        let workspace = self.workspace();
        let settings_path = config::settings_path(self.data_dir());
        match config::load(self.data_dir()) {
            Ok(cfg) => {
                let cfg = cfg.unwrap_or_default();
                SavedSetup {
                    targets: cfg
                        .targets
                        .into_iter()
                        .map(|t| {
                            let problem = workspace.target_problem(&t.id).cloned();
                            (t, problem)
                        })
                        .collect(),
                    jumpcloud: cfg.jumpcloud,
                    settings_path,
                    settings_error: self.settings_error(),
                }
            }
            Err(e) => SavedSetup {
                targets: Vec::new(),
                jumpcloud: None,
                settings_path,
                settings_error: Some(Arc::new(e.into())),
            },
        }
    }
}
