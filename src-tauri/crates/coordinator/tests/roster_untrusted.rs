#![allow(clippy::unwrap_used)]
//! Untrusted roster files never abort the process: a tiny XLSX whose used
//! range spans the whole sheet, oversized files, rows, columns and cells are
//! refused with a Russian message naming the file and the row or column.

use vpr_coordinator::{roster::read_roster, CoordinatorError};

/// 1.6 KB on disk, cells at A1 and XFD1048576: a reader that allocates the
/// bounding box asks for 17 billion cells and aborts.
#[test]
fn xlsx_with_a_cell_at_the_last_row_and_column_is_refused_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("список.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Класс").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 8_000);
    let err = read_roster(&path).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, CoordinatorError::Spreadsheet(_)), "{err:?}");
    assert!(msg.contains("список.xlsx"), "{msg}");
    assert!(msg.contains("1048576"), "names the row: {msg}");
}

/// The same with the far cell only in a far column of an early row.
#[test]
fn xlsx_with_a_far_column_is_refused_naming_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Класс").unwrap();
    ws.write_string(1, 16_383, "x").unwrap();
    wb.save(&path).unwrap();
    let msg = read_roster(&path).unwrap_err().to_string();
    assert!(msg.contains("wide.xlsx") && msg.contains("XFD"), "{msg}");
}

#[test]
fn oversized_cells_and_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.csv");
    std::fs::write(
        &long,
        format!("Класс;Фамилия;Имя\n7А;{};Иван\n", "Я".repeat(5_000)),
    )
    .unwrap();
    let msg = read_roster(&long).unwrap_err().to_string();
    assert!(
        msg.contains("long.csv") && msg.contains("строка 2"),
        "{msg}"
    );

    let wide = dir.path().join("wide.csv");
    std::fs::write(&wide, format!("Класс;Фамилия;Имя{}\n", ";".repeat(500))).unwrap();
    let msg = read_roster(&wide).unwrap_err().to_string();
    assert!(msg.contains("wide.csv") && msg.contains("столб"), "{msg}");

    let big = dir.path().join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024).unwrap();
    let msg = read_roster(&big).unwrap_err().to_string();
    assert!(msg.contains("big.csv") && msg.contains("МБ"), "{msg}");

    let xlsx = dir.path().join("big.xlsx");
    let f = std::fs::File::create(&xlsx).unwrap();
    f.set_len(64 * 1024 * 1024).unwrap();
    let msg = read_roster(&xlsx).unwrap_err().to_string();
    assert!(msg.contains("big.xlsx") && msg.contains("МБ"), "{msg}");
}
