//! SCIM clients configured from a target profile: the profile decides paging and dialect,
//! the caller supplies where the target is and the credential.

use crate::error::Result;

/// A client for `kind` at `base_url`, with that target's paging and dialect.
pub fn client_for(kind: targets::Kind, base_url: &str, auth: scim::Auth) -> Result<scim::Client> {
    let caps = targets::capabilities(kind);
    let mut config = scim::ClientConfig::new(base_url, auth);
    config.paging = match caps.paging {
        targets::PagingStyle::Cursor { .. } => scim::Paging::Cursor {
            page_size: scim::CURSOR_MAX_PAGE_SIZE,
        },
        _ => scim::Paging::Index { page_size: 100 },
    };
    config.dialect = dialect(kind);
    Ok(scim::Client::new(config)?)
}

/// The wire forms each vendor accepts (see TARGETS.md).
fn dialect(kind: targets::Kind) -> scim::Dialect {
    use targets::Kind;
    let mut d = scim::Dialect::default();
    match kind {
        Kind::Aws => {
            d.membership_read = scim::MembershipRead::FilterByMember;
            d.membership.allow_replace_all = false;
            d.membership.max_changes_per_request = 100;
            d.membership.remove_form = scim::MemberRemoveForm::ValueList;
        }
        Kind::StrongDm => {
            d.deactivate = scim::DeactivateForm::PatchValueObject;
        }
        Kind::Unity => {
            d.deactivate = scim::DeactivateForm::Delete;
        }
        Kind::Axis | Kind::Generic => {}
    }
    d
}
