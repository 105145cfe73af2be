use std::sync::Arc;

use rusqlite::Connection;
use serde_json::json;
use time::macros::datetime;
use vpr_integrity::{sha256, StationKey};

use super::*;

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(
        datetime!(2026-04-15 09:00:00 UTC),
        time::Duration::milliseconds(250),
    ))
}

fn open(dir: &Path) -> Store {
    Store::open_with_clock(&exam_path(dir), clock()).unwrap()
}

/// A second, hostile connection: foreign keys off, as a tamperer would.
fn raw(dir: &Path) -> Connection {
    let c = Connection::open(exam_path(dir)).unwrap();
    c.pragma_update(None, "foreign_keys", "OFF").unwrap();
    c
}

fn broken_seq(store: &Store) -> u64 {
    match store.verify() {
        Err(StoreError::ChainBroken(b)) => b.seq,
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

fn station_info() -> StationInfo {
    StationInfo {
        station_id: "st-1".into(),
        school_id: "770001".into(),
        room: "204".into(),
        number: 3,
        key_fingerprint: StationKey::from_seed(&[1; 32])
            .unwrap()
            .public_key()
            .fingerprint(),
    }
}

#[test]
fn pragmas_are_durable_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store
        .read(|c| {
            let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
            let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            assert_eq!(mode, "wal");
            assert_eq!(sync, 2, "FULL");
            assert_eq!(fk, 1);
            Ok(())
        })
        .unwrap();
    assert_eq!(
        schema::schema_version(&raw(dir.path())).unwrap(),
        SCHEMA_VERSION
    );
    store.integrity_check().unwrap();
}

#[test]
fn answers_latest_wins_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.set_station(&station_info()).unwrap();
    let s = store
        .start_session(&NewSession::new("12345", "en7-demo", "1"))
        .unwrap();
    assert_eq!(s.status, SessionStatus::Active);
    let first = store.save_answer(s.id, "task4", "q1", &json!("A")).unwrap();
    store
        .save_answer(s.id, "task4", "q2", &json!(["x", "y"]))
        .unwrap();
    let last = store.save_answer(s.id, "task4", "q1", &json!("C")).unwrap();
    assert!(last.seq > first.seq);
    assert_eq!(format_at(first.saved_at), "2026-04-15T09:00:00.5Z");
    drop(store);

    let store = open(dir.path());
    let latest = store.answers(s.id).unwrap();
    assert_eq!(latest.len(), 2);
    assert_eq!(latest[0].item, "q1");
    assert_eq!(latest[0].value, json!("C"));
    assert_eq!(latest[1].value, json!(["x", "y"]));
    assert_eq!(store.answer_history(s.id).unwrap().len(), 3);
    assert_eq!(store.station().unwrap(), Some(station_info()));
    let head = store.verify().unwrap();
    assert_eq!(head, store.head().unwrap());
    // station, session, login event, 3 answers
    assert_eq!(head.seq, 6);
    assert!(matches!(
        store.save_answer(999, "t", "i", &json!(1)),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.verify().unwrap(),
        head,
        "a refused save leaves no record"
    );
}

#[test]
fn sessions_checkpoint_plays_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut new = NewSession::new("54321", "de11-2026", "2");
    new.extended_time = true;
    new.adapted_version = Some("no_listening".into());
    let s = store.start_session(&new).unwrap();
    let cp = Checkpoint {
        state: json!({"task": 3, "phase": "prepare"}),
        deadlines: [("work_end".to_string(), 1_776_250_000_000)].into(),
    };
    store.checkpoint(s.id, &cp).unwrap();
    assert_eq!(store.record_play(s.id, "track1", 2).unwrap(), 1);
    assert_eq!(store.record_play(s.id, "track1", 2).unwrap(), 2);
    assert!(matches!(
        store.record_play(s.id, "track1", 2),
        Err(StoreError::Invalid(_))
    ));
    drop(store);

    let store = open(dir.path());
    let resumed = store.active_session("54321").unwrap().unwrap();
    assert_eq!(resumed.checkpoint, cp);
    assert_eq!(resumed.plays.get("track1"), Some(&2));
    assert!(resumed.extended_time);
    assert_eq!(resumed.adapted_version.as_deref(), Some("no_listening"));
    let plays = store
        .events(Some(s.id))
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == event_kinds::PLAY)
        .count();
    assert_eq!(plays, 2);
    store
        .set_session_status(s.id, SessionStatus::Finished)
        .unwrap();
    assert!(store.active_session("54321").unwrap().is_none());
    assert_eq!(store.sessions().unwrap().len(), 1);
    store.verify().unwrap();
    assert!(matches!(
        store.start_session(&NewSession::new("12/45", "p", "1")),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn recordings_lifecycle_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let s = store
        .start_session(&NewSession::new("11111", "en7", "1"))
        .unwrap();
    let r = store
        .start_recording(&NewRecording {
            session_id: s.id,
            task: "task3".into(),
            item: None,
            file: "recordings/11111/task3.wav".into(),
        })
        .unwrap();
    assert_eq!(r.status, RecordingStatus::Recording);
    assert_eq!(store.unfinished_recordings().unwrap().len(), 1);
    let done = store
        .update_recording(
            r.id,
            &RecordingUpdate {
                status: RecordingStatus::Complete,
                sha256: Some(sha256(b"wav")),
                duration_ms: 90_000,
                level_flags: LevelFlags {
                    too_quiet: true,
                    ..Default::default()
                },
            },
        )
        .unwrap();
    assert_eq!(done.sha256, Some(sha256(b"wav")));
    assert!(store.unfinished_recordings().unwrap().is_empty());
    assert_eq!(store.recordings(s.id).unwrap(), vec![done]);
    for bad in ["/etc/passwd", "../x.wav", "a/../../x.wav", "a\\b.wav", ""] {
        let res = store.start_recording(&NewRecording {
            session_id: s.id,
            task: "t".into(),
            item: None,
            file: bad.into(),
        });
        assert!(matches!(res, Err(StoreError::Invalid(_))), "{bad:?}");
    }
    store.verify().unwrap();
}

#[test]
fn training_database_is_a_different_file() {
    let dir = tempfile::tempdir().unwrap();
    let exam = open(dir.path());
    let training = Store::open(&training_path(dir.path())).unwrap();
    let mut new = NewSession::new("00001", "demo", "1");
    new.training = true;
    let t = training.start_session(&new).unwrap();
    assert_eq!(t.status, SessionStatus::Training);
    assert!(exam.sessions().unwrap().is_empty());
    assert_ne!(exam.path(), training.path());
}

fn populated(dir: &Path) -> Store {
    let store = open(dir);
    store.set_station(&station_info()).unwrap(); // 1
    let s = store
        .start_session(&NewSession::new("12345", "en7", "1"))
        .unwrap(); // 2, 3
    store.save_answer(s.id, "task4", "q1", &json!("A")).unwrap(); // 4
    store.save_answer(s.id, "task4", "q2", &json!("B")).unwrap(); // 5
    store
        .log_event(Some(s.id), "organizer", &json!({"action": "pause"}))
        .unwrap(); // 6
    store.save_answer(s.id, "task5", "q1", &json!("C")).unwrap(); // 7
    store.verify().unwrap();
    store
}

#[test]
fn verify_names_the_first_bad_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = populated(dir.path());
    // An answer value changed in its table.
    raw(dir.path())
        .execute("UPDATE answer SET value = '\"Z\"' WHERE seq = 5", [])
        .unwrap();
    assert_eq!(broken_seq(&store), 5);
    raw(dir.path())
        .execute("UPDATE answer SET value = '\"B\"' WHERE seq = 5", [])
        .unwrap();
    store.verify().unwrap();

    // A journal body changed: the chain itself breaks there.
    let body: String = raw(dir.path())
        .query_row("SELECT body FROM journal WHERE seq = 4", [], |r| r.get(0))
        .unwrap();
    raw(dir.path())
        .execute(
            "UPDATE journal SET body = ?1 WHERE seq = 4",
            [body.replace("\"A\"", "\"D\"")],
        )
        .unwrap();
    assert_eq!(broken_seq(&store), 4);
    raw(dir.path())
        .execute("UPDATE journal SET body = ?1 WHERE seq = 4", [body])
        .unwrap();
    store.verify().unwrap();

    // A row deleted.
    raw(dir.path())
        .execute("DELETE FROM event WHERE seq = 6", [])
        .unwrap();
    assert_eq!(broken_seq(&store), 6);
}

#[test]
fn verify_catches_rows_outside_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let store = populated(dir.path());
    raw(dir.path())
        .execute(
            "INSERT INTO answer(seq, session_id, task, item, value, saved_at) VALUES (100, 1, 't', 'i', '1', '2026-04-15T09:00:00Z')",
            [],
        )
        .unwrap();
    assert_eq!(broken_seq(&store), 100);
    raw(dir.path())
        .execute("DELETE FROM answer WHERE seq = 100", [])
        .unwrap();

    // Rolling a session row back to an older record is caught too.
    store
        .set_session_status(1, SessionStatus::Finished)
        .unwrap(); // 8
    raw(dir.path())
        .execute("UPDATE session SET status = 'active', seq = 2", [])
        .unwrap();
    assert_eq!(
        broken_seq(&store),
        8,
        "the newest session record is not what the row shows"
    );
}

#[test]
fn newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(populated(dir.path()));
    raw(dir.path())
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(exam_path(dir.path())).unwrap();
    let err = Store::open(&exam_path(dir.path())).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 99,
                supported: SCHEMA_VERSION
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("более новой версией"));
    assert_eq!(std::fs::read(exam_path(dir.path())).unwrap(), before);
}

#[test]
fn timestamps_come_from_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let seq = store
        .log_event(None, event_kinds::RESTART, &json!({}))
        .unwrap();
    let ev = store.events(None).unwrap();
    assert_eq!(ev[0].seq, seq);
    assert_eq!(ev[0].at, datetime!(2026-04-15 09:00:00 UTC));
    assert!(store.log_event(None, "Bad Kind", &json!({})).is_err());
    let links = store.journal().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].body,
        r#"{"at":"2026-04-15T09:00:00Z","data":{"kind":"restart","payload":{},"session_id":null},"kind":"event","seq":1}"#
    );
}

#[test]
fn finished_sessions_take_no_answers_and_store_is_shareable() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Store>();
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let s = store
        .start_session(&NewSession::new("22222", "en7", "1"))
        .unwrap();
    store.save_answer(s.id, "task1", "q1", &json!("1")).unwrap();
    store
        .set_session_status(s.id, SessionStatus::TechnicalFailure)
        .unwrap();
    assert!(matches!(
        store.save_answer(s.id, "task1", "q1", &json!("2")),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.answers(s.id).unwrap()[0].value, json!("1"));
    store.verify().unwrap();
}

const PACKAGE_SHA: &str = "3b1f6c0d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";

#[test]
fn a_session_keeps_its_package_hash_and_issuer_and_a_receipt_link_when_closed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut new = NewSession::new("12345", "en7", "1");
    new.package_sha256 = Some(PACKAGE_SHA.into());
    new.issuer_fingerprint = Some("a1b2c3d4e5f60718".into());
    let s = store.start_session(&new).unwrap();
    assert_eq!(s.package_sha256.as_deref(), Some(PACKAGE_SHA));
    assert!(store.closing_link(s.id).unwrap().is_none(), "still open");
    store
        .set_session_status(s.id, SessionStatus::Finished)
        .unwrap();
    let closing = store.closing_link(s.id).unwrap().unwrap();
    // A later status write does not move the receipt.
    store
        .set_session_status(s.id, SessionStatus::Finished)
        .unwrap();
    assert_eq!(store.closing_link(s.id).unwrap().unwrap(), closing);
    drop(store);
    let store = open(dir.path());
    let again = store.session(s.id).unwrap();
    assert_eq!(again.package_sha256.as_deref(), Some(PACKAGE_SHA));
    assert_eq!(
        again.issuer_fingerprint.as_deref(),
        Some("a1b2c3d4e5f60718")
    );
    // The journal carries them, and an edited column breaks the chain.
    let journal = store.journal().unwrap();
    assert!(journal[closing.seq as usize - 1].body.contains(PACKAGE_SHA));
    store.verify().unwrap();
    raw(dir.path())
        .execute(
            "UPDATE session SET issuer_fingerprint = 'ffffffffffffffff'",
            [],
        )
        .unwrap();
    assert!(store.verify().is_err());

    let mut bad = NewSession::new("12346", "en7", "1");
    bad.package_sha256 = Some("not-hex".into());
    assert!(store.start_session(&bad).is_err());
}

#[test]
fn a_schema_1_database_migrates_with_its_sessions_still_verifying() {
    let dir = tempfile::tempdir().unwrap();
    let path = exam_path(dir.path());
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::migrate(&mut conn, &schema::MIGRATIONS[..1]).unwrap();
    }
    {
        // Written by a schema-1 build: no custody columns at all.
        let c = Connection::open(&path).unwrap();
        assert!(c.prepare("SELECT package_sha256 FROM session").is_err());
    }
    let store = open(dir.path());
    let s = store
        .start_session(&NewSession::new("12345", "en7", "1"))
        .unwrap();
    assert_eq!(s.package_sha256, None);
    assert!(!store.journal().unwrap()[0].body.contains("package_sha256"));
    store.verify().unwrap();
    assert_eq!(
        schema::schema_version(&raw(dir.path())).unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_session_version_set_before_the_start_is_journalled_and_tamper_evident() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let s = store
        .start_session(&NewSession::new("12345", "en7", "2"))
        .unwrap();
    let changed = store
        .set_session_version(s.id, "1", Some("no_listening"), false)
        .unwrap();
    assert_eq!(changed.variant, "1");
    assert_eq!(changed.adapted_version.as_deref(), Some("no_listening"));
    assert!(changed.seq > s.seq);
    // A checkpoint afterwards keeps the version.
    let after = store.checkpoint(s.id, &Checkpoint::default()).unwrap();
    assert_eq!(after.variant, "1");
    assert_eq!(after.adapted_version.as_deref(), Some("no_listening"));
    store.verify().unwrap();
    // The version edited in its table breaks the chain at the session's record.
    raw(dir.path())
        .execute("UPDATE session SET adapted_version = NULL", [])
        .unwrap();
    assert_eq!(broken_seq(&store), after.seq);
    raw(dir.path())
        .execute("UPDATE session SET adapted_version = 'no_listening'", [])
        .unwrap();
    store.verify().unwrap();
    store
        .set_session_status(s.id, SessionStatus::Finished)
        .unwrap();
    assert!(store.set_session_version(s.id, "2", None, false).is_err());
}
