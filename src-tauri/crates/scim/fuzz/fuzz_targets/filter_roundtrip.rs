//! Filter builder fuzzing. The crate has no filter parser (the app only builds
//! filters), so this target carries a small reader for the subset of the
//! RFC 7644 §3.4.2.2 grammar the builder renders, and checks that:
//! - `validate` and `to_string` never panic on any path or value;
//! - a path that could change the filter's meaning (space, quote, bracket,
//!   parenthesis, empty) is refused by `validate`;
//! - every filter that validates renders to text whose comparisons read back
//!   as exactly the built (path, operator, value) triples, in order, with the
//!   same and/or/not/[] structure: no value can escape its quotes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scim::{CompareOp, Filter};
use serde_json::Value;

const OPS: [CompareOp; 9] = [
    CompareOp::Eq,
    CompareOp::Ne,
    CompareOp::Co,
    CompareOp::Sw,
    CompareOp::Ew,
    CompareOp::Gt,
    CompareOp::Ge,
    CompareOp::Lt,
    CompareOp::Le,
];
const OP_NAMES: [&str; 9] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
const PATHS: [&str; 6] = [
    "userName",
    "displayName",
    "members.value",
    "emails",
    "$ref",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
];

fuzz_target!(|data: &[u8]| {
    // First chunk: the program; the others: a pool of strings. 0xFF never
    // occurs in UTF-8, so it separates fields without limiting them.
    let mut chunks = data.split(|&b| b == 0xFF);
    let program = chunks.next().unwrap_or_default();
    let pool: Vec<String> = chunks.map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    if program.len() > 512 {
        return;
    }
    let mut strings = pool.iter().cycle();
    let mut next_string = || strings.next().cloned().unwrap_or_default();
    let mut bytes = program.iter().copied();
    let mut stack: Vec<Filter> = Vec::new();

    while let Some(code) = bytes.next() {
        let arg = code >> 3;
        let path = |fixed: bool, s: String| if fixed { PATHS[arg as usize % PATHS.len()].to_owned() } else { s };
        match code & 7 {
            0 | 1 => {
                let p = path(code & 1 == 1, next_string());
                let op = OPS[bytes.next().unwrap_or(0) as usize % OPS.len()];
                let value = match arg % 5 {
                    0 => Value::String(next_string()),
                    1 => Value::from(i64::from_le_bytes(take8(&mut bytes))),
                    2 => Value::from(f64::from_le_bytes(take8(&mut bytes))), // NaN/inf become null
                    3 => Value::Bool(arg & 8 != 0),
                    _ => Value::Null,
                };
                stack.push(Filter::compare(p, op, value));
            }
            2 => stack.push(Filter::present(path(arg & 1 == 1, next_string()))),
            3 | 4 => {
                if stack.len() >= 2 {
                    let b = stack.pop().unwrap();
                    let a = stack.pop().unwrap();
                    stack.push(if code & 7 == 3 { a.and(b) } else { a.or(b) });
                }
            }
            5 => {
                if let Some(f) = stack.pop() {
                    stack.push(f.not());
                }
            }
            6 => {
                if let Some(f) = stack.pop() {
                    stack.push(Filter::value_path(path(arg & 1 == 1, next_string()), f));
                }
            }
            _ => {
                // At most 8 ids: `Filter::all` of the whole pool at every such opcode made
                // inputs quadratic (360 runs/s) without reaching new code.
                let take = usize::from(arg % 9);
                let values: Vec<Value> = pool.iter().take(take).map(|s| Value::String(s.clone())).collect();
                if let Some(all) = Filter::all(values.into_iter().map(|v| Filter::eq("id", v))) {
                    stack.push(all);
                }
            }
        }
    }

    for filter in &stack {
        check(filter);
    }
});

fn take8(bytes: &mut impl Iterator<Item = u8>) -> [u8; 8] {
    let mut out = [0u8; 8];
    for b in &mut out {
        *b = bytes.next().unwrap_or(0);
    }
    out
}

fn check(filter: &Filter) {
    let text = filter.to_string();
    if filter.validate().is_err() {
        return;
    }
    for path in paths(filter) {
        assert!(
            !path.is_empty() && !path.contains([' ', '"', '[', ']', '(', ')', '\t', '\n']),
            "validate accepted path {path:?}"
        );
    }
    let mut reader = Reader { s: &text, pos: 0 };
    let parsed = reader.or_expr().unwrap_or_else(|e| panic!("cannot read back {text:?}: {e}"));
    assert_eq!(reader.pos, text.len(), "trailing text in {text:?}");
    assert_eq!(parsed.to_string(), text);
    assert_eq!(leaves(&parsed), leaves(filter), "{text:?}");
    assert_eq!(shape(&parsed), shape(filter), "{text:?}");
}

fn paths(f: &Filter) -> Vec<&str> {
    match f {
        Filter::Compare { path, .. } | Filter::Present(path) => vec![path],
        Filter::And(a, b) | Filter::Or(a, b) => [paths(a), paths(b)].concat(),
        Filter::Not(inner) => paths(inner),
        Filter::ValuePath { attr, filter } => [vec![attr.as_str()], paths(filter)].concat(),
    }
}

fn leaves(f: &Filter) -> Vec<(String, Option<CompareOp>, Value)> {
    match f {
        Filter::Compare { path, op, value } => vec![(path.clone(), Some(*op), value.clone())],
        Filter::Present(path) => vec![(path.clone(), None, Value::Null)],
        Filter::And(a, b) | Filter::Or(a, b) => [leaves(a), leaves(b)].concat(),
        Filter::Not(inner) => leaves(inner),
        Filter::ValuePath { attr, filter } => {
            let mut v = vec![(attr.clone(), None, Value::String("[".into()))];
            v.extend(leaves(filter));
            v
        }
    }
}

/// The structure with and/or chains flattened (they are associative, and the
/// renderer leaves out parentheses that do not change the meaning).
#[derive(Debug, PartialEq)]
enum Shape {
    Leaf,
    And(Vec<Shape>),
    Or(Vec<Shape>),
    Not(Box<Shape>),
    ValuePath(Box<Shape>),
}

fn shape(f: &Filter) -> Shape {
    fn chain(f: &Filter, and: bool, out: &mut Vec<Shape>) {
        match f {
            Filter::And(a, b) if and => {
                chain(a, and, out);
                chain(b, and, out);
            }
            Filter::Or(a, b) if !and => {
                chain(a, and, out);
                chain(b, and, out);
            }
            other => out.push(shape(other)),
        }
    }
    match f {
        Filter::Compare { .. } | Filter::Present(_) => Shape::Leaf,
        Filter::And(..) => {
            let mut v = Vec::new();
            chain(f, true, &mut v);
            Shape::And(v)
        }
        Filter::Or(..) => {
            let mut v = Vec::new();
            chain(f, false, &mut v);
            Shape::Or(v)
        }
        Filter::Not(inner) => Shape::Not(Box::new(shape(inner))),
        Filter::ValuePath { filter, .. } => Shape::ValuePath(Box::new(shape(filter))),
    }
}

/// Reads the rendered subset: or > and > (group | not (..) | path[..] | path pr | path op value).
struct Reader<'a> {
    s: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn or_expr(&mut self) -> Result<Filter, String> {
        let mut f = self.and_expr()?;
        while self.eat(" or ") {
            f = f.or(self.and_expr()?);
        }
        Ok(f)
    }

    fn and_expr(&mut self) -> Result<Filter, String> {
        let mut f = self.atom()?;
        while self.eat(" and ") {
            f = f.and(self.atom()?);
        }
        Ok(f)
    }

    fn atom(&mut self) -> Result<Filter, String> {
        if self.eat("(") {
            let f = self.or_expr()?;
            return if self.eat(")") { Ok(f) } else { Err(format!("no `)` at {}", self.pos)) };
        }
        if self.eat("not (") {
            let f = self.or_expr()?;
            return if self.eat(")") { Ok(f.not()) } else { Err(format!("no `)` after not at {}", self.pos)) };
        }
        let len = self.rest().find([' ', '[', ']', '(', ')']).unwrap_or(self.rest().len());
        let path = self.rest()[..len].to_owned();
        self.pos += len;
        if path.is_empty() {
            return Err(format!("empty path at {}", self.pos));
        }
        if self.eat("[") {
            let f = self.or_expr()?;
            return if self.eat("]") { Ok(Filter::value_path(path, f)) } else { Err(format!("no `]` at {}", self.pos)) };
        }
        if self.eat(" pr") {
            return Ok(Filter::present(path));
        }
        for (op, name) in OPS.iter().zip(OP_NAMES) {
            if self.eat(&format!(" {name} ")) {
                let value = self.value()?;
                return Ok(Filter::compare(path, *op, value));
            }
        }
        Err(format!("no operator at {}", self.pos))
    }

    fn value(&mut self) -> Result<Value, String> {
        for (lit, v) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
            if self.eat(lit) {
                return Ok(v);
            }
        }
        let rest = self.rest();
        if rest.starts_with('"') {
            // A JSON string: ends at the first quote not escaped by a backslash.
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if i >= bytes.len() {
                return Err("unterminated string".into());
            }
            let s: String = serde_json::from_str(&rest[..=i]).map_err(|e| e.to_string())?;
            self.pos += i + 1;
            return Ok(Value::String(s));
        }
        let len = rest.find([' ', ']', ')']).unwrap_or(rest.len());
        let token = &rest[..len];
        let v = if let Ok(i) = token.parse::<i64>() {
            Value::from(i)
        } else if let Ok(u) = token.parse::<u64>() {
            Value::from(u)
        } else {
            Value::from(token.parse::<f64>().map_err(|e| format!("{token:?}: {e}"))?)
        };
        self.pos += len;
        Ok(v)
    }
}
