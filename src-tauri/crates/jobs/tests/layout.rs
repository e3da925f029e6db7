//! Where `Layout::for_user` puts job files. It reads the process environment, so this binary
//! holds one test that changes it step by step (tests in one binary share the environment).

#![allow(clippy::unwrap_used)]

use std::path::Path;

use jobs::{Error, Layout, Platform};

#[test]
fn for_user_follows_the_environment() {
    std::env::set_var("HOME", "/home/zoë");
    std::env::set_var("XDG_CONFIG_HOME", "/srv/config");
    std::env::set_var("LOCALAPPDATA", r"C:\Users\Zoë\AppData\Local");
    let layout = Layout::for_user().unwrap();
    assert_eq!(
        layout.dir(Platform::SystemdUser).unwrap(),
        Path::new("/srv/config/systemd/user")
    );
    assert_eq!(
        layout.dir(Platform::Launchd).unwrap(),
        Path::new("/home/zoë/Library/LaunchAgents")
    );
    assert_eq!(
        layout.dir(Platform::TaskScheduler).unwrap(),
        Path::new(r"C:\Users\Zoë\AppData\Local")
            .join("SCIM Companion")
            .join("jobs")
    );

    // A relative XDG_CONFIG_HOME is ignored, as the XDG rules say.
    std::env::set_var("XDG_CONFIG_HOME", "relative");
    let layout = Layout::for_user().unwrap();
    assert_eq!(
        layout.dir(Platform::SystemdUser).unwrap(),
        Path::new("/home/zoë/.config/systemd/user")
    );

    // Without the variables, the current platform's folder is unknown, and the error says which
    // variable to set; other platforms' folders are simply absent.
    std::env::remove_var("HOME");
    std::env::remove_var("XDG_CONFIG_HOME");
    std::env::remove_var("LOCALAPPDATA");
    if let Some(platform) = Platform::current() {
        let error = Layout::for_user().unwrap_err();
        assert!(matches!(error, Error::NoJobFolder { .. }), "{error}");
        let missing = if platform == Platform::TaskScheduler {
            "LOCALAPPDATA"
        } else {
            "HOME"
        };
        assert!(error.to_string().contains(missing), "{error}");
    }
    let under = Layout::under(Path::new("/t"));
    assert_eq!(
        under.dir(Platform::SystemdUser).unwrap(),
        Path::new("/t/systemd/user")
    );
}
