//! The SHA-256 hash chain over a station's journal.
//!
//! Record `n` has `hash_n = SHA-256(hash_{n-1} || body_n)` where `body_n` is
//! the canonical JSON of the record (it carries its own sequence number and
//! kind) and `hash_0` is 32 zero bytes. Changing, removing, inserting or
//! reordering any record changes every later hash; [`verify_chain`] names
//! the first record that does not match.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{canonical_json, Sha256, Sha256Hash};

/// The "previous hash" of the first record.
pub const GENESIS: Sha256Hash = Sha256Hash([0u8; 32]);

/// `SHA-256(prev || body)`.
pub fn chain_hash(prev: &Sha256Hash, body: &[u8]) -> Sha256Hash {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(body);
    h.finish()
}

/// One record of a chain as stored (in SQLite or in a bundle's journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub seq: u64,
    pub kind: String,
    /// Canonical JSON of `{"at":…,"data":…,"kind":…,"seq":…}`.
    pub body: String,
    pub prev: Sha256Hash,
    pub hash: Sha256Hash,
}

impl ChainLink {
    /// Build the record following `prev` (sequence numbers start at 1).
    pub fn new(
        seq: u64,
        kind: &str,
        at: &str,
        data: &Value,
        prev: Sha256Hash,
    ) -> crate::Result<Self> {
        let body = canonical_json(&serde_json::json!({
            "seq": seq,
            "kind": kind,
            "at": at,
            "data": data,
        }))?;
        let hash = chain_hash(&prev, body.as_bytes());
        Ok(Self {
            seq,
            kind: kind.to_string(),
            body,
            prev,
            hash,
        })
    }

    /// The `data` part of the body.
    pub fn data(&self) -> Option<Value> {
        let mut v: Value = serde_json::from_str(&self.body).ok()?;
        v.get_mut("data").map(Value::take)
    }
}

/// Why a chain is broken, naming the first bad record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("запись журнала № {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: u64,
    pub reason: String,
}

/// Walk the chain from the genesis; returns the head hash and length, or the
/// first record that does not match.
pub fn verify_chain<I>(links: I) -> Result<(Sha256Hash, u64), ChainBreak>
where
    I: IntoIterator<Item = ChainLink>,
{
    let mut prev = GENESIS;
    let mut expected_seq = 1u64;
    for link in links {
        let bad = |reason: &str| ChainBreak {
            seq: link.seq,
            reason: reason.to_string(),
        };
        if link.seq != expected_seq {
            return Err(ChainBreak {
                seq: expected_seq,
                reason: format!(
                    "запись отсутствует или стоит не на своём месте (найдена № {})",
                    link.seq
                ),
            });
        }
        if link.prev != prev {
            return Err(bad("ссылка на предыдущую запись не совпадает"));
        }
        if chain_hash(&prev, link.body.as_bytes()) != link.hash {
            return Err(bad("хеш записи не совпадает с её содержимым"));
        }
        let parsed: Value = serde_json::from_str(&link.body)
            .map_err(|_| bad("содержимое записи не является JSON"))?;
        match canonical_json(&parsed) {
            Ok(c) if c == link.body => {}
            _ => return Err(bad("содержимое записи не в канонической форме")),
        }
        if parsed.get("seq").and_then(Value::as_u64) != Some(link.seq)
            || parsed.get("kind").and_then(Value::as_str) != Some(link.kind.as_str())
        {
            return Err(bad("номер или вид записи не совпадает с её содержимым"));
        }
        prev = link.hash;
        expected_seq += 1;
    }
    Ok((prev, expected_seq - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: u64) -> Vec<ChainLink> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let l = ChainLink::new(
                    seq,
                    "answer",
                    "2026-05-01T09:00:00Z",
                    &json!({"v": seq}),
                    prev,
                )
                .unwrap();
                prev = l.hash;
                l
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = c[4].hash;
        assert_eq!(verify_chain(c).unwrap(), (head, 5));
        assert_eq!(verify_chain(Vec::new()).unwrap(), (GENESIS, 0));
    }

    #[test]
    fn first_bad_record_is_named() {
        let mut c = chain(6);
        c[2].body = c[2].body.replace("\"v\":3", "\"v\":4");
        assert_eq!(verify_chain(c.clone()).unwrap_err().seq, 3);

        let mut c = chain(6);
        c.remove(3);
        assert_eq!(verify_chain(c).unwrap_err().seq, 4);

        let mut c = chain(6);
        c.swap(1, 2);
        assert_eq!(verify_chain(c).unwrap_err().seq, 2);

        // A consistent re-hash of a changed record still breaks the next link.
        let mut c = chain(6);
        let forged = ChainLink::new(
            2,
            "answer",
            "2026-05-01T09:00:00Z",
            &json!({"v": 99}),
            c[0].hash,
        )
        .unwrap();
        c[1] = forged;
        assert_eq!(verify_chain(c).unwrap_err().seq, 3);

        let mut c = chain(2);
        c[1].kind = "event".into();
        assert_eq!(verify_chain(c).unwrap_err().seq, 2);
    }

    #[test]
    fn data_is_recovered() {
        let c = chain(1);
        assert_eq!(c[0].data(), Some(json!({"v": 1})));
    }
}
