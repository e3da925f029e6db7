//! The filter text to a [`Filter`]: tokens, then a recursive-descent parser (`or` binds looser
//! than `and`, `not (...)` and parentheses group, `attr[filter]` is a value path).

use serde_json::Value;

use super::{AttrPath, CompareOp, Filter, FilterError};

/// Parses a whole filter; text left over after it is an error.
pub(super) fn filter(text: &str) -> Result<Filter, FilterError> {
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
