//! Sets and maps keyed by DOM node, with a hasher made for them.
//!
//! Node ids are small integers handed out in document order; SipHash (the
//! std default, built to resist crafted keys) costs more than the lookups
//! themselves in the extraction passes, and a page cannot choose its node ids.
//! A multiplicative hash spreads them well enough.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use ego_tree::NodeId;

/// Fibonacci hashing of the integer a node id wraps.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct NodeHasher(u64);

impl Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type NodeSet = HashSet<NodeId, BuildHasherDefault<NodeHasher>>;
pub(crate) type NodeMap<V> = HashMap<NodeId, V, BuildHasherDefault<NodeHasher>>;
