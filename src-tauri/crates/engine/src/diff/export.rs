//! A report as a file: CSV for spreadsheets, JSON for scripts, a standalone HTML page to send
//! to someone without the app.

use std::fmt::Write as _;
use std::str::FromStr;
use std::time::UNIX_EPOCH;

use drift::{DriftRow, DriftRowState};
use serde_json::json;

use super::report::{kind_name, state_name, DiffReport};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    Html,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Html => "html",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            "html" => Ok(Self::Html),
            other => Err(format!(
                "unknown export format `{other}` (use csv, json or html)"
            )),
        }
    }
}

const CSV_HEADER: &str =
    "kind,state,label,reason_code,reason,changed_attributes,jumpcloud_id,target_id";

impl DiffReport {
    pub fn export(&self, format: ExportFormat) -> String {
        self.export_states(format, &[])
    }

    /// The export with only the rows in `states` (every row when empty). The HTML report
    /// always shows every row: it is the whole picture by design.
    pub fn export_states(&self, format: ExportFormat, states: &[DriftRowState]) -> String {
        let rows: Vec<&DriftRow> = self
            .rows
            .iter()
            .filter(|r| states.is_empty() || states.contains(&r.state))
            .collect();
        match format {
            ExportFormat::Csv => Self::to_csv(&rows),
            ExportFormat::Json => self.to_json(&rows),
            ExportFormat::Html => self.to_html(),
        }
    }

    fn to_csv(rows: &[&DriftRow]) -> String {
        let mut out = String::with_capacity(rows.len() * 96 + 128);
        out.push_str(CSV_HEADER);
        out.push_str("\r\n");
        for row in rows {
            let fields = [
                kind_name(row.kind).to_owned(),
                state_name(row.state).to_owned(),
                row.label.clone(),
                code_name(row),
                row.reason.clone(),
                row.changed_attributes.join(" "),
                row.source_id.clone().unwrap_or_default(),
                row.target_id.clone().unwrap_or_default(),
            ];
            let cells: Vec<String> = fields.iter().map(|f| csv_cell(f)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    fn to_json(&self, rows: &[&DriftRow]) -> String {
        let counts: serde_json::Map<String, serde_json::Value> = self
            .counts()
            .into_iter()
            .map(|(state, c)| {
                (
                    state_name(state).to_owned(),
                    json!({"users": c.users, "groups": c.groups, "memberships": c.memberships}),
                )
            })
            .collect();
        let doc = json!({
            "target": {"id": self.target_id, "name": self.target_name, "kind": self.kind.id()},
            "finishedAt": self.finished_at.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            "durationMs": self.duration.as_millis() as u64,
            "requests": self.requests,
            "counts": counts,
            "rows": rows,
            "drift": self.drift,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.rows.len() * 256 + 4096);
        let title = format!("Diff: JumpCloud vs {}", self.target_name);
        let _ = write!(
            out,
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>{}</style></head><body>\n<h1>{}</h1>\n<p>{} rows, {} not in sync; read with {} requests in {} ms.</p>\n",
            html(&title),
            HTML_STYLE,
            html(&title),
            self.rows.len(),
            self.drifted(),
            self.requests,
            self.duration.as_millis()
        );
        out.push_str("<table class=\"summary\"><tr><th>State</th><th>Users</th><th>Groups</th><th>Memberships</th></tr>\n");
        for (state, c) in self.counts() {
            let _ = writeln!(
                out,
                "<tr class=\"{s}\"><td>{s}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.users,
                c.groups,
                c.memberships,
                s = state_name(state)
            );
        }
        out.push_str("</table>\n<table class=\"rows\"><tr><th>State</th><th>Kind</th><th>Name</th><th>Reason</th><th>Changed attributes</th><th>JumpCloud id</th><th>Target id</th></tr>\n");
        for row in &self.rows {
            let _ = writeln!(
                out,
                "<tr class=\"{s}\"><td>{s}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                kind_name(row.kind),
                html(&row.label),
                html(&row.reason),
                html(&row.changed_attributes.join(", ")),
                html(row.source_id.as_deref().unwrap_or("")),
                html(row.target_id.as_deref().unwrap_or("")),
                s = state_name(row.state)
            );
        }
        out.push_str("</table>\n</body></html>\n");
        out
    }
}

const HTML_STYLE: &str = "body{font-family:system-ui,sans-serif;margin:24px;color:#1a1f26}\
table{border-collapse:collapse;margin:12px 0;font-size:13px}\
th,td{border:1px solid #dfe3e8;padding:4px 8px;text-align:left}\
th{background:#f0f2f5}\
.missing td:first-child{color:#c23a33}.extra td:first-child{color:#8a5a00}\
.changed td:first-child{color:#2f62d9}.conflict td:first-child{color:#c23a33}\
.ineligible td:first-child{color:#6b7582}.in_sync td:first-child{color:#17804a}";

fn code_name(row: &DriftRow) -> String {
    serde_json::to_value(row.reason_code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// RFC 4180 quoting, and a leading `'` on values a spreadsheet would run as a formula.
fn csv_cell(value: &str) -> String {
    let value = history::defuse_formula(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(html("<b>&'\"</b>"), "&lt;b&gt;&amp;&#39;&quot;&lt;/b&gt;");
    }

    #[test]
    fn formats_parse_case_insensitively() {
        assert_eq!("HTML".parse::<ExportFormat>(), Ok(ExportFormat::Html));
        assert!("xml".parse::<ExportFormat>().is_err());
    }
}
