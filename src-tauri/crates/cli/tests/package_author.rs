//! `vpr package new … && vpr package check …`, media into their slots, then the usual
//! `vpr package build` on the author's folder — through the real binary.
#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures")
}

fn vpr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpr"))
        .arg("package")
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn new_check_media_edit_build_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("oge-mock");
    let d = dir.to_str().unwrap();
    let o = vpr(&["new", d, "--template", "oge-oral", "--language", "en"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Тренировочный вариант в формате устной части ОГЭ"));

    // Six question tracks are missing: check names each field and fails.
    let o = vpr(&["check", d]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert_eq!(
        out.matches("нет файла media/dialogue-q").count(),
        6,
        "{out}"
    );
    assert!(
        out.contains("variants[0].tasks[1].content.questions[5].track"),
        "{out}"
    );

    // A truncated MP3 is refused naming the file.
    let mp3 = fixtures().join("media/phrase.mp3");
    let bytes = std::fs::read(&mp3).unwrap();
    let cut = tmp.path().join("cut.mp3");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let path = "variants[0].tasks[1].content.questions[0].track";
    let o = vpr(&["media", d, cut.to_str().unwrap(), "--for", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("cut.mp3") && text(&o).contains("author_bad_media"),
        "{}",
        text(&o)
    );

    for q in 0..6 {
        let path = format!("variants[0].tasks[1].content.questions[{q}].track");
        let o = vpr(&["media", d, mp3.to_str().unwrap(), "--for", &path]);
        assert!(o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("duration_s = 3"), "{}", text(&o));
    }
    let o = vpr(&["check", d]);
    assert!(o.status.success(), "{}", text(&o));

    // A bad type is refused naming the path; a broken rule is saved and reported.
    let o = vpr(&[
        "edit",
        d,
        "--set",
        "variants[0].tasks[0].content.prep_s=\"long\"",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("variants[0].tasks[0].content.prep_s"),
        "{}",
        text(&o)
    );
    let o = vpr(&["edit", d, "--set", "title=\"Пробный ОГЭ, 9 «А»\""]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Ошибок в работе: 0"), "{}", text(&o));

    // `vpr package build` works on the author's folder as it stands.
    let key = tmp.path().join("school");
    let o = vpr(&["keygen", "--out", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let pkg = tmp.path().join("oge.vprpkg");
    let build = |dir: &str, out: &Path| {
        vpr(&[
            "build",
            dir,
            "--out",
            out.to_str().unwrap(),
            "--key",
            tmp.path().join("school.pk8").to_str().unwrap(),
            "--exam-date",
            "2026-04-15",
            "--school",
            "Школа № 5",
        ])
    };
    // A work with problems is refused, naming them; nothing is written.
    let unfinished = tmp.path().join("unfinished");
    let u = unfinished.to_str().unwrap();
    assert!(vpr(&["new", u, "--template", "oge-oral"]).status.success());
    let refused = tmp.path().join("unfinished.vprpkg");
    let o = build(u, &refused);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("media/dialogue-q1.mp3"), "{}", text(&o));
    assert!(!refused.exists());
    // A leftover of an interrupted save is never packed.
    std::fs::write(dir.join(".package.json.tmp"), b"{ half a save").unwrap();
    let o = build(d, &pkg);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!dir.join(".package.json.tmp").exists());
    std::fs::remove_file(&pkg).unwrap();
    let o = vpr(&[
        "build",
        d,
        "--out",
        pkg.to_str().unwrap(),
        "--key",
        tmp.path().join("school.pk8").to_str().unwrap(),
        "--exam-date",
        "2026-04-15",
        "--school",
        "Школа № 5",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = vpr(&[
        "inspect",
        pkg.to_str().unwrap(),
        "--trust",
        tmp.path().join("school.pub").to_str().unwrap(),
        "--no-demo-key",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Пробный ОГЭ, 9 «А»"), "{}", text(&o));
}
