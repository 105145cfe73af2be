#![allow(clippy::unwrap_used)]

//! Printouts rendered with poppler (`pdftoppm`, `pdftotext`, `pdffonts`).

mod common;

use std::{collections::BTreeMap, path::Path, process::Command};

use common::*;
use vpr_coordinator::scoring::Submission;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn render(pdf: &Path) -> Vec<std::path::PathBuf> {
    let prefix = pdf.with_extension("");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let dir = pdf.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_str().unwrap().to_string();
    let mut pngs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "png")
                && p.file_name().unwrap().to_str().unwrap().starts_with(&stem)
        })
        .collect();
    pngs.sort();
    for p in &pngs {
        let bytes = std::fs::read(p).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        assert!(bytes.len() > 2_000, "{} looks blank", p.display());
    }
    if let Ok(keep) = std::env::var("VPR_PDF_PREVIEW") {
        for p in &pngs {
            std::fs::copy(p, Path::new(&keep).join(p.file_name().unwrap())).unwrap();
        }
    }
    pngs
}

#[test]
fn printouts_embed_cyrillic_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.set_school(&vpr_coordinator::School {
        name: "МБОУ «Школа № 1»".into(),
        ..Default::default()
    })
    .unwrap();
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    let room = db.add_room("Кабинет 21").unwrap();
    db.seat_all(work, room, "09:00", 45).unwrap();
    db.set_keys(work, &grade7_keys()).unwrap();
    let people = db.participants().unwrap();
    for p in &people[..3] {
        let answers: BTreeMap<String, String> = [("1.1".to_string(), "A11".to_string())].into();
        let s = Submission {
            adaptation: None,
            work_id: work,
            code: p.code,
            variant: 2,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers,
        };
        db.record_submission(&s, &[]).unwrap();
    }
    db.auto_score(work).unwrap();
    let out = dir.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();
    let files = [
        ("codes.pdf", db.code_sheet_pdf(work, Some(room)).unwrap()),
        ("protocol.pdf", db.room_protocol_pdf(work, room).unwrap()),
        (
            "organizer.pdf",
            db.organizer_instructions_pdf(work).unwrap(),
        ),
        ("expert.pdf", db.expert_instructions_pdf(work).unwrap()),
        ("results.pdf", db.result_sheets_pdf(work).unwrap()),
    ];
    for (name, bytes) in &files {
        let path = out.join(name);
        std::fs::write(&path, bytes).unwrap();
        let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
        let line = fonts
            .lines()
            .find(|l| l.contains("CID TrueType"))
            .unwrap_or_else(|| panic!("{name}: {fonts}"));
        assert!(line.contains(" yes "), "{name}: font not embedded: {line}");
        assert!(!render(&path).is_empty());
    }
    let text = |name: &str| {
        tool(
            "pdftotext",
            &["-layout", out.join(name).to_str().unwrap(), "-"],
        )
    };
    let codes = text("codes.pdf");
    for p in &people {
        assert!(
            codes.contains(&p.code.to_string()),
            "code {} on the sheet",
            p.code
        );
    }
    assert!(codes.contains("Код участника ВПР"));
    // The code sheet is cut apart and handed out: no names on it.
    assert_no_names(&out.join("codes.pdf"), &roster_name_parts());
    let protocol = text("protocol.pdf");
    assert!(protocol.contains("Протокол проведения ВПР"));
    assert!(protocol.contains("Абрамова Алиса"), "{protocol}");
    assert!(protocol.contains("09:00"));
    assert!(protocol.contains("Квитанция"), "the receipt column");
    assert!(protocol.contains("Организатор в аудитории"));
    assert!(text("organizer.pdf").contains("за 15 и за 5 минут"));
    let expert = text("expert.pdf");
    assert!(expert.contains("3К2") && expert.contains("Организация высказывания"));
    let results = text("results.pdf");
    assert!(results.contains("Сумма баллов"));
    assert_eq!(
        tool("pdfinfo", &[out.join("results.pdf").to_str().unwrap()])
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .unwrap()
            .split_whitespace()
            .last(),
        Some("3")
    );
}
