//! Password hashing with a bounded cost: at most as many argon2 runs at once as there are
//! slots (by default one per core), each in a working memory kept for reuse.
//!
//! An argon2id run needs 19 MiB. Given its own blocking thread and its own allocation, 80
//! simultaneous logins took 1.5 GiB that the allocator never gave back. Here a run first takes
//! a slot (a [`tokio::sync::Semaphore`] permit), waiting at most [`PasswordHashing::wait`]
//! (then [`Error::Busy`]: 503 with `Retry-After` at the edge), and hashes into one of the
//! slots' working memories: the memory for hashing never exceeds slots × 19 MiB, and stays
//! the same after a burst as before it.
//!
//! Every check does the same work whatever the account: a missing or unusable hash (an account
//! made by an email link has none) is checked against a dummy hash instead, so a wrong password
//! takes as long for it as for any other account.

use std::{
    sync::{
        Mutex, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{Output, ParamsString, Salt, SaltString},
};
use rand::RngCore;
use tokio::sync::Semaphore;

use crate::domain::{Error, Result};

/// OWASP's recommendation for argon2id: 19 MiB, 2 iterations, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

/// The most memory blocks a stored hash may ask for and still use a kept working memory
/// (hashes from elsewhere with a higher cost get a one-off allocation).
const KEPT_BLOCKS: usize = 19 * 1024;

/// How long a caller waits for a slot before being told to come back, by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// The slots and working memories for password hashing of one server.
#[derive(Debug)]
pub struct PasswordHashing {
    slots: Semaphore,
    size: usize,
    wait: Duration,
    memories: Mutex<Vec<Vec<Block>>>,
    runs: AtomicU64,
}

impl PasswordHashing {
    /// `slots` runs at once (at least one); a caller waits up to `wait` for one.
    pub fn new(slots: usize, wait: Duration) -> Self {
        let slots = slots.max(1);
        Self {
            slots: Semaphore::new(slots),
            size: slots,
            wait,
            memories: Mutex::new(Vec::new()),
            runs: AtomicU64::new(0),
        }
    }

    /// One slot per core of this machine.
    pub fn per_core(wait: Duration) -> Self {
        Self::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            wait,
        )
    }

    /// How many runs may go at once.
    pub fn slots(&self) -> usize {
        self.size
    }

    /// How long a caller waits for a slot.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// How many argon2 runs have finished (a check against the dummy hash counts too).
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// Takes every slot until the returned guard is dropped: what a burst of logins that fills
    /// every slot looks like, for tests and drills.
    pub async fn occupy_all(&self) -> tokio::sync::SemaphorePermit<'_> {
        self.slots
            .acquire_many(self.size as u32)
            .await
            .expect("the semaphore is never closed")
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let password = password.to_owned();
        self.run(move |memory| hash_with(memory, &password, &salt))
            .await?
            .map_err(|e| Error::internal("hashing the password failed", e))
    }

    /// Whether `password` matches the PHC string `hash`. A missing or malformed hash never
    /// matches, after the same work as a real check.
    pub async fn verify(&self, hash: Option<&str>, password: &str) -> Result<bool> {
        let usable = hash.filter(|h| PasswordHash::new(h).is_ok());
        let (hash, real) = match usable {
            Some(hash) => (hash.to_owned(), true),
            None => (dummy_hash().to_owned(), false),
        };
        let password = password.to_owned();
        let matches = self
            .run(move |memory| verify_with(memory, &hash, &password))
            .await?;
        Ok(real && matches)
    }

    /// Runs `work` on the blocking pool in a slot, with a kept working memory.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T> {
        let permit = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .map_err(|_| Error::Busy {
                retry_after: Duration::from_secs(2),
            })?
            .expect("the semaphore is never closed");
        let mut memory = self
            .memories
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let (result, memory) = tokio::task::spawn_blocking(move || {
            let result = work(&mut memory);
            (result, memory)
        })
        .await
        .map_err(|e| Error::internal("password hashing stopped", e))?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        self.memories
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(memory);
        drop(permit);
        Ok(result)
    }
}

/// The working memory for `params`: the kept one (grown once to the standard size), or a
/// one-off allocation for an unusually costly hash.
fn with_memory<T>(
    memory: &mut Vec<Block>,
    params: &Params,
    work: impl FnOnce(&mut [Block]) -> T,
) -> T {
    let needed = params.block_count();
    if needed > KEPT_BLOCKS {
        return work(&mut vec![Block::default(); needed]);
    }
    if memory.len() < needed {
        memory.resize(needed, Block::default());
    }
    work(&mut memory[..needed])
}

fn hash_with(
    memory: &mut Vec<Block>,
    password: &str,
    salt: &[u8],
) -> std::result::Result<String, argon2::password_hash::Error> {
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(memory, &params, |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
    })?;
    let salt = SaltString::encode_b64(salt)?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(Salt::from(&salt)),
        hash: Some(Output::new(&out)?),
    }
    .to_string())
}

/// Checks `password` against the PHC string `hash` (constant-time comparison of the outputs).
fn verify_with(memory: &mut Vec<Block>, hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .unwrap_or(Version::V0x13);
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let hashed = with_memory(memory, &params, |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
    });
    // `Output`'s equality is constant-time.
    hashed.is_ok() && Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A hash of a password nobody has, to check against when an account has no usable hash.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_with(
            &mut Vec::new(),
            "not a real password; timing equaliser",
            b"timing-equaliser",
        )
        .expect("hashing a fixed password cannot fail")
    })
}

/// Computes the dummy hash ahead of the first check (it takes as long as a real one).
pub fn warm_up() {
    dummy_hash();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_reads_as_argon2id() {
        let hashing = PasswordHashing::new(1, DEFAULT_WAIT);
        let hash = hashing.hash("correct horse battery").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hashing
                .verify(Some(&hash), "correct horse battery")
                .await
                .unwrap()
        );
        assert!(!hashing.verify(Some(&hash), "wrong").await.unwrap());
    }

    #[tokio::test]
    async fn hashes_made_by_the_argon2_crate_directly_still_verify() {
        use argon2::PasswordHasher;
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        let hashing = PasswordHashing::new(1, DEFAULT_WAIT);
        assert!(
            hashing
                .verify(Some(&old), "an older password")
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_account_without_a_usable_hash_costs_one_run_and_never_matches() {
        let hashing = PasswordHashing::new(1, DEFAULT_WAIT);
        for hash in [None, Some("!no password"), Some("")] {
            let before = hashing.runs();
            assert!(!hashing.verify(hash, "").await.unwrap());
            assert_eq!(hashing.runs(), before + 1, "{hash:?}");
        }
    }

    #[tokio::test]
    async fn with_every_slot_taken_a_caller_is_told_to_come_back() {
        let hashing = PasswordHashing::new(2, Duration::ZERO);
        let held = hashing.occupy_all().await;
        let refused = hashing.verify(None, "x").await;
        assert!(matches!(refused, Err(Error::Busy { .. })), "{refused:?}");
        drop(held);
        assert!(!hashing.verify(None, "x").await.unwrap());
    }
}
