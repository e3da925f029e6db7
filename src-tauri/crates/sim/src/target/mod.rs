//! SCIM service-provider simulator with target dialects and fault injection.
