//! Starting a simulator and controlling it: URLs, credentials, seeding, store access,
//! counters, faults, shutdown.

use std::net::SocketAddr;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::oneshot;

use super::config::{Credential, Dialect, SimConfig};
use super::error::{Result, SimError};
use super::faults::{Fault, FaultConfig, FaultScope, FaultState};
use super::server::{lock, serve, Shared};
use super::stats::{RequestRecord, RequestStats, RetryViolation, Stats};
use super::store::{Kind, Store, StoreSnapshot};

/// Entry point: `SimTarget::start(SimConfig::new(Dialect::Aws)).await?`.
pub struct SimTarget;

impl SimTarget {
    /// Serve on the current tokio runtime until the handle is dropped.
    pub async fn start(config: SimConfig) -> Result<SimHandle> {
        let (listener, shared) = prepare(&config)?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|source| SimError::Bind {
                addr: shared_addr(&config),
                source,
            })?;
        let addr = listener.local_addr().map_err(SimError::Runtime)?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(SimHandle {
            shared,
            addr,
            shutdown: Some(tx),
            task: Some(task),
            thread: None,
        })
    }

    /// Serve on a dedicated thread with its own single-threaded runtime, for callers that do
    /// not want to care about runtimes (desktop demo, CLI). Dropping the handle stops it.
    pub fn spawn_in_thread(config: SimConfig) -> Result<SimHandle> {
        let (listener, shared) = prepare(&config)?;
        let addr = listener.local_addr().map_err(SimError::Runtime)?;
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(shared.clone());
        let (shutdown, thread) =
            serve_in_thread(listener, app, format!("sim-target-{}", addr.port()))?;
        Ok(SimHandle {
            shared,
            addr,
            shutdown: Some(shutdown),
            task: None,
            thread: Some(thread),
        })
    }
}

/// Serves `app` on `listener` from a dedicated thread with its own single-threaded runtime,
/// until the returned sender fires (or is dropped). Returns once the server listens.
pub(crate) fn serve_in_thread(
    listener: std::net::TcpListener,
    app: axum::Router,
    name: String,
) -> Result<(oneshot::Sender<()>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<std::result::Result<(), std::io::Error>>();
    let thread = std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let Some(rt) = crate::thread_runtime(&ready_tx) else {
                return;
            };
            rt.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await;
            });
        })
        .map_err(SimError::Runtime)?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok((tx, thread)),
        Ok(Err(e)) => Err(SimError::Runtime(e)),
        Err(_) => Err(SimError::ThreadExited),
    }
}

/// Signals a server thread to stop and waits briefly for it. Graceful shutdown waits for open
/// keep-alive connections; a caller's drop must not hang on a client that never closes, so
/// after a short grace period the thread is left to finish on its own.
pub(crate) fn stop_thread(
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
) {
    if let Some(tx) = shutdown {
        let _ = tx.send(());
    }
    if let Some(thread) = thread {
        let deadline = Instant::now() + Duration::from_secs(3);
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

fn shared_addr(config: &SimConfig) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], config.port))
}

fn prepare(config: &SimConfig) -> Result<(std::net::TcpListener, Arc<Shared>)> {
    let addr = shared_addr(config);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| SimError::Bind { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| SimError::Bind { addr, source })?;
    let port = listener.local_addr().map_err(SimError::Runtime)?.port();
    let base_path = config.base_path();
    let base_url = format!("http://127.0.0.1:{port}{base_path}");
    let shared = Arc::new(Shared {
        dialect: config.dialect,
        base_path,
        base_url: base_url.clone(),
        credential: config.credential(),
        max_results: config.max_results.max(1),
        store: Mutex::new(Store::new(config.dialect, base_url)),
        stats: Mutex::new(Stats::new(config.request_log_limit)),
        faults: Mutex::new(FaultState::new(config.faults.clone())),
        discovery: config.discovery,
    });
    Ok((listener, shared))
}

/// A running simulator. Dropping it shuts the server down.
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("dialect", &self.shared.dialect)
            .field("base_url", &self.shared.base_url)
            .field("credential", &self.shared.credential)
            .finish()
    }
}

impl SimHandle {
    /// SCIM base URL, e.g. `http://127.0.0.1:PORT/scim/v2` or, for AWS,
    /// `http://127.0.0.1:PORT/{tenant}/scim/v2`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }
    /// `http://127.0.0.1:PORT` (for building wrong-path requests in tests).
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn dialect(&self) -> Dialect {
        self.shared.dialect
    }
    /// The credential the simulator accepts.
    pub fn credential(&self) -> &Credential {
        &self.shared.credential
    }
    /// The bearer token (a secret: do not log it).
    pub fn token(&self) -> &str {
        self.shared.credential.bearer.expose()
    }
    /// `Authorization` header value for the bearer token.
    pub fn auth_header(&self) -> String {
        self.shared.credential.bearer_header()
    }
    /// `Authorization: Basic …` for Unity; `None` for other dialects.
    pub fn basic_auth_header(&self) -> Option<String> {
        self.shared
            .credential
            .basic
            .as_ref()
            .map(|b| b.header_value())
    }

    fn seed(&self, kind: Kind, items: Vec<Value>) -> Result<Vec<Value>> {
        let mut store = lock(&self.shared.store);
        items
            .into_iter()
            .enumerate()
            .map(|(index, v)| {
                store.create(kind, v, true).map_err(|error| SimError::Seed {
                    kind: kind.endpoint(),
                    index,
                    error,
                })
            })
            .collect()
    }

    /// Insert users directly (no dialect rules, no request counted). A given `id` is kept.
    /// Returns the stored resources with ids and `meta`.
    pub fn seed_users(&self, users: Vec<Value>) -> Result<Vec<Value>> {
        self.seed(Kind::User, users)
    }
    /// Insert groups directly; members must reference existing ids.
    pub fn seed_groups(&self, groups: Vec<Value>) -> Result<Vec<Value>> {
        self.seed(Kind::Group, groups)
    }
    /// Seed `users` generated users and `groups` groups (at most 100 members each, so they
    /// also fit AWS's per-request limit). Deterministic per `seed`.
    pub fn seed_demo(&self, users: usize, groups: usize, seed: u64) -> Result<()> {
        let created = self.seed_users(super::seed::generate_users(users, seed))?;
        let ids: Vec<String> = created
            .iter()
            .filter_map(|u| u["id"].as_str().map(str::to_string))
            .collect();
        self.seed_groups(super::seed::generate_groups(groups, &ids, 100, seed))?;
        Ok(())
    }

    /// Stored users, in creation order, as stored (group members included even on AWS).
    pub fn users(&self) -> Vec<Value> {
        lock(&self.shared.store).all(Kind::User)
    }
    pub fn groups(&self) -> Vec<Value> {
        lock(&self.shared.store).all(Kind::Group)
    }
    pub fn user(&self, id: &str) -> Option<Value> {
        lock(&self.shared.store).get(Kind::User, id).cloned()
    }
    pub fn group(&self, id: &str) -> Option<Value> {
        lock(&self.shared.store).get(Kind::Group, id).cloned()
    }
    pub fn user_count(&self) -> usize {
        lock(&self.shared.store).len(Kind::User)
    }
    pub fn group_count(&self) -> usize {
        lock(&self.shared.store).len(Kind::Group)
    }
    pub fn snapshot(&self) -> StoreSnapshot {
        lock(&self.shared.store).snapshot()
    }

    pub fn stats(&self) -> RequestStats {
        lock(&self.shared.stats).counters.clone()
    }
    /// Most recent requests (bounded by `SimConfig::request_log_limit`), oldest first.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        lock(&self.shared.stats).log.iter().cloned().collect()
    }
    /// Every response that carried `Retry-After`, with when it was received and sent.
    pub fn retry_after_log(&self) -> Vec<RequestRecord> {
        lock(&self.shared.stats).retry_after.clone()
    }
    /// Requests that repeated a `Retry-After`-answered request before the wait elapsed.
    pub fn retry_violations(&self) -> Vec<RetryViolation> {
        lock(&self.shared.stats).retry_violations()
    }
    pub fn reset_stats(&self) {
        lock(&self.shared.stats).reset();
    }

    /// Replace the random-fault settings (re-seeds the RNG).
    pub fn set_faults(&self, config: FaultConfig) {
        lock(&self.shared.faults).set_config(config);
    }
    /// Queue a one-shot fault for the next request.
    pub fn push_fault(&self, fault: Fault) {
        self.push_fault_for(FaultScope::All, fault);
    }
    /// Queue a one-shot fault for the next read or write.
    pub fn push_fault_for(&self, scope: FaultScope, fault: Fault) {
        lock(&self.shared.faults).push(scope, fault);
    }
    /// Drop queued faults and turn random faults off.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.faults).pending()
    }

    /// Stop and wait for the server to finish (runtime mode), or for its thread.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        stop_thread(self.shutdown.take(), self.thread.take());
    }
}
