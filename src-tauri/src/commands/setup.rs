//! Setup: target profiles and wizards, live URL checks, Test Connection of an unsaved target,
//! save and remove (token to the keychain, the rest to settings.json), and the JumpCloud
//! connection. Keychain and file work runs off the async workers; after a change the workspace
//! is reopened so every page sees it.

use ipc::{
    IpcError, JumpCloudApp, JumpCloudConnection, JumpCloudForm, KeychainStatus, ProbeResult,
    RemoveResult, SavedTarget, SetupState, TargetDraft, UrlCheck, WriteTestResult,
};
use tauri::{AppHandle, Manager, State};

use engine::config::JumpCloudSettings;
use engine::setup;

use crate::state::AppState;

/// Every target profile: URL rule, auth kinds, capabilities, token facts and the wizard steps.
#[tauri::command]
pub fn setup_profiles() -> Vec<targets::ProfileInfo> {
    targets::Kind::ALL
        .iter()
        .map(|k| targets::Profile::new(*k).info())
        .collect()
}

#[tauri::command]
pub fn keychain_status() -> KeychainStatus {
    keychain()
}

/// The saved targets and JumpCloud connection, the keychain, and any settings-file problem.
#[tauri::command]
pub async fn setup_state(app: AppHandle) -> Result<SetupState, IpcError> {
    blocking(app, |state| {
        Ok(SetupState::new(&state.saved_setup(), keychain()))
    })
    .await
}

/// Checks a base URL against its target's rule as the admin types.
#[tauri::command]
pub fn target_validate_url(
    kind: targets::Kind,
    base_url: String,
    local_endpoint: bool,
) -> UrlCheck {
    UrlCheck::of(kind, &base_url, local_endpoint)
}

/// Test Connection for what the wizard holds, read-only. `credentials` may be omitted when
/// editing a saved target at its saved address: its token is read from the keychain.
#[tauri::command]
pub async fn target_test_config(
    state: State<'_, AppState>,
    draft: TargetDraft,
    credentials: Option<targets::Credentials>,
) -> Result<ProbeResult, IpcError> {
    let core = setup::TargetDraft::try_from(&draft)?;
    let credentials =
        setup::draft_credentials(state.data_dir(), state.secrets(), &core, credentials)?;
    let report = setup::test_target_config(&core, &credentials).await?;
    Ok(report.into())
}

/// The optional write test, after the admin confirmed it in the wizard: creates one clearly
/// named test user and deletes it again (deactivates it where the target cannot delete users).
#[tauri::command]
pub async fn target_write_test(
    state: State<'_, AppState>,
    draft: TargetDraft,
    credentials: Option<targets::Credentials>,
    user_name: Option<String>,
) -> Result<WriteTestResult, IpcError> {
    let core = setup::TargetDraft::try_from(&draft)?;
    let credentials =
        setup::draft_credentials(state.data_dir(), state.secrets(), &core, credentials)?;
    let report = setup::write_test(&core, &credentials, user_name.as_deref()).await?;
    Ok(report.into())
}

/// Saves the target (token to the keychain first; with no keychain nothing is saved) and
/// reopens the workspace so Home lists it.
#[tauri::command]
pub async fn target_save(
    app: AppHandle,
    draft: TargetDraft,
    credentials: Option<targets::Credentials>,
) -> Result<SavedTarget, IpcError> {
    blocking(app, move |state| {
        let core = setup::TargetDraft::try_from(&draft)?;
        let saved = setup::save_target(state.data_dir(), state.secrets(), &core, credentials)?;
        state.reload()?;
        let problem = state.workspace().target_problem(&saved.id).cloned();
        Ok(SavedTarget::new(&saved, problem.as_ref()))
    })
    .await
}

#[tauri::command]
pub async fn target_remove(app: AppHandle, target_id: String) -> Result<RemoveResult, IpcError> {
    blocking(app, move |state| {
        // Its scheduled checks go first: the runner is decided on the workspace that still
        // lists it.
        crate::watcher::forget(state, &target_id);
        let removed = setup::remove_target(state.data_dir(), state.secrets(), &target_id)?;
        state.reload()?;
        Ok(RemoveResult::from(removed))
    })
    .await
}

/// Saves the JumpCloud connection; the API key (when given) goes to the keychain.
#[tauri::command]
pub async fn jumpcloud_save(
    app: AppHandle,
    form: JumpCloudForm,
) -> Result<JumpCloudConnection, IpcError> {
    blocking(app, move |state| {
        let saved = setup::save_jumpcloud(
            state.data_dir(),
            state.secrets(),
            (&form.region).into(),
            form.org_id.as_deref(),
            form.base_url.as_deref(),
            form.api_key.as_ref().map(secrets::Secret::expose),
        )?;
        if state.mode() == engine::WorkspaceMode::Configured {
            state.reload()?;
        }
        Ok(JumpCloudConnection::from(&saved))
    })
    .await
}

/// Test for the JumpCloud form: lists the SSO applications. Without an API key in the form,
/// the stored one is used, at the address it was saved for only.
#[tauri::command]
pub async fn jumpcloud_test(
    state: State<'_, AppState>,
    form: JumpCloudForm,
) -> Result<Vec<JumpCloudApp>, IpcError> {
    let settings = JumpCloudSettings {
        region: (&form.region).into(),
        org_id: form.org_id.filter(|o| !o.trim().is_empty()),
        base_url: form.base_url.filter(|u| !u.trim().is_empty()),
        key_saved_at: None,
    };
    let key = setup::jumpcloud_key_for(
        state.data_dir(),
        state.secrets(),
        &settings,
        form.api_key.as_ref().map(secrets::Secret::expose),
    )?;
    let apps = setup::test_jumpcloud(&settings, key.expose()).await?;
    Ok(apps.into_iter().map(JumpCloudApp::from).collect())
}

/// The applications of the saved JumpCloud connection, for the wizard's app picker.
#[tauri::command]
pub async fn jumpcloud_apps(state: State<'_, AppState>) -> Result<Vec<JumpCloudApp>, IpcError> {
    let apps = setup::jumpcloud_apps(state.data_dir(), state.secrets()).await?;
    Ok(apps.into_iter().map(JumpCloudApp::from).collect())
}

/// Runs keychain and file work on a blocking thread.
async fn blocking<T, F>(app: AppHandle, work: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|e| IpcError::new(ipc::ErrorCode::Internal, e.to_string()))?
}

fn keychain() -> KeychainStatus {
    secrets::Vault::status().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_check_shows_the_rule_and_the_fix() {
        let bad = target_validate_url(
            targets::Kind::Aws,
            "https://example.com/t/scim/v2".into(),
            false,
        );
        assert!(!bad.ok);
        assert!(bad.rule.contains("scim.<region>.amazonaws.com"));
        assert!(bad.problem.unwrap().starts_with("The host must be"));

        let good = target_validate_url(
            targets::Kind::Aws,
            "https://scim.eu-west-1.amazonaws.com/t-1/scim/v2/".into(),
            false,
        );
        assert!(good.ok);
        assert_eq!(
            good.normalized.as_deref(),
            Some("https://scim.eu-west-1.amazonaws.com/t-1/scim/v2")
        );

        let local = target_validate_url(
            targets::Kind::Aws,
            "http://127.0.0.1:4000/scim/v2".into(),
            true,
        );
        assert!(local.ok, "{local:?}");
        assert!(local.rule.contains("127.0.0.1"));
    }

    #[test]
    fn every_profile_is_listed_once() {
        let kinds: Vec<targets::Kind> = setup_profiles().iter().map(|p| p.kind).collect();
        assert_eq!(kinds, targets::Kind::ALL);
    }
}
