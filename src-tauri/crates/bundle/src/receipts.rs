//! Receipts recomputed from a bundle's journal: for each session, the
//! receipt of the first chain link that recorded it closed (finished or
//! technical failure). The station shows the same receipt when the work
//! closes (`vpr_integrity::receipt` of that link's hash), so a bundle whose
//! journal was rebuilt on the station no longer matches the paper.

use std::collections::BTreeMap;

use serde_json::Value;
use vpr_integrity::ChainLink;

use crate::wire::SessionStatus;

/// Whether a session status closes the work (and so gets a receipt).
pub fn closes_session(status: &str) -> bool {
    status == SessionStatus::Finished.as_str() || status == SessionStatus::TechnicalFailure.as_str()
}

/// Session id → receipt, for every session the journal shows closed.
pub fn session_receipts(journal: &[ChainLink]) -> BTreeMap<i64, String> {
    let mut out = BTreeMap::new();
    for link in journal.iter().filter(|l| l.kind == "session") {
        let Ok(body) = serde_json::from_str::<Value>(&link.body) else {
            continue;
        };
        let data = body.get("data").unwrap_or(&Value::Null);
        let (Some(id), Some(status)) = (
            data.get("id").and_then(Value::as_i64),
            data.get("status").and_then(Value::as_str),
        ) else {
            continue;
        };
        if closes_session(status) {
            out.entry(id)
                .or_insert_with(|| vpr_integrity::receipt(&link.hash));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vpr_integrity::GENESIS;

    use super::*;

    fn link(seq: u64, prev: vpr_integrity::Sha256Hash, data: Value) -> ChainLink {
        ChainLink::new(seq, "session", "2026-04-20T09:00:00Z", &data, prev).expect("canonical json")
    }

    #[test]
    fn the_first_closing_link_of_each_session_gives_its_receipt() {
        let a = link(1, GENESIS, json!({"id": 1, "status": "active"}));
        let b = link(2, a.hash, json!({"id": 1, "status": "finished"}));
        let c = link(3, b.hash, json!({"id": 2, "status": "technical_failure"}));
        let d = link(4, c.hash, json!({"id": 1, "status": "finished"}));
        let r = session_receipts(&[a, b.clone(), c.clone(), d]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[&1], vpr_integrity::receipt(&b.hash));
        assert_eq!(r[&2], vpr_integrity::receipt(&c.hash));
    }
}
