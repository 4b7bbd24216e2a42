//! The `simple` condition language: `||`, `&&`, `!`, parentheses, comparisons, literals, and
//! runtime expressions as operands.

use super::ast::*;
use super::parse::{Context, Cursor, ExprError, expression_at};

/// Something worth saying about a condition that still parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionWarning {
    pub message: String,
    pub range: std::ops::Range<usize>,
    pub help: Option<String>,
}

pub struct Parsed {
    pub condition: Condition,
    pub warnings: Vec<ConditionWarning>,
}

/// Parses a whole `simple` condition.
pub fn condition(text: &str) -> Result<Parsed, ExprError> {
    let mut p = P {
        c: Cursor::new(text, 0),
        warnings: Vec::new(),
        depth: 0,
    };
    p.ws();
    if p.c.rest().is_empty() {
        return Err(err(
            "the condition is empty",
            0..0,
            Some("write a comparison such as `$statusCode == 200`"),
        ));
    }
    let condition = p.or()?;
    p.ws();
    if !p.c.rest().is_empty() {
        let start = p.c.pos;
        let rest = p.c.rest();
        let help = if rest.starts_with('=') && !rest.starts_with("==") {
            Some("compare with `==`".to_owned())
        } else if rest.starts_with("and ")
            || rest.starts_with("or ")
            || rest.starts_with("AND ")
            || rest.starts_with("OR ")
        {
            Some("combine conditions with `&&` and `||`".to_owned())
        } else {
            None
        };
        return Err(err(
            &format!(
                "unexpected `{}`",
                rest.split_whitespace().next().unwrap_or(rest)
            ),
            start..text.len(),
            help.as_deref(),
        ));
    }
    Ok(Parsed {
        condition,
        warnings: p.warnings,
    })
}

fn err(message: &str, range: std::ops::Range<usize>, help: Option<&str>) -> ExprError {
    ExprError {
        message: message.to_owned(),
        range,
        help: help.map(str::to_owned),
        in_expression: false,
        shorthand: None,
    }
}

struct P<'t> {
    c: Cursor<'t>,
    warnings: Vec<ConditionWarning>,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl P<'_> {
    fn ws(&mut self) {
        self.c.take_while(char::is_whitespace);
    }

    fn or(&mut self) -> Result<Condition, ExprError> {
        let mut lhs = self.and()?;
        loop {
            self.ws();
            if !self.c.eat("||") {
                return Ok(lhs);
            }
            let rhs = self.and()?;
            lhs = Condition::Or(Box::new(lhs), Box::new(rhs));
        }
    }

    fn and(&mut self) -> Result<Condition, ExprError> {
        let mut lhs = self.unary()?;
        loop {
            self.ws();
            if !self.c.eat("&&") {
                return Ok(lhs);
            }
            let rhs = self.unary()?;
            lhs = Condition::And(Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self) -> Result<Condition, ExprError> {
        self.ws();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(
                "the condition nests too deeply",
                self.c.pos..self.c.pos,
                None,
            ));
        }
        let result = if self.c.rest().starts_with('!') && !self.c.rest().starts_with("!=") {
            self.c.eat("!");
            self.unary().map(|c| Condition::Not(Box::new(c)))
        } else if self.c.eat("(") {
            let open = self.c.pos - 1;
            let inner = self.or()?;
            self.ws();
            if !self.c.eat(")") {
                return Err(err(
                    "`(` is never closed",
                    open..open + 1,
                    Some("add the matching `)`"),
                ));
            }
            Ok(inner)
        } else {
            self.comparison()
        };
        self.depth -= 1;
        result
    }

    fn comparison(&mut self) -> Result<Condition, ExprError> {
        let lhs = self.operand()?;
        self.ws();
        let op = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ]
        .into_iter()
        .find(|(s, _)| self.c.rest().starts_with(s));
        let Some((text, op)) = op else {
            if self.c.rest().starts_with('=') {
                let at = self.c.pos;
                return Err(err(
                    "`=` is not a comparison",
                    at..at + 1,
                    Some("compare with `==`"),
                ));
            }
            return Ok(Condition::Operand(lhs));
        };
        self.c.eat(text);
        let rhs = self.operand()?;
        Ok(Condition::Compare { lhs, op, rhs })
    }

    fn operand(&mut self) -> Result<Operand, ExprError> {
        self.ws();
        let start = self.c.pos;
        let rest = self.c.rest();
        match rest.chars().next() {
            None => Err(err(
                "expected a value after this",
                start.saturating_sub(1)..start,
                None,
            )),
            Some('=') => Err(err(
                "`=` is not a comparison",
                start..start + 1,
                Some("compare with `==`"),
            )),
            Some('$') => expression_at(self.c.text, start, Context::Condition).map(|e| {
                self.c.pos = e.range.end;
                Operand::Expression(e)
            }),
            Some('\'') => self.quoted('\'', start).map(|s| Operand::Literal {
                value: Literal::String(s),
                range: start..self.c.pos,
            }),
            Some('"') => {
                let s = self.quoted('"', start)?;
                self.warnings.push(ConditionWarning {
                    message: "double-quoted string in a condition".to_owned(),
                    range: start..self.c.pos,
                    help: Some(format!(
                        "Arazzo strings use single quotes: `'{}'`",
                        s.replace('\'', "''")
                    )),
                });
                Ok(Operand::Literal {
                    value: Literal::String(s),
                    range: start..self.c.pos,
                })
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let (text, range) = self
                    .c
                    .take_while(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
                let value = text
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| {
                        err(&format!("`{text}` is not a number"), range.clone(), None)
                    })?;
                Ok(Operand::Literal {
                    value: Literal::Number(value),
                    range,
                })
            }
            Some(_) => {
                let (word, range) = self.c.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
                let value = match word.as_str() {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    "" => {
                        let ch = rest.chars().next().unwrap_or(' ');
                        return Err(err(
                            &format!("unexpected `{ch}`"),
                            start..start + ch.len_utf8(),
                            None,
                        ));
                    }
                    other => {
                        let help = match other.to_ascii_lowercase().as_str() {
                            "true" | "false" | "null" => Some(format!(
                                "literals are lower case: `{}`",
                                other.to_ascii_lowercase()
                            )),
                            "statuscode" | "response" | "request" | "inputs" | "steps" => {
                                Some(format!("runtime expressions start with `$`: `${other}`"))
                            }
                            _ => Some(format!("quote text with single quotes: `'{other}'`")),
                        };
                        return Err(err(
                            &format!("`{other}` is not a value"),
                            range,
                            help.as_deref(),
                        ));
                    }
                };
                Ok(Operand::Literal { value, range })
            }
        }
    }

    /// A quoted string; the quote character doubled inside stands for itself.
    fn quoted(&mut self, quote: char, start: usize) -> Result<String, ExprError> {
        self.c.pos += quote.len_utf8();
        let mut out = String::new();
        loop {
            let Some(ch) = self.c.peek() else {
                return Err(err(
                    "this string is never closed",
                    start..self.c.pos,
                    Some(&format!("add the closing `{quote}`")),
                ));
            };
            self.c.pos += ch.len_utf8();
            if ch == quote {
                if self.c.peek() == Some(quote) {
                    self.c.pos += ch.len_utf8();
                    out.push(quote);
                } else {
                    return Ok(out);
                }
            } else {
                out.push(ch);
            }
        }
    }
}
