//! Small text helpers for tables that must stay readable in a 100-column terminal.

/// `text` on one line (control characters as spaces), cut to `width` characters with "…".
pub fn fit(text: &str, width: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= width {
        return flat;
    }
    let mut cut: String = flat.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_short_text_and_cuts_long_text_to_width() {
        assert_eq!(fit("abc", 5), "abc");
        assert_eq!(fit("a\nb", 5), "a b");
        let cut = fit("abcdefghij", 5);
        assert_eq!(cut, "abcd…");
        assert_eq!(cut.chars().count(), 5);
        assert_eq!(fit("äöüäöüäöü", 4).chars().count(), 4);
    }
}
