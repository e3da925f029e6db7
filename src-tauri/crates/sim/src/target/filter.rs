//! SCIM filter grammar (RFC 7644 §3.4.2.2): parser and evaluator over `serde_json::Value`.
//!
//! Also parses PATCH paths (`attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`), which share
//! the attribute-path and value-filter syntax.

use serde_json::Value;

use super::json::{get_ci, is_case_exact};

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: Value,
    },
    Present(AttrPath),
    /// `attr[filter]`: true when some value of the multi-valued `attr` matches `filter`.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// `[schemaURN:]name[.sub]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// Extension schema URN; `None` for core attributes (core URNs are folded into `None`).
    pub schema: Option<String>,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A PATCH `path`: `attr[.sub]` or `attr[filter][.sub]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attr: AttrPath,
    pub filter: Option<Filter>,
    /// Sub-attribute after a value filter (`emails[type eq "work"].value`).
    pub sub: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

const CORE_URNS: [&str; 2] = [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
];

impl AttrPath {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        if text.is_empty() {
            return Err(FilterError("empty attribute path".into()));
        }
        let (schema, rest) = if text.len() > 4 && text[..4].eq_ignore_ascii_case("urn:") {
            let cut = text
                .rfind(':')
                .ok_or_else(|| FilterError(format!("bad attribute path {text}")))?;
            let urn = &text[..cut];
            let schema = if CORE_URNS.iter().any(|c| c.eq_ignore_ascii_case(urn)) {
                None
            } else {
                Some(urn.to_string())
            };
            (schema, &text[cut + 1..])
        } else {
            (None, text)
        };
        let names: Vec<String> = rest.split('.').map(str::to_string).collect();
        let valid = |n: &String| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if names.is_empty() || names.len() > 2 || !names.iter().all(valid) {
            return Err(FilterError(format!("bad attribute path {text}")));
        }
        Ok(AttrPath { schema, names })
    }

    /// Lower-case dotted form without schema, for dialect allow-lists (`name.familyname`).
    pub fn key(&self) -> String {
        self.names.join(".").to_ascii_lowercase()
    }
}

impl Filter {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens, pos: 0 };
        let filter = parser.parse_or()?;
        if parser.pos != parser.tokens.len() {
            return Err(FilterError(format!(
                "unexpected {:?} in filter",
                parser.tokens[parser.pos]
            )));
        }
        Ok(filter)
    }

    /// Does `resource` (or a multi-valued element, inside a value path) match?
    pub fn matches(&self, resource: &Value) -> Result<bool, FilterError> {
        match self {
            Filter::And(a, b) => Ok(a.matches(resource)? && b.matches(resource)?),
            Filter::Or(a, b) => Ok(a.matches(resource)? || b.matches(resource)?),
            Filter::Not(f) => Ok(!f.matches(resource)?),
            Filter::Present(path) => Ok(resolve(resource, path).iter().any(|v| is_present(v))),
            Filter::ValuePath { path, filter } => {
                for element in resolve_elements(resource, path) {
                    if filter.matches(element)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Filter::Compare { path, op, value } => {
                let exact = is_case_exact(path.names.last().map(String::as_str).unwrap_or(""));
                let found = resolve(resource, path);
                if value.is_null() {
                    let present = found.iter().any(|v| is_present(v));
                    return match op {
                        CompareOp::Eq => Ok(!present),
                        CompareOp::Ne => Ok(present),
                        _ => Err(FilterError("null only compares with eq/ne".into())),
                    };
                }
                if *op == CompareOp::Ne {
                    // `ne` holds when no value equals the operand (absent counts as not equal).
                    for v in &found {
                        if compare(v, CompareOp::Eq, value, exact)? {
                            return Ok(false);
                        }
                    }
                    return Ok(true);
                }
                for v in &found {
                    if compare(v, *op, value, exact)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// Flatten a chain of `and` into its operands (for dialects that only allow `and`).
    pub fn and_terms(&self) -> Vec<&Filter> {
        match self {
            Filter::And(a, b) => {
                let mut v = a.and_terms();
                v.extend(b.and_terms());
                v
            }
            other => vec![other],
        }
    }
}

impl PatchPath {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let Some(open) = text.find('[') else {
            return Ok(PatchPath {
                attr: AttrPath::parse(text.trim())?,
                filter: None,
                sub: None,
            });
        };
        let close = text
            .rfind(']')
            .ok_or_else(|| FilterError(format!("unclosed '[' in path {text}")))?;
        if close < open {
            return Err(FilterError(format!("bad path {text}")));
        }
        let attr = AttrPath::parse(text[..open].trim())?;
        if attr.names.len() != 1 {
            return Err(FilterError(format!(
                "value filter on a sub-attribute: {text}"
            )));
        }
        let filter = Filter::parse(&text[open + 1..close])?;
        let rest = text[close + 1..].trim();
        let sub = if rest.is_empty() {
            None
        } else {
            let name = rest
                .strip_prefix('.')
                .ok_or_else(|| FilterError(format!("bad text after ']' in {text}")))?;
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '$') {
                return Err(FilterError(format!("bad sub-attribute in {text}")));
            }
            Some(name.to_string())
        };
        Ok(PatchPath {
            attr,
            filter: Some(filter),
            sub,
        })
    }
}

fn is_present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// The container that holds `path`'s first name: the resource itself or an extension object.
fn container<'a>(resource: &'a Value, path: &AttrPath) -> Option<&'a Value> {
    match &path.schema {
        None => Some(resource),
        Some(urn) => get_ci(resource, urn),
    }
}

/// Values of a multi-valued or complex attribute, as elements (for `attr[filter]`).
fn resolve_elements<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(mut cur) = container(resource, path) else {
        return Vec::new();
    };
    for name in &path.names {
        match get_ci(cur, name) {
            Some(v) => cur = v,
            None => return Vec::new(),
        }
    }
    match cur {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// Scalar values at `path`, flattening multi-valued attributes. A complex value compared
/// without a sub-attribute compares on its `value` (RFC 7644 §3.4.2.2, e.g. `members eq "id"`).
fn resolve<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(root) = container(resource, path) else {
        return Vec::new();
    };
    let mut current = vec![root];
    for name in &path.names {
        let mut next = Vec::new();
        for v in current {
            match v {
                Value::Array(items) => {
                    next.extend(items.iter().filter_map(|i| get_ci(i, name)));
                }
                other => next.extend(get_ci(other, name)),
            }
        }
        current = next;
    }
    let mut out = Vec::new();
    for v in current {
        match v {
            Value::Array(items) => out.extend(items.iter()),
            other => out.push(other),
        }
    }
    out.into_iter()
        .filter_map(|v| match v {
            Value::Object(_) => get_ci(v, "value"),
            other => Some(other),
        })
        .collect()
}

fn compare(
    found: &Value,
    op: CompareOp,
    operand: &Value,
    exact: bool,
) -> Result<bool, FilterError> {
    match (found, operand) {
        (Value::String(a), Value::String(b)) => {
            let (a, b) = if exact {
                (a.clone(), b.clone())
            } else {
                (a.to_lowercase(), b.to_lowercase())
            };
            Ok(match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
            })
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            match op {
                CompareOp::Eq => Ok(a == b),
                CompareOp::Ne => Ok(a != b),
                CompareOp::Gt => Ok(a > b),
                CompareOp::Ge => Ok(a >= b),
                CompareOp::Lt => Ok(a < b),
                CompareOp::Le => Ok(a <= b),
                _ => Err(FilterError("co/sw/ew need a string operand".into())),
            }
        }
        (Value::Bool(a), Value::Bool(b)) => match op {
            CompareOp::Eq => Ok(a == b),
            CompareOp::Ne => Ok(a != b),
            _ => Err(FilterError("booleans only compare with eq/ne".into())),
        },
        (_, Value::Bool(_)) if !matches!(op, CompareOp::Eq | CompareOp::Ne) => {
            Err(FilterError("booleans only compare with eq/ne".into()))
        }
        _ => Ok(false),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Word(String),
    Str(String),
}

fn tokenize(text: &str) -> Result<Vec<Token>, FilterError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '[' => {
                chars.next();
                tokens.push(Token::OpenBracket);
            }
            ']' => {
                chars.next();
                tokens.push(Token::CloseBracket);
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err(FilterError("unterminated string in filter".into())),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(other) => s.push(other),
                            None => return Err(FilterError("dangling escape in filter".into())),
                        },
                        Some(other) => s.push(other),
                    }
                }
                tokens.push(Token::Str(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(w));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek_keyword(&self, kw: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn expect(&mut self, t: Token) -> Result<(), FilterError> {
        if self.tokens.get(self.pos) == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(FilterError(format!(
                "expected {t:?}, found {:?}",
                self.tokens.get(self.pos)
            )))
        }
    }

    fn parse_or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.parse_and()?;
        while self.peek_keyword("or") {
            self.pos += 1;
            let right = self.parse_and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.parse_unary()?;
        while self.peek_keyword("and") {
            self.pos += 1;
            let right = self.parse_unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_unary(&mut self) -> Result<Filter, FilterError> {
        if self.peek_keyword("not") {
            self.pos += 1;
            self.expect(Token::Open)?;
            let inner = self.parse_or()?;
            self.expect(Token::Close)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.tokens.get(self.pos) == Some(&Token::Open) {
            self.pos += 1;
            let inner = self.parse_or()?;
            self.expect(Token::Close)?;
            return Ok(inner);
        }
        self.parse_attr_expr()
    }

    fn parse_attr_expr(&mut self) -> Result<Filter, FilterError> {
        let Some(Token::Word(word)) = self.tokens.get(self.pos).cloned() else {
            return Err(FilterError(format!(
                "expected an attribute, found {:?}",
                self.tokens.get(self.pos)
            )));
        };
        self.pos += 1;
        let path = AttrPath::parse(&word)?;
        if self.tokens.get(self.pos) == Some(&Token::OpenBracket) {
            self.pos += 1;
            let inner = self.parse_or()?;
            self.expect(Token::CloseBracket)?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(inner),
            });
        }
        let Some(Token::Word(op_word)) = self.tokens.get(self.pos).cloned() else {
            return Err(FilterError(format!("expected an operator after {word}")));
        };
        self.pos += 1;
        let op = match op_word.to_ascii_lowercase().as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            other => return Err(FilterError(format!("unknown operator {other}"))),
        };
        let value = match self.tokens.get(self.pos).cloned() {
            Some(Token::Str(s)) => Value::String(s),
            Some(Token::Word(w)) => match w.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                num => serde_json::from_str::<serde_json::Number>(num)
                    .map(Value::Number)
                    .map_err(|_| FilterError(format!("bad comparison value {num}")))?,
            },
            other => return Err(FilterError(format!("expected a value, found {other:?}"))),
        };
        self.pos += 1;
        Ok(Filter::Compare { path, op, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "id": "abc", "userName": "Ada.Lovelace@example.com", "active": true,
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada@Example.com", "type": "work", "primary": true},
                       {"value": "ada@home.test", "type": "home"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"},
            "meta": {"lastModified": "2024-05-01T00:00:00Z"}
        })
    }

    fn m(f: &str) -> bool {
        Filter::parse(f).unwrap().matches(&user()).unwrap()
    }

    #[test]
    fn compares_case_insensitively_except_for_case_exact_attributes() {
        assert!(m(r#"userName eq "ada.lovelace@EXAMPLE.com""#));
        assert!(!m(r#"id eq "ABC""#));
        assert!(m(r#"id eq "abc""#));
    }

    #[test]
    fn supports_all_operators_and_logic() {
        assert!(m(r#"userName co "love""#));
        assert!(m(r#"userName sw "ada""#));
        assert!(m(r#"userName ew ".com""#));
        assert!(!m(r#"userName ne "ada.lovelace@example.com""#));
        assert!(m(r#"name.familyName gt "K" and name.familyName lt "M""#));
        assert!(m(r#"meta.lastModified ge "2024-01-01T00:00:00Z""#));
        assert!(m(
            r#"title pr or (active eq true and not (userName sw "bob"))"#
        ));
        assert!(!m(r#"title pr"#));
        assert!(m(r#"emails.value eq "ADA@home.test""#));
        assert!(m(r#"emails[type eq "work" and value co "example"]"#));
        assert!(!m(r#"emails[type eq "home" and value co "example"]"#));
        assert!(m(
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d""#
        ));
        assert!(m(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ADA""#
        ));
    }

    #[test]
    fn complex_attribute_without_sub_attribute_compares_value() {
        let group = json!({"members": [{"value": "u1"}, {"value": "u2"}]});
        let f = Filter::parse(r#"members eq "u2""#).unwrap();
        assert!(f.matches(&group).unwrap());
        let f = Filter::parse(r#"members.value eq "u3""#).unwrap();
        assert!(!f.matches(&group).unwrap());
    }

    #[test]
    fn rejects_malformed_filters() {
        for bad in [
            r#"userName eq"#,
            r#"userName xx "a""#,
            r#"(userName eq "a""#,
            r#"userName eq "a" and"#,
            r#"userName eq "unterminated"#,
            r#"emails[type eq "work""#,
        ] {
            assert!(Filter::parse(bad).is_err(), "{bad} should not parse");
        }
        let f = Filter::parse("active gt true").unwrap();
        assert!(f.matches(&user()).is_err());
    }

    #[test]
    fn parses_patch_paths() {
        let p = PatchPath::parse(r#"emails[type eq "work"].value"#).unwrap();
        assert_eq!(p.attr.names, vec!["emails"]);
        assert_eq!(p.sub.as_deref(), Some("value"));
        assert!(p.filter.is_some());
        let p = PatchPath::parse("name.givenName").unwrap();
        assert_eq!(p.attr.names, vec!["name", "givenName"]);
        let p = PatchPath::parse(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        )
        .unwrap();
        assert_eq!(
            p.attr.schema.as_deref(),
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        );
        assert_eq!(p.attr.names, vec!["manager", "value"]);
        assert!(PatchPath::parse("members[value eq \"x\"]junk").is_err());
    }
}
