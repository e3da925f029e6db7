//! [`Secret`]: the one type every token, API key and password travels in.

use std::fmt;

use serde::{Deserialize, Deserializer};
use zeroize::Zeroize;

/// A credential in memory. `Debug` and `Display` print `[REDACTED]`, there is deliberately no
/// `Serialize` (a DTO holding one cannot be sent back to the UI or written to a file by
/// accident), and the bytes are overwritten with zeros when it is dropped. The only way to read
/// it is [`Secret::expose`], so every use of the raw value is greppable.
///
/// It does deserialize (from a JSON string), because forms send secrets in.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value. Call only where it goes on the wire or into the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "tok-abc123-secret";

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new(VALUE);
        assert!(!format!("{s:?}").contains(VALUE));
        assert!(!format!("{s}").contains(VALUE));
        assert!(!format!("{:?}", Some(&s)).contains(VALUE));
        assert_eq!(s.expose(), VALUE);
    }

    #[test]
    fn deserializes_from_a_json_string() {
        let s: Secret = serde_json::from_str(&format!("\"{VALUE}\"")).unwrap();
        assert_eq!(s.expose(), VALUE);
    }
}
