#![allow(clippy::unwrap_used)]
//! Bounded property tests (run in CI) for reading untrusted rosters: any
//! mutation of a real CSV or XLSX roster, and any XLSX with cells at any
//! position up to XFD1048576, gives rows or a Russian error naming the
//! file, never a panic or an abort. `fuzz_roster_reading` (ignored) runs
//! the same mutations for as many executions as asked.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use vpr_coordinator::{roster::read_roster_bytes, CoordinatorError};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/rosters")
}

fn roster_csv() -> Vec<u8> {
    std::fs::read(fixtures().join("roster.csv")).unwrap()
}

fn roster_xlsx() -> Vec<u8> {
    std::fs::read(fixtures().join("roster.xlsx")).unwrap()
}

/// One mutation of `seed` chosen by `ops`: flips, inserted bytes, deletions,
/// a truncation, or a duplicated run.
fn mutate(seed: &[u8], ops: &[(u8, usize, u8)]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(kind, at, byte) in ops {
        if b.is_empty() {
            b.push(byte);
            continue;
        }
        let at = at % b.len();
        match kind % 5 {
            0 => b[at] ^= byte.max(1),
            1 => b.insert(at, byte),
            2 => {
                b.remove(at);
            }
            3 => b.truncate(at),
            _ => {
                let end = (at + usize::from(byte)).min(b.len());
                let run = b[at..end].to_vec();
                b.splice(at..at, run);
            }
        }
    }
    b
}

/// The outcome is rows or an error naming the file; errors never panic.
fn check(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    match read_roster_bytes(name, bytes) {
        Ok(rows) => prop_assert!(!rows.is_empty()),
        Err(CoordinatorError::Spreadsheet(m)) => prop_assert!(m.contains(name), "{m}"),
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

fn sparse_xlsx(cells: &[(u32, u16, String)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Класс").unwrap();
    ws.write_string(0, 1, "Фамилия").unwrap();
    ws.write_string(0, 2, "Имя").unwrap();
    for (r, c, text) in cells {
        ws.write_string(*r, *c, text).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_csv_rosters_never_panic(ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..12)) {
        let bytes = mutate(&roster_csv(), &ops);
        check("список.csv", &bytes)?;
    }

}

proptest! {
    // Workbooks are slower to build and read: fewer cases, the same reach.
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_xlsx_rosters_never_panic(ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6)) {
        let bytes = mutate(&roster_xlsx(), &ops);
        check("список.xlsx", &bytes)?;
    }

    #[test]
    fn xlsx_cells_anywhere_never_allocate_the_bounding_box(
        cells in prop::collection::vec((0u32..1_048_576, 0u16..16_384, "[А-Яа-я0-9 ]{0,12}"), 0..6)
    ) {
        let bytes = sparse_xlsx(&cells);
        check("список.xlsx", &bytes)?;
    }
}

/// `VPR_FUZZ_EXECS=10000000 cargo test --release -p vpr-coordinator --test
/// roster_props -- --ignored --nocapture`: seeded mutations of both seeds
/// (CSV and XLSX); prints executions and crashes (a panic is caught and
/// counted; an abort ends the run, which is a crash too).
#[test]
#[ignore = "long: run by hand with VPR_FUZZ_EXECS"]
fn fuzz_roster_reading() {
    let execs: u64 = std::env::var("VPR_FUZZ_EXECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let seeds = [("список.csv", roster_csv()), ("список.xlsx", roster_xlsx())];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut crashes, mut ok, mut refused) = (0u64, 0u64, 0u64);
    let started = std::time::Instant::now();
    for i in 0..execs {
        let (name, seed) = &seeds[(i % 2) as usize];
        let n = 1 + (next() % 8) as usize;
        let ops: Vec<(u8, usize, u8)> = (0..n)
            .map(|_| {
                let r = next();
                (r as u8, (r >> 8) as usize, (r >> 40) as u8)
            })
            .collect();
        let bytes = mutate(seed, &ops);
        match std::panic::catch_unwind(|| read_roster_bytes(name, &bytes)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => crashes += 1,
        }
    }
    println!(
        "roster fuzz: {execs} executions, {crashes} crashes ({ok} read, {refused} refused) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(crashes, 0);
}
