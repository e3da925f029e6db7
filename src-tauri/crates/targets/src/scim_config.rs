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
        Credentials::Bearer { token } => Auth::Bearer(Secret::new(token.clone())),
        Credentials::Basic { key_id, secret_key } => Auth::Basic {
            key_id: key_id.clone(),
            secret: Secret::new(secret_key.clone()),
        },
        Credentials::Header { name, value } => Auth::Header {
            name: name.clone(),
            value: Secret::new(value.clone()),
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
