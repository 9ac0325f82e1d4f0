//! `userErrors`: expected business errors returned in mutation payloads, next to the field.

use async_graphql::SimpleObject;

/// A problem with the input that the user can fix.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub(crate) struct UserError {
    /// Path to the input field, e.g. `["input", "email"]`; empty for the input as a whole.
    pub field: Vec<String>,
    /// Stable code for programs, e.g. `INVALID`, `INVALID_CREDENTIALS`, `WEAK_PASSWORD`.
    pub code: String,
    /// Message for people, in Czech.
    pub message: String,
}

impl UserError {
    /// An error of the input field `field` (under `input`).
    pub(crate) fn on(field: &str, code: &str, message: &str) -> Self {
        Self {
            field: vec!["input".into(), field.into()],
            code: code.into(),
            message: message.into(),
        }
    }

    /// An error at a path below `input`, e.g. `["lines", "0", "quantity"]`.
    pub(crate) fn at(path: &[&str], code: &str, message: &str) -> Self {
        let field = std::iter::once("input")
            .chain(path.iter().copied())
            .map(str::to_owned)
            .collect();
        Self {
            field,
            code: code.into(),
            message: message.into(),
        }
    }

    /// An error of the input as a whole.
    pub(crate) fn whole(code: &str, message: &str) -> Self {
        Self {
            field: vec!["input".into()],
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Collects field errors while validating an input.
#[derive(Default)]
pub(crate) struct Errors(pub Vec<UserError>);

impl Errors {
    /// The value if `result` is valid; otherwise records the message under `field`.
    pub(crate) fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        result
            .map_err(|message| self.0.push(UserError::on(field, "INVALID", message)))
            .ok()
    }

    /// Optional text: `None` when absent or blank, else checked as [`Self::check`] does.
    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        check: impl Fn(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.check(field, check(value))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
