#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vpr_coordinator::{tabular, Coordinator};

pub const PASSWORD: &str = "пароль-координатора";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/rosters")
}

pub fn new_db(dir: &Path) -> Coordinator {
    Coordinator::create_with_iterations(&dir.join("coordinator.sqlite"), PASSWORD, 1_000).unwrap()
}

/// The names of `roster.csv` for scanning exports: every surname and every
/// «surname first-name» pair. (First names alone are common words:
/// «Максим» is inside «Максимум».)
pub fn roster_name_parts() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut out = Vec::new();
    for row in grid.iter().skip(1) {
        out.push(row[1].clone());
        out.push(format!("{} {}", row[1], row[2]));
    }
    out
}

/// Every file under `dir` (recursively, zip entries unpacked) contains none of `names`.
pub fn assert_no_names(path: &Path, names: &[String]) {
    let mut files = Vec::new();
    collect(path, &mut files);
    assert!(!files.is_empty(), "nothing to scan at {}", path.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let mut blobs = vec![bytes.clone()];
        if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            for i in 0..z.len() {
                let mut e = z.by_index(i).unwrap();
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut e, &mut b).unwrap();
                blobs.push(b);
            }
        }
        for blob in blobs {
            for name in names {
                let needle = name.as_bytes();
                assert!(
                    !blob.windows(needle.len()).any(|w| w == needle),
                    "{} contains the roster name part {name:?}",
                    f.display()
                );
                // XLSX shared strings escape quotes and ampersands.
                let escaped = name.replace('&', "&amp;").replace('"', "&quot;");
                assert!(!blob.windows(escaped.len()).any(|w| w == escaped.as_bytes()));
            }
        }
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            collect(&e.unwrap().path(), out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// The CSV roster written as an XLSX workbook (raw strings, as a school's
/// spreadsheet would hold them).
pub fn roster_as_xlsx(out: &Path) {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in grid.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if r > 0 && c == 6 && !v.is_empty() {
                ws.write_number(r as u32, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(out).unwrap();
    let _ = tabular::protect("");
}

pub fn grade7_spec() -> vpr_coordinator::WorkSpec {
    serde_json::from_str(include_str!("../data/grade7.json")).unwrap()
}

pub fn grade7_work() -> vpr_coordinator::NewWork {
    vpr_coordinator::NewWork {
        subject: "Английский язык".into(),
        grade: 7,
        date: "2026-04-14".into(),
        reserve_dates: vec!["2026-04-21".into()],
        upload_deadline: "2026-04-18".into(),
        spec: grade7_spec(),
    }
}

/// The keys of the sample work: item `t.i` accepts the answer `A{t}{i}` (and
/// for 5.x also the spelled-out word).
pub fn grade7_keys() -> vpr_coordinator::Keys {
    let mut k = vpr_coordinator::Keys::default();
    for t in [1, 4, 5, 6] {
        for i in 1..=5 {
            let mut accepted = vec![format!("A{t}{i}")];
            if t == 5 {
                accepted.push(format!("word {i}"));
            }
            k.items.insert(format!("{t}.{i}"), accepted);
        }
    }
    k
}

/// A small deterministic generator (xorshift) so the tests need no crates.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
