//! SCIM 2.0 resource and message models (RFC 7643, RFC 7644).
//!
//! Every struct keeps attributes it does not name in `extra`, so a resource read
//! from a server and written back loses nothing (vendor extensions included).
//!
//! Optional attributes are spelled once per struct, not once per field: `#[serde(default)]` on
//! the struct (absent means empty), `#[skip_serializing_none]` (`None` is left out, never sent as
//! `null`) and `#[ts(optional_fields)]` (`name?: T` in TypeScript). A `Vec` left out when empty is
//! `#[ts(optional = nullable)]`: `name?: T[]` (ts-rs's `optional_fields` only touches `Option`s).

mod common;
mod discovery;
mod error_body;
mod group;
mod list;
mod patch;
mod user;

pub use common::{Address, Meta, MultiValuedAttr, Name};
pub use discovery::{
    AuthenticationScheme, BulkConfig, FilterConfig, PaginationConfig, ResourceType, Schema,
    SchemaAttribute, SchemaExtension, ServiceProviderConfig, Supported,
};
pub(crate) use error_body::normalise_vendor_name;
pub use error_body::ScimErrorBody;
pub use group::{Group, GroupMember};
pub use list::ListResponse;
pub use patch::{PatchOp, PatchOpKind, PatchOperation};
pub use user::{EnterpriseUser, Manager, User, UserGroupRef};

/// Schema URNs used on the wire.
pub mod urn {
    pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
    pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
}

/// Attribute bag for everything a model does not name.
pub type Extra = serde_json::Map<String, serde_json::Value>;
