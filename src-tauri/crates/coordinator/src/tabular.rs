//! Spreadsheet and CSV output that never turns a value into a formula.
//!
//! Every text cell is written with `write_string`, and a value that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
//! so no spreadsheet program evaluates it, in XLSX and CSV alike.

use std::{io::Write, path::Path};

use rust_xlsxwriter::{Format, Workbook};

use crate::Result;

/// One cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    pub fn int(n: impl Into<i64>) -> Self {
        Self::Number(n.into() as f64)
    }

    /// How the cell reads in CSV (and in tests comparing cells).
    pub fn as_plain(&self) -> String {
        match self {
            Self::Text(s) => protect(s),
            Self::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Self::Number(n) => format!("{n}"),
            Self::Empty => String::new(),
        }
    }
}

/// A sheet: a title row (optional), a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub title: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The quote prefix for values a spreadsheet would read as a formula.
pub fn protect(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Write tables as the sheets of one XLSX workbook.
pub fn write_xlsx(path: &Path, tables: &[Table]) -> Result<()> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(&t.sheet)?;
        let mut r: u32 = 0;
        if let Some(title) = &t.title {
            ws.write_string_with_format(r, 0, protect(title), &bold)?;
            r += 1;
        }
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, protect(h), &bold)?;
        }
        r += 1;
        for row in &t.rows {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c as u16, protect(s))?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c as u16, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
            r += 1;
        }
    }
    wb.save(path)?;
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Write a table as UTF-8 CSV (with BOM, `;`-separated, as Russian Excel reads it).
pub fn write_csv(path: &Path, t: &Table) -> Result<()> {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(";")
    };
    out.push_str(&line(t.header.iter().map(|h| protect(h)).collect()));
    out.push_str("\r\n");
    for row in &t.rows {
        out.push_str(&line(row.iter().map(Cell::as_plain).collect()));
        out.push_str("\r\n");
    }
    let mut f = std::fs::File::create(path)?;
    f.write_all(out.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_values_are_prefixed() {
        for s in ["=1+1", "+7", "-", "@x", "\tA", "\rB"] {
            assert!(protect(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(protect("Иванов"), "Иванов");
        assert_eq!(protect(""), "");
        assert_eq!(Cell::int(7).as_plain(), "7");
        assert_eq!(Cell::text("=A1").as_plain(), "'=A1");
    }
}
