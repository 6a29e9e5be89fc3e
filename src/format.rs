//! Number and text formatting shared by every report writer.

/// `1234567.8` → `1,234,568`: whole £k with thousands separators.
pub fn thousands(x: f64) -> String {
    let rounded = x.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// £k → `£1.23bn` / `£45.6m` / `£789k` for headlines.
pub fn money(k: f64) -> String {
    let a = k.abs();
    if a >= 1_000_000.0 {
        format!("£{:.2}bn", k / 1_000_000.0)
    } else if a >= 1_000.0 {
        format!("£{:.1}m", k / 1_000.0)
    } else {
        format!("£{:.0}k", k)
    }
}

/// Text from input files made safe for a spreadsheet cell: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return would make Excel or LibreOffice run it as a formula,
/// so such text gets a leading apostrophe (OWASP's advice for CSV injection).
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Text made safe for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Up to `most` names separated by commas, then how many more: for messages that must
/// stay readable however long the list.
pub fn listing(names: &[&str], most: usize) -> String {
    let shown: Vec<&str> = names.iter().take(most).copied().collect();
    let mut out = shown.join(", ");
    if names.len() > most {
        out += &format!(" and {} more", names.len() - most);
    }
    out
}

/// Text from input files made safe for one Markdown table cell or line: pipes cannot
/// break the table, line breaks cannot end it, and `<`, `>` and `&` become entities so
/// a renderer never runs markup a title carries (Markdown lets raw HTML through).
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// A fenced code block that the text cannot close early: the fence is longer than any
/// run of backticks inside it.
pub fn markdown_code(language: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{language}\n{text}{newline}{fence}")
}

/// A fixed number of decimals with no "-0.00".
pub fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A value from the user's files, for an error message: at most `most` characters
/// (then "…"), with invisible characters (controls, bidirectional overrides) written
/// as `U+XXXX` so a message can neither run on for pages nor scramble the terminal.
pub fn clip(text: &str, most: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == most {
            out.push('…');
            break;
        }
        if is_invisible_control(c) {
            out += &format!("U+{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The longest value an error message shows (see [`clip`]).
pub const ECHO: usize = 60;

/// Characters that change how text shows without showing themselves: C0 and C1
/// controls other than tab, DEL, and the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069) that can make text read backwards.
pub fn is_invisible_control(c: char) -> bool {
    (c.is_control() && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1234567.8), "1,234,568");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(thousands(-0.2), "0");
    }

    #[test]
    fn money_picks_a_readable_unit() {
        assert_eq!(money(1_300_000.0), "£1.30bn");
        assert_eq!(money(45_600.0), "£45.6m");
        assert_eq!(money(789.0), "£789k");
    }

    #[test]
    fn formula_starters_are_neutralised() {
        for hostile in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(spreadsheet_safe("EPR for Leeds"), "EPR for Leeds");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn markdown_from_inputs_cannot_break_out() {
        assert_eq!(
            markdown_cell("<script>a|b</script>\nc & d"),
            "&lt;script&gt;a\\|b&lt;/script&gt; c &amp; d"
        );
        let block = markdown_code("toml", "x = \"```\"\n");
        assert!(
            block.starts_with("````toml\n") && block.ends_with("\n````"),
            "{block}"
        );
    }

    #[test]
    fn fixed_has_no_negative_zero() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(-1.5, 1), "-1.5");
    }

    #[test]
    fn clip_cuts_long_values_and_shows_invisible_characters() {
        assert_eq!(clip("short", 60), "short");
        let long = "x".repeat(100);
        assert_eq!(clip(&long, 60), format!("{}…", "x".repeat(60)));
        assert_eq!(clip("a\u{202E}b\0", 60), "aU+202EbU+0000");
        assert_eq!(clip("tab\there", 60), "tab\there");
    }
}
