//! Where an import job stands: an enum in Rust, GraphQL and PostgreSQL (text under a CHECK).

use serde::{Deserialize, Serialize};

/// Where an import job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum JobStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is reading the file (or resumes it after a crash).
    Running,
    /// Read to the end.
    Finished,
    /// Stopped by a problem with the whole file; rows before it stay imported.
    Failed,
}

impl JobStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [Self::Queued, Self::Running, Self::Finished, Self::Failed];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "QUEUED",
            Self::Running => "RUNNING",
            Self::Finished => "FINISHED",
            Self::Failed => "FAILED",
        }
    }
}

crate::db::text_enum!(JobStatus, "import job status", Self::ALL);
