//! The channels the outbox worker delivers through.

pub mod email;
pub mod feed;
pub mod webhook;

pub use email::{EmailChannel, SmtpSecurity, SmtpSettings};
pub use feed::{FeedChannel, FeedSettings};
pub use webhook::{WebhookChannel, WebhookSubscriber, sign as sign_webhook};
