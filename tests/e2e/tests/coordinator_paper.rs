//! A paper work in the real app (issue 13 item 4): a roster of 25 and a
//! paper work with its keys set up with the CLI (`vpr coordinator …`, the
//! same core), then all 25 sheets typed into the grid **by keyboard only**
//! — the participant's code and Enter, then values and Tab, WebDriver key
//! presses into whatever cell has the focus (no cell is clicked) —, an
//! out-of-range score refused at its cell, the form exported with the 25
//! rows and their totals and marks, and scanned for the roster's names.
//! Screens at 1280×800 and 1024×768.
//!
//! Then a paper work made entirely in the window (tasks, marks, keys per
//! variant, each sheet's variant) and entered the same way.
//!
//! Needs `target/debug/vpr` (`cargo build -p vpr-cli`; `VPR_CLI_BIN` overrides).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::{json, Value};
use thirtyfour::prelude::*;
use vpr_e2e::page::{fill, select, tab, wait_js};
use vpr_e2e::{workspace_root, App, Launch, Result};

const PASSWORD: &str = "пароль-координатора-e2e";

const SURNAMES: [&str; 25] = [
    "Абрикосова",
    "Баранкин",
    "Веточкина",
    "Горелов",
    "Дубравина",
    "Ежевикин",
    "Жаворонкова",
    "Земляникин",
    "Ивушкина",
    "Калинкин",
    "Ландышева",
    "Малинкин",
    "Незабудкина",
    "Облепихин",
    "Пионова",
    "Рябинкин",
    "Сиреньева",
    "Тюльпанов",
    "Укропова",
    "Фиалкин",
    "Хвощёва",
    "Цветиков",
    "Черёмухина",
    "Шиповников",
    "Щавелева",
];

/// Tasks 1–3: a short answer each (1 point; the key accepts `1{t}`),
/// task 4: a criterion 0–2, task 5: a criterion 0–3. Marks 0/3/5/7.
fn spec() -> Value {
    let item = |t: u32| {
        json!({"number": t, "title": format!("Задание {t}"), "oral": false,
               "items": [{"id": format!("{t}.1"), "points": 1}]})
    };
    let crit = |t: u32, max: u32| {
        json!({"number": t, "title": format!("Задание {t}"), "oral": false,
               "criteria": [{"id": format!("{t}К1"), "name": "Решение", "max_points": max,
                             "description": "", "levels": [], "critical": false}]})
    };
    json!({
        "stations_per_room": 1,
        "variants": [1],
        "marks": [{"min_total": 0, "mark": 2}, {"min_total": 3, "mark": 3},
                  {"min_total": 5, "mark": 4}, {"min_total": 7, "mark": 5}],
        "tasks": [item(1), item(2), item(3), crit(4, 2), crit(5, 3)],
        // An adapted version without task 1, with its own scale (of 7).
        "versions": [{"id": "no_listening", "title": "Без аудирования", "left_out": [1],
                      "marks": [{"min_total": 0, "mark": 2}, {"min_total": 2, "mark": 3},
                                {"min_total": 4, "mark": 4}, {"min_total": 6, "mark": 5}]}],
    })
}

fn keys() -> Value {
    let task = |t: u32| {
        if t <= 3 {
            json!({"number": t, "items": [{"id": format!("{t}.1"), "accepted": [format!("1{t}")], "points": 1}]})
        } else {
            json!({"number": t, "items": []})
        }
    };
    json!({"package_id": "", "variants": [{"number": 1, "tasks": (1..=5).map(task).collect::<Vec<_>>()}]})
}

/// What participant `i` wrote: answers (right or not) and the two scores.
fn sheet(i: usize) -> ([String; 5], u32) {
    let right = [i % 3 != 0, i % 2 == 0, i % 5 != 1];
    let mut values: [String; 5] = Default::default();
    let mut total = 0;
    for (t, ok) in right.iter().enumerate() {
        let t = t + 1;
        values[t - 1] = if *ok {
            format!("1{t}")
        } else {
            format!("{}", 90 + t)
        };
        total += u32::from(*ok);
    }
    let (c4, c5) = ((i % 3) as u32, (i % 4) as u32);
    values[3] = c4.to_string();
    values[4] = c5.to_string();
    (values, total + c4 + c5)
}

fn mark(total: u32) -> u32 {
    match total {
        7.. => 5,
        5.. => 4,
        3.. => 3,
        _ => 2,
    }
}

/// The no-listening version's scale.
fn version_mark(total: u32) -> u32 {
    match total {
        6.. => 5,
        4.. => 4,
        2.. => 3,
        _ => 2,
    }
}

fn cli(db: &Path, args: &[&str]) -> String {
    let vpr = std::env::var_os("VPR_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/vpr"));
    let out = Command::new(&vpr)
        .arg("coordinator")
        .arg("--db")
        .arg(db)
        .args(args)
        .env("VPR_COORDINATOR_PASSWORD", PASSWORD)
        .output()
        .expect("the vpr CLI (cargo build -p vpr-cli)");
    assert!(
        out.status.success(),
        "vpr coordinator {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The roster, the paper work and its keys, through the CLI.
fn set_up(dir: &Path) -> String {
    let db = dir.join("coordinator.sqlite");
    cli(&db, &["init"]);
    cli(
        &db,
        &[
            "school",
            "--name",
            "МБОУ «Школа № 7»",
            "--login",
            "sch770007",
        ],
    );
    let mut roster = String::from("Класс;Фамилия;Имя;Отчество\n");
    for (i, s) in SURNAMES.iter().enumerate() {
        let class = if i < 13 { "5А" } else { "5Б" };
        let first = if s.ends_with('а') {
            "Анна"
        } else {
            "Иван"
        };
        roster.push_str(&format!("{class};{s};{first};\n"));
    }
    let roster_file = dir.join("roster.csv");
    std::fs::write(&roster_file, roster).unwrap();
    cli(&db, &["roster", roster_file.to_str().unwrap()]);
    let spec_file = dir.join("spec.json");
    std::fs::write(&spec_file, serde_json::to_vec(&spec()).unwrap()).unwrap();
    let work = cli(
        &db,
        &[
            "work-add",
            "--subject",
            "Математика",
            "--grade",
            "5",
            "--date",
            "2026-04-16",
            "--deadline",
            "2026-04-20",
            "--spec",
            spec_file.to_str().unwrap(),
        ],
    )
    .trim()
    .to_string();
    let keys_file = dir.join("keys.json");
    std::fs::write(&keys_file, serde_json::to_vec(&keys()).unwrap()).unwrap();
    cli(&db, &["paper", "keys", &work, keys_file.to_str().unwrap()]);
    work
}

/// The coordinator's window on `dir`, logged in.
async fn logged_in(name: &str, dir: &Path, width: u32, height: u32) -> Result<App> {
    let app = App::launch(
        name,
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
    app.click("login-submit").await?;
    Ok(app)
}

/// The grid's participant codes, in row order.
async fn row_codes(app: &App) -> Result<Vec<u32>> {
    Ok(serde_json::from_value(
        app.js("return [...document.querySelectorAll(\"[data-testid^='paper-row-']\")].map(e => Number(e.dataset.testid.slice(10)))")
            .await?,
    )?)
}

/// The form exported from the form tab into `out`: the CSV's non-empty
/// lines, header first, split into cells.
async fn export_form(app: &App, out: &Path) -> Result<Vec<Vec<String>>> {
    tab(app, "form").await?;
    app.click("form-check").await?;
    app.by_testid("form-ready").await?;
    fill(app, "form-folder", out.to_str().unwrap()).await?;
    app.click("form-export").await?;
    app.by_testid("form-saved").await?;
    let csv = std::fs::read_dir(out)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .expect("the CSV form");
    let text = std::fs::read_to_string(&csv)?;
    Ok(text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect())
}

/// No roster name in any file of `out` (an XLSX unpacked too).
fn assert_no_names(out: &Path) -> Result<()> {
    for f in std::fs::read_dir(out)? {
        let p = f?.path();
        let mut blobs = vec![std::fs::read(&p)?];
        if p.extension().is_some_and(|x| x == "xlsx") {
            blobs.push(Command::new("unzip").arg("-p").arg(&p).output()?.stdout);
        }
        for b in blobs {
            let s = String::from_utf8_lossy(&b);
            let hits: Vec<&&str> = SURNAMES.iter().filter(|n| s.contains(**n)).collect();
            assert!(hits.is_empty(), "{} holds names: {hits:?}", p.display());
        }
    }
    Ok(())
}

/// Keys into whatever has the focus (never focusing an element first).
async fn press(app: &App, keys: impl Into<TypingData>) -> Result<()> {
    app.driver.active_element().await?.send_keys(keys).await?;
    Ok(())
}

async fn active_testid(app: &App) -> Result<String> {
    Ok(app
        .js("return document.activeElement?.dataset?.testid ?? ''")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

async fn paper(width: u32, height: u32) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let work = set_up(dir.path());
    let mut app = logged_in(
        &format!("coordinator_paper_{width}x{height}"),
        dir.path(),
        width,
        height,
    )
    .await?;
    app.by_testid("tab-paper").await?;
    tab(&app, "paper").await?;
    app.by_testid("paper-grid").await?;
    let codes = row_codes(&app).await?;
    assert_eq!(codes.len(), 25, "{codes:?}");
    app.by_testid("paper-who-first").await?;
    app.shot("paper-empty").await?;

    // Who enters, chosen once at the top: an operator label.
    app.js(
        "const el = document.querySelector(\"[data-testid='paper-who']\");
         el.value = 'operator'; el.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    )
    .await?;
    fill(&app, "paper-operator", "Оператор 1").await?;

    // Focus the code field once; from here on only keys.
    app.click("paper-code").await?;
    let mut expected = Vec::new();
    // The first row by its code and Enter; each next row is where the
    // Enter on a row's last cell goes.
    press(&app, codes[0].to_string()).await?;
    press(&app, Key::Enter).await?;
    for (row, code) in codes.iter().enumerate() {
        let (values, total) = sheet(row);
        expected.push((*code, total));
        wait_js(
            &app,
            &format!("focus on row {row}"),
            &format!("return document.activeElement?.dataset?.testid === 'paper-cell-{row}-0'"),
            5,
        )
        .await?;
        for (col, v) in values.iter().enumerate() {
            press(&app, v.clone()).await?;
            // Enter on the last cell of a row, Tab elsewhere: both move on.
            press(&app, if col == 4 { Key::Enter } else { Key::Tab }).await?;
        }
    }
    // The last Enter stays on the last cell; everything is saved.
    wait_js(
        &app,
        "all saved",
        "return document.querySelector(\"[data-testid='paper-saving']\").innerText === 'Всё сохранено'",
        30,
    )
    .await?;
    for (code, total) in &expected {
        wait_js(
            &app,
            &format!("points of {code}"),
            &format!(
                "return document.querySelector(\"[data-testid='paper-points-{code}']\").innerText.trim() === '{total}'"
            ),
            10,
        )
        .await?;
    }
    // Right/wrong shown in the row: participant 0's first answer is wrong (0 % 3 == 0).
    assert_eq!(app.text("paper-check-0-0").await?, "неверно");
    assert_eq!(app.text("paper-check-1-0").await?, "верно");
    assert_eq!(app.text("paper-check-0-4").await?, "0–3");
    app.shot("paper-entered").await?;

    // Out of range, typed with the keyboard: refused at the cell, in Russian.
    press(&app, Key::Up).await?;
    assert_eq!(active_testid(&app).await?, "paper-cell-23-4");
    press(&app, Key::Backspace + Key::Backspace + Key::Backspace).await?;
    press(&app, "7").await?;
    press(&app, Key::Tab).await?;
    assert_eq!(active_testid(&app).await?, "paper-cell-24-0");
    let err = "paper-err-23-4";
    app.by_testid(err).await?;
    let msg = app.text(err).await?;
    assert!(
        msg.contains(&codes[23].to_string()) && msg.contains("5К1") && msg.contains("0–3"),
        "{msg}"
    );
    app.shot("paper-out-of-range").await?;
    // Put the sheet's value back by keyboard: one Shift+Tab back (the grid's
    // own move; the browser's would land on the next row's version choice).
    press(&app, Key::Shift + Key::Tab).await?;
    assert_eq!(active_testid(&app).await?, "paper-cell-23-4");
    let (values, _) = sheet(23);
    press(&app, Key::Backspace + Key::Backspace + Key::Backspace).await?;
    press(&app, values[4].clone()).await?;
    press(&app, Key::Tab).await?;
    wait_js(
        &app,
        "error cleared",
        &format!("return document.querySelectorAll(\"[data-testid='{err}']\").length === 0"),
        10,
    )
    .await?;

    // The last sheet says «без аудирования»: task 1 is not part of it — its
    // cell shown so and passed over —, the total drops it, its scale applies.
    let last = codes[24];
    select(&app, &format!("paper-version-{last}"), "no_listening").await?;
    wait_js(
        &app,
        "task 1 not applicable",
        "return document.querySelector(\"[data-testid='paper-cell-24-0']\").disabled",
        10,
    )
    .await?;
    assert_eq!(app.text("paper-check-24-0").await?, "не входит");
    let (values, total) = sheet(24);
    let without_1 = total - u32::from(values[0] == "11");
    expected[24] = (last, without_1);
    wait_js(
        &app,
        "points without task 1",
        &format!("return document.querySelector(\"[data-testid='paper-points-{last}']\").innerText.trim() === '{without_1}'"),
        10,
    )
    .await?;
    app.shot("paper-version").await?;

    // The log: every change with who and when.
    app.click("paper-log-toggle").await?;
    app.by_testid("paper-log").await?;
    let log = app.text("paper-log").await?;
    assert!(log.contains("Оператор 1"), "{log}");
    assert!(
        !SURNAMES.iter().any(|s| log.contains(s)),
        "no name in the log"
    );
    app.shot("paper-log").await?;

    // The form: 25 rows, totals and marks as the sheets give.
    let out = dir.path().join("out");
    let form = export_form(&app, &out).await?;
    app.shot("paper-form").await?;
    let (header, rows) = (&form[0], &form[1..]);
    let (ti, mi) = (header.len() - 2, header.len() - 1);
    assert_eq!(header[ti], "Сумма баллов");
    assert_eq!(rows.len(), 25);
    for (code, total) in &expected {
        let row = rows
            .iter()
            .find(|r| r[0].trim_matches('"') == code.to_string())
            .unwrap_or_else(|| panic!("no form row for {code}"));
        assert_eq!(row[ti], total.to_string(), "total of {code}");
        if *code == last {
            assert_eq!(row[2], "—", "task 1 not applicable, not 0");
            assert_eq!(row[mi], version_mark(*total).to_string(), "version's mark");
        } else {
            assert_eq!(row[mi], mark(*total).to_string(), "mark of {code}");
        }
    }
    // No name in any exported file (the XLSX unpacked too).
    assert_no_names(&out)?;
    // Statistics take the paper work.
    tab(&app, "stats").await?;
    wait_js(
        &app,
        "statistics of the 25",
        "return document.querySelector(\"[data-testid='stats-participants']\")?.innerText === '25'",
        15,
    )
    .await?;
    app.shot("paper-stats").await?;
    assert!(!work.is_empty());
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paper_work_for_25_by_keyboard_at_1280x800() -> Result<()> {
    paper(1280, 800).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paper_work_for_25_by_keyboard_at_1024x768() -> Result<()> {
    paper(1024, 768).await
}

/// Tasks of the work made in the window: 20 short answers and one criterion.
const ANSWERS: usize = 20;

/// The key of item `i` (1-based) in variant `v`.
fn key_of(v: u32, i: usize) -> String {
    format!("{v}{i}")
}

/// Row `r`'s sheet: variant 2 on even rows, answers right unless
/// `(i + r) % 3 == 0`, the criterion `r % 4`; the total it gives.
fn sheet_made(r: usize) -> (u32, Vec<String>, u32) {
    let variant = if r % 2 == 0 { 2 } else { 1 };
    let mut values = Vec::new();
    let mut total = 0;
    for i in 1..=ANSWERS {
        if (i + r) % 3 == 0 {
            values.push("0".to_string());
        } else {
            values.push(key_of(variant, i));
            total += 1;
        }
    }
    let c = (r % 4) as u32;
    values.push(c.to_string());
    (variant, values, total + c)
}

fn mark_made(total: u32) -> u32 {
    match total {
        19.. => 5,
        14.. => 4,
        8.. => 3,
        _ => 2,
    }
}

/// The ids of the works listed on the works screen.
async fn work_ids(app: &App) -> Result<Vec<i64>> {
    let v = app
        .js("return [...document.querySelectorAll(\"[data-testid='work-row']\")].map(e => Number(e.dataset.work))")
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// A paper work made entirely in the window (issue 13 items 4 and 5): its
/// tasks and marks described on the works screen (a refusal named first),
/// its keys typed per variant (a missing one refused naming variant and
/// item), each participant's variant taken from the sheet, every value typed
/// by keyboard, the code column staying in view while the grid scrolls
/// sideways, and the form with the variant sat and its totals and marks.
async fn paper_made_in_window(width: u32, height: u32) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("coordinator.sqlite");
    cli(&db, &["init"]);
    cli(
        &db,
        &[
            "school",
            "--name",
            "МБОУ «Школа № 7»",
            "--login",
            "sch770007",
        ],
    );
    let mut roster = String::from("Класс;Фамилия;Имя;Отчество\n");
    for s in &SURNAMES[..6] {
        roster.push_str(&format!("5А;{s};Анна;\n"));
    }
    let roster_file = dir.path().join("roster.csv");
    std::fs::write(&roster_file, roster)?;
    cli(&db, &["roster", roster_file.to_str().unwrap()]);
    let mut app = logged_in(
        &format!("coordinator_paper_made_{width}x{height}"),
        dir.path(),
        width,
        height,
    )
    .await?;
    tab(&app, "works").await?;

    // A work made by mistake is removed (a second click confirms).
    app.by_testid("paper-work-panel").await?;
    fill(&app, "pw-subject", "Математика").await?;
    fill(&app, "pw-date", "15.04.2026").await?;
    fill(&app, "pw-deadline", "25.04.2026").await?;
    fill(&app, "pw-quick", "3").await?;
    app.click("pw-quick-fill").await?;
    for (m, v) in [(3, "1"), (4, "2"), (5, "3")] {
        fill(&app, &format!("pw-mark-{m}"), v).await?;
    }
    app.click("pw-submit").await?;
    app.by_testid("pw-msg").await?;
    wait_js(
        &app,
        "the mistaken work listed",
        &format!("return {} === 1", vpr_e2e::page::count("work-row")),
        10,
    )
    .await?;
    let mistaken = work_ids(&app).await?;
    app.click(&format!("work-remove-{}", mistaken[0])).await?;
    assert_eq!(
        app.text(&format!("work-remove-{}", mistaken[0])).await?,
        "Точно удалить?"
    );
    app.click(&format!("work-remove-{}", mistaken[0])).await?;
    app.by_testid("works-msg").await?;
    wait_js(
        &app,
        "the mistaken work gone",
        &format!("return {} === 0", vpr_e2e::page::count("work-row")),
        10,
    )
    .await?;

    // The work as its criteria sheet gives it (typed as grade 4 first, then changed).
    fill(&app, "pw-subject", "Математика").await?;
    fill(&app, "pw-grade", "4").await?;
    fill(&app, "pw-date", "16.04.2026").await?;
    fill(&app, "pw-deadline", "25.04.2026").await?;
    fill(&app, "pw-variants", "2").await?;
    fill(&app, "pw-quick", &ANSWERS.to_string()).await?;
    app.click("pw-quick-fill").await?;
    app.click("pw-add-task").await?;
    let last = ANSWERS + 1;
    select(&app, &format!("pw-kind-{last}"), "criteria").await?;
    fill(&app, &format!("pw-points-{last}"), "3").await?;
    fill(&app, &format!("pw-title-{last}"), "Задача").await?;
    wait_js(
        &app,
        "the maximum",
        "return document.querySelector(\"[data-testid='pw-max']\").innerText.includes('23')",
        5,
    )
    .await?;
    // A threshold above the maximum is refused, naming the mark.
    for (m, v) in [(3, "8"), (4, "14"), (5, "24")] {
        fill(&app, &format!("pw-mark-{m}"), v).await?;
    }
    app.click("pw-submit").await?;
    app.by_testid("pw-error").await?;
    let err = app.text("pw-error").await?;
    assert!(err.contains("отметка «5»") && err.contains("23"), "{err}");
    app.shot("paper-made-refused").await?;
    fill(&app, "pw-mark-5", "19").await?;
    app.click("pw-submit").await?;
    app.by_testid("pw-msg").await?;
    // Grade 4 was a slip: the work is changed while nothing is entered.
    wait_js(
        &app,
        "the work listed",
        &format!("return {} === 1", vpr_e2e::page::count("work-row")),
        10,
    )
    .await?;
    let made = work_ids(&app).await?;
    app.click(&format!("work-edit-{}", made[0])).await?;
    wait_js(
        &app,
        "the work in the form",
        "return document.querySelector(\"[data-testid='pw-grade']\").value === '4'
            && document.querySelectorAll(\"[data-testid^='pw-task-']\").length === 21",
        10,
    )
    .await?;
    fill(&app, "pw-grade", "5").await?;
    app.click("pw-submit").await?;
    wait_js(
        &app,
        "the work changed",
        "return (document.querySelector(\"[data-testid='pw-msg']\")?.innerText ?? '').includes('Работа изменена: Математика, 5 кл.')",
        10,
    )
    .await?;
    app.shot("paper-made-added").await?;

    // Its keys, typed per variant; one left empty first.
    tab(&app, "paper").await?;
    app.by_testid("paper-keys").await?;
    app.by_testid("paper-no-keys").await?;
    for v in 0..2u32 {
        for i in 0..ANSWERS {
            if (v, i) != (1, 4) {
                fill(&app, &format!("paper-key-{v}-{i}"), &key_of(v + 1, i + 1)).await?;
            }
        }
    }
    app.click("paper-keys-save").await?;
    app.by_testid("paper-keys-error").await?;
    let err = app.text("paper-keys-error").await?;
    assert!(err.contains("вариант 2, ответ 5"), "{err}");
    fill(&app, "paper-key-1-4", &format!("{}; пять", key_of(2, 5))).await?;
    app.click("paper-keys-save").await?;
    app.by_testid("paper-keys-msg").await?;
    app.shot("paper-made-keys").await?;
    wait_js(
        &app,
        "keys in",
        &format!("return {} === 0", vpr_e2e::page::count("paper-no-keys")),
        10,
    )
    .await?;
    app.click("paper-keys-toggle").await?;

    select(&app, "paper-who", "operator").await?;
    fill(&app, "paper-operator", "Оператор 2").await?;
    let codes = row_codes(&app).await?;
    assert_eq!(codes.len(), 6);
    // The variant from each sheet.
    for (r, code) in codes.iter().enumerate() {
        let (variant, _, _) = sheet_made(r);
        if variant != 1 {
            select(&app, &format!("paper-variant-{code}"), &variant.to_string()).await?;
        }
    }
    // Every value by keyboard: the code and Enter, then values and Tab.
    app.click("paper-code").await?;
    press(&app, codes[0].to_string()).await?;
    press(&app, Key::Enter).await?;
    let mut expected = Vec::new();
    for (r, code) in codes.iter().enumerate() {
        let (variant, values, total) = sheet_made(r);
        expected.push((*code, variant, total));
        wait_js(
            &app,
            &format!("focus on row {r}"),
            &format!("return document.activeElement?.dataset?.testid === 'paper-cell-{r}-0'"),
            5,
        )
        .await?;
        for (i, v) in values.iter().enumerate() {
            press(&app, v.clone()).await?;
            press(&app, if i == ANSWERS { Key::Enter } else { Key::Tab }).await?;
        }
    }
    wait_js(
        &app,
        "all saved",
        "return document.querySelector(\"[data-testid='paper-saving']\").innerText === 'Всё сохранено'",
        30,
    )
    .await?;
    for (code, _, total) in &expected {
        wait_js(
            &app,
            &format!("points of {code}"),
            &format!(
                "return document.querySelector(\"[data-testid='paper-points-{code}']\").innerText.trim() === '{total}'"
            ),
            10,
        )
        .await?;
    }
    // The code stays in view when the grid is scrolled to its end.
    let stuck = app
        .js("const wrap = document.querySelector('.grid-wrap');
             const wide = wrap.scrollWidth > wrap.clientWidth;
             wrap.scrollLeft = wrap.scrollWidth;
             const th = document.querySelector(\"[data-testid^='paper-row-'] th.code\");
             const dx = th.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
             return [wide, wrap.scrollLeft > 0, Math.abs(dx) < 2];")
        .await?;
    assert_eq!(stuck, json!([true, true, true]), "sticky code column");
    app.shot("paper-made-scrolled").await?;

    // The log has each sheet's variant with who set it.
    app.click("paper-log-toggle").await?;
    app.by_testid("paper-log").await?;
    let log = app.text("paper-log").await?;
    assert!(
        log.contains("вариант") && log.contains("Оператор 2"),
        "{log}"
    );

    // The form: the variant sat, totals and marks; no name.
    let out = dir.path().join("out");
    let form = export_form(&app, &out).await?;
    let (ti, mi) = (form[0].len() - 2, form[0].len() - 1);
    for (code, variant, total) in &expected {
        let row = form[1..]
            .iter()
            .find(|r| r[0].trim_matches('"') == code.to_string())
            .unwrap_or_else(|| panic!("no form row for {code}"));
        assert_eq!(row[1], variant.to_string(), "variant of {code}");
        assert_eq!(row[ti], total.to_string(), "total of {code}");
        assert_eq!(row[mi], mark_made(*total).to_string(), "mark of {code}");
    }
    assert_no_names(&out)?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paper_work_made_in_the_window_at_1280x800() -> Result<()> {
    paper_made_in_window(1280, 800).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paper_work_made_in_the_window_at_1024x768() -> Result<()> {
    paper_made_in_window(1024, 768).await
}
