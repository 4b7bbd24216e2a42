//! AsyncAPI descriptions as message steps read them: the operations and channels of 2.x and 3.0
//! in one shape — where a workflow may send, where it may receive, the channel's address and
//! parameters, and the messages (payload and header schemas, correlation id) — with `$ref`s
//! followed across files. Only what a workflow names is ever read.

mod message;
mod resolve;

pub use message::Message;
pub use resolve::{Exchange, Resolved, resolve};

use std::collections::BTreeMap;

use crate::load::{AsyncApiId, AsyncApiVersion, Project};
use crate::node::Node;

/// What a message step names in one AsyncAPI source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    pub doc: AsyncApiId,
    pub target: MessageTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageTarget {
    /// An operation, by the JSON pointer tokens of its object: 3.0 `operations/<id>`, 2.x
    /// `channels/<address>/publish` or `…/subscribe`.
    Operation(Vec<String>),
    /// A channel, by its key in `channels` (3.0: its id; 2.x: its address).
    Channel(String),
}

/// Operation ids → operations, per AsyncAPI source.
#[derive(Debug, Default)]
pub struct MessageIndex {
    by_id: Vec<BTreeMap<String, Vec<Vec<String>>>>,
}

impl MessageIndex {
    pub fn build(project: &Project) -> Self {
        let by_id = project
            .asyncapi
            .iter()
            .map(|doc| {
                let mut ids: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
                match doc.version {
                    AsyncApiVersion::V3 => {
                        for entry in doc
                            .root
                            .get("operations")
                            .and_then(Node::as_map)
                            .map_or(&[][..], |m| &m.entries)
                        {
                            ids.entry(entry.key.clone())
                                .or_default()
                                .push(vec!["operations".to_owned(), entry.key.clone()]);
                        }
                    }
                    AsyncApiVersion::V2 => {
                        for entry in doc
                            .root
                            .get("channels")
                            .and_then(Node::as_map)
                            .map_or(&[][..], |m| &m.entries)
                        {
                            for verb in ["publish", "subscribe"] {
                                if let Some(id) = entry
                                    .value
                                    .get(verb)
                                    .and_then(|op| op.get("operationId"))
                                    .and_then(Node::as_str)
                                {
                                    ids.entry(id.to_owned()).or_default().push(vec![
                                        "channels".to_owned(),
                                        entry.key.clone(),
                                        verb.to_owned(),
                                    ]);
                                }
                            }
                        }
                    }
                }
                ids
            })
            .collect();
        MessageIndex { by_id }
    }

    /// Every operation id of source `doc`.
    pub fn ids(&self, doc: AsyncApiId) -> impl Iterator<Item = &str> {
        self.by_id
            .get(doc.0)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }

    /// The operations of source `doc` with id `id` (more than one is the description's mistake).
    pub fn find(&self, doc: AsyncApiId, id: &str) -> Vec<MessageRef> {
        self.by_id
            .get(doc.0)
            .and_then(|m| m.get(id))
            .map(|found| {
                found
                    .iter()
                    .map(|tokens| MessageRef {
                        doc,
                        target: MessageTarget::Operation(tokens.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}
