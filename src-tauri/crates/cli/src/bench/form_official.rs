//! `vpr bench form`, the official form part: a ФИС ОКО-shaped template
//! (title block, two-row merged header, a total formula on every prepared
//! row, a list validation, a second sheet) filled for the bench's work,
//! against the product's own XLSX layout of the same rows written in the
//! same run.

use std::{path::Path, time::Instant};

use rust_xlsxwriter::{DataValidation, Format, Workbook};
use vpr_coordinator::{Coordinator, CoordinatorError};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// The template for `rows` participants (columns D…K: 1, 2, 3К1–3К3, 4, 5, 6).
fn template(path: &Path, rows: u32) -> Result<(), CoordinatorError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Форма")?;
    for (r, t) in [
        "Форма сбора результатов ВПР",
        "ОО: Школа замера",
        "Английский язык, 7 класс",
    ]
    .iter()
    .enumerate()
    {
        ws.merge_range(r as u32, 0, r as u32, 12, t, &bold)?;
    }
    ws.merge_range(4, 0, 5, 0, "№ п/п", &bold)?;
    ws.merge_range(4, 1, 5, 1, "Код участника", &bold)?;
    ws.merge_range(4, 2, 5, 2, "Вариант", &bold)?;
    ws.merge_range(4, 3, 4, 10, "Задания", &bold)?;
    for (i, h) in ["1", "2", "3К1", "3К2", "3К3", "4", "5", "6"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(5, 3 + i as u16, *h, &bold)?;
    }
    ws.merge_range(4, 11, 5, 11, "Сумма баллов", &bold)?;
    ws.merge_range(4, 12, 5, 12, "Отметка", &bold)?;
    ws.set_column_format(1, &Format::new().set_num_format("@"))?;
    for i in 0..rows {
        let r = 6 + i;
        ws.write_number(r, 0, f64::from(i + 1))?;
        ws.write_formula(r, 11, format!("=SUM(D{}:K{})", r + 1, r + 1).as_str())?;
    }
    ws.add_data_validation(
        6,
        2,
        6 + rows,
        2,
        &DataValidation::new().allow_list_strings(&["1", "2"])?,
    )?;
    wb.add_worksheet().set_name("Инструкция")?.write_string(
        0,
        0,
        "Заполните код, вариант и баллы.",
    )?;
    wb.save(path)?;
    Ok(())
}

/// Median of filling the template against the median of the own layout.
pub fn bench(
    db: &Coordinator,
    work: i64,
    dir: &Path,
    n: u32,
    runs: u32,
) -> Result<(), CoordinatorError> {
    let tpl = dir.join("official-template.xlsx");
    template(&tpl, n)?;
    let (mut fill, mut own) = (Vec::new(), Vec::new());
    for r in 0..runs.max(5) {
        let t = Instant::now();
        let f = db.fill_official_form(work, &tpl, &dir.join(format!("official-{r}.xlsx")), &[])?;
        fill.push(t.elapsed().as_secs_f64());
        if f.rows != n {
            return Err(CoordinatorError::Invalid(format!(
                "в форме {} строк вместо {n}",
                f.rows
            )));
        }
        let table = db.results_form(work)?;
        let t = Instant::now();
        vpr_coordinator::tabular::write_xlsx(&dir.join(format!("own-{r}.xlsx")), &[table])?;
        own.push(t.elapsed().as_secs_f64());
    }
    let (m, b) = (median(fill), median(own));
    println!(
        "официальная форма ФИС ОКО (шаблон {:.0} КБ: распознать заголовок, проверить полноту, записать лист), {n} участников: медиана {m:.3} с (цель ≤ 1 с) — {}; своя форма XLSX тех же строк {b:.3} с; отношение {:.2}×",
        std::fs::metadata(&tpl).map(|x| x.len()).unwrap_or(0) as f64 / 1024.0,
        if m <= 1.0 { "OK" } else { "ПРЕВЫШЕНО" },
        m / b.max(1e-9)
    );
    Ok(())
}
