//! The coordinator with the school's own files, in the real app: a roster
//! saved by Russian Excel (cp1251, `;`, title rows above the header, class and
//! letter apart) with two problem rows — one fixed in place by typing the right
//! value, the other left out — imported without touching the file; then the
//! list of participant codes downloaded from ФИС ОКО (title rows, «Класс»,
//! «Код участника») handed out in roster order, replacing the codes the
//! program made. The same screens are photographed at 1024×768 and 1280×800.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeSet,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use serde_json::Value;
use thirtyfour::By;
use vpr_e2e::page::{count, fill, tab, wait_js};
use vpr_e2e::{App, Launch, Result};

const PASSWORD: &str = "пароль-координатора-e2e";

/// Rows 5–10 of the file; row 8 has a date that does not exist, row 9 an
/// ОВЗ value that is neither yes nor no.
const ROSTER: &str = "Список обучающихся 7-х классов;;;;;;;;\r\n\
МБОУ СОШ № 1;;;;;;;;\r\n\
;;;;;;;;\r\n\
№;Фамилия;Имя;Отчество;Класс;Литера;Дата рождения;Пол;ОВЗ\r\n\
1;Ёлкина;Анна;Сергеевна;7;б;01.09.2013;ж;нет\r\n\
2;Петров;Пётр;;7;Б;12.3.2013;м;да\r\n\
3;Соколова;Дарья;;7 ;а;2013-02-28;Ж;\r\n\
4;Кузнецов;Иван;;7;а;31.02.2013;М;нет\r\n\
5;Орлова;Ольга;;7;в;05.05.2013;Ж;может быть\r\n\
6;Смирнов;Глеб;;7-а;;03.03.2013;М;нет\r\n";

const SURNAMES: &[&str] = &[
    "Ёлкина",
    "Петров",
    "Соколова",
    "Кузнецов",
    "Орлова",
    "Смирнов",
];

/// As ФИС ОКО gives it: a title, the school, then «№;Класс;Код участника».
const CODES: &str = "Коды участников ВПР;;\r\nОО sch770001;;\r\n;;\r\n№;Класс;Код участника\r\n\
1;7А;701001\r\n2;7А;701002\r\n3;7А;701003\r\n4;7А;701004\r\n\
5;7Б;702001\r\n6;7Б;702002\r\n7;7Б;702003\r\n";

async fn scroll_to(app: &App, id: &str) -> Result<()> {
    app.js(&format!(
        "document.querySelector(\"[data-testid='{id}']\").scrollIntoView({{ block: 'start' }}); return true;"
    ))
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

async fn launch(dir: &Path, width: u32, height: u32, create: bool) -> Result<App> {
    let app = App::launch(
        &format!("coordinator_files_{width}"),
        Launch {
            args: vec!["--mode".into(), "coordinator".into()],
            env: vec![("VPR_COORDINATOR_DIR".into(), dir.display().to_string())],
            width,
            height,
            ..Default::default()
        },
    )
    .await?;
    app.by_testid("login-screen").await?;
    fill(&app, "login-password", PASSWORD).await?;
    if create {
        fill(&app, "login-password-again", PASSWORD).await?;
    }
    app.click("login-submit").await?;
    app.by_testid("tab-roster").await?;
    Ok(app)
}

async fn preview(app: &App, file: &Path) -> Result<()> {
    fill(app, "roster-path", file.to_str().unwrap()).await?;
    app.click("roster-preview").await?;
    wait_js(
        app,
        "the preview",
        &format!("return {} === 2", count("roster-problem-row")),
        15,
    )
    .await
}

/// `xdotool` on the test's own X display.
fn xdotool(app: &App, args: &[&str]) -> Result<String> {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", &app.display)
        .output()
        .map_err(|e| format!("xdotool is needed for this test: {e}"))?;
    if !out.status.success() {
        return Err(format!("xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The system's file dialog (GTK's, through tauri-plugin-dialog) opened by
/// a «Выбрать файл…» button: found on the display by its title, the path
/// typed into its location field by real key presses, confirmed with Enter.
async fn choose_in_dialog(app: &mut App, button: &str, title: &str, path: &Path) -> Result<()> {
    app.click(button).await?;
    let start = Instant::now();
    let window = loop {
        if let Ok(out) = xdotool(app, &["search", "--onlyvisible", "--name", title]) {
            if let Some(id) = out.lines().last() {
                break id.to_string();
            }
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("no «{title}» dialog on the display").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    xdotool(app, &["windowfocus", "--sync", &window])?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.shot("native-file-dialog").await?;
    xdotool(app, &["key", "--clearmodifiers", "ctrl+l"])?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(app, &["type", "--delay", "20", path.to_str().unwrap()])?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(app, &["key", "Return"])?;
    Ok(())
}

fn problem_rows(v: Value) -> Vec<u64> {
    serde_json::from_value(v).unwrap()
}

const ROWS_JS: &str = "return [...document.querySelectorAll(\"[data-testid='roster-problem-row']\")].map(e => Number(e.dataset.row))";

#[tokio::test(flavor = "multi_thread")]
async fn a_cp1251_roster_fixed_in_place_and_a_fis_code_list() -> Result<()> {
    let work = tempfile::tempdir()?;
    let coordinator_dir = tempfile::tempdir()?;
    let roster = work.path().join("Список 7 классов.csv");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(ROSTER);
    assert!(
        !unmappable && std::str::from_utf8(&bytes).is_err(),
        "really cp1251"
    );
    std::fs::write(&roster, &bytes)?;

    let mut app = launch(coordinator_dir.path(), 1024, 768, true).await?;
    // Chosen in the system's file dialog: the path lands in the field and
    // the file is previewed at once.
    choose_in_dialog(&mut app, "pick-roster", "Открыть файл", &roster).await?;
    wait_js(
        &app,
        "the path from the dialog",
        &format!(
            "return document.querySelector(\"[data-testid='roster-path']\").value === {} && {} === 2",
            serde_json::to_string(roster.to_str().unwrap())?,
            count("roster-problem-row")
        ),
        20,
    )
    .await?;
    assert_eq!(problem_rows(app.js(ROWS_JS).await?), vec![8, 9]);
    assert_eq!(
        app.js(&format!("return {}", count("roster-valid-row")))
            .await?,
        4
    );
    let problems = app
        .js("return [...document.querySelectorAll(\"[data-testid='roster-preview-problem']\")].map(e => e.innerText)")
        .await?;
    let problems: Vec<String> = serde_json::from_value(problems)?;
    assert!(problems[0].contains("«Дата рождения»"), "{problems:?}");
    assert!(problems[1].contains("«ОВЗ»"), "{problems:?}");
    scroll_to(&app, "roster-preview-area").await?;
    app.shot("roster-problems-1024").await?;

    // The fix boxes start from what the file holds.
    let found: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid='roster-found']\")].map(e => e.innerText)")
            .await?,
    )?;
    assert_eq!(found, vec!["«31.02.2013»", "«может быть»"]);
    // Row 8: emptied, then the right date typed by key presses.
    fill(&app, "roster-fix-8-Дата рождения", "").await?;
    let fix = app
        .driver
        .find(By::Css("[data-testid='roster-fix-8-Дата рождения']"))
        .await?;
    fix.click().await?;
    fix.send_keys("28.02.2013").await?;
    app.click("roster-fix-apply-8-Дата рождения").await?;
    wait_js(
        &app,
        "row 8 fixed",
        &format!("return {} === 1", count("roster-problem-row")),
        15,
    )
    .await?;
    assert_eq!(problem_rows(app.js(ROWS_JS).await?), vec![9]);
    assert_eq!(
        app.js(&format!("return {}", count("roster-valid-row")))
            .await?,
        5
    );
    // Row 9 left out.
    app.click("roster-skip-9").await?;
    app.by_testid("roster-import-edited").await?;
    assert_eq!(
        app.js(&format!("return {}", count("roster-skipped-preview")))
            .await?,
        1
    );
    scroll_to(&app, "roster-preview-area").await?;
    app.shot("roster-fixed-and-skipped-1024").await?;
    let wide = app
        .js("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        .await?;
    assert_eq!(wide, Value::Bool(true), "no horizontal scroll at 1024×768");
    app.click("roster-import-edited").await?;
    app.by_testid("roster-partial").await?;
    let partial = app.text("roster-partial").await?;
    assert!(partial.contains("Добавлено: 5"), "{partial}");
    assert!(partial.contains("Пропущено строк: 1"), "{partial}");
    wait_js(
        &app,
        "five participants",
        &format!("return {} === 5", count("participant-row")),
        15,
    )
    .await?;
    let table = app.text("participants").await?;
    assert!(
        table.contains("Кузнецов") && !table.contains("Орлова"),
        "{table}"
    );
    for class in ["7А", "7Б"] {
        assert!(table.contains(class), "{table}");
    }
    assert_eq!(
        std::fs::read(&roster)?,
        bytes.as_ref(),
        "the file is never written"
    );
    let made: BTreeSet<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid='participant-code']\")].map(e => e.innerText)")
            .await?,
    )?;
    assert_eq!(made.len(), 5);

    // ---- the code list from ФИС ОКО, handed out in roster order.
    let codes = work.path().join("коды.csv");
    std::fs::write(&codes, CODES)?;
    fill(&app, "codes-file", codes.to_str().unwrap()).await?;
    app.click("codes-import").await?;
    app.by_testid("codes-result").await?;
    let result = app.text("codes-result").await?;
    assert!(result.contains("Новых кодов: 7"), "{result}");
    assert!(result.contains("выдано участникам: 5"), "{result}");
    wait_js(
        &app,
        "the list's codes on the participants",
        "return [...document.querySelectorAll(\"[data-testid='participant-code']\")].every(e => e.innerText.length === 6)",
        15,
    )
    .await?;
    let rows: Vec<(String, String)> = serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid='participant-row']\")].map(r => [r.dataset.code, r.innerText])")
            .await?,
    )?;
    for (code, text) in &rows {
        let list = if text.contains("7А") { "701" } else { "702" };
        assert!(code.starts_with(list), "{code}: {text}");
    }
    let given: BTreeSet<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(given.len(), 5, "one code each: {rows:?}");
    assert!(
        made.iter().all(|c| !given.contains(c.as_str())),
        "the made codes are replaced"
    );
    scroll_to(&app, "codes-panel").await?;
    app.shot("codes-from-fis-1024").await?;
    // No work of our own yet: another school's cross-check package can
    // still be scored on the expert's tab.
    tab(&app, "expert").await?;
    app.by_testid("no-works").await?;
    app.by_testid("cross-receive").await?;
    app.quit().await?;

    // ---- the same screens at 1280×800: the database reopened, the file previewed again.
    let mut app = launch(coordinator_dir.path(), 1280, 800, false).await?;
    // The folder the roster came from is remembered for the next dialog.
    let remembered = app
        .js("return localStorage.getItem('vpr.folder.roster')")
        .await?;
    assert_eq!(
        remembered.as_str(),
        roster.parent().and_then(|p| p.to_str()),
        "the roster's folder remembered"
    );
    wait_js(
        &app,
        "participants kept",
        &format!("return {} === 5", count("participant-row")),
        15,
    )
    .await?;
    preview(&app, &roster).await?;
    scroll_to(&app, "roster-preview-area").await?;
    app.shot("roster-problems-1280").await?;
    let text = app.js("return document.body.innerText").await?;
    let text = text.as_str().unwrap_or_default();
    assert!(
        SURNAMES.iter().any(|s| text.contains(s)),
        "the coordinator's own window shows names"
    );
    // Nothing overflows sideways at either size.
    let wide = app
        .js("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        .await?;
    assert_eq!(wide, Value::Bool(true), "no horizontal scroll at 1280×800");
    app.quit().await
}
