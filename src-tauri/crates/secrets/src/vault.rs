//! The keychain itself (feature `keychain`): crates that only need [`crate::Secret`] do not
//! build the platform keychain backends.

use crate::{Account, Error, Result, SecretValue, Status, SERVICE};

/// The OS keychain, namespaced by [`SERVICE`] (tests pass their own service name).
#[derive(Debug, Clone)]
pub struct Vault {
    service: String,
}

impl Default for Vault {
    fn default() -> Self {
        Self::new(SERVICE)
    }
}

impl Vault {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// Checks that a keychain backend exists without reading or writing anything.
    pub fn status() -> Status {
        match keyring::Entry::store_status() {
            Ok(()) => Status::Available,
            Err(e) => Status::Unavailable {
                reason: e.to_string(),
            },
        }
    }

    pub fn set(&self, account: &Account, secret: &str) -> Result<()> {
        self.entry(account)?
            .set_password(secret)
            .map_err(|e| classify(account, e))
    }

    /// `Ok(None)` when nothing is stored for the account.
    pub fn get(&self, account: &Account) -> Result<Option<SecretValue>> {
        match self.entry(account)?.get_password() {
            Ok(value) => Ok(Some(SecretValue(crate::Secret::new(value)))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(account, e)),
        }
    }

    /// Returns whether there was something to delete.
    pub fn delete(&self, account: &Account) -> Result<bool> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(classify(account, e)),
        }
    }

    fn entry(&self, account: &Account) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &account.to_string()).map_err(|e| classify(account, e))
    }
}

/// Backend failures (no store, no D-Bus, no Secret Service) are "unavailable"; everything else
/// is an access problem on an existing keychain. keyring's messages never contain the secret.
fn classify(account: &Account, error: keyring::Error) -> Error {
    match error {
        keyring::Error::NoDefaultStore
        | keyring::Error::NoStorageAccess(_)
        | keyring::Error::PlatformFailure(_) => Error::Unavailable {
            reason: error.to_string(),
        },
        other => Error::Access {
            account: account.to_string(),
            reason: other.to_string(),
        },
    }
}
