//! The JumpCloud connection: the key goes to the keychain, a test lists the apps, and the app
//! picker says when nothing is configured.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jumpcloud_key_goes_to_the_keychain_and_test_lists_apps() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let sim = sim::jumpcloud::SimThread::start(
        sim::jumpcloud::demo_directory(),
        sim::jumpcloud::SimConfig::default(),
    )
    .unwrap();
    let key = sim.api_key().to_owned();
    let base = sim.base_url();

    // No key yet and none given: refused.
    assert!(matches!(
        save_jumpcloud(
            dir.path(),
            &secrets,
            jumpcloud::Region::Us,
            None,
            Some(&base),
            None
        ),
        Err(Error::InvalidSetting(_))
    ));
    let saved = save_jumpcloud(
        dir.path(),
        &secrets,
        jumpcloud::Region::Eu,
        Some(" "),
        Some(&base),
        Some(&key),
    )
    .unwrap();
    assert_eq!(saved.org_id, None);
    assert!(saved.key_saved_at.is_some());
    assert!(!settings_text(dir.path()).contains(&key));

    let apps = jumpcloud_apps(dir.path(), &secrets).await.unwrap();
    assert!(
        apps.iter().any(|a| a.label == "AWS IAM Identity Center"),
        "{apps:?}"
    );

    let wrong = test_jumpcloud(&saved, "not-the-key").await.unwrap_err();
    assert!(matches!(wrong, Error::JumpCloud(_)), "{wrong:?}");
    assert!(!format!("{wrong} {wrong:?}").contains("not-the-key"));

    // Saving again without a key keeps the stored one.
    save_jumpcloud(
        dir.path(),
        &secrets,
        jumpcloud::Region::Us,
        None,
        Some(&base),
        None,
    )
    .unwrap();
    assert_eq!(
        secrets
            .get(&jumpcloud_account())
            .unwrap()
            .as_ref()
            .map(secrets::Secret::expose),
        Some(key.as_str())
    );
}

#[tokio::test]
async fn without_a_jumpcloud_connection_the_picker_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = jumpcloud_apps(dir.path(), &MemorySecrets::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::JumpCloudNotConfigured));
}
