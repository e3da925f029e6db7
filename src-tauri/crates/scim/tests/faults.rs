//! Quirks no real test server has, against the scripted fault server.

#![allow(clippy::unwrap_used)]

mod fault_server;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::Method;
use scim::models::{Group, User};
use scim::{
    Auth, CancellationToken, Client, ClientConfig, DeactivateForm, Error, Filter, MemberRemoveForm,
    MembershipRead, Paging, Secret, TransportKind,
};
use serde_json::{json, Value};
use tokio::time::Instant;

use fault_server::*;

fn users_page(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"id": id, "userName": format!("{id}@x.org")}))
        .collect()
}

// This file is the test crate's root, so its modules are named by path.
#[path = "faults/bad_bodies.rs"]
mod bad_bodies;
#[path = "faults/cancellation.rs"]
mod cancellation;
#[path = "faults/credentials.rs"]
mod credentials;
#[path = "faults/paging.rs"]
mod paging;
#[path = "faults/retries.rs"]
mod retries;
#[path = "faults/write_forms.rs"]
mod write_forms;
