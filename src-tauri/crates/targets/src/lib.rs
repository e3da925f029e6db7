//! Target profiles (AWS, Unity, StrongDM, Axis, generic): URL/auth rules, capabilities, JumpCloud-to-SCIM mapping, wizard steps
