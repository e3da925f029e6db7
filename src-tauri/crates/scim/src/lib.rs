//! SCIM 2.0 client and models (RFC 7643/7644): discovery, paging dialects, filters, CRUD, PATCH, retries
