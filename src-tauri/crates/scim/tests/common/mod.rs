//! The shared scim2-server harness (`test-support`) with scim clients configured for it.

use scim::{Auth, Client, ClientConfig, Paging, Secret};
use test_support::scim2_server::Scim2Server;

pub const TOKEN: &str = "itest-token-5f1e9c";

pub struct ScimServer(Scim2Server);

impl ScimServer {
    /// Starts a server that requires [`TOKEN`] as bearer token.
    #[track_caller]
    pub fn start() -> Self {
        Self(Scim2Server::start(TOKEN))
    }

    pub fn config(&self) -> ClientConfig {
        let mut cfg = ClientConfig::new(self.0.base_url.clone(), Auth::Bearer(Secret::new(TOKEN)));
        cfg.retry = scim::fast_retry_policy(3);
        cfg
    }

    pub fn client(&self) -> Client {
        Client::new(self.config()).expect("client")
    }

    pub fn client_with_page_size(&self, page_size: u32) -> Client {
        let mut cfg = self.config();
        cfg.paging = Paging::Index { page_size };
        Client::new(cfg).expect("client")
    }
}

pub fn user(name: &str) -> scim::models::User {
    let mut u = scim::models::User::new(name);
    u.name = Some(scim::models::Name {
        given_name: Some("Given".into()),
        family_name: Some(name.into()),
        ..Default::default()
    });
    u.display_name = Some(format!("Display {name}"));
    u.active = Some(true);
    u
}
