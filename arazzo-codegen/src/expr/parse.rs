//! A parser for the runtime expression grammar of Arazzo 1.0.1, with the ambiguity fixes of
//! 1.1.0 (name character sets) and the `.member` / `[index]` navigation real documents use.

use std::ops::Range;

use super::ast::*;
use crate::suggest;

/// A problem in an expression, with the byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub message: String,
    pub range: Range<usize>,
    pub help: Option<String>,
    /// Whether a runtime expression (not the condition around it) is malformed.
    pub in_expression: bool,
    /// When the text is another runner's shorthand: how to write it in the specification's form.
    pub shorthand: Option<Shorthand>,
}

/// Another runner's shorthand that the grammar recognises: replacing `range` with `portable`
/// writes it in the specification's form (what lenient compatibility does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shorthand {
    pub range: Range<usize>,
    pub portable: String,
    /// What the shorthand is, for the warning (`a `$dependencies.<workflowId>.<output>` expression`).
    pub what: &'static str,
}

impl ExprError {
    pub(crate) fn new(message: impl Into<String>, range: Range<usize>) -> Self {
        ExprError {
            message: message.into(),
            range,
            help: None,
            in_expression: true,
            shorthand: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help.or(self.help);
        self
    }
}

/// Where an expression is embedded decides which characters end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The whole string is the expression.
    Whole,
    /// Inside `{…}` in a template.
    Template,
    /// An operand of a simple condition.
    Condition,
}

const ROOTS: &[&str] = &[
    "$url",
    "$method",
    "$statusCode",
    "$request",
    "$response",
    "$inputs",
    "$outputs",
    "$steps",
    "$workflows",
    "$sourceDescriptions",
    "$components",
    "$self",
    "$message",
];

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_name_char(c: char) -> bool {
    is_id_char(c) || c == '.'
}

/// RFC 9110 `tchar`, less `'` (which quotes strings in conditions).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&*+-.^_`|~".contains(c)
}

pub(crate) struct Cursor<'t> {
    pub text: &'t str,
    pub pos: usize,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str, pos: usize) -> Self {
        Cursor { text, pos }
    }

    pub fn rest(&self) -> &'t str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub fn take_while(&mut self, f: impl Fn(char) -> bool) -> (String, Range<usize>) {
        let start = self.pos;
        let len = self
            .rest()
            .find(|c: char| !f(c))
            .unwrap_or(self.rest().len());
        self.pos += len;
        (
            self.text.get(start..self.pos).unwrap_or("").to_owned(),
            start..self.pos,
        )
    }
}

/// Parses the expression that starts at `start` (which must be a `$`), returning it and the
/// position just after it.
pub fn expression_at(text: &str, start: usize, context: Context) -> Result<Expression, ExprError> {
    expression_with_names(text, start, context)
        .or_else(|e| any_input_name(text, start, context).ok_or(e))
}

/// `$inputs.<name>` where the name is not an identifier: the 1.0.1 grammar's `name` is any
/// text (`$orderby`, `$.xgafv`, `filter[action]`, `Aux Price` are declared in real documents).
/// Read only when the expression does not parse otherwise, so `$inputs.items[0]` stays
/// navigation; the name runs to `#` (a pointer), or to `}` in a template. Whether such an
/// input is declared is for the checks to say.
fn any_input_name(text: &str, start: usize, context: Context) -> Option<Expression> {
    let after = start + "$inputs.".len();
    let rest = text.get(start..)?.strip_prefix("$inputs.")?;
    let end = match context {
        Context::Whole => rest.len(),
        Context::Template => rest.find('}')?,
        Context::Condition => return None,
    };
    let name_len = rest.get(..end)?.find('#').unwrap_or(end);
    let name = rest.get(..name_len)?;
    if name.is_empty() || name.trim() != name {
        return None;
    }
    let pointer = match rest.get(name_len..end) {
        Some(raw) if raw.starts_with('#') => {
            let raw = raw.get(1..)?;
            if !raw.is_empty() && !raw.starts_with('/') {
                return None;
            }
            let hash = after + name_len;
            Some(Pointer {
                tokens: crate::node::pointer::parse(raw).ok()?,
                range: hash..after + end,
            })
        }
        _ => None,
    };
    Some(Expression {
        root: Root::Inputs(Name {
            text: name.to_owned(),
            range: after..after + name_len,
        }),
        pointer,
        path: Vec::new(),
        range: start..after + end,
    })
}

fn expression_with_names(
    text: &str,
    start: usize,
    context: Context,
) -> Result<Expression, ExprError> {
    let mut c = Cursor::new(text, start);
    let root = root(&mut c)?;
    let mut path = Vec::new();
    // `[index]` and `.member` navigation (after a body or a name).
    loop {
        if c.peek() == Some('[') {
            let open = c.pos;
            c.eat("[");
            let (digits, range) = c.take_while(|ch| ch.is_ascii_digit());
            if !c.eat("]") || digits.is_empty() {
                return Err(ExprError::new(
                    "expected `[<index>]` with a non-negative integer index",
                    open..c.pos.max(range.end),
                )
                .help("use `[0]` for the first item, or a JSON pointer such as `#/items/0`"));
            }
            let index = digits
                .parse()
                .map_err(|_| ExprError::new("index too large", range))?;
            path.push(Segment::Index(index));
        } else if c.peek() == Some('.') && (!path.is_empty() || is_body(&root)) {
            c.eat(".");
            let (member, range) = c.take_while(is_id_char);
            if member.is_empty() {
                return Err(ExprError::new("expected a member name after `.`", range));
            }
            path.push(Segment::Member(member));
        } else {
            break;
        }
    }
    let pointer = if c.peek() == Some('#') {
        let hash = c.pos;
        c.eat("#");
        let stop = |ch: char| match context {
            Context::Whole => false,
            Context::Template => ch == '}',
            Context::Condition => ch.is_whitespace() || ")=!<>&|".contains(ch),
        };
        let (raw, range) = c.take_while(|ch| !stop(ch));
        if !raw.is_empty() && !raw.starts_with('/') {
            let mut err = ExprError::new(
                "a JSON pointer after `#` must start with `/`",
                hash..range.end,
            )
            .help(format!(
                "write `#/{raw}` (`--compatibility lenient` reads the shorthand so, with a warning)"
            ));
            err.shorthand = Some(Shorthand {
                range: hash..hash + 1,
                portable: "#/".to_owned(),
                what: "a JSON pointer without its leading `/`",
            });
            return Err(err);
        }
        let tokens = crate::node::pointer::parse(&raw)
            .map_err(|e| ExprError::new(e.to_string(), range.clone()))?;
        Some(Pointer {
            tokens,
            range: hash..range.end,
        })
    } else {
        None
    };
    let end = c.pos;
    let trailing_ok = match context {
        Context::Whole => c.rest().is_empty(),
        Context::Template => c.peek() == Some('}'),
        Context::Condition => c
            .peek()
            .is_none_or(|ch| ch.is_whitespace() || ")=!<>&|".contains(ch)),
    };
    if !trailing_ok && context == Context::Template && c.rest().is_empty() {
        return Err(
            ExprError::new("expected `}` to close the embedded expression", end..end)
                .help("close it: `{$…}`"),
        );
    }
    if !trailing_ok {
        // The offending text: the rest of the string, or up to the next space inside a
        // condition or template.
        let rest_all = c.rest();
        let len = if context == Context::Whole {
            rest_all.trim_end().len()
        } else {
            rest_all
                .char_indices()
                .skip(1)
                .find(|(_, ch)| ch.is_whitespace() || *ch == '}')
                .map_or(rest_all.len(), |(i, _)| i)
        };
        let bad_end = c.pos + len.max(1).min(rest_all.len());
        let rest = text.get(end..bad_end).unwrap_or("");
        let mut err = ExprError::new(
            format!("unexpected `{rest}` after the expression"),
            end..bad_end,
        );
        if rest.starts_with('/') {
            err = err.help(format!(
                "a JSON pointer is introduced by `#`: write `#{rest}`"
            ));
        } else if context == Context::Whole && c.peek().is_some_and(char::is_whitespace) {
            err = err.help("to mix text and expressions, wrap each expression in braces: `text {$inputs.x} text`");
        }
        return Err(err);
    }
    Ok(Expression {
        root,
        pointer,
        path,
        range: start..end,
    })
}

/// A runtime expression inside plain text (`Bearer $inputs.token`), which the specification
/// reads as text: its range, when one of the expression roots starts a word there and parses.
pub fn expression_in_text(text: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find('$') {
        let at = from + found;
        let starts_word = text
            .get(..at)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|c| c.is_whitespace() || "(\"'=:,".contains(c));
        let rest = text.get(at..)?;
        let named = ROOTS.iter().any(|root| {
            rest.strip_prefix(root)
                .is_some_and(|after| after.is_empty() || after.starts_with(['.', ' ', '#']))
        });
        if at > 0
            && starts_word
            && named
            && let Ok(e) = expression_at(text, at, Context::Condition)
        {
            return Some(e.range);
        }
        from = at + 1;
    }
    None
}

/// Parses a whole string as one expression.
pub fn expression(text: &str) -> Result<Expression, ExprError> {
    expression_at(text, 0, Context::Whole)
}

fn root(c: &mut Cursor<'_>) -> Result<Root, ExprError> {
    let start = c.pos;
    if !c.eat("$") {
        return Err(ExprError::new(
            "a runtime expression starts with `$`",
            start..start + c.peek().map_or(0, char::len_utf8),
        ));
    }
    let (word, word_range) = c.take_while(|ch| ch.is_ascii_alphanumeric());
    let whole = format!("${word}");
    let range = start..word_range.end;
    match word.as_str() {
        "url" => Ok(Root::Url),
        "method" => Ok(Root::Method),
        "statusCode" => Ok(Root::StatusCode),
        "request" | "response" => message_part(c, &word, range),
        "inputs" => {
            if !c.eat(".") {
                return Ok(Root::AllInputs);
            }
            Ok(Root::Inputs(name(c, "an input name", is_name_char)?))
        }
        "outputs" => {
            expect_dot(c, "$outputs", "an output name")?;
            Ok(Root::Outputs(name(c, "an output name", is_name_char)?))
        }
        "steps" => steps(c),
        "workflows" => workflows(c),
        "sourceDescriptions" => {
            expect_dot(c, "$sourceDescriptions", "a source name")?;
            let source = name(c, "a source name", is_id_char)?;
            expect_dot(
                c,
                &format!("$sourceDescriptions.{}", source.text),
                "`url`, an operationId or a workflowId",
            )?;
            let reference = name(c, "`url`, an operationId or a workflowId", is_name_char)?;
            Ok(Root::SourceDescription { source, reference })
        }
        "components" => components(c),
        "self" => Ok(Root::SelfUri),
        "message" => message(c, range),
        "dependencies" => {
            let mut err = ExprError::new("`$dependencies` is not an Arazzo expression", range)
                .help("the outputs of a workflow listed in `dependsOn` are read as `$workflows.<workflowId>.outputs.<name>` (`--compatibility lenient` reads the shorthand so, with a warning)");
            // `$dependencies.<id>.` is `$workflows.<id>.outputs.`.
            if c.eat(".")
                && let Ok(workflow) = name(c, "a workflow id", is_id_char)
                && c.eat(".")
            {
                err.shorthand = Some(Shorthand {
                    range: start..c.pos,
                    portable: format!("$workflows.{}.outputs.", workflow.text),
                    what: "a `$dependencies.<workflowId>.<output>` expression",
                });
            }
            Err(err)
        }
        _ => {
            let help = suggest::did_you_mean(&whole, ROOTS.iter().copied()).unwrap_or_else(|| {
                format!(
                    "expressions start with one of {}",
                    suggest::list(ROOTS.iter().copied())
                )
            });
            Err(ExprError::new(format!("unknown expression `{whole}`"), range).help(help))
        }
    }
}

fn expect_dot(c: &mut Cursor<'_>, after: &str, what: &str) -> Result<(), ExprError> {
    if c.eat(".") {
        Ok(())
    } else {
        Err(ExprError::new(
            format!("expected `.` and {what} after `{after}`"),
            c.pos..c.pos,
        ))
    }
}

fn name(c: &mut Cursor<'_>, what: &str, chars: fn(char) -> bool) -> Result<Name, ExprError> {
    let (mut text, mut range) = c.take_while(chars);
    // A name never ends in `.`: that dot belongs to the text around it.
    while text.ends_with('.') {
        text.pop();
        range.end -= 1;
        c.pos -= 1;
    }
    if text.is_empty() {
        return Err(ExprError::new(
            format!("expected {what}"),
            range.start..range.start + c.peek().map_or(0, char::len_utf8),
        ));
    }
    Ok(Name { text, range })
}

fn message_part(c: &mut Cursor<'_>, word: &str, range: Range<usize>) -> Result<Root, ExprError> {
    let is_request = word == "request";
    let root = format!("${word}");
    if !c.eat(".") {
        return Err(ExprError::new(
            format!("`{root}` needs a part: `{root}.body`, `{root}.header.<name>`…"),
            range,
        ));
    }
    let (part, part_range) = c.take_while(|ch| ch.is_ascii_alphanumeric());
    let parts: &[&str] = if is_request {
        &["header", "query", "path", "body"]
    } else {
        &["header", "body"]
    };
    let part = match part.as_str() {
        "header" => Part::Header,
        "query" if is_request => Part::Query,
        "path" if is_request => Part::Path,
        "body" => Part::Body,
        "headers" => {
            let mut err = ExprError::new(format!("`{root}` has no part `headers`"), part_range.clone())
                .help(format!("write `{root}.header.<name>` (`--compatibility lenient` reads the shorthand so, with a warning)"));
            err.shorthand = Some(Shorthand {
                range: part_range,
                portable: "header".to_owned(),
                what: "a `headers` part (plural)",
            });
            return Err(err);
        }
        other => {
            let mut err = ExprError::new(format!("`{root}` has no part `{other}`"), part_range)
                .help_opt(suggest::did_you_mean(other, parts.iter().copied()))
                .help_opt(
                    (!is_request && (other == "query" || other == "path"))
                        .then(|| "a response has only `header` and `body`".to_owned()),
                );
            if err.help.is_none() && !is_request {
                err = err.help(format!(
                    "to read a field of the body, write `$response.body#/{other}`"
                ));
            }
            return Err(err);
        }
    };
    if part == Part::Body {
        return Ok(body_root(is_request, None));
    }
    if !c.eat(".") {
        return Err(ExprError::new(
            format!(
                "expected `.` and a name after `{root}.{}`",
                parts_name(part)
            ),
            c.pos..c.pos,
        ));
    }
    let name = if part == Part::Header {
        name(c, "a header name", is_token_char)?
    } else {
        name(c, "a parameter name", is_name_char)?
    };
    Ok(if is_request {
        Root::Request {
            part,
            name: Some(name),
        }
    } else {
        Root::Response {
            part,
            name: Some(name),
        }
    })
}

/// `$message.header.<name>` or `$message.payload` (1.1, AsyncAPI steps).
fn message(c: &mut Cursor<'_>, range: Range<usize>) -> Result<Root, ExprError> {
    if !c.eat(".") {
        return Err(ExprError::new(
            "`$message` needs a part: `$message.payload` or `$message.header.<name>`",
            range,
        ));
    }
    let (part, part_range) = c.take_while(|ch| ch.is_ascii_alphanumeric());
    match part.as_str() {
        "payload" => Ok(Root::Message {
            part: Part::Payload,
            name: None,
        }),
        "header" => {
            expect_dot(c, "$message.header", "a header name")?;
            Ok(Root::Message {
                part: Part::Header,
                name: Some(name(c, "a header name", is_token_char)?),
            })
        }
        other => Err(
            ExprError::new(format!("`$message` has no part `{other}`"), part_range)
                .help_opt(suggest::did_you_mean(other, ["header", "payload"])),
        ),
    }
}

fn is_body(root: &Root) -> bool {
    matches!(
        root,
        Root::Request {
            part: Part::Body,
            ..
        } | Root::Response {
            part: Part::Body,
            ..
        } | Root::Message {
            part: Part::Payload,
            ..
        }
    )
}

fn body_root(is_request: bool, name: Option<Name>) -> Root {
    if is_request {
        Root::Request {
            part: Part::Body,
            name,
        }
    } else {
        Root::Response {
            part: Part::Body,
            name,
        }
    }
}

fn parts_name(part: Part) -> &'static str {
    match part {
        Part::Header => "header",
        Part::Query => "query",
        Part::Path => "path",
        Part::Body => "body",
        Part::Payload => "payload",
    }
}

fn steps(c: &mut Cursor<'_>) -> Result<Root, ExprError> {
    expect_dot(c, "$steps", "a step id")?;
    let step = name(c, "a step id", is_id_char)?;
    let after = c.pos;
    if !c.eat(".outputs.") {
        let (rest, rest_range) = {
            let mut probe = Cursor::new(c.text, c.pos);
            probe.eat(".");
            probe.take_while(is_name_char)
        };
        let rest = rest.trim_end_matches('.');
        let mut err = ExprError::new(
            format!(
                "`$steps.{}` must be followed by `.outputs.<name>`",
                step.text
            ),
            after..rest_range.end.max(after),
        );
        if !rest.is_empty() && rest != "outputs" {
            err = err.help(format!(
                "write `$steps.{}.outputs.{rest}` (`--compatibility lenient` reads the shorthand so, with a warning)",
                step.text
            ));
            err.shorthand = Some(Shorthand {
                range: after..after,
                portable: ".outputs".to_owned(),
                what: "a `$steps.<stepId>.<output>` expression without `.outputs`",
            });
        }
        return Err(err);
    }
    let output = name(c, "an output name", is_name_char)?;
    Ok(Root::StepOutput { step, output })
}

fn workflows(c: &mut Cursor<'_>) -> Result<Root, ExprError> {
    expect_dot(c, "$workflows", "a workflow id")?;
    let workflow = name(c, "a workflow id", is_id_char)?;
    let field_start = c.pos;
    let field = if c.eat(".inputs.") {
        WorkflowField::Inputs
    } else if c.eat(".outputs.") {
        WorkflowField::Outputs
    } else {
        return Err(ExprError::new(
            format!(
                "`$workflows.{}` must be followed by `.inputs.<name>` or `.outputs.<name>`",
                workflow.text
            ),
            field_start..field_start,
        ));
    };
    let name = name(c, "a name", is_name_char)?;
    Ok(Root::Workflow {
        workflow,
        field,
        name,
    })
}

fn components(c: &mut Cursor<'_>) -> Result<Root, ExprError> {
    expect_dot(c, "$components", "a component kind")?;
    let (kind, range) = c.take_while(|ch| ch.is_ascii_alphanumeric());
    const KINDS: &[&str] = &["parameters", "successActions", "failureActions", "inputs"];
    let kind = match kind.as_str() {
        "parameters" => ComponentKind::Parameters,
        "successActions" => ComponentKind::SuccessActions,
        "failureActions" => ComponentKind::FailureActions,
        "inputs" => ComponentKind::Inputs,
        other => {
            return Err(
                ExprError::new(format!("`$components` has no kind `{other}`"), range)
                    .help_opt(suggest::did_you_mean(other, KINDS.iter().copied())),
            );
        }
    };
    expect_dot(c, "$components.<kind>", "a component name")?;
    let name = name(c, "a component name", is_name_char)?;
    Ok(Root::Component { kind, name })
}

/// Whether a string value is meant as an expression, a template, or plain text.
/// `$` followed by a letter starts an expression; `{$` starts a template part.
pub fn string_value(text: &str) -> Result<StringValue, ExprError> {
    if text.starts_with('$') && text.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return expression(text).map(StringValue::Expression);
    }
    if !text.contains("{$") {
        return Ok(StringValue::Literal);
    }
    template(text).map(StringValue::Template)
}

/// Splits `a {$inputs.x} b` into literal text and expressions.
pub fn template(text: &str) -> Result<Vec<TemplatePart>, ExprError> {
    let mut parts = Vec::new();
    let mut literal_start = 0;
    let mut search = 0;
    while let Some(rel) = text.get(search..).and_then(|t| t.find("{$")) {
        let open = search + rel;
        if let Some(lit) = text.get(literal_start..open).filter(|l| !l.is_empty()) {
            parts.push(TemplatePart::Literal(lit.to_owned()));
        }
        let expr = expression_at(text, open + 1, Context::Template)?;
        let close = expr.range.end;
        if text.get(close..close + 1) != Some("}") {
            return Err(ExprError::new(
                "expected `}` to close the embedded expression",
                open..close,
            ));
        }
        parts.push(TemplatePart::Expression(expr));
        literal_start = close + 1;
        search = close + 1;
    }
    if let Some(lit) = text.get(literal_start..).filter(|l| !l.is_empty()) {
        parts.push(TemplatePart::Literal(lit.to_owned()));
    }
    Ok(parts)
}
