//! The `scim` client's knobs for each target, so vendor choices live here and
//! the client stays vendor-neutral.

use scim::{
    Auth, ClientConfig, DeactivateForm, Dialect, MemberRemoveForm, MembershipPolicy,
    MembershipRead, Paging, Secret, CURSOR_MAX_PAGE_SIZE,
};
use url::Url;

use crate::auth::Credentials;
use crate::kind::Kind;

pub fn scim_paging(kind: Kind) -> Paging {
    match kind {
        Kind::Aws => Paging::Cursor {
            page_size: CURSOR_MAX_PAGE_SIZE,
        },
        _ => Paging::Index { page_size: 100 },
    }
}

pub fn scim_dialect(kind: Kind) -> Dialect {
    match kind {
        Kind::Aws => Dialect {
            deactivate: DeactivateForm::PatchPath,
            membership_read: MembershipRead::FilterByMember,
            membership: MembershipPolicy {
                max_changes_per_request: 100,
                allow_replace_all: false,
                remove_form: MemberRemoveForm::ValueList,
            },
        },
        Kind::StrongDm => Dialect {
            deactivate: DeactivateForm::PatchValueObject,
            ..Dialect::default()
        },
        Kind::Unity => Dialect {
            deactivate: DeactivateForm::Delete,
            ..Dialect::default()
        },
        Kind::Axis | Kind::Generic => Dialect::default(),
    }
}

pub fn scim_auth(credentials: &Credentials) -> Auth {
    match credentials {
        Credentials::Bearer { token } => Auth::Bearer(token.clone()),
        Credentials::Basic { key_id, secret_key } => Auth::Basic {
            key_id: key_id.clone(),
            secret: secret_key.clone(),
        },
        // Validated credentials never hold this; sent as pasted, with exactly one prefix.
        Credentials::BasicValue { .. } => {
            let (name, value) = credentials.header();
            Auth::Header {
                name,
                value: Secret::new(value),
            }
        }
        Credentials::Header { name, value } => Auth::Header {
            name: name.clone(),
            value: value.clone(),
        },
    }
}

/// A client configuration for a URL and credentials already validated with
/// [`crate::normalize_base_url`] and [`Credentials::validated`].
pub fn client_config(kind: Kind, base_url: &Url, credentials: &Credentials) -> ClientConfig {
    let mut config = ClientConfig::new(base_url.as_str(), scim_auth(credentials));
    config.paging = scim_paging(kind);
    config.dialect = scim_dialect(kind);
    config
}

#[cfg(test)]
mod tests {
    use scim::Secret;

    use super::*;
    use crate::capabilities::{
        capabilities, Deprovision, MemberRemoval, MembershipRead as Read, PagingStyle, UserPatch,
    };

    /// The client's knobs must say what the capability data says.
    #[test]
    fn dialect_and_paging_agree_with_capabilities() {
        for kind in Kind::ALL {
            let c = capabilities(kind);
            let d = scim_dialect(kind);
            assert_eq!(
                matches!(scim_paging(kind), Paging::Cursor { .. }),
                c.paging == PagingStyle::Cursor,
                "{kind:?}"
            );
            assert_eq!(
                d.deactivate == DeactivateForm::Delete,
                c.deprovision == Deprovision::Delete
            );
            assert_eq!(
                d.deactivate == DeactivateForm::PatchValueObject,
                c.user_patch == UserPatch::ActiveOnly
            );
            assert_eq!(
                d.membership_read == MembershipRead::FilterByMember,
                c.membership_read == Read::FilterByMember
            );
            assert_eq!(
                d.membership.allow_replace_all,
                c.group_patch.replace_all_members
            );
            assert_eq!(
                d.membership.remove_form == MemberRemoveForm::ValueList,
                c.group_patch.member_removal == MemberRemoval::ValueList
            );
            if let Some(max) = c.group_patch.max_member_changes {
                assert_eq!(d.membership.max_changes_per_request, max as usize);
            }
        }
    }

    #[test]
    fn client_config_carries_url_auth_and_dialect() {
        let url = Url::parse("https://scim.us-east-1.amazonaws.com/t/scim/v2").unwrap();
        let creds = Credentials::Basic {
            key_id: "k".into(),
            secret_key: "s".into(),
        };
        let c = client_config(Kind::Aws, &url, &creds);
        assert_eq!(c.base_url, url.as_str());
        assert_eq!(c.paging, Paging::Cursor { page_size: 100 });
        assert_eq!(c.dialect, scim_dialect(Kind::Aws));
        assert_eq!(
            c.auth,
            Auth::Basic {
                key_id: "k".into(),
                secret: Secret::new("s")
            }
        );
        let h = scim_auth(&Credentials::Header {
            name: "X-Key".into(),
            value: "v".into(),
        });
        assert_eq!(
            h,
            Auth::Header {
                name: "X-Key".into(),
                value: Secret::new("v")
            }
        );
    }
}
