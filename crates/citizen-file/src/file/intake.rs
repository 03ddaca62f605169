//! Receipt of a new file: who may submit or register it, and the validation of what it
//! carries (author details, statement, location, attachments).
//!
//! The receipt is issued in the same command that receives the file (decree 93-982 art. 7,
//! cited in the domain notes: the receipt is immediate and automatic), with its tracking code
//! and its reply deadline already computed.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use kernel::calendar::Deadline;
use kernel::{Actor, ActorId, ActorKind, Role, TextLimits};

use super::commands::NewFile;
use super::error::FileError;
use super::events::{CitizenFileEvent, Receipt};
use super::model::{
    AttachmentProblem, AttachmentRef, AuthorDetails, AuthorRef, Channel, Coordinates, KindDetails,
    Statement,
};
use crate::config::{AttachmentRules, TextLengths};
use crate::deadlines::ScheduledDeadline;
use crate::services::CitizenFileServices;
use crate::validation::{optional_text, text};

/// Roles that may register a file brought to the administration.
const INTAKE_ROLES: [Role; 3] = [
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::CentralBureauAgent,
];

/// `SubmitFile`: a registered user files online; they are the author.
pub(crate) async fn submit(
    actor: Actor,
    file: NewFile,
    services: &CitizenFileServices,
) -> Result<CitizenFileEvent, FileError> {
    if actor.kind != ActorKind::Citizen {
        return Err(FileError::NotACitizen);
    }
    let now = services.clock.now();
    let receipt = receipt(file, Some(actor.id), now, services).await?;
    Ok(CitizenFileEvent::FileSubmitted { receipt })
}

/// The parts of `RegisterFile` beyond the file itself.
#[derive(Debug)]
pub(crate) struct Registration {
    pub(crate) actor: Actor,
    pub(crate) channel: Channel,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) account: Option<ActorId>,
}

/// `RegisterFile`: an office records a file brought by counter, mail, phone, fax or e-mail.
pub(crate) async fn register(
    registration: Registration,
    file: NewFile,
    services: &CitizenFileServices,
) -> Result<CitizenFileEvent, FileError> {
    let Registration {
        actor,
        channel,
        received_at,
        account,
    } = registration;
    let kind = file.kind.kind();
    let organisation = match actor.acting_as {
        Some(grant) if INTAKE_ROLES.contains(&grant.role) => grant.organisation,
        _ => return Err(FileError::NotAnIntakeAgent),
    };
    // The receiving office studies what it registers (art. 7, 8). Suggestions and
    // notifications go to the Central Bureau (art. 9, 10), whichever office's counter
    // received them.
    let forwards_to_bureau = kind.handled_at() == kernel::OrganisationKind::CentralBureau
        && actor.role().is_some_and(|r| r != Role::CentralBureauAgent);
    if !forwards_to_bureau && !actor.acts_for(file.handled_by, kind.handling_roles()) {
        return Err(FileError::NotTheHandlingOrganisation {
            handled_by: file.handled_by,
        });
    }
    if channel == Channel::Online {
        return Err(FileError::OnlineIsNotARegistrationChannel);
    }
    let now = services.clock.now();
    if received_at > now {
        return Err(FileError::ReceivedInTheFuture);
    }
    let details = &file.author;
    if account.is_none()
        && details.email.is_none()
        && details.phone.is_none()
        && details.postal_address.is_none()
    {
        return Err(FileError::NoWayToReachAuthor);
    }
    if channel == Channel::Email && details.email.is_none() {
        return Err(FileError::EmailChannelNeedsAnAddress);
    }
    let receipt = receipt(file, account, received_at, services).await?;
    let first_response_due = if channel == Channel::Email {
        let rule = services.config.email_first_response.clone();
        Some(Deadline::new(rule, received_at).compute(&services.calendar)?)
    } else {
        None
    };
    Ok(CitizenFileEvent::FileRegistered {
        receipt,
        channel,
        by: actor.id,
        organisation,
        registered_at: now,
        first_response_due,
    })
}

/// Validates a new file and builds its receipt, sealing what is personal.
async fn receipt(
    file: NewFile,
    account: Option<ActorId>,
    received_at: DateTime<Utc>,
    services: &CitizenFileServices,
) -> Result<Receipt, FileError> {
    let config = &services.config;
    let kind = file.kind.kind();
    if !services
        .directory
        .is_kind(file.handled_by, kind.handled_at())
    {
        return Err(FileError::WrongHandlingOrganisation {
            kind,
            expected: kind.handled_at(),
        });
    }
    let lengths = &config.text;
    let author_details = author_details(&file.author, lengths)?;
    let title = text("title", &file.title, TextLimits::line(lengths.title))?;
    let body = text("body", &file.body, TextLimits::body(lengths.body))?;
    let (coordinates, address) = match &file.location {
        Some(location) => (
            location.coordinates.map(checked_coordinates).transpose()?,
            optional_text(
                "location.address",
                location.address.as_deref(),
                TextLimits::body(lengths.address),
            )?,
        ),
        None => (None, None),
    };
    if matches!(file.kind, KindDetails::Notification { .. })
        && coordinates.is_none()
        && address.is_none()
    {
        return Err(FileError::NotificationNeedsLocation);
    }
    let attachments = attachments(&file.attachments, &config.attachments)?;
    let reply_deadline = ScheduledDeadline::start(
        config.reply.for_file(&file.kind),
        received_at,
        &services.calendar,
    )?;
    let statement = Statement {
        title,
        body,
        address,
    };
    let cipher = &services.cipher;
    Ok(Receipt {
        file: file.file,
        tracking_code: file.tracking_code,
        kind: file.kind,
        handled_by: file.handled_by,
        author: AuthorRef {
            subject: file.subject,
            account,
        },
        author_details: cipher.seal(file.subject, &author_details).await?,
        statement: cipher.seal(file.subject, &statement).await?,
        coordinates,
        attachments,
        received_at,
        reply_deadline,
    })
}

/// The author's details, validated and trimmed.
fn author_details(raw: &AuthorDetails, lengths: &TextLengths) -> Result<AuthorDetails, FileError> {
    let line = |field, value: Option<&str>, max| {
        optional_text(field, value, TextLimits::line(max)).map(|t| t.map(kernel::Text::into_string))
    };
    let email = line("author.email", raw.email.as_deref(), lengths.email)?;
    if email.as_deref().is_some_and(|e| !is_email(e)) {
        return Err(FileError::InvalidEmail);
    }
    let phone = line("author.phone", raw.phone.as_deref(), lengths.phone)?;
    if phone.as_deref().is_some_and(|p| !is_phone(p)) {
        return Err(FileError::InvalidPhone);
    }
    Ok(AuthorDetails {
        person: raw.person,
        name: text("author.name", &raw.name, TextLimits::line(lengths.name))?.into_string(),
        national_id: line(
            "author.national_id",
            raw.national_id.as_deref(),
            lengths.national_id,
        )?,
        email,
        phone,
        postal_address: optional_text(
            "author.postal_address",
            raw.postal_address.as_deref(),
            TextLimits::body(lengths.address),
        )?
        .map(kernel::Text::into_string),
    })
}

/// A plausible mailbox: one `@`, a local part, a dotted domain, no spaces. Deliverability is
/// the mailer's business; this catches typing mistakes.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// A plausible phone number: digits with the usual separators, an optional leading `+`,
/// 6 to 15 digits (E.164 allows 15).
fn is_phone(phone: &str) -> bool {
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        && (6..=15).contains(&digits)
}

fn checked_coordinates(coordinates: Coordinates) -> Result<Coordinates, FileError> {
    // NaN fails the range test, so it is refused too.
    if coordinates.is_in_tunisia() {
        Ok(coordinates)
    } else {
        Err(FileError::OutsideTunisia)
    }
}

/// Attachment references, validated and normalised (lowercase hash and media type).
pub(crate) fn attachments(
    given: &[AttachmentRef],
    rules: &AttachmentRules,
) -> Result<Vec<AttachmentRef>, FileError> {
    if given.len() > rules.max_count {
        return Err(FileError::TooManyAttachments {
            max: rules.max_count,
            given: given.len(),
        });
    }
    let mut seen = HashSet::new();
    given
        .iter()
        .enumerate()
        .map(|(index, attachment)| {
            let refuse = |problem| FileError::InvalidAttachment { index, problem };
            let sha256 = attachment.sha256.to_ascii_lowercase();
            if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(refuse(AttachmentProblem::BadHash));
            }
            let media_type = attachment.media_type.trim().to_ascii_lowercase();
            if !rules.media_types.contains(&media_type) {
                return Err(refuse(AttachmentProblem::MediaTypeNotAllowed));
            }
            if attachment.size_bytes == 0 {
                return Err(refuse(AttachmentProblem::Empty));
            }
            if attachment.size_bytes > rules.max_bytes {
                return Err(refuse(AttachmentProblem::TooLarge {
                    max_bytes: rules.max_bytes,
                }));
            }
            if !seen.insert(sha256.clone()) {
                return Err(refuse(AttachmentProblem::Duplicate));
            }
            Ok(AttachmentRef {
                sha256,
                media_type,
                size_bytes: attachment.size_bytes,
            })
        })
        .collect()
}
