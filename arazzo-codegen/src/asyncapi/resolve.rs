//! A named operation or channel → where a workflow may send and where it may receive.
//!
//! A workflow is a client of the application an AsyncAPI description describes. In 3.0 the
//! description says what that application does: a workflow sends what it `receive`s, receives
//! what it `send`s, and receives the `reply` of an operation it sends to. In 2.x `publish` and
//! `subscribe` already name a client's side: a workflow sends on `publish` and receives on
//! `subscribe`. A channel named by `channelPath` has no direction: either is allowed.

use super::message::Message;
use super::{MessageRef, MessageTarget};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{AsyncApiDoc, AsyncApiVersion, Project};
use crate::node::{Node, pointer};
use crate::openapi::refs;
use crate::source_map::{FileId, Span};

/// A channel as a step uses it.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Its key in `channels`.
    pub key: String,
    /// Its address, `{name}` placeholders and all.
    pub address: String,
    /// The names of the address's `{…}` parameters, in order.
    pub parameters: Vec<String>,
}

/// One direction of a step: the channel and the messages that may travel on it.
#[derive(Debug, Clone)]
pub struct Exchange<'p> {
    pub channel: Channel,
    pub messages: Vec<Message<'p>>,
}

/// What a step's operation or channel lets a workflow do.
#[derive(Debug, Clone)]
pub struct Resolved<'p> {
    /// The operation's id (`None` for a channel).
    pub operation_id: Option<String>,
    /// What the description says of the operation (`action: send`, `subscribe`), and where.
    pub declared: Option<(String, Span)>,
    /// Where a workflow sends, when it may.
    pub send: Option<Exchange<'p>>,
    /// Where a workflow receives, when it may.
    pub receive: Option<Exchange<'p>>,
}

/// Reads what `r` names; errors are the description's mistakes, located in it.
pub fn resolve<'p>(project: &'p Project, r: &MessageRef) -> Result<Resolved<'p>, Vec<Diagnostic>> {
    let Some(doc) = project.asyncapi.get(r.doc.0) else {
        return Err(Vec::new());
    };
    let reader = Reader { project, doc };
    let resolved = match &r.target {
        MessageTarget::Channel(key) => reader.whole_channel(key),
        MessageTarget::Operation(tokens) => match (doc.version, tokens.as_slice()) {
            (AsyncApiVersion::V3, [_, id]) => reader.operation_3(id),
            (AsyncApiVersion::V2, [_, address, verb]) => reader.operation_2(address, verb),
            _ => Err(unindexed(&pointer::join(tokens))),
        },
    };
    resolved.map_err(|d| vec![d])
}

struct Reader<'p> {
    project: &'p Project,
    doc: &'p AsyncApiDoc,
}

impl<'p> Reader<'p> {
    fn default_content_type(&self) -> Option<&'p str> {
        self.doc
            .root
            .get("defaultContentType")
            .and_then(Node::as_str)
    }

    fn invalid(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Code::InvalidAsyncApi, message).at(span)
    }

    /// A channel object (3.0: by `$ref` from an operation; both: by key).
    fn channel(&self, key: &str, node: &'p Node) -> Result<Channel, Diagnostic> {
        let address = match self.doc.version {
            AsyncApiVersion::V2 => Some(key.to_owned()),
            AsyncApiVersion::V3 => node
                .get("address")
                .and_then(Node::as_str)
                .map(str::to_owned),
        };
        let Some(address) = address else {
            return Err(self
                .invalid(node.span, format!("channel `{key}` has no address"))
                .label("no `address` here")
                .note("AsyncAPI reads a channel without an address as one whose address is only known at run time; a workflow needs one to send or receive")
                .help("give the channel an `address`"));
        };
        Ok(Channel {
            key: key.to_owned(),
            parameters: placeholders(&address),
            address,
        })
    }

    /// The messages of a `messages` map (3.0 channels) or list (3.0 operations, `$ref`s).
    fn messages(
        &self,
        file: FileId,
        at: &str,
        node: Option<&'p Node>,
    ) -> Result<Vec<Message<'p>>, Diagnostic> {
        let default = self.default_content_type();
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        if let Some(map) = node.as_map() {
            for e in &map.entries {
                let here = format!("{at}/{}", pointer::escape(&e.key));
                out.push(Message::read(
                    self.project,
                    file,
                    here,
                    &e.value,
                    Some(&e.key),
                    default,
                )?);
            }
        } else if let Some(list) = node.as_seq() {
            for (i, item) in list.iter().enumerate() {
                let here = format!("{at}/{i}");
                let key = item
                    .get("$ref")
                    .and_then(Node::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(|k| k.replace("~1", "/").replace("~0", "~"));
                out.push(Message::read(
                    self.project,
                    file,
                    here,
                    item,
                    key.as_deref(),
                    default,
                )?);
            }
        }
        Ok(out)
    }

    /// A 2.x operation's `message`: one, or `oneOf` several.
    fn messages_2(&self, at: &str, op: &'p Node) -> Result<Vec<Message<'p>>, Diagnostic> {
        let file = self.doc.file;
        let Some(message) = op.get("message") else {
            return Ok(Vec::new());
        };
        let target = refs::follow(self.project, file, format!("{at}/message"), message)?;
        match target.node.get("oneOf").and_then(Node::as_seq) {
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let key = m
                        .get("$ref")
                        .and_then(Node::as_str)
                        .and_then(|r| r.rsplit('/').next());
                    Message::read(
                        self.project,
                        target.file,
                        format!("{}/oneOf/{i}", target.pointer),
                        m,
                        key,
                        self.default_content_type(),
                    )
                })
                .collect(),
            None => {
                let key = message
                    .get("$ref")
                    .and_then(Node::as_str)
                    .and_then(|r| r.rsplit('/').next());
                Ok(vec![Message::read(
                    self.project,
                    file,
                    format!("{at}/message"),
                    message,
                    key,
                    self.default_content_type(),
                )?])
            }
        }
    }

    /// A 3.0 channel `$ref` (from an operation or a reply): its key and object.
    fn channel_ref(
        &self,
        node: &'p Node,
        at: String,
    ) -> Result<(String, FileId, String, &'p Node), Diagnostic> {
        let target = refs::follow(self.project, self.doc.file, at, node)?;
        let key = target
            .pointer
            .strip_prefix("/channels/")
            .map(|k| k.replace("~1", "/").replace("~0", "~"))
            .unwrap_or_else(|| target.pointer.clone());
        Ok((key, target.file, target.pointer, target.node))
    }

    fn operation_3(&self, id: &str) -> Result<Resolved<'p>, Diagnostic> {
        let at = pointer::join(["operations", id]);
        let Some(node) = self.doc.root.at(&["operations", id]) else {
            return Err(unindexed(&at));
        };
        let target = refs::follow(self.project, self.doc.file, at, node)?;
        let op = target.node;
        let action = op.get("action");
        let declared = action.and_then(Node::as_str);
        let Some(channel_node) = op.get("channel") else {
            return Err(self
                .invalid(op.span, format!("operation `{id}` has no `channel`"))
                .label("no `channel` here"));
        };
        let (key, file, pointer_at, channel_node) =
            self.channel_ref(channel_node, format!("{}/channel", target.pointer))?;
        let channel = self.channel(&key, channel_node)?;
        // An operation lists some of its channel's messages; none listed means all of them.
        let messages = match op.get("messages") {
            Some(list) if list.as_seq().is_some_and(|l| !l.is_empty()) => self.messages(
                target.file,
                &format!("{}/messages", target.pointer),
                Some(list),
            )?,
            _ => self.messages(
                file,
                &format!("{pointer_at}/messages"),
                channel_node.get("messages"),
            )?,
        };
        let here = Exchange { channel, messages };
        let reply = match op.get("reply") {
            Some(reply) => Some(self.reply(reply, &target.pointer, &here)?),
            None => None,
        };
        let (send, receive) = match declared {
            Some("receive") => (Some(here), reply),
            Some("send") => (None, Some(here)),
            other => {
                let span = action.map_or(op.span, |a| a.span);
                return Err(self
                    .invalid(
                        span,
                        format!(
                            "operation `{id}` has {}, where AsyncAPI 3.0 wants `send` or `receive`",
                            other.map_or("no `action`".to_owned(), |a| format!("`action: {a}`"))
                        ),
                    )
                    .label("this operation"));
            }
        };
        Ok(Resolved {
            operation_id: Some(id.to_owned()),
            declared: declared
                .zip(action)
                .map(|(d, a)| (format!("`action: {d}`"), a.span)),
            send,
            receive,
        })
    }

    /// A 3.0 Operation Reply Object: its channel (else the operation's) and messages.
    fn reply(
        &self,
        node: &'p Node,
        op_pointer: &str,
        request: &Exchange<'p>,
    ) -> Result<Exchange<'p>, Diagnostic> {
        let at = format!("{op_pointer}/reply");
        let target = refs::follow(self.project, self.doc.file, at, node)?;
        let reply = target.node;
        let (channel, channel_messages) = match reply.get("channel") {
            Some(c) => {
                let (key, file, pointer_at, channel_node) =
                    self.channel_ref(c, format!("{}/channel", target.pointer))?;
                let channel = self.channel(&key, channel_node)?;
                let messages = self.messages(
                    file,
                    &format!("{pointer_at}/messages"),
                    channel_node.get("messages"),
                )?;
                (channel, messages)
            }
            None if reply.get("address").is_some() => {
                return Err(self
                    .invalid(
                        reply.span,
                        "a reply whose address is only known at run time",
                    )
                    .label("this reply has an `address` and no `channel`")
                    .note("arazzo-rs receives replies on a channel the description names")
                    .help("give the reply a `channel`"));
            }
            None => (request.channel.clone(), request.messages.clone()),
        };
        let messages = match reply.get("messages") {
            Some(list) if list.as_seq().is_some_and(|l| !l.is_empty()) => self.messages(
                target.file,
                &format!("{}/messages", target.pointer),
                Some(list),
            )?,
            _ => channel_messages,
        };
        Ok(Exchange { channel, messages })
    }

    fn operation_2(&self, address: &str, verb: &str) -> Result<Resolved<'p>, Diagnostic> {
        let at = pointer::join(["channels", address, verb]);
        let (Some(channel_node), Some(op)) = (
            self.doc.root.at(&["channels", address]),
            self.doc.root.at(&["channels", address, verb]),
        ) else {
            return Err(unindexed(&at));
        };
        let channel = self.channel(address, channel_node)?;
        let messages = self.messages_2(&at, op)?;
        let here = Exchange { channel, messages };
        let operation_id = op
            .get("operationId")
            .and_then(Node::as_str)
            .map(str::to_owned);
        let declared = channel_node
            .as_map()
            .and_then(|m| m.entry(verb))
            .map(|e| (format!("`{verb}`"), e.key_span));
        let (send, receive) = if verb == "publish" {
            (Some(here), None)
        } else {
            (None, Some(here))
        };
        Ok(Resolved {
            operation_id,
            declared,
            send,
            receive,
        })
    }

    /// A channel by `channelPath`: sending and receiving both allowed.
    fn whole_channel(&self, key: &str) -> Result<Resolved<'p>, Diagnostic> {
        let at = pointer::join(["channels", key]);
        let Some(node) = self.doc.root.at(&["channels", key]) else {
            return Err(unindexed(&at));
        };
        let target = refs::follow(self.project, self.doc.file, at, node)?;
        let channel = self.channel(key, target.node)?;
        let (send, receive) = match self.doc.version {
            AsyncApiVersion::V3 => {
                let messages = self.messages(
                    target.file,
                    &format!("{}/messages", target.pointer),
                    target.node.get("messages"),
                )?;
                (messages.clone(), messages)
            }
            AsyncApiVersion::V2 => {
                let read = |verb: &str| match target.node.get(verb) {
                    Some(op) => self.messages_2(&format!("{}/{verb}", target.pointer), op),
                    None => Ok(Vec::new()),
                };
                let (publish, subscribe) = (read("publish")?, read("subscribe")?);
                // A channel with one side described: its messages stand for both.
                match (publish.is_empty(), subscribe.is_empty()) {
                    (true, false) => (subscribe.clone(), subscribe),
                    (false, true) => (publish.clone(), publish),
                    _ => (publish, subscribe),
                }
            }
        };
        Ok(Resolved {
            operation_id: None,
            declared: None,
            send: Some(Exchange {
                channel: channel.clone(),
                messages: send,
            }),
            receive: Some(Exchange {
                channel,
                messages: receive,
            }),
        })
    }
}

/// The index and the resolver only name what the tree holds: anything else is a bug here.
fn unindexed(at: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InternalError,
        format!("the AsyncAPI resolver was asked for `#{at}`, which the description does not have"),
    )
}

/// The `{name}` placeholders of a channel address, in order.
pub fn placeholders(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = address;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or("");
        if !name.is_empty() && !out.iter().any(|n: &String| n == name) {
            out.push(name.to_owned());
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}
