//! Where each person's data is: the streams whose events carry values sealed under their
//! key (organic law 2004-63: a person may ask for everything held about them).
//!
//! The index holds identifiers only (subject, aggregate type and id), never the data: the
//! data stays sealed in the events, and erasing the person's key leaves the index pointing
//! at ciphertext nobody can open.

use async_trait::async_trait;
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::personal_data::{SubjectId, sealed_subjects};
use sqlx::{AnyConnection, AnyPool};

/// The projection's name.
pub const SUBJECT_STREAMS: &str = "personal_data.subject_streams";

/// See the module documentation.
#[derive(Debug, Default)]
pub struct SubjectStreams;

#[async_trait]
impl Projection for SubjectStreams {
    fn name(&self) -> &str {
        SUBJECT_STREAMS
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let mut subjects = Vec::new();
        sealed_subjects(&event.payload, &mut subjects);
        for subject in subjects {
            sqlx::query(
                "INSERT INTO subject_streams (subject_id, aggregate_type, aggregate_id, \
                 first_position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(subject.to_string())
            .bind(&event.aggregate_type)
            .bind(&event.aggregate_id)
            .bind(event.position)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["subject_streams"]
    }
}

/// The streams (aggregate type, id) holding `subject`'s data, in the order they first did.
pub async fn streams_of_subject(
    pool: &AnyPool,
    subject: SubjectId,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT aggregate_type, aggregate_id FROM subject_streams WHERE subject_id = $1 \
         ORDER BY first_position",
    )
    .bind(subject.to_string())
    .fetch_all(pool)
    .await
}
