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

/// `text` on lines of at most `width` characters, broken at spaces where possible (a word longer
/// than `width` is split). Nothing is dropped: reasons are shown verbatim, only wrapped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        let mut word: Vec<char> = word.chars().collect();
        // Hard-split words that cannot fit on a line of their own.
        while word.len() > width {
            if line_len > 0 {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
            }
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let needed = if line_len == 0 {
            word.len()
        } else {
            line_len + 1 + word.len()
        };
        if needed > width {
            lines.push(std::mem::take(&mut line));
            line_len = 0;
        }
        if line_len > 0 {
            line.push(' ');
            line_len += 1;
        }
        line.extend(word.iter());
        line_len += word.len();
    }
    if line_len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{fit, wrap};

    #[test]
    fn wrap_keeps_every_word_within_width() {
        let text = "Not provisioned: no display name: AWS requires displayName";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("short", 10), ["short"]);
    }

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
