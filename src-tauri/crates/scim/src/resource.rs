//! What the generic CRUD and paging code needs to know about a resource.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::filter::Filter;
use crate::models::{Group, User};

pub trait Resource: DeserializeOwned + Serialize + Send + Sync + 'static {
    /// Collection path under the base URL.
    const ENDPOINT: &'static str;
    /// Name used in errors.
    const KIND: &'static str;

    fn id(&self) -> Option<&str>;

    /// The server-unique value a 409 conflicts on, and the filter that finds it.
    fn unique_key(&self) -> &str;
    fn unique_filter(&self) -> Filter;
}

impl Resource for User {
    const ENDPOINT: &'static str = "Users";
    const KIND: &'static str = "User";

    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn unique_key(&self) -> &str {
        &self.user_name
    }
    fn unique_filter(&self) -> Filter {
        Filter::eq("userName", self.user_name.as_str())
    }
}

impl Resource for Group {
    const ENDPOINT: &'static str = "Groups";
    const KIND: &'static str = "Group";

    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn unique_key(&self) -> &str {
        &self.display_name
    }
    fn unique_filter(&self) -> Filter {
        Filter::eq("displayName", self.display_name.as_str())
    }
}
