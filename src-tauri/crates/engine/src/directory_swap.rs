//! Giving a workspace the JumpCloud directory read elsewhere: a configured workspace starts with
//! an empty directory (reading JumpCloud is slow and needs the network), so the CLI reads a
//! snapshot (or loads a saved file) and hands it over before a diff.

use crate::workspace::Workspace;

impl Workspace {
    /// Replaces the directory and its description. Diffs kept from the previous directory are
    /// dropped: they no longer describe what JumpCloud would push.
    pub fn set_directory(&mut self, directory: jumpcloud::Directory, source: impl Into<String>) {
        self.directory = directory;
        self.directory_source = source.into();
        // Loaded by the caller (a snapshot file, a CSV export): it counts as read.
        self.directory_read = Some(crate::directory_read::ReadInfo::preloaded());
        self.diffs = Default::default();
    }
}
