//! E-mail: messages are written to the transactional outbox with the change they announce and
//! delivered over SMTP by a background worker, so a failing SMTP server delays mail but never
//! loses it or fails the request.

pub(crate) mod outbox;
pub mod smtp;
pub(crate) mod templates;
pub mod worker;
