//! Every `$ref` an operation a step calls can reach (its parameters, request body and responses,
//! through the schemas they name, across files) should point at something. A broken one inside
//! a schema does not change what is sent (a broken parameter `$ref`, which does, is already an
//! error), so it is a warning: what it describes is typed as a JSON value, said rather than done
//! silently.

use std::collections::HashSet;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::index::OperationRef;
use crate::node::{Node, Value, pointer};
use crate::openapi::faults;
use crate::openapi::refs;
use crate::settings::Compatibility;
use crate::source_map::FileId;

/// The most nodes one operation's walk visits: a bound on hostile descriptions.
const MAX_NODES: usize = 200_000;

pub fn check_operation(ctx: &mut Ctx<'_>, op: &OperationRef) {
    let Some(doc) = ctx.project.openapi.get(op.doc.0) else {
        return;
    };
    let Some(item) = doc.root.at(&["paths", op.path.as_str()]) else {
        return;
    };
    let item_pointer = format!("/paths/{}", pointer::escape(&op.path));
    let mut starts: Vec<(String, &Node)> = Vec::new();
    if let Some(o) = item.get(&op.method) {
        starts.push((format!("{item_pointer}/{}", op.method), o));
    }
    if let Some(shared) = item.get("parameters") {
        starts.push((format!("{item_pointer}/parameters"), shared));
    }
    let mut seen: HashSet<(FileId, usize)> = HashSet::new();
    let mut stack: Vec<(FileId, String, &Node)> = starts
        .into_iter()
        .map(|(at, n)| (doc.file, at, n))
        .collect();
    let mut visited = 0usize;
    // Lenient compatibility has read these faults already, with a warning each.
    let strict = ctx.settings.compatibility != Compatibility::Lenient;
    // One warning per broken target, at its first `$ref`: a description that lacks a schema
    // usually names it many times.
    let mut broken: Vec<(Diagnostic, usize)> = Vec::new();
    while let Some((file, at, node)) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            break;
        }
        if !seen.insert((file, node as *const Node as usize)) {
            continue;
        }
        if node.get("$ref").is_some() {
            match refs::follow(ctx.project, file, at, node) {
                Ok(target) => stack.push((target.file, target.pointer, target.node)),
                Err(d) => match broken
                    .iter_mut()
                    .find(|(first, _)| first.message == d.message)
                {
                    Some((first, more)) => {
                        *more += 1;
                        // The first in the file is the one shown.
                        let key = |d: &Diagnostic| d.span.map(|s| (s.file, s.start));
                        if key(&d) < key(first) {
                            *first = d;
                        }
                    }
                    None => broken.push((d, 0)),
                },
            }
            continue;
        }
        if strict && looks_like_schema(&at) {
            schema_faults(ctx, node, at.rsplit('/').nth(1) == Some("properties"));
        }
        match &node.value {
            Value::Map(map) => {
                for e in &map.entries {
                    // Examples, links, callbacks and extensions say nothing about the request
                    // and response a step sends and reads.
                    if e.key.starts_with("x-")
                        || matches!(
                            e.key.as_str(),
                            "example" | "examples" | "links" | "callbacks"
                        )
                    {
                        continue;
                    }
                    stack.push((file, format!("{at}/{}", pointer::escape(&e.key)), &e.value));
                }
            }
            Value::Seq(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (file, format!("{at}/{i}"), n)),
            ),
            _ => {}
        }
    }
    for (mut d, more) in broken {
        if d.code == Code::UnresolvedRef {
            d.code = Code::UnresolvedSchemaRef;
            d.severity = Code::UnresolvedSchemaRef.default_severity();
            d = d.note("what it describes is typed as a JSON value (`serde_json::Value`)");
        }
        if more > 0 {
            d = d.note(if more == 1 {
                "one more `$ref` this operation reaches points at the same place".to_owned()
            } else {
                format!("{more} more `$ref`s this operation reaches point at the same place")
            });
        }
        ctx.push(d);
    }
}

/// Whether the node at `at` is a schema, by the keyword that holds it: what a step's operation
/// reaches is walked as plain nodes, where `required` also means a parameter's flag.
fn looks_like_schema(at: &str) -> bool {
    let mut parts = at.rsplit('/');
    let (Some(last), Some(parent)) = (parts.next(), parts.next()) else {
        return false;
    };
    let grandparent = parts.next();
    matches!(last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(parent, "properties" | "allOf" | "oneOf" | "anyOf")
        || (parent == "schemas" && grandparent == Some("components"))
}

/// `required` written other than as a list of names, on a schema or its properties: an error
/// under strict compatibility (lenient reads it, with a warning).
/// A property's own `required` is its parent's to report, with the property's name.
fn schema_faults(ctx: &mut Ctx<'_>, schema: &Node, property: bool) {
    let mut found: Vec<faults::Fault> = Vec::new();
    if !property {
        found.extend(faults::schema_required(schema, None));
    }
    if let Some(Value::Map(properties)) = schema.get("properties").map(|p| &p.value) {
        for p in &properties.entries {
            found.extend(faults::schema_required(&p.value, Some(p.key.clone())));
        }
    }
    for fault in found {
        ctx.push(
            Diagnostic::new(Code::InvalidOpenApi, fault.message)
                .at(fault.span)
                .label("not a list of names")
                .help(fault.help),
        );
    }
}
