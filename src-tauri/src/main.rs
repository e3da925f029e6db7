#![cfg_attr(test, allow(clippy::unwrap_used))]
// Keep the console window away on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    scim_companion_app::run();
}
