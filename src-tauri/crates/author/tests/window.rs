//! What the author window needs beyond the CLI's operations, on real files: media received as
//! bytes (capped, decoded), the task preview as the station's screen, a build that packs no
//! temporary file an interrupted save left.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use vpr_author::{Coded, MediaKind, Template, Workspace};
use vpr_exam::{session::PhaseView, Language, TaskContent};
use vpr_package::{
    time::{Date, Duration, Month},
    FixedClock, IssuerKey, Limits, SealedPackage, TrustedIssuers,
};

fn media(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../audio-fixtures/media")
        .join(name)
}

fn filled(ws: &Workspace, id: &str) {
    let (mut work, _) = ws.open(id).unwrap();
    let scratch = ws.root().join("incoming");
    for slot in work.media_slots() {
        let name = match slot.kind {
            MediaKind::Audio => "phrase.mp3",
            MediaKind::Image => "photo.jpg",
        };
        let bytes = std::fs::read(media(name)).unwrap();
        let (added, _) = work
            .receive_media(&scratch, name, &bytes, Some(&slot.path))
            .unwrap();
        assert_eq!(added.kind, slot.kind);
    }
    assert_eq!(work.problems(), vec![]);
    assert_eq!(
        std::fs::read_dir(&scratch).unwrap().count(),
        0,
        "scratch emptied"
    );
}

#[test]
fn received_bytes_are_decoded_and_named_when_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::for_app(tmp.path());
    let mut work = ws
        .create(Template::OgeOral, Language::En, "oge", None)
        .unwrap();
    let scratch = tmp.path().join("in");
    // A PNG that is really text.
    let e = work
        .receive_media(&scratch, "fake.png", b"not a picture at all", None)
        .unwrap_err();
    assert_eq!(e.code(), "author_bad_media");
    assert!(e.to_string().contains("fake.png"), "{e}");
    assert!(!work.media_dir().join("fake.png").exists());
    // A truncated MP3.
    let mp3 = std::fs::read(media("phrase.mp3")).unwrap();
    let e = work
        .receive_media(&scratch, "cut.mp3", &mp3[..200], None)
        .unwrap_err();
    assert_eq!(e.code(), "author_bad_media", "{e}");
    // Over the picture cap: refused before anything is written.
    let big = vec![0u8; usize::try_from(vpr_exam::media::MAX_IMAGE_BYTES).unwrap() + 1];
    let e = work
        .receive_media(&scratch, "big.jpg", &big, None)
        .unwrap_err();
    assert_eq!(e.code(), "author_too_large");
    assert!(!scratch.join("big.jpg").exists());
    let (added, _) = work
        .receive_media(
            &scratch,
            "photo.jpg",
            &std::fs::read(media("photo.jpg")).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!(added.file, "media/photo.jpg");
    assert!(work
        .media_data_url("media/photo.jpg")
        .unwrap()
        .starts_with("data:image/jpeg;base64,"));
    assert_eq!(
        work.media_data_url("../package.json").unwrap_err().code(),
        "author_bad_media_name"
    );
}

#[test]
fn the_preview_is_the_station_s_first_screen_of_the_task() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::for_app(tmp.path());
    ws.create(Template::OgeOral, Language::En, "oge", None)
        .unwrap();
    filled(&ws, "oge");
    let (work, _) = ws.open("oge").unwrap();
    let interview = work.package.variants[0]
        .tasks
        .iter()
        .find(|t| matches!(t.content, TaskContent::Interview(_)))
        .unwrap();
    let screen = work.preview(1, interview.number).unwrap().task;
    assert_eq!(screen.parts, 6);
    assert_eq!(screen.part, 1);
    match &screen.content {
        TaskContent::Interview(i) => assert!(i.questions.iter().all(|q| q.text.is_none())),
        other => panic!("{other:?}"),
    }
    assert!(!matches!(screen.phase, PhaseView::Answering));
    let tracks = work.task_tracks(1, interview.number).unwrap();
    assert!(tracks.len() >= 6, "{tracks:?}");
    assert!(tracks.iter().all(|t| t.is_file()));
    assert_eq!(work.preview(1, 99).unwrap_err().code(), "author_no_task");
    assert_eq!(work.preview(7, 1).unwrap_err().code(), "author_no_variant");
}

#[test]
fn a_leftover_temporary_file_is_not_packed() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::for_app(tmp.path());
    ws.create(Template::OgeOral, Language::En, "oge", None)
        .unwrap();
    filled(&ws, "oge");
    let dir = ws.work_dir("oge").unwrap();
    std::fs::write(dir.join(".package.json.tmp"), b"{ half a save").unwrap();
    std::fs::write(dir.join("media/.q1.mp3.tmp"), b"half a copy").unwrap();
    let key = ws.create_school_key().unwrap();
    let date = Date::from_calendar_date(2026, Month::April, 15).unwrap();
    let built = ws.build("oge", "МБОУ СОШ № 1", "2026-04-15").unwrap();
    assert!(!dir.join(".package.json.tmp").exists());
    assert!(!dir.join("media/.q1.mp3.tmp").exists());
    let mut trust = TrustedIssuers::new();
    let pub_file = ws.export_public_key(tmp.path()).unwrap();
    trust.add(IssuerKey::read(&pub_file).unwrap());
    let sealed = SealedPackage::read(Path::new(&built.file), &trust, &Limits::default()).unwrap();
    assert_eq!(sealed.issuer().fingerprint, key.fingerprint);
    let clock = FixedClock(vpr_package::default_keys_release(date) + Duration::hours(1));
    let out = tmp.path().join("unlocked");
    sealed
        .unlock_materials(&built.password, &clock, &out)
        .unwrap();
    assert!(!out.join(".package.json.tmp").exists());
    assert!(!out.join("media/.q1.mp3.tmp").exists());
    assert!(out.join("package.json").is_file());
}
