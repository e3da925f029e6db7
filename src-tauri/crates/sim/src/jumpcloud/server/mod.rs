//! The JumpCloud API simulator: v1/v2 reads over a [`Directory`] on 127.0.0.1, with JumpCloud's
//! paging limits, filters, `x-api-key` / `x-org-id` checks, request counters and injected faults.

mod faults;
mod graph;
mod listing;
mod routes;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use jumpcloud::wire::{WireApplication, WireSystemUser, WireUserGroup};
use jumpcloud::Directory;
use serde_json::Value;
use tokio::sync::oneshot;

pub use faults::{Fault, FaultRule};

#[derive(Clone)]
pub struct SimConfig {
    /// The key clients must send in `x-api-key`.
    pub api_key: String,
    /// When set, every request must carry this `x-org-id` (a multi-tenant administrator's key):
    /// missing -> 400, different -> 403.
    pub required_org_id: Option<String>,
    /// (id, display name) served by `/api/organizations`.
    pub organizations: Vec<(String, String)>,
}

impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Even a simulator's key stays out of logs, so nobody learns to paste real ones there.
        f.debug_struct("SimConfig")
            .field("api_key", &"<redacted>")
            .field("required_org_id", &self.required_org_id)
            .field("organizations", &self.organizations)
            .finish()
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            // Random per run: a key printed in a README or a test log opens nothing later.
            api_key: format!("sim-jc-{}", random_hex(16)),
            required_org_id: None,
            organizations: vec![("5f0000000000000000000001".into(), "Example Corp".into())],
        }
    }
}

/// Walked graph routes by (route name, object id).
type Traversals = HashMap<(&'static str, String), Arc<Vec<Value>>>;

/// The directory plus its wire JSON, computed once so paging through thousands of users stays cheap.
pub(crate) struct Catalog {
    pub dir: Directory,
    pub users: Vec<Value>,
    pub groups: Vec<Value>,
    pub apps: Vec<Value>,
    /// Graph traversals by (route, id), computed on their first page: an application's users
    /// in a 50,000-user directory took a third of a second to walk, once per page.
    traversals: Mutex<Traversals>,
}

impl Catalog {
    fn new(mut dir: Directory) -> Catalog {
        dir.sort();
        let json = |v: serde_json::Result<Value>| v.expect("wire types serialise");
        Catalog {
            users: dir
                .users
                .iter()
                .map(|u| json(serde_json::to_value(WireSystemUser::from(u))))
                .collect(),
            groups: dir
                .groups
                .iter()
                .map(|g| json(serde_json::to_value(WireUserGroup::from(g))))
                .collect(),
            apps: dir
                .applications
                .iter()
                .map(|a| json(serde_json::to_value(WireApplication::from(a))))
                .collect(),
            dir,
            traversals: Mutex::default(),
        }
    }

    /// The traversal `route` of `id`, walked once per catalog (it never changes: a new
    /// directory is a new catalog).
    pub(crate) fn traversal(
        &self,
        route: &'static str,
        id: &str,
        walk: impl FnOnce() -> Vec<Value>,
    ) -> Arc<Vec<Value>> {
        let key = (route, id.to_owned());
        if let Some(hit) = self.lock_traversals().get(&key) {
            return hit.clone();
        }
        let walked = Arc::new(walk());
        self.lock_traversals().insert(key, walked.clone());
        walked
    }

    fn lock_traversals(&self) -> std::sync::MutexGuard<'_, Traversals> {
        // A map of finished values: a panic elsewhere cannot leave one half-written.
        self.traversals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub(crate) struct Shared {
    pub catalog: RwLock<Arc<Catalog>>,
    pub config: SimConfig,
    pub requests: AtomicU64,
    pub per_route: Mutex<BTreeMap<String, u64>>,
    pub faults: Mutex<Vec<FaultRule>>,
}

/// Control surface shared by [`SimServer`] and [`SimThread`]: address, key, counters, faults, data.
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, to pass to `jumpcloud::ClientConfig::with_base_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    pub fn org_id(&self) -> Option<&str> {
        self.shared.config.required_org_id.as_deref()
    }

    /// Requests received, rejected ones included.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Requests per route template, e.g. `"/api/v2/usergroups/{id}/members"`.
    pub fn requests_by_route(&self) -> BTreeMap<String, u64> {
        self.shared.per_route.lock().expect("counter lock").clone()
    }

    pub fn reset_counters(&self) {
        self.shared.requests.store(0, Ordering::Relaxed);
        self.shared.per_route.lock().expect("counter lock").clear();
    }

    pub fn inject(&self, rule: FaultRule) {
        self.shared.faults.lock().expect("fault lock").push(rule);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("fault lock").clear();
    }

    /// Replaces the served directory (e.g. to show drift in the demo).
    pub fn set_directory(&self, dir: Directory) {
        *self.shared.catalog.write().expect("catalog lock") = Arc::new(Catalog::new(dir));
    }

    pub fn directory(&self) -> Directory {
        self.shared
            .catalog
            .read()
            .expect("catalog lock")
            .dir
            .clone()
    }
}

/// A simulator running on the caller's tokio runtime. Stops when dropped.
pub struct SimServer {
    handle: SimHandle,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimServer {
    pub async fn start(dir: Directory, config: SimConfig) -> std::io::Result<SimServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            catalog: RwLock::new(Arc::new(Catalog::new(dir))),
            config,
            requests: AtomicU64::new(0),
            per_route: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(Vec::new()),
        });
        let app = routes::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "JumpCloud simulator stopped with an error");
            }
        });
        Ok(SimServer {
            handle: SimHandle { shared, addr },
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for SimServer {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A simulator on its own thread and runtime, for the desktop demo and for synchronous callers.
/// Stops and joins its thread when dropped.
pub struct SimThread {
    handle: SimHandle,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimThread {
    pub fn start(dir: Directory, config: SimConfig) -> std::io::Result<SimThread> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<SimHandle>>();
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("jumpcloud-sim".into())
            .spawn(move || {
                let Some(rt) = crate::thread_runtime(&ready_tx) else {
                    return;
                };
                rt.block_on(async move {
                    let server = match SimServer::start(dir, config).await {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(server.handle()));
                    // Wait for the stop signal without blocking the runtime that serves requests.
                    let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
                    server.shutdown().await;
                });
            })?;
        let handle = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("simulator thread exited before starting"))??;
        Ok(SimThread {
            handle,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

impl Deref for SimThread {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}

impl Drop for SimThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn random_hex(bytes: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::thread_rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}
