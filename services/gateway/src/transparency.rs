//! Signed tree heads of the global log (ADR 0008): the log kept as a Merkle tree, a head
//! signed and published at a configured interval by the one process leading the
//! `tree-heads` job, and the proofs the API gives against any published head.
//!
//! Every process keeps its own tree, built from the log on first use and caught up before
//! each proof, so any gateway answers proof requests; only the leader signs.

use std::sync::Arc;
use std::time::Duration;

use event_store::{Lease, Store};
use signing::transparency::{TransparencyError, latest_head, save_head};
use signing::{LogPublicKey, LogSigningKey, LogTree, SignedTreeHead};
use tokio::sync::{Mutex, MutexGuard};
use tokio_util::sync::CancellationToken;

/// The log's tree, its signing key, and the head publisher.
#[derive(Debug)]
pub struct Transparency {
    store: Store,
    clock: Arc<dyn kernel::Clock>,
    key: Option<LogSigningKey>,
    interval: Duration,
    tree: Mutex<LogTree>,
}

impl Transparency {
    /// Over `store`, signing with `key` (when there is one) every `interval`.
    pub fn new(
        store: Store,
        clock: Arc<dyn kernel::Clock>,
        key: Option<LogSigningKey>,
        interval: Duration,
    ) -> Self {
        Self {
            store,
            clock,
            key,
            interval,
            tree: Mutex::new(LogTree::new()),
        }
    }

    /// The key auditors verify heads with.
    pub fn public_key(&self) -> Option<LogPublicKey> {
        self.key.as_ref().map(LogSigningKey::public_key)
    }

    /// The tree, caught up with the log.
    pub async fn tree(&self) -> Result<MutexGuard<'_, LogTree>, TransparencyError> {
        let mut tree = self.tree.lock().await;
        tree.catch_up(&self.store.log()).await?;
        Ok(tree)
    }

    /// Signs and publishes a head of the whole log if it grew since the last head; the
    /// head published, if any.
    pub async fn publish(&self) -> Result<Option<SignedTreeHead>, TransparencyError> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let tree = self.tree().await?;
        let size = tree.size();
        let published = latest_head(self.store.any_pool())
            .await?
            .map_or(0, |h| h.tree_size);
        if size == 0 || size <= published {
            return Ok(None);
        }
        let head = key.sign_tree_head(size, tree.root_at(size)?, self.clock.now());
        save_head(self.store.any_pool(), &head).await?;
        tracing::info!(tree_size = size, root = %head.root_hash.to_hex(), "signed tree head published");
        Ok(Some(head))
    }

    /// Publishes a head every interval while this process leads `tree-heads`, until `stop`.
    pub async fn run(self: Arc<Self>, stop: CancellationToken) {
        if self.key.is_none() {
            tracing::warn!("no log key configured: no signed tree heads");
            return;
        }
        let mut lease: Option<Lease> = None;
        loop {
            let leading = match &mut lease {
                Some(held) => held.is_held().await,
                None => false,
            };
            if !leading {
                lease = match self.store.try_lead("tree-heads").await {
                    Ok(found) => found,
                    Err(error) => {
                        tracing::warn!(%error, "cannot ask for the tree-heads lead");
                        None
                    }
                };
            }
            if lease.is_some()
                && let Err(error) = self.publish().await
            {
                tracing::error!(%error, "cannot publish a signed tree head");
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(self.interval) => {}
            }
        }
        if let Some(held) = lease {
            held.release().await;
        }
    }
}
