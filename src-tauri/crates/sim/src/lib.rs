//! Loopback simulators: JumpCloud API, SCIM target dialects with fault injection, and the embedded demo workspace
