//! Reading an untrusted roster file into a grid of text cells, with caps on
//! the file size, rows, columns and cell length checked before anything is
//! allocated for them: a tiny XLSX whose used range spans the whole sheet is
//! refused by its first far cell, never turned into a bounding box.
//!
//! CSV: UTF-8 (with or without BOM) or cp1251 (Russian Excel's «CSV (разделители
//! — точка с запятой)»), delimiter `;`, `,` or tab. XLSX: the first sheet,
//! streamed cell by cell. Older formats (.xls, .ods) are refused with the
//! advice to save as .xlsx or .csv.

use std::{
    io::{Cursor, Read},
    path::Path,
};

use calamine::{DataRef, Reader, Xlsx};

use crate::{CoordinatorError, Result};

/// Largest roster file read (bytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most rows of a roster sheet (a school is far smaller).
pub const MAX_ROWS: u32 = 20_000;
/// Most columns of a roster sheet.
pub const MAX_COLUMNS: u32 = 64;
/// Longest cell text (characters).
pub const MAX_CELL_CHARS: usize = 1_000;
/// Largest uncompressed part inside an XLSX (a zip), as the zip declares it.
const MAX_XLSX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Most cells of the grid kept (rows × columns actually used).
const MAX_CELLS: usize = 400_000;

/// Rows of text cells as the file has them (row 0 is the file's row 1).
pub type Grid = Vec<Vec<String>>;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn refuse(name: &str, what: String) -> CoordinatorError {
    CoordinatorError::Spreadsheet(format!("«{name}»: {what}"))
}

/// The spreadsheet letters of a 0-based column (0 → A, 16383 → XFD).
pub fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = String::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

/// Read a roster file's first sheet (or the CSV) into a grid, within the caps.
pub fn read_grid(path: &Path) -> Result<Grid> {
    let (name, bytes) = read_bytes(path)?;
    grid_from_bytes(&name, &bytes)
}

/// A roster file's name and bytes, refused above [`MAX_FILE_BYTES`] before
/// anything is allocated for it.
pub(crate) fn read_bytes(path: &Path) -> Result<(String, Vec<u8>)> {
    let name = file_name(path);
    let len = std::fs::metadata(path)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large(&name, len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&name, bytes.len() as u64));
    }
    Ok((name, bytes))
}

fn too_large(name: &str, len: u64) -> CoordinatorError {
    refuse(
        name,
        format!(
            "файл слишком большой ({} МБ, допустимо до {} МБ)",
            len.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// As [`read_grid`] for a file's bytes; `name` (with its extension) picks
/// the format and names the file in messages.
pub fn grid_from_bytes(name: &str, bytes: &[u8]) -> Result<Grid> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len() as u64));
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => check_grid(name, parse_csv(&decode_text(bytes))),
        "xlsx" | "xlsm" => read_xlsx(name, bytes),
        "xls" | "ods" | "xlsb" => Err(refuse(
            name,
            "этот формат не поддерживается: сохраните таблицу как «Книга Excel (.xlsx)» или «CSV»"
                .into(),
        )),
        _ => Err(refuse(name, "ожидается таблица .xlsx или .csv".into())),
    }
}

/// UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8, cp1251.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The delimiter a CSV uses: of `;`, `,` and tab, the one found most often
/// outside quotes in its first lines (title rows above a header have few).
fn delimiter(text: &str) -> char {
    let sample: Vec<&str> = text.lines().take(20).collect();
    [';', '\t', ',']
        .into_iter()
        .max_by_key(|c| {
            let per_line: Vec<usize> = sample.iter().map(|l| l.matches(*c).count()).collect();
            // The most common non-zero count, weighted by how often it repeats.
            per_line
                .iter()
                .filter(|n| **n > 0)
                .map(|n| per_line.iter().filter(|m| *m == n).count() * 1000 + n)
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(';')
}

/// RFC 4180 CSV with `;`, `,` or tab (whichever the file uses).
pub fn parse_csv(text: &str) -> Grid {
    let text = text.trim_start_matches('\u{feff}');
    let sep = delimiter(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn check_grid(path: &str, grid: Grid) -> Result<Grid> {
    if grid.len() > MAX_ROWS as usize {
        return Err(refuse(
            path,
            format!("слишком много строк (больше {MAX_ROWS})"),
        ));
    }
    for (r, row) in grid.iter().enumerate() {
        if row.len() > MAX_COLUMNS as usize {
            return Err(refuse(
                path,
                format!(
                    "строка {}: слишком много столбцов ({}, допустимо до {MAX_COLUMNS})",
                    r + 1,
                    row.len()
                ),
            ));
        }
        check_cells(path, r, row)?;
    }
    Ok(grid)
}

fn check_cells(path: &str, r: usize, row: &[String]) -> Result<()> {
    for (c, cell) in row.iter().enumerate() {
        if cell.chars().count() > MAX_CELL_CHARS {
            return Err(refuse(
                path,
                format!(
                    "строка {}, столбец {}: слишком длинный текст (больше {MAX_CELL_CHARS} символов)",
                    r + 1,
                    column_letter(c)
                ),
            ));
        }
    }
    Ok(())
}

/// Refuse an XLSX whose zip declares a part larger than the cap (a zip bomb
/// in the shared strings or the sheet) before calamine reads it.
fn check_zip_parts(path: &str, bytes: &[u8]) -> Result<()> {
    let file = Cursor::new(bytes);
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|_| refuse(path, "файл повреждён или не является книгой .xlsx".into()))?;
    if zip.len() > 10_000 {
        return Err(refuse(path, "в книге слишком много частей".into()));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip
            .by_index_raw(i)
            .map_err(|_| refuse(path, "файл повреждён или не является книгой .xlsx".into()))?
            .size();
        total = total.saturating_add(size);
        if size > MAX_XLSX_PART_BYTES || total > 4 * MAX_XLSX_PART_BYTES {
            return Err(refuse(
                path,
                "книга в распакованном виде слишком велика для списка участников".into(),
            ));
        }
    }
    Ok(())
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "да" } else { "нет" }.into(),
        DataRef::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        DataRef::Error(e) => format!("#{e}"),
    }
}

/// An Excel serial date (1900 system) as `ДД.ММ.ГГГГ`.
fn excel_date(serial: f64) -> Option<String> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    let d = epoch.checked_add(time::Duration::days(serial.floor() as i64))?;
    Some(format!(
        "{:02}.{:02}.{:04}",
        d.day(),
        u8::from(d.month()),
        d.year()
    ))
}

fn read_xlsx(path: &str, bytes: &[u8]) -> Result<Grid> {
    check_zip_parts(path, bytes)?;
    let file = Cursor::new(bytes);
    let mut wb: Xlsx<_> =
        Xlsx::new(file).map_err(|e| refuse(path, format!("не удалось открыть книгу: {e}")))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| refuse(path, "в книге нет листов".into()))?;
    let mut cells = wb
        .worksheet_cells_reader(&first)
        .map_err(|e| refuse(path, format!("не удалось прочитать лист «{first}»: {e}")))?;
    let mut grid: Grid = Vec::new();
    let mut kept = 0usize;
    loop {
        let cell = cells
            .next_cell()
            .map_err(|e| refuse(path, format!("лист «{first}» повреждён: {e}")))?;
        let Some(cell) = cell else { break };
        let (row, col) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        if row >= MAX_ROWS {
            return Err(refuse(
                path,
                format!(
                    "заполнена строка {} (допустимо до {MAX_ROWS}): удалите лишние ячейки",
                    u64::from(row) + 1
                ),
            ));
        }
        if col >= MAX_COLUMNS {
            return Err(refuse(
                path,
                format!(
                    "строка {}: заполнен столбец {} (допустимо до {}): удалите лишние ячейки",
                    u64::from(row) + 1,
                    column_letter(col as usize),
                    column_letter(MAX_COLUMNS as usize - 1)
                ),
            ));
        }
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(refuse(
                path,
                format!(
                    "строка {}, столбец {}: слишком длинный текст (больше {MAX_CELL_CHARS} символов)",
                    u64::from(row) + 1,
                    column_letter(col as usize)
                ),
            ));
        }
        let (r, c) = (row as usize, col as usize);
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        let line = &mut grid[r];
        if line.len() <= c {
            kept += c + 1 - line.len();
            line.resize(c + 1, String::new());
        }
        if kept > MAX_CELLS {
            return Err(refuse(path, "в таблице слишком много ячеек".into()));
        }
        line[c] = text;
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_dates_and_encodings() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
        assert_eq!(excel_date(45_000.0).as_deref(), Some("15.03.2023"));
        assert_eq!(excel_date(-1.0), None);
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode("Класс;Фамилия");
        assert_eq!(decode_text(&cp), "Класс;Фамилия");
        assert_eq!(decode_text("\u{feff}Имя".as_bytes()), "Имя");
        assert_eq!(delimiter("Список 7А\na,b;c;d\ne;f;g\n"), ';');
        assert_eq!(delimiter("a\tb\tc\n1\t2\t3\n"), '\t');
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), ',');
    }
}
