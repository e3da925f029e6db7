//! SCIM clients configured from a target profile: the profile decides paging and dialect,
//! the caller supplies where the target is and the credential.

use crate::error::Result;

/// A client for `kind` at `base_url`, with that target's paging and dialect.
pub fn client_for(kind: targets::Kind, base_url: &str, auth: scim::Auth) -> Result<scim::Client> {
    let mut config = scim::ClientConfig::new(base_url, auth);
    config.paging = targets::scim_paging(kind);
    config.dialect = targets::scim_dialect(kind);
    Ok(scim::Client::new(config)?)
}
