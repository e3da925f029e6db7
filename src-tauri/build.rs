// Every app command is declared here so tauri-build generates an `allow-<command>` permission
// for it; the capability files then grant exactly the commands a window needs.
const COMMANDS: &[&str] = &[
    "app_info",
    "app_ready",
    "home_overview",
    "target_test_connection",
    "targets_list",
    "diff_run",
    "diff_cancel",
    "diff_summary",
    "diff_rows",
    "diff_detail",
    "export_save",
    "plan_preview",
    "plan_apply",
    "plan_cancel",
    "provision_user",
    "directory_read",
    "directory_cancel",
    "saml_fields",
    "saml_presets",
    "saml_users",
    "saml_build",
    "saml_check_values",
    "history_info",
    "history_list",
    "history_run",
    "history_operations",
    "history_steps",
    "history_drift_over_time",
    "history_compare_previous",
    "history_retention_get",
    "history_retention_set",
    "deletion_guard_get",
    "deletion_guard_set",
    "prefs_get",
    "prefs_set",
    "setup_profiles",
    "setup_state",
    "keychain_status",
    "target_validate_url",
    "target_test_config",
    "target_write_test",
    "target_save",
    "target_remove",
    "jumpcloud_save",
    "jumpcloud_test",
    "jumpcloud_apps",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
