//! Tokens kept per scope set: given again while valid, replaced a little before they expire,
//! fetched by one caller at a time (the others wait for its token instead of fetching their
//! own), and never given again once a server refused them.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use super::Token;
use crate::auth::Secret;

/// How long before its expiry a token is replaced, at most: a request sent with a token about
/// to expire could arrive with an expired one.
const EARLY: Duration = Duration::from_secs(30);

#[derive(Default)]
pub(crate) struct TokenCache {
    slots: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Held>>>>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache")
    }
}

struct Held {
    access: Secret,
    refresh: Option<Secret>,
    /// When to fetch a new one; `None`: until a server refuses it.
    replace_at: Option<Instant>,
}

impl Held {
    fn new(token: Token, now: Instant) -> Self {
        Held {
            access: token.access,
            refresh: token.refresh,
            // A quarter of a short lifetime, so a token valid for seconds is still used.
            replace_at: token
                .expires_in
                .map(|life| now + life.saturating_sub(EARLY.min(life / 4))),
        }
    }
}

/// The key of a scope set: sorted, each once.
fn key(scopes: &[&str]) -> String {
    let mut sorted: Vec<&str> = scopes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.join(" ")
}

impl TokenCache {
    /// The slot of `scopes`, locked: held across a fetch, so that whoever comes meanwhile
    /// waits, then takes the new token.
    pub async fn slot(&self, scopes: &[&str]) -> Slot {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.entry(key(scopes)).or_default().clone()
        };
        Slot(slot.lock_owned().await)
    }
}

/// One scope set's token, locked.
pub(crate) struct Slot(tokio::sync::OwnedMutexGuard<Option<Held>>);

impl Slot {
    /// The token kept, if it is still valid and not `stale` (refused by a server).
    pub fn valid(&self, stale: Option<&Secret>) -> Option<Secret> {
        let held = self.0.as_ref()?;
        let refused = stale.is_some_and(|s| *s == held.access);
        let valid = held.replace_at.is_none_or(|at| Instant::now() < at);
        (valid && !refused).then(|| held.access.clone())
    }

    /// Drops the token kept, giving its refresh token.
    pub fn take_refresh(&mut self) -> Option<Secret> {
        self.0.take().and_then(|h| h.refresh)
    }

    /// Keeps a new token.
    pub fn keep(&mut self, token: Token) -> Secret {
        let held = Held::new(token, Instant::now());
        let access = held.access.clone();
        *self.0 = Some(held);
        access
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::TokenFailure;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn fetched(n: &AtomicUsize, life: Option<Duration>) -> Result<Token, TokenFailure> {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let token = Token::new(format!("t{i}"));
        Ok(match life {
            Some(l) => token.expires_in(l).refresh_token(format!("r{i}")),
            None => token,
        })
    }

    /// What `TokenSource::token` does, with `fetch` for the token endpoint.
    async fn get_or_fetch<Fut: std::future::Future<Output = Result<Token, TokenFailure>>>(
        cache: &TokenCache,
        scopes: &[&str],
        stale: Option<&Secret>,
        fetch: impl FnOnce(Option<Secret>) -> Fut,
    ) -> Result<Secret, TokenFailure> {
        let mut slot = cache.slot(scopes).await;
        if let Some(token) = slot.valid(stale) {
            return Ok(token);
        }
        let refresh = slot.take_refresh();
        Ok(slot.keep(fetch(refresh).await?))
    }

    #[tokio::test]
    async fn a_token_is_kept_per_scope_set_until_refused() {
        let cache = TokenCache::default();
        let n = AtomicUsize::new(0);
        let get = |scopes: &'static [&'static str], stale: Option<Secret>| {
            let (cache, n) = (&cache, &n);
            async move {
                get_or_fetch(cache, scopes, stale.as_ref(), |_| async {
                    fetched(n, None)
                })
                .await
                .map(|s| s.expose().to_owned())
            }
        };
        assert_eq!(get(&["a", "b"], None).await.ok().as_deref(), Some("t0"));
        assert_eq!(
            get(&["b", "a", "a"], None).await.ok().as_deref(),
            Some("t0")
        );
        assert_eq!(get(&["c"], None).await.ok().as_deref(), Some("t1"));
        // Refused: replaced once; a caller that saw the old one refused gets the new one.
        let old = Some(Secret::new("t0"));
        assert_eq!(
            get(&["a", "b"], old.clone()).await.ok().as_deref(),
            Some("t2")
        );
        assert_eq!(get(&["a", "b"], old).await.ok().as_deref(), Some("t2"));
    }

    #[tokio::test]
    async fn an_expiring_token_is_replaced_early_with_its_refresh_token() {
        let cache = TokenCache::default();
        let n = AtomicUsize::new(0);
        let mut refreshes = Vec::new();
        for _ in 0..2 {
            let token = get_or_fetch(&cache, &[], None, |refresh| {
                refreshes.push(refresh.map(|r| r.expose().to_owned()));
                async { fetched(&n, Some(Duration::from_millis(40))) }
            })
            .await;
            assert!(token.is_ok());
            tokio::time::sleep(Duration::from_millis(35)).await;
        }
        assert_eq!(refreshes, [None, Some("r0".to_owned())]);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let n = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let (cache, n) = (cache.clone(), n.clone());
                tokio::spawn(async move {
                    get_or_fetch(&cache, &["x"], None, |_| async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        fetched(&n, None)
                    })
                    .await
                    .is_ok()
                })
            })
            .collect();
        for t in tasks {
            assert!(matches!(t.await, Ok(true)));
        }
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }
}
