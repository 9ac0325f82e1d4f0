//! The shopping assistant: one set of shop tools (`tools.rs`) used by a language model through
//! an OpenAI-compatible API (`llm.rs`), by the built-in assistant that reads Czech requests
//! itself (`understand.rs`, `builtin.rs`), and by outside agents over MCP (`http/mcp.rs`).
//! Answers are grounded: every product shown is a real one with its live price.

pub(crate) mod builtin;
pub mod evaluation;
pub(crate) mod graphql;
pub(crate) mod live;
pub mod llm;
pub(crate) mod service;
pub(crate) mod store;
pub(crate) mod tools;
pub(crate) mod understand;
