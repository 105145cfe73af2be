#![allow(clippy::unwrap_used)]
//! The one-year purge's dry run lists what would go and deletes nothing;
//! the purge then removes exactly that.

use vpr_coordinator::{Coordinator, NewParticipant, NewWork, PersonName};

fn work() -> NewWork {
    serde_json::from_str(
        r#"{"subject":"Английский язык","grade":7,"date":"2026-04-14","reserve_dates":[],
        "upload_deadline":"2026-04-18","spec":{"stations_per_room":4,
        "marks":[{"min_total":0,"mark":2}],
        "tasks":[{"number":1,"title":"Аудирование","oral":false,"items":[{"id":"1.1","points":1}]}]}}"#,
    )
    .unwrap()
}

#[test]
fn the_dry_run_lists_what_would_go_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Coordinator::create_with_iterations(
        &dir.path().join("coordinator.sqlite"),
        "пароль-координатора",
        1000,
    )
    .unwrap();
    db.upsert_class("7А", 7, "Английский язык").unwrap();
    let people: Vec<NewParticipant> = (0..3)
        .map(|i| NewParticipant {
            class_name: "7А".into(),
            name: PersonName {
                last: format!("Фамилия{i}"),
                first: "Имя".into(),
                middle: String::new(),
            },
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    db.add_participants(&people).unwrap();
    let w = db.add_work(&work()).unwrap();
    let p = db.participants().unwrap()[0].id;
    db.record_absence(w, p, "болезнь", "", None).unwrap();

    let early = db.purge_preview("2026-12-01").unwrap();
    assert_eq!(early.due.as_deref(), Some("2027-04-14"));
    assert!(!early.allowed);
    let count = |pv: &vpr_coordinator::PurgePreview, t: &str| {
        pv.tables.iter().find(|c| c.table == t).unwrap().rows
    };
    assert_eq!(count(&early, "participants"), 3);
    assert_eq!(count(&early, "absences"), 1);
    let due = db.purge_preview("2027-04-14").unwrap();
    assert!(due.allowed);
    assert_eq!(
        db.participants().unwrap().len(),
        3,
        "the dry run deletes nothing"
    );

    db.purge_expired("2027-04-14", true).unwrap();
    let after = db.purge_preview("2027-04-14").unwrap();
    assert!(after.tables.iter().all(|c| c.rows == 0), "{after:?}");
    assert!(after.files.is_empty());
}
