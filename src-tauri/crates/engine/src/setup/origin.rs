//! Which address a saved secret belongs to. A stored target token or JumpCloud API key is sent
//! only to the origin it was saved for: the same target kind, scheme, host, port and base path,
//! and the same local-endpoint choice (for JumpCloud: the same API address, which the region
//! decides unless an explicit address is set). Any change means the admin enters the secret
//! again, so editing a URL to a look-alike host and pressing Test cannot hand the token over.
//!
//! The one decision is [`check_target_secret`] / [`check_jumpcloud_key`]; the app's commands
//! and the CLI only call them.

use crate::config::{JumpCloudSettings, TargetSettings};
use crate::error::{Error, OriginChange, Result, SavedSecret};

use super::TargetDraft;

/// The parts of an address a secret is bound to, normalised (host lower-cased, default port
/// filled in, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretOrigin {
    /// `None` for JumpCloud.
    pub kind: Option<targets::Kind>,
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub local_endpoint: bool,
    /// The whole normalised address, for messages.
    pub address: String,
}

impl SecretOrigin {
    fn from_parts(
        kind: Option<targets::Kind>,
        local_endpoint: bool,
        scheme: &str,
        host: Option<&str>,
        port: Option<u16>,
        path: &str,
        address: &str,
    ) -> Self {
        Self {
            kind,
            scheme: scheme.to_ascii_lowercase(),
            host: host.unwrap_or_default().to_ascii_lowercase(),
            port,
            path: path.trim_end_matches('/').to_owned(),
            local_endpoint,
            address: address.trim_end_matches('/').to_owned(),
        }
    }

    /// A target's origin from its URL, checked by the rule it is under (vendor or loopback).
    pub fn of_target_url(
        kind: targets::Kind,
        base_url: &str,
        local_endpoint: bool,
    ) -> Result<Self> {
        let url = if local_endpoint {
            targets::normalize_local_endpoint(kind, base_url)?
        } else {
            targets::normalize_base_url(kind, base_url)?
        };
        Ok(Self::from_parts(
            Some(kind),
            local_endpoint,
            url.scheme(),
            url.host_str(),
            url.port_or_known_default(),
            url.path(),
            url.as_str(),
        ))
    }

    pub fn of_saved_target(t: &TargetSettings) -> Result<Self> {
        Self::of_target_url(t.kind, &t.base_url, t.local_endpoint)
    }

    pub fn of_draft(d: &TargetDraft) -> Result<Self> {
        Self::of_target_url(d.kind, &d.base_url, d.local_endpoint)
    }

    /// Where a JumpCloud client with these settings sends the key: the explicit address, else
    /// the region's. The organization id is not part of it: it only picks among the
    /// organizations the key already reaches, on the same host.
    pub fn of_jumpcloud(s: &JumpCloudSettings) -> Result<Self> {
        let raw = s
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| s.region.base_url());
        let url = jumpcloud::parse_base_url(raw)?;
        Ok(Self::from_parts(
            None,
            false,
            url.scheme(),
            url.host_str(),
            url.port_or_known_default(),
            url.path(),
            url.as_str(),
        ))
    }

    /// The first field that differs, or `None` when a secret saved for `self` may go to `other`.
    pub fn change_to(&self, other: &SecretOrigin) -> Option<OriginChange> {
        if self.kind != other.kind {
            Some(OriginChange::Kind)
        } else if self.local_endpoint != other.local_endpoint {
            Some(OriginChange::LocalEndpoint)
        } else if self.scheme != other.scheme {
            Some(OriginChange::Scheme)
        } else if self.host != other.host {
            Some(OriginChange::Host)
        } else if self.port != other.port {
            Some(OriginChange::Port)
        } else if self.path != other.path {
            Some(OriginChange::Path)
        } else {
            None
        }
    }
}

/// May `draft` use the token stored for `saved`? Only when it points at the same origin;
/// otherwise [`Error::SecretNotForThisAddress`] and nothing is sent. A draft URL that breaks its
/// rule is that URL error (also before anything is sent).
pub fn check_target_secret(saved: &TargetSettings, draft: &TargetDraft) -> Result<()> {
    let wanted = SecretOrigin::of_draft(draft)?;
    // A saved URL that no longer passes its rule binds nothing: the admin re-enters the token.
    let have = match SecretOrigin::of_saved_target(saved) {
        Ok(o) => o,
        Err(_) => {
            return Err(Error::SecretNotForThisAddress {
                secret: SavedSecret::TargetToken,
                saved_for: saved.base_url.clone(),
                change: OriginChange::SavedAddressInvalid,
            })
        }
    };
    refuse_change(SavedSecret::TargetToken, &have, &wanted)
}

/// May a JumpCloud connection with `wanted` settings use the API key saved with `saved`?
pub fn check_jumpcloud_key(saved: &JumpCloudSettings, wanted: &JumpCloudSettings) -> Result<()> {
    let wanted = SecretOrigin::of_jumpcloud(wanted)?;
    let have = SecretOrigin::of_jumpcloud(saved)?;
    refuse_change(SavedSecret::JumpCloudKey, &have, &wanted)
}

fn refuse_change(secret: SavedSecret, have: &SecretOrigin, wanted: &SecretOrigin) -> Result<()> {
    match have.change_to(wanted) {
        None => Ok(()),
        Some(change) => Err(Error::SecretNotForThisAddress {
            secret,
            saved_for: have.address.clone(),
            change,
        }),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::config::TargetAuth;

    fn saved(kind: targets::Kind, url: &str, local: bool) -> TargetSettings {
        TargetSettings {
            id: "t-1".into(),
            kind,
            name: "Saved".into(),
            base_url: url.into(),
            local_endpoint: local,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: None,
            manage_groups: false,
            validated_domains: vec![],
            created_at: Utc::now(),
            token_saved_at: Some(Utc::now()),
            token_created_on: None,
        }
    }

    fn draft(kind: targets::Kind, url: &str, local: bool) -> TargetDraft {
        let mut d = TargetDraft::new(kind, "Draft", url);
        d.id = Some("t-1".into());
        d.local_endpoint = local;
        d
    }

    fn change(saved: &TargetSettings, draft: &TargetDraft) -> Option<OriginChange> {
        match check_target_secret(saved, draft) {
            Ok(()) => None,
            Err(Error::SecretNotForThisAddress {
                change,
                secret: SavedSecret::TargetToken,
                saved_for,
            }) => {
                assert_eq!(saved_for, saved.base_url.trim_end_matches('/'));
                Some(change)
            }
            Err(other) => panic!("expected SecretNotForThisAddress, got {other:?}"),
        }
    }

    use targets::Kind::{Axis, Generic};

    const GENERIC: &str = "https://scim.example.org/v2";
    const LOCAL: &str = "http://127.0.0.1:4000/scim/v2";

    #[test]
    fn the_same_origin_keeps_the_stored_token_however_it_is_written() {
        let s = saved(Generic, GENERIC, false);
        for same in [
            GENERIC,
            "https://scim.example.org/v2/",
            "  https://SCIM.Example.org/v2 ",
            "https://scim.example.org:443/v2",
        ] {
            assert_eq!(change(&s, &draft(Generic, same, false)), None, "{same}");
        }
        let local = saved(Generic, LOCAL, true);
        assert_eq!(change(&local, &draft(Generic, LOCAL, true)), None);
    }

    #[test]
    fn a_changed_kind_needs_the_token_again() {
        let s = saved(Generic, GENERIC, false);
        assert_eq!(
            change(&s, &draft(Axis, GENERIC, false)),
            Some(OriginChange::Kind)
        );
    }

    #[test]
    fn a_changed_scheme_needs_the_token_again() {
        let s = saved(Generic, LOCAL, true);
        let https = LOCAL.replace("http://", "https://");
        assert_eq!(
            change(&s, &draft(Generic, &https, true)),
            Some(OriginChange::Scheme)
        );
    }

    #[test]
    fn a_changed_host_needs_the_token_again() {
        let s = saved(Generic, GENERIC, false);
        for other in [
            "https://scim.example.org.evil.test/v2",
            "https://scim.examp1e.org/v2",
            "https://evil.test/scim.example.org/v2",
        ] {
            assert_eq!(
                change(&s, &draft(Generic, other, false)),
                Some(OriginChange::Host),
                "{other}"
            );
        }
        // Loopback names are different hosts too.
        let local = saved(Generic, LOCAL, true);
        assert_eq!(
            change(
                &local,
                &draft(Generic, "http://localhost:4000/scim/v2", true)
            ),
            Some(OriginChange::Host)
        );
    }

    #[test]
    fn a_changed_port_needs_the_token_again() {
        let s = saved(Generic, LOCAL, true);
        assert_eq!(
            change(&s, &draft(Generic, "http://127.0.0.1:4001/scim/v2", true)),
            Some(OriginChange::Port)
        );
        let remote = saved(Generic, GENERIC, false);
        assert_eq!(
            change(
                &remote,
                &draft(Generic, "https://scim.example.org:8443/v2", false)
            ),
            Some(OriginChange::Port)
        );
    }

    #[test]
    fn a_changed_base_path_needs_the_token_again() {
        let s = saved(Generic, GENERIC, false);
        for other in [
            "https://scim.example.org/v2/other",
            "https://scim.example.org/V2",
            "https://scim.example.org",
        ] {
            assert_eq!(
                change(&s, &draft(Generic, other, false)),
                Some(OriginChange::Path),
                "{other}"
            );
        }
    }

    #[test]
    fn a_changed_local_endpoint_choice_needs_the_token_again() {
        // Generic accepts http to loopback under both rules, so only the flag differs.
        let s = saved(Generic, LOCAL, true);
        assert_eq!(
            change(&s, &draft(Generic, LOCAL, false)),
            Some(OriginChange::LocalEndpoint)
        );
        let s = saved(Generic, LOCAL, false);
        assert_eq!(
            change(&s, &draft(Generic, LOCAL, true)),
            Some(OriginChange::LocalEndpoint)
        );
    }

    #[test]
    fn an_invalid_draft_url_is_its_url_error_and_an_invalid_saved_one_binds_nothing() {
        let s = saved(Generic, GENERIC, false);
        let err = check_target_secret(&s, &draft(Generic, "ftp://x", false)).unwrap_err();
        assert!(matches!(err, Error::Target(_)), "{err:?}");
        let broken = saved(Generic, "not a url", false);
        assert_eq!(
            change(&broken, &draft(Generic, GENERIC, false)),
            Some(OriginChange::SavedAddressInvalid)
        );
    }

    fn jc(
        region: jumpcloud::Region,
        base_url: Option<&str>,
        org: Option<&str>,
    ) -> JumpCloudSettings {
        JumpCloudSettings {
            region,
            org_id: org.map(str::to_owned),
            base_url: base_url.map(str::to_owned),
            key_saved_at: None,
        }
    }

    fn jc_change(saved: &JumpCloudSettings, wanted: &JumpCloudSettings) -> Option<OriginChange> {
        match check_jumpcloud_key(saved, wanted) {
            Ok(()) => None,
            Err(Error::SecretNotForThisAddress {
                change,
                secret: SavedSecret::JumpCloudKey,
                ..
            }) => Some(change),
            Err(other) => panic!("expected SecretNotForThisAddress, got {other:?}"),
        }
    }

    #[test]
    fn the_jumpcloud_key_stays_with_its_region_or_address() {
        use jumpcloud::Region::{Eu, Us};
        let us = jc(Us, None, Some("org-1"));
        // Same address, however written; another organization on the same host is fine.
        assert_eq!(jc_change(&us, &jc(Us, None, None)), None);
        assert_eq!(jc_change(&us, &jc(Us, None, Some("org-2"))), None);
        assert_eq!(
            jc_change(&us, &jc(Eu, Some("https://console.jumpcloud.com/"), None)),
            None,
            "an explicit address equal to the region's is the same origin"
        );
        // Another region is another host.
        assert_eq!(
            jc_change(&us, &jc(Eu, None, None)),
            Some(OriginChange::Host)
        );
        // An explicit address somewhere else.
        assert_eq!(
            jc_change(
                &us,
                &jc(Us, Some("https://console.jumpcloud.com.evil.test"), None)
            ),
            Some(OriginChange::Host)
        );
        let sim = jc(Us, Some("http://127.0.0.1:4100"), None);
        assert_eq!(
            jc_change(&sim, &jc(Us, Some("http://127.0.0.1:4100/"), None)),
            None
        );
        assert_eq!(
            jc_change(&sim, &jc(Us, Some("http://127.0.0.1:4101"), None)),
            Some(OriginChange::Port)
        );
        assert_eq!(
            jc_change(&sim, &jc(Us, Some("http://127.0.0.1:4100/proxy"), None)),
            Some(OriginChange::Path)
        );
        assert_eq!(
            jc_change(&sim, &jc(Us, None, None)),
            Some(OriginChange::Scheme)
        );
    }
}
