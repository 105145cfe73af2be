//! The coordinator window in the real app: a password-protected database,
//! a roster imported (a bad one refused by row and column first), a work from
//! the en-7 materials signed as an exam package (`.vprpkg`, its issuer's key
//! trusted first) with its keys opened from it, stations enrolled from their
//! passports, the code sheet saved as PDF and rendered to PNG, station bundles
//! (real `vpr-store` journals with spoken answers, `vpr-bundle` signed)
//! imported with a verdict each — a foreign one refused, a re-import unchanged —, closed tasks auto-scored, an expert
//! scoring the recordings by criteria with the player (PulseAudio sink) and
//! waveform, the form blocked until everything is in, then exported with no
//! roster name in it, statistics drawn.
//!
//! Needs `target/debug/vpr` (`cargo build -p vpr-cli`; `VPR_CLI_BIN` overrides), `pdftoppm`
//! (poppler-utils), `unzip`, and PulseAudio (`eval "$(tests/support/pulse-up.sh)"`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod custody;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use custody::{bundle, passport, signed_package, station_key};
use vpr_e2e::page::{tab, wait_js};
use vpr_e2e::{workspace_root, App, Launch, Result};

const PASSWORD: &str = "пароль-координатора-e2e";

/// Every surname of `audio-fixtures/rosters/roster.csv` (and the formula-looking one).
const ROSTER_SURNAMES: &[&str] = &[
    "Абрамова",
    "Белов",
    "HYPERLINK",
    "Галкина",
    "Дёмин",
    "Егорова",
    "Жуков",
    "Коннор",
    "Зайцев",
    "Иванова",
    "Ковалёв",
    "Лебедева",
    "Морозов",
    "Некрасова",
    "Орлов",
    "Петрова",
    "Романов",
    "Сидорова",
    "Тихонов",
    "Устинова",
];

/// Set an input's (or textarea's) value as typing would.
async fn fill(app: &App, id: &str, value: &str) -> Result<()> {
    app.by_testid(id).await?;
    let script = format!(
        "const el = document.querySelector(\"[data-testid='{id}']\");
         el.value = {};
         el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return true;",
        serde_json::to_string(value)?
    );
    app.js(&script).await?;
    Ok(())
}

/// Choose a `<select>`'s option by index, as a click would.
async fn choose(app: &App, id: &str, index: u32) -> Result<()> {
    app.by_testid(id).await?;
    app.js(&format!(
        "const el = document.querySelector(\"[data-testid='{id}']\");
         el.selectedIndex = {index};
         el.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return true;"
    ))
    .await?;
    Ok(())
}

/// Render page 1 of a PDF to `<png_stem>.png` next to the screenshots.
fn render_page1(pdf: &Path, png_stem: &Path) -> PathBuf {
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(png_stem)
        .status()
        .expect("pdftoppm (poppler-utils) is needed");
    assert!(st.success(), "pdftoppm failed on {}", pdf.display());
    let png = png_stem.with_extension("png");
    assert!(
        std::fs::metadata(&png).unwrap().len() > 5_000,
        "{} is too small to hold the table",
        png.display()
    );
    png
}

/// Scroll an element into view (for the screenshot).
async fn scroll_to(app: &App, id: &str) -> Result<()> {
    app.by_testid(id).await?;
    app.js(&format!(
        "document.querySelector(\"[data-testid='{id}']\").scrollIntoView({{ block: 'center' }}); return true;"
    ))
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

fn count(testid: &str) -> String {
    format!("document.querySelectorAll(\"[data-testid='{testid}']\").length")
}

async fn text_of(app: &App, id: &str) -> Result<String> {
    app.text(id).await
}

/// Is anything playing on the PulseAudio server (a sink input)?
fn sink_inputs() -> usize {
    Command::new("pactl")
        .args(["list", "short", "sink-inputs"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn roster_codes_bundles_expert_scoring_and_the_form() -> Result<()> {
    let work_dir = tempfile::tempdir()?;
    let w = work_dir.path();
    let fixtures = workspace_root().join("audio-fixtures");
    let (package, sha, day_password, keys_password, issuer_pub) = signed_package(w);
    // The coordinator's own folder, apart from the station's data folder.
    let coordinator_dir = tempfile::tempdir()?;
    let mut app = App::launch(
        "coordinator",
        Launch {
            args: vec!["--mode".into(), "coordinator".into()],
            env: vec![(
                "VPR_COORDINATOR_DIR".into(),
                coordinator_dir.path().display().to_string(),
            )],
            ..Default::default()
        },
    )
    .await?;

    // ---- login: create the database with a password.
    app.by_testid("login-screen").await?;
    app.shot("login-create").await?;
    fill(&app, "login-password", "коротко").await?;
    fill(&app, "login-password-again", "коротко").await?;
    app.click("login-submit").await?;
    let weak = text_of(&app, "login-error").await?;
    assert!(weak.contains("8 символов"), "{weak}");
    fill(&app, "login-password", PASSWORD).await?;
    fill(&app, "login-password-again", PASSWORD).await?;
    app.click("login-submit").await?;
    app.by_testid("tab-roster").await?;
    assert!(coordinator_dir.path().join("coordinator.sqlite").is_file());
    assert!(
        !app.data_dir.join("coordinator").exists()
            && !app.data_dir.join("coordinator.sqlite").exists(),
        "nothing of the coordinator in the station's data folder"
    );

    // ---- school and roster: a bad file is refused by row and column.
    fill(&app, "school-name", "МБОУ «Школа № 1»").await?;
    fill(&app, "school-login", "sch770001").await?;
    app.click("school-save").await?;
    fill(
        &app,
        "roster-path",
        fixtures.join("rosters/bad.csv").to_str().unwrap(),
    )
    .await?;
    app.click("roster-import").await?;
    app.by_testid("roster-problems").await?;
    let problems = app
        .js(&format!("return {}", count("roster-problem")))
        .await?;
    assert!(problems.as_u64().unwrap() >= 5, "problems: {problems}");
    let first = app
        .js("return document.querySelector(\"[data-testid='roster-problem']\").innerText")
        .await?;
    assert_eq!(
        first.as_str().unwrap(),
        "3\tКласс\tне заполнено",
        "bad.csv row 3 has no class"
    );
    app.shot("roster-bad-file").await?;
    fill(
        &app,
        "roster-path",
        fixtures.join("rosters/roster.csv").to_str().unwrap(),
    )
    .await?;
    app.click("roster-import").await?;
    wait_js(
        &app,
        "roster import",
        &format!("return {} === 20", count("participant-row")),
        15,
    )
    .await?;
    let result = text_of(&app, "roster-result").await?;
    assert!(result.contains("20"), "{result}");
    let codes = app
        .js("return [...document.querySelectorAll(\"[data-testid='participant-code']\")].map(e => e.innerText)")
        .await?;
    let codes: Vec<String> = serde_json::from_value(codes)?;
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 5 && c.chars().all(|d| d.is_ascii_digit())),
        "{codes:?}"
    );
    scroll_to(&app, "participants").await?;
    app.shot("roster-participants-codes").await?;

    // ---- a work from the signed package: id, subject and grade from its signed header.
    tab(&app, "works").await?;
    fill(&app, "issuer-path", issuer_pub.to_str().unwrap()).await?;
    app.click("issuer-add").await?;
    app.by_testid("issuer-row").await?;
    let today = vpr_package::time::OffsetDateTime::now_utc().date();
    let today = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    fill(&app, "work-date", &today).await?;
    fill(&app, "work-reserve", "2099-01-01").await?;
    fill(&app, "work-deadline", "2099-01-10").await?;
    fill(&app, "work-package-file", package.to_str().unwrap()).await?;
    fill(&app, "work-password", &day_password).await?;
    app.click("work-add").await?;
    app.by_testid("work-row").await?;
    let work_id = app
        .by_testid("work-row")
        .await?
        .attr("data-work")
        .await?
        .unwrap();
    fill(&app, &format!("keys-password-{work_id}"), &keys_password).await?;
    app.click(&format!("release-keys-{work_id}")).await?;
    wait_js(
        &app,
        "keys released",
        &format!(
            "return document.querySelector(\"[data-testid='work-keys-{work_id}']\").innerText === 'внесены'"
        ),
        15,
    )
    .await?;
    app.shot("works").await?;

    // ---- rooms, stations enrolled from their passports, an expert.
    let (k1, k2, k3) = (station_key(11), station_key(12), station_key(13));
    let works = |codes: &[String]| -> Vec<(String, Vec<(String, String)>)> {
        codes
            .iter()
            .map(|c| {
                let answers = [
                    ("1.1", "2"),
                    ("4.A", "3"),
                    ("5.1", "went"),
                    ("6.1", "boring"),
                ];
                let answers = answers
                    .iter()
                    .map(|(i, v)| (i.to_string(), v.to_string()))
                    .collect();
                (c.clone(), answers)
            })
            .collect()
    };
    let st1 = bundle(w, "station-1", 1, &k1, &sha, &works(&codes[0..3]), true);
    let st2 = bundle(w, "station-2", 2, &k2, &sha, &works(&codes[3..6]), true);
    let foreign = bundle(w, "station-3", 3, &k3, &sha, &works(&codes[6..8]), true);
    tab(&app, "rooms").await?;
    fill(&app, "room-name", "101").await?;
    app.click("room-add").await?;
    app.by_testid("room-item").await?;
    for (n, key) in [(1, &k1), (2, &k2)] {
        let file = passport(w, n, key);
        fill(&app, "station-passport-path", file.to_str().unwrap()).await?;
        app.click("station-enrol").await?;
        wait_js(
            &app,
            "station registered",
            &format!("return {} === {n}", count("station-row")),
            15,
        )
        .await?;
    }
    fill(&app, "staff-last", "Экспертова").await?;
    fill(&app, "staff-first", "Елена").await?;
    fill(&app, "staff-experience", "5").await?;
    app.click("staff-add").await?;
    app.by_testid("staff-row").await?;
    scroll_to(&app, "staff").await?;
    app.shot("rooms-stations-staff").await?;

    // ---- printouts: the code sheet as PDF, page 1 rendered to PNG.
    tab(&app, "print").await?;
    let print_dir = w.join("print");
    fill(&app, "print-folder", print_dir.to_str().unwrap()).await?;
    app.click("print-codes").await?;
    let pdf = PathBuf::from(text_of(&app, "print-file").await?);
    let bytes = std::fs::read(&pdf)?;
    assert!(bytes.starts_with(b"%PDF"), "{}", pdf.display());
    app.click("print-organizer_instructions").await?;
    wait_js(
        &app,
        "second printout",
        &format!("return {} === 2", count("print-file")),
        15,
    )
    .await?;
    // Seated in room 101 in slots of 4 (the package's stations per room), the room's protocol.
    choose(&app, "seat-room", 1).await?;
    app.click("seat-all").await?;
    let seated = text_of(&app, "seat-msg").await?;
    assert!(seated.starts_with("Смен: 5"), "{seated}");
    app.click("print-protocol").await?;
    wait_js(
        &app,
        "protocol printout",
        &format!("return {} === 3", count("print-file")),
        15,
    )
    .await?;
    let protocol = PathBuf::from(
        app.js(
            "return [...document.querySelectorAll(\"[data-testid='print-file']\")].pop().innerText",
        )
        .await?
        .as_str()
        .unwrap(),
    );
    assert!(std::fs::read(&protocol)?.starts_with(b"%PDF"));
    let shot = app.shot("printouts").await?;
    render_page1(&pdf, &shot.with_file_name("code-sheet-page1"));
    render_page1(&protocol, &shot.with_file_name("room-protocol-page1"));

    // ---- import: two registered stations, a foreign one, a re-import.
    tab(&app, "import").await?;
    app.shot("board-before-import").await?;
    let paths = [&st1, &st2, &foreign, &st1]
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    fill(&app, "import-paths", &paths).await?;
    app.click("import-go").await?;
    wait_js(
        &app,
        "four verdicts",
        &format!("return {} === 4", count("import-verdict")),
        60,
    )
    .await?;
    let verdicts = app
        .js("return [...document.querySelectorAll(\"[data-testid='import-verdict']\")].map(e => [e.dataset.ok, e.innerText])")
        .await?;
    let verdicts: Vec<(String, String)> = serde_json::from_value(verdicts)?;
    assert_eq!(verdicts[0].0, "true", "{verdicts:?}");
    assert!(verdicts[0].1.contains("новых работ: 3"), "{verdicts:?}");
    assert_eq!(verdicts[1].0, "true", "{verdicts:?}");
    assert_eq!(
        verdicts[2].0, "false",
        "foreign bundle refused: {verdicts:?}"
    );
    assert!(verdicts[2].1.contains("отклонён"), "{verdicts:?}");
    assert!(
        verdicts[3].1.contains("уже был импортирован"),
        "{verdicts:?}"
    );
    app.shot("import-verdicts").await?;

    // ---- the form is blocked while anything is missing.
    tab(&app, "form").await?;
    app.by_testid("form-blocked").await?;
    let blocked = app
        .js(&format!("return {}", count("form-missing-item")))
        .await?;
    assert!(blocked.as_u64().unwrap() >= 20, "{blocked}");
    app.shot("form-blocked").await?;

    // ---- scoring: closed tasks from the keys, recordings by the expert.
    tab(&app, "expert").await?;
    app.click("auto-score").await?;
    let auto = text_of(&app, "auto-score-msg").await?;
    assert_eq!(auto, "Оценено заданий: 24", "6 works × 4 closed tasks");
    app.click("assign-experts").await?;
    let assigned = text_of(&app, "assign-msg").await?;
    assert!(assigned.contains("Назначено: 12"), "{assigned}");
    wait_js(
        &app,
        "queue",
        &format!("return {} === 12", count("queue-item")),
        15,
    )
    .await?;
    // One recording scored by clicks: open, waveform, play (heard on the sink), criteria, note.
    app.click("queue-item").await?;
    app.wait_attr("waveform", "data-peaks", 15, |v| v == "240")
        .await?;
    let drawn = app
        .js("return [...document.querySelectorAll(\"[data-testid='waveform'] rect\")].filter(r => Number(r.getAttribute('height')) > 2).length")
        .await?;
    assert!(drawn.as_u64().unwrap() > 20, "waveform drawn: {drawn}");
    let before = sink_inputs();
    app.click("play").await?;
    let start = Instant::now();
    while sink_inputs() <= before && start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        sink_inputs() > before,
        "the recording plays on the coordinator's output"
    );
    let errors = app.js(&format!("return {}", count("expert-error"))).await?;
    assert_eq!(errors, 0, "no player error");
    let title = text_of(&app, "piece-title").await?;
    assert!(
        !ROSTER_SURNAMES.iter().any(|s| title.contains(s)),
        "the expert sees codes only: {title}"
    );
    let buttons: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid^='criterion-']\")].map(c => [...c.querySelectorAll('button')].pop().dataset.testid)")
            .await?,
    )?;
    assert!(!buttons.is_empty());
    for b in &buttons {
        app.click(b).await?;
    }
    fill(&app, "expert-note", "Речь связная, темп ровный").await?;
    app.shot("expert-workspace").await?;
    scroll_to(&app, "submit-scores").await?;
    app.shot("expert-criteria").await?;
    app.click("stop").await?;
    app.click("submit-scores").await?;
    assert_eq!(text_of(&app, "submit-msg").await?, "Оценки сохранены");
    wait_js(
        &app,
        "first piece scored",
        "return document.querySelector(\"[data-testid='queue-item']\").dataset.scored === 'true'",
        15,
    )
    .await?;
    // The other eleven: the same clicks, scripted.
    for done in 2..=12 {
        app.js("document.querySelector(\"[data-testid='queue-item'][data-scored='false']\").click(); return true;")
            .await?;
        wait_js(
            &app,
            "piece opened",
            "return !document.querySelector(\"[data-testid='submit-msg']\") && document.querySelectorAll(\"[data-testid^='criterion-']\").length > 0",
            15,
        )
        .await?;
        app.js("document.querySelectorAll(\"[data-testid^='criterion-']\").forEach((c, i) => { const b = c.querySelectorAll('button'); b[(i + 1) % b.length].click(); }); return true;")
            .await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        app.click("submit-scores").await?;
        wait_js(
            &app,
            "scored",
            &format!(
                "return document.querySelectorAll(\"[data-testid='queue-item'][data-scored='true']\").length === {done}"
            ),
            15,
        )
        .await?;
    }
    app.shot("expert-queue-done").await?;

    // ---- the other 14 of the roster did not sit this work: absences with a reason.
    tab(&app, "roster").await?;
    fill(&app, "absence-reason", "болезнь").await?;
    fill(&app, "absence-document", "справка").await?;
    app.click("absence-select-all").await?;
    app.click("absence-save").await?;
    assert_eq!(text_of(&app, "absence-msg").await?, "Сохранено");
    tab(&app, "import").await?;
    wait_js(
        &app,
        "board",
        "return [...document.querySelectorAll(\"[data-testid='board-cell']\")].filter(c => c.dataset.state === 'absent').length === 14",
        15,
    )
    .await?;
    scroll_to(&app, "board").await?;
    app.shot("board-after-absences").await?;

    // ---- the form: ready, exported, no name in it.
    tab(&app, "form").await?;
    app.by_testid("form-ready").await?;
    let out = w.join("form");
    fill(&app, "form-folder", out.to_str().unwrap()).await?;
    app.click("form-export").await?;
    app.by_testid("form-saved").await?;
    let files: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid='form-file']\")].map(e => e.innerText)")
            .await?,
    )?;
    assert_eq!(files.len(), 2, "{files:?}");
    let xlsx = PathBuf::from(&files[0]);
    let csv = std::fs::read_to_string(&files[1])?;
    assert!(xlsx.is_file() && xlsx.extension().unwrap() == "xlsx");
    assert_eq!(
        csv.lines()
            .filter(|l| l.starts_with(char::is_numeric))
            .count(),
        6,
        "one row per imported work:\n{csv}"
    );
    let sheets = Command::new("unzip").arg("-p").arg(&xlsx).output()?;
    assert!(sheets.status.success() && !sheets.stdout.is_empty());
    let sheets = String::from_utf8_lossy(&sheets.stdout);
    for name in ROSTER_SURNAMES {
        assert!(!csv.contains(name), "CSV holds {name}");
        assert!(!sheets.contains(name), "XLSX holds {name}");
    }
    app.click("school-forms-export").await?;
    app.by_testid("school-forms-saved").await?;
    for f in ["application.xlsx", "context-data.xlsx"] {
        let x = Command::new("unzip").arg("-p").arg(out.join(f)).output()?;
        assert!(x.status.success(), "{f}");
        let x = String::from_utf8_lossy(&x.stdout);
        assert!(
            !ROSTER_SURNAMES.iter().any(|n| x.contains(n)),
            "{f} holds a name"
        );
    }
    app.click("archive-export").await?;
    app.by_testid("archive-saved").await?;
    app.shot("form-exported").await?;

    // ---- the official form downloaded from ФИС ОКО (title block, merged
    // two-row header, a total formula, a second sheet) filled in place.
    let template = w.join("ВПР_АЯ_7_форма.xlsx");
    official_template(&template);
    fill(&app, "official-template", template.to_str().unwrap()).await?;
    app.click("official-recognise").await?;
    app.by_testid("official-columns").await?;
    let sheet = text_of(&app, "official-sheet").await?;
    assert!(sheet.contains("6–7") && sheet.contains("8"), "{sheet}");
    assert_eq!(
        app.js(&format!("return {}", count("official-question")))
            .await?,
        0
    );
    scroll_to(&app, "official-form").await?;
    app.shot("official-form-recognised").await?;
    app.click("official-fill").await?;
    app.by_testid("official-filled").await?;
    let filled_path = text_of(&app, "official-filled-file").await?;
    let filled_path = PathBuf::from(filled_path);
    check_official_form(&filled_path, &codes[0..6]);
    let x = Command::new("unzip").arg("-p").arg(&filled_path).output()?;
    let x = String::from_utf8_lossy(&x.stdout);
    assert!(
        !ROSTER_SURNAMES.iter().any(|n| x.contains(n)),
        "the official form holds a name"
    );
    app.shot("official-form-filled").await?;
    // The signed archive of everything passes `vpr bundle verify`; a flipped
    // byte does not.
    let archive = std::fs::read_dir(&out)?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("results-archive-"))
        })
        .expect("the archive file");
    let inside = Command::new("unzip").arg("-p").arg(&archive).output()?;
    assert!(inside.status.success() && !inside.stdout.is_empty());
    let inside = String::from_utf8_lossy(&inside.stdout);
    for name in ROSTER_SURNAMES {
        assert!(!inside.contains(name), "the results archive holds {name}");
    }
    let vpr = std::env::var_os("VPR_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/vpr"));
    let st = Command::new(&vpr)
        .args(["bundle", "verify"])
        .arg(&archive)
        .arg("--trust-any")
        .status()?;
    assert_eq!(
        st.code(),
        Some(0),
        "vpr bundle verify accepts the results archive"
    );
    let mut bytes = std::fs::read(&archive)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    let tampered = out.join("tampered-archive.zip");
    std::fs::write(&tampered, &bytes)?;
    let st = Command::new(&vpr)
        .args(["bundle", "verify"])
        .arg(&tampered)
        .arg("--trust-any")
        .status()?;
    assert_ne!(
        st.code(),
        Some(0),
        "a flipped byte in the archive is caught"
    );
    std::fs::remove_file(&tampered)?;

    // ---- statistics with charts.
    tab(&app, "stats").await?;
    assert_eq!(text_of(&app, "stats-participants").await?, "6");
    let bars = app
        .js("return document.querySelectorAll(\"[data-testid='chart-tasks'] rect\").length")
        .await?;
    assert_eq!(bars, 6, "a bar per task");
    app.shot("statistics").await?;
    scroll_to(&app, "chart-marks").await?;
    app.shot("statistics-marks").await?;

    // ---- closed, a wrong password opens nothing; the right one opens everything again.
    app.click("logout").await?;
    app.by_testid("login-screen").await?;
    fill(&app, "login-password", "не-тот-пароль").await?;
    app.click("login-submit").await?;
    assert_eq!(
        text_of(&app, "login-error").await?,
        "Неверный пароль координатора"
    );
    app.shot("wrong-password").await?;
    fill(&app, "login-password", PASSWORD).await?;
    app.click("login-submit").await?;
    tab(&app, "roster").await?;
    wait_js(
        &app,
        "reopened",
        &format!("return {} === 20", count("participant-row")),
        15,
    )
    .await?;

    app.quit().await
}

/// A form as ФИС ОКО lays one out: the title block A1:K4 merged, header rows
/// 6–7 («№ п/п», «Код участника», «Вариант» merged down, «Задания» merged
/// over the task columns 1–6), rows 8… numbered with a total formula, a
/// second sheet «Инструкция».
fn official_template(path: &Path) {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let ws = wb.add_worksheet();
    ws.set_name("Форма").unwrap();
    for (r, line) in [
        "Форма сбора результатов ВПР",
        "ОО: МБОУ «Школа № 1» (sch770001)",
        "Предмет: Английский язык, 7 класс",
        "Дата проведения: по графику",
    ]
    .iter()
    .enumerate()
    {
        ws.merge_range(r as u32, 0, r as u32, 10, line, &title)
            .unwrap();
    }
    ws.merge_range(5, 0, 6, 0, "№ п/п", &head).unwrap();
    ws.merge_range(5, 1, 6, 1, "Код участника", &head).unwrap();
    ws.merge_range(5, 2, 6, 2, "Вариант", &head).unwrap();
    ws.merge_range(5, 3, 5, 8, "Задания", &head).unwrap();
    for i in 0..6u16 {
        ws.write_string_with_format(6, 3 + i, (i + 1).to_string(), &head)
            .unwrap();
    }
    ws.merge_range(5, 9, 6, 9, "Сумма баллов", &head).unwrap();
    ws.merge_range(5, 10, 6, 10, "Отметка", &head).unwrap();
    for i in 0..10u32 {
        ws.write_number(7 + i, 0, f64::from(i + 1)).unwrap();
        ws.write_formula(7 + i, 9, format!("=SUM(D{0}:I{0})", 8 + i).as_str())
            .unwrap();
    }
    let info = wb.add_worksheet();
    info.set_name("Инструкция").unwrap();
    info.write_string(0, 0, "Не меняйте порядок столбцов.")
        .unwrap();
    wb.save(path).unwrap();
}

/// The filled form keeps its sheets, title and formula, and holds each code
/// once with a variant and six task scores.
fn check_official_form(path: &Path, codes: &[String]) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Форма".to_string(), "Инструкция".to_string()]
    );
    let range = wb.worksheet_range("Форма").unwrap();
    let text = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => format!("{i}"),
        _ => String::new(),
    };
    assert_eq!(text(0, 0), "Форма сбора результатов ВПР");
    let mut found = Vec::new();
    for r in 7..17 {
        let code = text(r, 1);
        if code.is_empty() {
            continue;
        }
        assert_eq!(text(r, 2), "1", "variant of {code}");
        for c in 3..9 {
            assert!(!text(r, c).is_empty(), "{code}: task {} empty", c - 2);
        }
        found.push(code);
    }
    found.sort();
    let mut want = codes.to_vec();
    want.sort();
    assert_eq!(found, want, "one row per participant who sat the work");
    let formulas = wb.worksheet_formula("Форма").unwrap();
    let f = formulas.get_value((7, 9)).cloned().unwrap_or_default();
    assert!(f.contains("SUM"), "the total formula kept: {f}");
}
