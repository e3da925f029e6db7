//! The desktop shell: plugins, state and `#[tauri::command]`s over the core crates.
//! Business logic lives in the core crates (`engine` and below); this crate only adapts it to IPC.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod commands;
mod links;
mod state;
mod tray;
mod watcher;

use tauri::Manager;

pub fn run() {
    commands::app::mark_start();
    commands::files::init_test_seam();
    engine::init_logging();

    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let data_dir = state::data_dir(app.handle())?;
            let claim = links::start(app.handle(), data_dir.clone());
            app.manage(claim);
            let state = state::start(data_dir)?;
            app.manage(state);
            app.manage(watcher::Watcher::default());
            app.manage(tray::Tray::default());
            tray::create(app.handle());
            watcher::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::app_ready,
            commands::targets::home_overview,
            commands::targets::target_test_connection,
            commands::targets::targets_list,
            commands::diff::diff_run,
            commands::diff::diff_cancel,
            commands::diff::diff_summary,
            commands::diff::diff_rows,
            commands::diff::diff_detail,
            commands::files::export_save,
            commands::plan::plan_preview,
            commands::plan::plan_apply,
            commands::plan::plan_cancel,
            commands::plan::provision_user,
            commands::directory::directory_read,
            commands::directory::directory_cancel,
            commands::saml::saml_fields,
            commands::saml::saml_presets,
            commands::saml::saml_users,
            commands::saml::saml_build,
            commands::saml::saml_check_values,
            commands::history::history_info,
            commands::history::history_list,
            commands::history::history_run,
            commands::history::history_operations,
            commands::history::history_steps,
            commands::history::history_drift_over_time,
            commands::history::history_compare_previous,
            commands::history::history_retention_get,
            commands::history::history_retention_set,
            commands::settings::deletion_guard_get,
            commands::settings::deletion_guard_set,
            commands::settings::prefs_get,
            commands::settings::prefs_set,
            commands::watch::watch_overview,
            commands::watch::watch_schedule_set,
            commands::watch::watch_check_now,
            commands::setup::setup_profiles,
            commands::setup::setup_state,
            commands::setup::keychain_status,
            commands::setup::target_validate_url,
            commands::setup::target_test_config,
            commands::setup::target_write_test,
            commands::setup::target_save,
            commands::setup::target_remove,
            commands::setup::jumpcloud_save,
            commands::setup::jumpcloud_test,
            commands::setup::jumpcloud_apps,
        ])
        .run(tauri::generate_context!())
        .expect("error while running SCIM Companion");
}
