//! Measurements for `vpr bench store`: an answer save through [`Store`]
//! against the physical limit, a bare single-row `synchronous=FULL` commit
//! in WAL mode on the same disk, interleaved so both see the same noise.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use rusqlite::{params, Connection};
use serde_json::json;

use crate::{exam_path, NewSession, Result, Store};

/// Latencies of both kinds, in the order measured.
#[derive(Debug, Default, Clone)]
pub struct SaveLatencies {
    pub bare: Vec<Duration>,
    pub store: Vec<Duration>,
}

/// `n` commits of each kind in `dir` (created if needed), interleaved one
/// by one with the order swapped every round.
pub fn measure_saves(dir: &Path, n: usize) -> Result<SaveLatencies> {
    std::fs::create_dir_all(dir).map_err(|source| crate::StoreError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let bare_path = dir.join("bare.db");
    let bare = Connection::open(&bare_path)?;
    let _: String = bare.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    bare.pragma_update(None, "synchronous", "FULL")?;
    bare.execute_batch("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")?;
    let store = Store::open(&exam_path(dir))?;
    let session = store.start_session(&NewSession::new("99999", "bench", "1"))?;
    // Warm up until both WAL files have been through a checkpoint: an fsync
    // of a growing file costs more than one of a reused file, and a
    // one-page commit grows its WAL to the checkpoint size far later.
    for k in 0..1200 {
        bare.prepare_cached("INSERT INTO t(v) VALUES (?1)")?
            .execute(params![format!("warm-up {k}")])?;
    }
    for k in 0..300 {
        store.save_answer(session.id, "warmup", &format!("q{}", k % 12), &json!(k))?;
    }
    let mut out = SaveLatencies::default();
    for k in 0..n {
        // Alternate which goes first, so neither always follows the other's fsync.
        for turn in 0..2 {
            if (k + turn) % 2 == 0 {
                let t = Instant::now();
                bare.prepare_cached("INSERT INTO t(v) VALUES (?1)")?
                    .execute(params![format!("answer {k}")])?;
                out.bare.push(t.elapsed());
            } else {
                let item = format!("q{}", k % 12);
                let t = Instant::now();
                store.save_answer(session.id, "task4", &item, &json!(format!("answer {k}")))?;
                out.store.push(t.elapsed());
            }
        }
    }
    store.verify()?;
    Ok(out)
}

/// The `p`-th percentile (0–100) of `values`.
pub fn percentile(values: &[Duration], p: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut v = values.to_vec();
    v.sort();
    let rank = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[rank.min(v.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_both_kinds_on_real_files() {
        let dir = tempfile::tempdir().unwrap();
        let l = measure_saves(dir.path(), 30).unwrap();
        assert_eq!((l.bare.len(), l.store.len()), (30, 30));
        let store = Store::open(&exam_path(dir.path())).unwrap();
        assert_eq!(
            store.answers(1).unwrap().len(),
            24,
            "12 warm-up items and 12 measured"
        );
        let ms = |x| Duration::from_millis(x);
        let v = [ms(5), ms(1), ms(3), ms(2), ms(4)];
        assert_eq!(percentile(&v, 50.0), ms(3));
        assert_eq!(percentile(&v, 100.0), ms(5));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }
}
