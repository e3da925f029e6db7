//! Spreadsheet formula injection: a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is run as a formula by Excel, LibreOffice and Sheets (`=HYPERLINK(...)` in a
//! user's display name or a server's error text). Every CSV the app writes (history runs, diff
//! exports) passes its cells through [`defuse_formula`].

use std::borrow::Cow;

/// `value` with a leading `'` when a spreadsheet would read it as a formula, else unchanged.
/// The `'` is the spreadsheet convention for "text": it is not shown in the cell.
pub fn defuse_formula(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_defused_and_text_is_left_alone() {
        for risky in ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(defuse_formula(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["ada@example.com", "a=b", "", "'already", "1-2"] {
            assert_eq!(defuse_formula(plain), plain);
        }
    }
}
