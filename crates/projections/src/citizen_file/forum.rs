//! The forum's public pages (decree 2019-1242 art. 11): topics and their messages.
//!
//! The projection `citizen_file.forum` keeps one row per topic (`cf_forum_topics`: the
//! administration's title, question and synthesis, public words in clear) and one per
//! message (`cf_forum_posts`: the sealed text, the author's account, never a name). A
//! hidden message keeps its sealed text (the moderation history) but the listing shows it
//! as hidden, with the reason and the moderators' explanation, never its text. Reports of
//! abuse are counted per message for the moderators' queue.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citizen_file::{AbuseReason, ForumEvent, PostId, TopicId, TopicStatus};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::personal_data::Sealed;
use kernel::{ActorId, OrganisationId, Text};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

use super::sql::{
    Bind, Conditions, QueryError, column, id_column, json_column, millis, name_column, name_of,
    optional_id_column, optional_time_column, paged, time_column,
};
use crate::query::{Page, Paged};

/// `Aggregate::TYPE` of forum topics.
const FORUM_TOPIC: &str = "ForumTopic";

/// A forum topic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForumTopicRow {
    /// The topic.
    pub topic: TopicId,
    /// The organisation that opened it.
    pub organisation: OrganisationId,
    /// Its title.
    pub title: String,
    /// The question it asks.
    pub question: String,
    /// Open, closed, or closed with its synthesis.
    pub status: TopicStatus,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When posting ends.
    pub closes_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The synthesis, once published.
    pub synthesis: Option<String>,
    /// When the synthesis was published.
    pub synthesis_at: Option<DateTime<Utc>>,
    /// Messages posted.
    pub posts: u64,
    /// Of which hidden.
    pub hidden_posts: u64,
}

/// What the listing shows of a message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "visibility", rename_all = "snake_case")]
pub enum PostContent {
    /// Visible: the sealed text (the gateway opens it for display).
    Visible {
        /// The text, sealed under its author's data subject.
        text: Sealed<Text>,
    },
    /// Hidden by a moderator: why, not what.
    Hidden {
        /// The reason, from the closed list.
        reason: AbuseReason,
        /// The moderators' explanation.
        explanation: String,
        /// When.
        at: DateTime<Utc>,
    },
}

/// A message of a topic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForumPostRow {
    /// The message.
    pub post: PostId,
    /// Its topic.
    pub topic: TopicId,
    /// The message it replies to.
    pub in_reply_to: Option<PostId>,
    /// Its author's account (the portal shows the account's pseudonym).
    pub author: ActorId,
    /// When it was posted.
    pub posted_at: DateTime<Utc>,
    /// What may be shown.
    pub content: PostContent,
    /// How many users reported it.
    pub reports: u64,
}

/// The forum projection (`citizen_file.forum`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ForumProjection;

impl ForumProjection {
    /// The projection's name (its checkpoint).
    pub const NAME: &'static str = "citizen_file.forum";
}

#[async_trait]
impl Projection for ForumProjection {
    fn name(&self) -> &str {
        Self::NAME
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        if event.aggregate_type != FORUM_TOPIC {
            return Ok(());
        }
        let topic = &event.aggregate_id;
        match event.decode::<ForumEvent>()? {
            ForumEvent::TopicOpened {
                title,
                question,
                closes_at,
                organisation,
                at,
                ..
            } => {
                sqlx::query(
                    "INSERT INTO cf_forum_topics (topic_id, organisation, title, question, \
                     status, opened_at, closes_at, posts, hidden_posts) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0) \
                     ON CONFLICT (topic_id) DO UPDATE SET organisation = excluded.organisation, \
                     title = excluded.title, question = excluded.question, \
                     status = excluded.status, opened_at = excluded.opened_at, \
                     closes_at = excluded.closes_at",
                )
                .bind(topic)
                .bind(organisation.to_string())
                .bind(title.as_str())
                .bind(question.as_str())
                .bind(name_of(&TopicStatus::Open)?)
                .bind(millis(at))
                .bind(millis(closes_at))
                .execute(&mut *tx)
                .await?;
            }
            ForumEvent::MessagePosted {
                post,
                in_reply_to,
                author,
                text,
                at,
            } => {
                sqlx::query(
                    "INSERT INTO cf_forum_posts (post_id, topic_id, in_reply_to, author, body, \
                     posted_at, hidden, reports) VALUES ($1, $2, $3, $4, $5, $6, 0, 0) \
                     ON CONFLICT (post_id) DO UPDATE SET body = excluded.body",
                )
                .bind(post.to_string())
                .bind(topic)
                .bind(in_reply_to.map(|p| p.to_string()))
                .bind(author.to_string())
                .bind(serde_json::to_string(&text)?)
                .bind(millis(at))
                .execute(&mut *tx)
                .await?;
                count_on_topic(tx, topic, "posts").await?;
            }
            ForumEvent::PostHidden {
                post,
                reason,
                explanation,
                at,
                ..
            } => {
                sqlx::query(
                    "UPDATE cf_forum_posts SET hidden = 1, hidden_reason = $2, \
                     hidden_explanation = $3, hidden_at = $4 WHERE post_id = $1",
                )
                .bind(post.to_string())
                .bind(name_of(&reason)?)
                .bind(explanation.as_str())
                .bind(millis(at))
                .execute(&mut *tx)
                .await?;
                count_on_topic(tx, topic, "hidden_posts").await?;
            }
            ForumEvent::AbuseReported { post, .. } => {
                sqlx::query("UPDATE cf_forum_posts SET reports = reports + 1 WHERE post_id = $1")
                    .bind(post.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            ForumEvent::TopicClosed { at, .. } => {
                sqlx::query(
                    "UPDATE cf_forum_topics SET status = $2, closed_at = $3 WHERE topic_id = $1",
                )
                .bind(topic)
                .bind(name_of(&TopicStatus::Closed)?)
                .bind(millis(at))
                .execute(&mut *tx)
                .await?;
            }
            ForumEvent::SynthesisPublished { synthesis, at, .. } => {
                sqlx::query(
                    "UPDATE cf_forum_topics SET status = $2, synthesis = $3, synthesis_at = $4 \
                     WHERE topic_id = $1",
                )
                .bind(topic)
                .bind(name_of(&TopicStatus::SynthesisPublished)?)
                .bind(synthesis.as_str())
                .bind(millis(at))
                .execute(&mut *tx)
                .await?;
            }
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["cf_forum_posts", "cf_forum_topics"]
    }
}

/// Adds one to a counter of the topic (`posts`, `hidden_posts`).
async fn count_on_topic(
    tx: &mut AnyConnection,
    topic: &str,
    counter: &'static str,
) -> Result<(), ProjectionError> {
    sqlx::query(&format!(
        "UPDATE cf_forum_topics SET {counter} = {counter} + 1 WHERE topic_id = $1"
    ))
    .bind(topic)
    .execute(tx)
    .await?;
    Ok(())
}

const TOPIC_COLUMNS: &str = "topic_id, organisation, title, question, status, opened_at, \
     closes_at, closed_at, synthesis, synthesis_at, posts, hidden_posts";

fn count(row: &AnyRow, name: &str) -> Result<u64, QueryError> {
    Ok(u64::try_from(column::<i64>(row, name)?).unwrap_or(0))
}

fn decode_topic(row: &AnyRow) -> Result<ForumTopicRow, QueryError> {
    Ok(ForumTopicRow {
        topic: id_column(row, "topic_id")?,
        organisation: id_column(row, "organisation")?,
        title: column(row, "title")?,
        question: column(row, "question")?,
        status: name_column(row, "status")?,
        opened_at: time_column(row, "opened_at")?,
        closes_at: time_column(row, "closes_at")?,
        closed_at: optional_time_column(row, "closed_at")?,
        synthesis: column(row, "synthesis")?,
        synthesis_at: optional_time_column(row, "synthesis_at")?,
        posts: count(row, "posts")?,
        hidden_posts: count(row, "hidden_posts")?,
    })
}

/// Topics, the most recently opened first, optionally only those in `status`.
pub async fn forum_topics(
    pool: &AnyPool,
    status: Option<TopicStatus>,
    page: Page,
) -> Result<Paged<ForumTopicRow>, QueryError> {
    let mut conditions = Conditions::default();
    if let Some(status) = status {
        conditions.add("status = ?", Bind::Text(name_of(&status)?));
    }
    let filter = conditions.where_clause();
    paged(
        pool,
        &format!(
            "SELECT {TOPIC_COLUMNS} FROM cf_forum_topics {filter} \
             ORDER BY opened_at DESC, topic_id"
        ),
        &format!("SELECT COUNT(*) FROM cf_forum_topics {filter}"),
        conditions.binds(),
        page,
        decode_topic,
    )
    .await
}

/// One topic.
pub async fn forum_topic(
    pool: &AnyPool,
    topic: TopicId,
) -> Result<Option<ForumTopicRow>, QueryError> {
    sqlx::query(&format!(
        "SELECT {TOPIC_COLUMNS} FROM cf_forum_topics WHERE topic_id = $1"
    ))
    .bind(topic.to_string())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(decode_topic)
    .transpose()
}

const POST_COLUMNS: &str = "post_id, topic_id, in_reply_to, author, body, posted_at, hidden, \
     hidden_reason, hidden_explanation, hidden_at, reports";

fn decode_post(row: &AnyRow) -> Result<ForumPostRow, QueryError> {
    let content = if column::<i64>(row, "hidden")? == 1 {
        PostContent::Hidden {
            reason: name_column(row, "hidden_reason")?,
            explanation: column(row, "hidden_explanation")?,
            at: time_column(row, "hidden_at")?,
        }
    } else {
        PostContent::Visible {
            text: json_column(row, "body")?,
        }
    };
    Ok(ForumPostRow {
        post: id_column(row, "post_id")?,
        topic: id_column(row, "topic_id")?,
        in_reply_to: optional_id_column(row, "in_reply_to")?,
        author: id_column(row, "author")?,
        posted_at: time_column(row, "posted_at")?,
        content,
        reports: count(row, "reports")?,
    })
}

/// The messages of `topic` in the order they were posted, hidden ones shown as hidden.
pub async fn forum_posts(
    pool: &AnyPool,
    topic: TopicId,
    page: Page,
) -> Result<Paged<ForumPostRow>, QueryError> {
    paged(
        pool,
        &format!(
            "SELECT {POST_COLUMNS} FROM cf_forum_posts WHERE topic_id = $1 \
             ORDER BY posted_at, post_id"
        ),
        "SELECT COUNT(*) FROM cf_forum_posts WHERE topic_id = $1",
        &[Bind::Text(topic.to_string())],
        page,
        decode_post,
    )
    .await
}

/// The moderators' queue: visible messages users reported, the most reported first; only
/// on the topics of `organisation` when given (a moderator sees their forum's).
pub async fn moderation_queue(
    pool: &AnyPool,
    organisation: Option<OrganisationId>,
    page: Page,
) -> Result<Paged<ForumPostRow>, QueryError> {
    let mut conditions = Conditions::default();
    conditions.add_fixed("hidden = 0 AND reports > 0");
    if let Some(organisation) = organisation {
        conditions.add(
            "topic_id IN (SELECT topic_id FROM cf_forum_topics WHERE organisation = ?)",
            Bind::Text(organisation.to_string()),
        );
    }
    let reported = format!("FROM cf_forum_posts {}", conditions.where_clause());
    paged(
        pool,
        &format!("SELECT {POST_COLUMNS} {reported} ORDER BY reports DESC, posted_at, post_id"),
        &format!("SELECT COUNT(*) {reported}"),
        conditions.binds(),
        page,
        decode_post,
    )
    .await
}
