#![allow(clippy::unwrap_used)]

//! The expert's material (issue 13, item 6): for a participant's oral answer
//! the text read aloud, the plan and the photos come from the work's signed
//! package, the photo chosen from the kept station bundle's journal, the
//! pictures as bytes with their media type, only those the package names.

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::CoordinatorError;

fn sim(code: u32) -> SimWork {
    SimWork {
        code,
        variant: 1,
        answers: BTreeMap::new(),
        finished: true,
        silent_monologue: false,
    }
}

#[test]
fn the_material_of_an_oral_task_holds_the_text_the_plan_the_photos_and_the_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let codes: Vec<u32> = db.participants().unwrap().iter().map(|p| p.code).collect();
    let (fx, issuer) = sealed_grade7(false);
    let work = sealed_work(&db, &fx, &issuer);
    let room = db.add_room("Кабинет 21").unwrap();
    // The first participant changed their mind: photo 1, then photo 2; the
    // second never chose.
    let st = simulate_station_choosing(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&fx.sha256),
        Some(&issuer.fingerprint),
        &[sim(codes[0]), sim(codes[1])],
        &[(codes[0], 3, 1), (codes[0], 3, 2)],
    );
    enrol(&db, room, 1, "21", &st);
    assert_eq!(db.import_bundle(&st.bundle).unwrap().added.len(), 2);

    let package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.source.join("package.json")).unwrap()).unwrap();
    let tasks = &package["variants"][0]["tasks"];
    let material = db.work_material(work, codes[0]).unwrap();
    let kinds: Vec<&str> = material.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["reading_aloud", "monologue"],
        "expert-scored tasks only"
    );
    let aloud = &material[0];
    assert_eq!(aloud.task, 2);
    assert_eq!(
        aloud.text.as_deref(),
        tasks[1]["content"]["text"].as_str(),
        "the text read aloud, as in the package"
    );
    assert!(aloud.text.as_deref().unwrap().starts_with("Every town has"));
    let mono = &material[1];
    assert_eq!(mono.task, 3);
    let plan: Vec<String> = serde_json::from_value(tasks[2]["content"]["plan"].clone()).unwrap();
    assert!(!plan.is_empty());
    assert_eq!(mono.plan, plan);
    assert_eq!(mono.photos.len(), 3);
    assert_eq!(mono.photos[0].file, "media/park.svg");
    assert_eq!(mono.photos[1].caption, "Photo 2");
    assert!(
        mono.photos.iter().all(|p| p.kept),
        "pictures kept when the work was added"
    );
    assert_eq!(mono.chosen_photo, Some(2), "the last choice of the journal");
    assert_eq!(
        db.work_material(work, codes[1]).unwrap()[1].chosen_photo,
        None,
        "nothing chosen, nothing marked"
    );

    // The chosen picture as bytes: the package's own file, as SVG.
    let photo = db.material_photo(work, &mono.photos[1].file).unwrap();
    assert_eq!(photo.media_type, "image/svg+xml");
    assert_eq!(
        photo.bytes,
        std::fs::read(fx.source.join("media/kitchen.svg")).unwrap()
    );
    // Only a picture the package names; never a path of the disk.
    for bad in [
        "../coordinator.sqlite",
        "media/listening.wav",
        "/etc/passwd",
    ] {
        assert!(
            matches!(
                db.material_photo(work, bad),
                Err(CoordinatorError::Invalid(_))
            ),
            "{bad}"
        );
    }
    // A kept picture damaged on disk is refused, not served.
    let kept = std::fs::read_dir(db.layout().package_media(&fx.sha256))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect::<Vec<_>>();
    assert_eq!(kept.len(), 3);
    #[cfg(unix)]
    for k in &kept {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(k).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is owner-only: {mode:o}", k.display());
    }
    for k in &kept {
        std::fs::write(k, b"<svg").unwrap();
    }
    assert!(matches!(
        db.material_photo(work, &mono.photos[0].file),
        Err(CoordinatorError::Corrupt(_))
    ));
    // Kept again from the package with the day password.
    assert!(db
        .keep_work_pictures(work, "не тот пароль", &vpr_package::SystemClock)
        .is_err());
    assert_eq!(
        db.keep_work_pictures(work, &fx.password, &vpr_package::SystemClock)
            .unwrap(),
        3
    );
    assert_eq!(
        db.material_photo(work, &mono.photos[0].file).unwrap().bytes,
        std::fs::read(fx.source.join("media/park.svg")).unwrap()
    );

    // The recording for the expert's player: the WAV the station recorded.
    let audio = db.recording_audio(work, codes[0], 3, 0, 1).unwrap();
    assert_eq!(audio.media_type, "audio/wav");
    assert_eq!(&audio.bytes[..4], b"RIFF");
    assert_eq!(
        audio.bytes,
        std::fs::read(db.recording_path(work, codes[0], 3, 0, 1).unwrap()).unwrap()
    );
}

fn staff(
    role: vpr_coordinator::StaffRole,
    last: &str,
    classes: &[&str],
) -> vpr_coordinator::NewStaff {
    vpr_coordinator::NewStaff {
        role,
        name: vpr_coordinator::PersonName {
            last: last.into(),
            first: "Анна".into(),
            middle: String::new(),
        },
        subjects: vec!["Английский язык".into()],
        teaches_classes: classes.iter().map(|c| c.to_string()).collect(),
        experience_years: 5,
        school_employee: true,
        parent_of_participant: false,
        organization: String::new(),
    }
}

#[test]
fn assignment_warnings_name_every_conflict_of_interest() {
    use vpr_coordinator::StaffRole;
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let people = db.participants().unwrap();
    let (fx, issuer) = sealed_grade7(false);
    let work = sealed_work(&db, &fx, &issuer);
    let room = db.add_room("Кабинет 21").unwrap();
    let st = simulate_station_choosing(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&fx.sha256),
        Some(&issuer.fingerprint),
        &[sim(people[0].code)],
        &[],
    );
    enrol(&db, room, 1, "21", &st);
    db.import_bundle(&st.bundle).unwrap();
    // No expert yet: nobody can score the spoken answers.
    let w = db.assignment_warnings(work).unwrap();
    assert!(
        w.iter().any(|m| m.contains("нет ни одного эксперта")),
        "{w:?}"
    );
    db.seat_all(work, room, "09:00", 45).unwrap();
    let class = people[0].class_name.clone();
    // The organizer of the room teaches the subject and the class writing there,
    // and the same person (entered again) is the only expert.
    let organizer = db
        .add_staff(&staff(StaffRole::Organizer, "Соколова", &[&class]))
        .unwrap();
    let warned = db.assign_organizer(organizer, work, room).unwrap();
    assert!(
        warned.iter().any(|m| m.contains("преподаёт предмет")),
        "{warned:?}"
    );
    assert!(warned.iter().any(|m| m.contains(&class)), "{warned:?}");
    db.add_staff(&staff(StaffRole::Expert, " соколова ", &[]))
        .unwrap();
    assert!(db.assign_experts(work).unwrap().assigned > 0);
    let w = db.assignment_warnings(work).unwrap();
    assert!(
        !w.iter().any(|m| m.contains("нет ни одного эксперта")),
        "{w:?}"
    );
    let code = people[0].code.to_string();
    assert!(
        w.iter()
            .any(|m| m.contains("был организатором в аудитории участника") && m.contains(&code)),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|m| m.contains("преподаёт в классе") && m.contains("организатор")),
        "{w:?}"
    );
}
