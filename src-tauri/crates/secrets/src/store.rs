//! [`SecretStore`]: where the app reads and writes credentials, with the OS keychain
//! ([`crate::Vault`], feature `keychain`) and the in-memory [`MemorySecrets`] behind it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::{Account, Error, Result, Secret};

/// Where secrets are read and written: the OS keychain ([`crate::Vault`]) in the app and the
/// CLI; [`MemorySecrets`] in tests (and for secrets the CLI takes from the environment).
pub trait SecretStore: Send + Sync {
    /// `Ok(None)` when nothing is stored for the account. The value is zeroed when dropped.
    fn get(&self, account: &Account) -> Result<Option<Secret>>;
    fn set(&self, account: &Account, secret: &str) -> Result<()>;
    /// Whether there was something to delete.
    fn delete(&self, account: &Account) -> Result<bool>;
}

#[cfg(feature = "keychain")]
impl SecretStore for crate::Vault {
    fn get(&self, account: &Account) -> Result<Option<Secret>> {
        Ok(crate::Vault::get(self, account)?.map(|v| v.0))
    }
    fn set(&self, account: &Account, secret: &str) -> Result<()> {
        crate::Vault::set(self, account, secret)
    }
    fn delete(&self, account: &Account) -> Result<bool> {
        crate::Vault::delete(self, account)
    }
}

/// Secrets held in memory only. [`MemorySecrets::unavailable`] behaves like a machine without a
/// keychain.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<String, Secret>>,
    unavailable: bool,
}

impl MemorySecrets {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn unavailable() -> Self {
        Self {
            unavailable: true,
            ..Self::default()
        }
    }

    /// The values, or the "no keychain" error of [`MemorySecrets::unavailable`]. A panic while
    /// the lock was held leaves the map itself intact, so a poisoned lock is used as it is.
    fn values(&self) -> Result<MutexGuard<'_, HashMap<String, Secret>>> {
        if self.unavailable {
            return Err(Error::Unavailable {
                reason: "no keychain in this test".into(),
            });
        }
        Ok(self.values.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &Account) -> Result<Option<Secret>> {
        Ok(self.values()?.get(&account.to_string()).cloned())
    }
    fn set(&self, account: &Account, secret: &str) -> Result<()> {
        self.values()?
            .insert(account.to_string(), Secret::new(secret));
        Ok(())
    }
    fn delete(&self, account: &Account) -> Result<bool> {
        Ok(self.values()?.remove(&account.to_string()).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Account {
        Account::TargetToken {
            target_id: "aws-prod".into(),
        }
    }

    #[test]
    fn memory_secrets_store_read_and_delete() {
        let store = MemorySecrets::new();
        assert_eq!(store.get(&token()).unwrap(), None);
        store.set(&token(), "t0ken").unwrap();
        assert_eq!(store.get(&token()).unwrap().unwrap().expose(), "t0ken");
        assert!(store.delete(&token()).unwrap());
        assert!(!store.delete(&token()).unwrap());
        assert_eq!(store.get(&token()).unwrap(), None);
    }

    #[test]
    fn unavailable_memory_secrets_fail_like_a_machine_without_keychain() {
        let store = MemorySecrets::unavailable();
        assert!(matches!(
            store.set(&token(), "t0ken"),
            Err(Error::Unavailable { .. })
        ));
        assert!(matches!(
            store.get(&token()),
            Err(Error::Unavailable { .. })
        ));
        assert!(matches!(
            store.delete(&token()),
            Err(Error::Unavailable { .. })
        ));
    }
}
