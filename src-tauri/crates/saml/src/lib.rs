//! AWS AccessControl SAML AttributeStatement builder and validator (quick-xml)
