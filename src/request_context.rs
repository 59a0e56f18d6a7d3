//! The request id a piece of work runs for: set by the HTTP edge (`telemetry::http`) around each
//! request, read by whatever the request queues (mail carries it into the outbox, so the
//! worker's log lines name the request that queued it) and by the problem+json renderer
//! (`instance`). Free of HTTP, so that services and the mail worker may use it.

use std::{fmt, future::Future, sync::Arc};

use rand::RngCore;

/// The longest request id accepted from a caller.
pub const MAX_LEN: usize = 64;

/// A request id: 1 to [`MAX_LEN`] characters from `A-Z a-z 0-9 - _ .`, so it is safe in a
/// header, a log line, a URI reference and a database column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The caller's id, if it is sane; `None` for anything else (which is then replaced).
    pub fn from_caller(value: &str) -> Option<Self> {
        let sane = !value.is_empty()
            && value.len() <= MAX_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        sane.then(|| Self(value.into()))
    }

    /// A fresh id: 128 random bits in hex.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes).into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

tokio::task_local! {
    static CURRENT: RequestId;
}

/// The id of the request the current task works for, if any.
pub fn current() -> Option<RequestId> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Runs `work` as part of request `id`.
pub async fn scope<F: Future>(id: Option<RequestId>, work: F) -> F::Output {
    match id {
        Some(id) => CURRENT.scope(id, work).await,
        None => work.await,
    }
}

/// `work` (to be spawned) carrying the current request's id, so what it queues names the
/// request too, and its log span, so its log lines do.
pub fn carry<F: Future>(work: F) -> impl Future<Output = F::Output> {
    tracing::Instrument::instrument(scope(current(), work), tracing::Span::current())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_caller_id_is_kept() {
        let id = RequestId::from_caller("req-42_a.B").unwrap();
        assert_eq!(id.as_str(), "req-42_a.B");
        let uuid = "0b8a6c2e-3f1d-4c8e-9a57-2d1e7f0c9b11";
        assert_eq!(RequestId::from_caller(uuid).unwrap().as_str(), uuid);
    }

    #[test]
    fn unsafe_or_overlong_caller_ids_are_refused() {
        for bad in ["", "a b", "a\nb", "<script>", "ü", "a/b", "x\"y"] {
            assert!(RequestId::from_caller(bad).is_none(), "{bad:?}");
        }
        assert!(RequestId::from_caller(&"a".repeat(MAX_LEN)).is_some());
        assert!(RequestId::from_caller(&"a".repeat(MAX_LEN + 1)).is_none());
    }

    #[test]
    fn generated_ids_are_sane_and_differ() {
        let (a, b) = (RequestId::generate(), RequestId::generate());
        assert_ne!(a, b);
        assert!(RequestId::from_caller(a.as_str()).is_some());
    }

    #[tokio::test]
    async fn work_in_a_scope_sees_its_id_and_carries_it_into_spawned_work() {
        assert!(current().is_none());
        let id = RequestId::generate();
        let seen = scope(Some(id.clone()), async {
            tokio::spawn(carry(async { current() })).await.unwrap()
        })
        .await;
        assert_eq!(seen, Some(id));
    }
}
