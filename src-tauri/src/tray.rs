//! The tray icon: the worst state of the last scheduled check of each target (in sync, drift,
//! failed), whichever ran it (the app or a background job), and a menu that opens the app on a
//! target's diff. It reads `watch-state.json`, so a background job's result shows at the next
//! refresh without the app having run the check.

use std::sync::Mutex;

use engine::watch::{Status, WatchState};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The event the window listens for to open a target's diff (`App.svelte`).
pub const OPEN_DIFF_EVENT: &str = "open-diff";
const TRAY_ID: &str = "scim-companion";
const MENU_OPEN: &str = "open";
const MENU_QUIT: &str = "quit";
const MENU_DIFF_PREFIX: &str = "diff:";

/// Worst first, so the icon shows the state that needs the admin most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Worst {
    /// No target has been checked on a schedule yet.
    Idle,
    InSync,
    Drift,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayItem {
    pub target_id: String,
    pub label: String,
}

/// What the tray shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    pub worst: Worst,
    pub headline: String,
    pub items: Vec<TrayItem>,
}

/// The tray's content for the workspace's targets (id, name) and the last checks.
pub fn model(targets: &[(String, String)], state: &WatchState) -> TrayModel {
    let mut worst = Worst::Idle;
    let (mut drifted, mut failed) = (0, 0);
    let items = targets
        .iter()
        .map(|(id, name)| {
            let what = match state.targets.get(id) {
                None => "not checked on a schedule yet".to_owned(),
                Some(last) => {
                    let this = match last.status {
                        Status::InSync => Worst::InSync,
                        Status::Drift => Worst::Drift,
                        Status::Failed => Worst::Failed,
                    };
                    worst = worst.max(this);
                    match last.status {
                        Status::InSync => "in sync".to_owned(),
                        Status::Drift => {
                            drifted += 1;
                            let rows: usize = last.drift.values().sum();
                            format!("drift, {rows} {}", if rows == 1 { "row" } else { "rows" })
                        }
                        Status::Failed => {
                            failed += 1;
                            "the last check failed".to_owned()
                        }
                    }
                }
            };
            TrayItem {
                target_id: id.clone(),
                label: format!("{name}: {what}"),
            }
        })
        .collect();
    let headline = match worst {
        Worst::Idle => "No scheduled check has run yet".to_owned(),
        Worst::InSync => "Every checked target is in sync".to_owned(),
        _ => {
            let mut parts = Vec::new();
            if failed > 0 {
                parts.push(format!("{failed} check(s) failed"));
            }
            if drifted > 0 {
                parts.push(format!("{drifted} target(s) with drift"));
            }
            parts.join(", ")
        }
    };
    TrayModel {
        worst,
        headline,
        items,
    }
}

fn icon(worst: Worst) -> Image<'static> {
    let bytes: &'static [u8] = match worst {
        Worst::Idle => include_bytes!("../../icons/tray-idle.png"),
        Worst::InSync => include_bytes!("../../icons/tray-ok.png"),
        Worst::Drift => include_bytes!("../../icons/tray-drift.png"),
        Worst::Failed => include_bytes!("../../icons/tray-failed.png"),
    };
    Image::from_bytes(bytes).expect("the tray icons are PNG files of the repository")
}

fn menu<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "headline",
        &model.headline,
        false,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    for item in &model.items {
        let id = format!("{MENU_DIFF_PREFIX}{}", item.target_id);
        menu.append(&MenuItem::with_id(
            app,
            id,
            &item.label,
            true,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        MENU_OPEN,
        "Open SCIM Companion",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        MENU_QUIT,
        "Quit",
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

/// The last model shown, so a refresh that changes nothing touches nothing.
#[derive(Default)]
pub struct Tray {
    shown: Mutex<Option<TrayModel>>,
}

/// Creates the tray icon. A desktop without a tray (or without the indicator library) only
/// loses the icon: the failure is logged, the app runs on.
pub fn create(app: &AppHandle) {
    // On Linux the indicator library is loaded at run time, and its loader panics when neither
    // libayatana-appindicator3 nor libappindicator3 is installed (the packages depend on the
    // first; a binary copied elsewhere may lack it).
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        TrayIconBuilder::with_id(TRAY_ID)
            .icon(icon(Worst::Idle))
            .tooltip("SCIM Companion")
            .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
            .build(app)
    }));
    match built {
        Ok(Ok(_)) => refresh(app),
        Ok(Err(e)) => tracing::warn!(error = %e, "no tray icon on this desktop"),
        Err(_) => tracing::warn!(
            "no tray icon: the indicator library is missing (install libayatana-appindicator3-1)"
        ),
    }
}

/// Shows the current model if it changed.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let session = app.state::<crate::state::AppState>();
    let targets: Vec<(String, String)> = session
        .workspace()
        .targets()
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let model = model(&targets, &WatchState::load(session.data_dir()));
    let state = app.state::<Tray>();
    let Ok(mut shown) = state.shown.lock() else {
        return;
    };
    if shown.as_ref() == Some(&model) {
        return;
    }
    if let Err(e) = show(app, &tray, &model) {
        tracing::warn!(error = %e, "could not update the tray icon");
    }
    *shown = Some(model);
}

fn show(app: &AppHandle, tray: &TrayIcon, model: &TrayModel) -> tauri::Result<()> {
    tray.set_icon(Some(icon(model.worst)))?;
    tray.set_tooltip(Some(format!("SCIM Companion: {}", model.headline)))?;
    tray.set_menu(Some(menu(app, model)?))
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        MENU_QUIT => app.exit(0),
        MENU_OPEN => bring_forward(app),
        _ => {
            if let Some(target) = id.strip_prefix(MENU_DIFF_PREFIX) {
                open_diff(app, target);
            }
        }
    }
}

fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Brings the window forward on the Diff page of `target` (a tray entry, a notification).
pub fn open_diff(app: &AppHandle, target: &str) {
    bring_forward(app);
    if let Err(e) = app.emit_to("main", OPEN_DIFF_EVENT, target) {
        tracing::warn!(error = %e, "could not open the diff page");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use engine::watch::TargetState;

    fn last(status: Status, drift: &[(&str, usize)]) -> TargetState {
        TargetState {
            checked_at: Utc::now(),
            status,
            drift: drift.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            error: None,
            guard_tripped: false,
            token_alerted_on: None,
        }
    }

    fn targets() -> Vec<(String, String)> {
        ["aws", "unity", "sdm"]
            .iter()
            .map(|id| ((*id).to_owned(), id.to_uppercase()))
            .collect()
    }

    #[test]
    fn the_icon_shows_the_worst_checked_state_and_each_target_has_a_line() {
        let mut state = WatchState::default();
        let m = model(&targets(), &state);
        assert_eq!(m.worst, Worst::Idle);
        assert_eq!(m.headline, "No scheduled check has run yet");
        assert_eq!(m.items[0].label, "AWS: not checked on a schedule yet");

        state
            .targets
            .insert("aws".into(), last(Status::InSync, &[]));
        assert_eq!(model(&targets(), &state).worst, Worst::InSync);

        state.targets.insert(
            "unity".into(),
            last(Status::Drift, &[("missing", 2), ("changed", 1)]),
        );
        let m = model(&targets(), &state);
        assert_eq!(m.worst, Worst::Drift);
        assert_eq!(m.headline, "1 target(s) with drift");
        assert_eq!(m.items[1].label, "UNITY: drift, 3 rows");
        assert_eq!(m.items[0].label, "AWS: in sync");

        state
            .targets
            .insert("sdm".into(), last(Status::Failed, &[]));
        let m = model(&targets(), &state);
        assert_eq!(m.worst, Worst::Failed);
        assert_eq!(m.headline, "1 check(s) failed, 1 target(s) with drift");
        assert_eq!(m.items[2].label, "SDM: the last check failed");
        assert_eq!(m.items.len(), 3);
    }

    #[test]
    fn targets_no_longer_in_the_workspace_do_not_count() {
        let mut state = WatchState::default();
        state
            .targets
            .insert("gone".into(), last(Status::Failed, &[]));
        assert_eq!(model(&targets(), &state).worst, Worst::Idle);
    }

    #[test]
    fn every_state_has_an_icon() {
        for w in [Worst::Idle, Worst::InSync, Worst::Drift, Worst::Failed] {
            let image = icon(w);
            assert_eq!((image.width(), image.height()), (32, 32));
        }
    }
}
