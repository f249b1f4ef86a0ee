//! Several nodes on one PostgreSQL: who this node is, and how the changes other nodes
//! commit reach this node's snapshot, security guard and token checks.

pub mod fanout;
pub mod node;
pub mod peers;
