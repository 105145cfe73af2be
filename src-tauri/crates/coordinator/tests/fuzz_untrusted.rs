#![allow(clippy::unwrap_used)]
//! Off CI (ignored): seeded mutations of a real signed exam package
//! (`SealedPackage::open`) and a real station bundle (`verify_bundle`), as
//! many as `VPR_FUZZ_EXECS` asks; prints executions and crashes. A panic is
//! caught and counted; an abort ends the run (a crash too). Every mutation
//! of a signed file must be refused.
//!
//! `VPR_FUZZ_EXECS=100000 [VPR_FUZZ_SEED=N] cargo test --release -p vpr-coordinator --test
//! fuzz_untrusted -- --ignored --nocapture`

mod common;

use std::collections::BTreeMap;

use common::*;

/// `VPR_FUZZ_SEED` varies the mutations, so a long run can go in chunks.
fn rng_seed(base: u64) -> u64 {
    let extra: u64 = std::env::var("VPR_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (base ^ extra.wrapping_mul(0x9e37_79b9_7f4a_7c15)).max(1)
}

fn execs() -> u64 {
    std::env::var("VPR_FUZZ_EXECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Flips, truncation or an inserted run, 1–4 of them.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.next() % 4 {
        let r = rng.next();
        let at = (r >> 8) as usize % b.len().max(1);
        match r % 4 {
            0 | 1 => {
                if let Some(x) = b.get_mut(at) {
                    *x ^= ((r >> 40) as u8).max(1);
                }
            }
            2 => b.truncate(at),
            _ => {
                let byte = (r >> 48) as u8;
                b.splice(
                    at..at,
                    std::iter::repeat_n(byte, 1 + (r >> 56) as usize % 16),
                );
            }
        }
    }
    b
}

fn report(what: &str, n: u64, crashes: u64, accepted: u64, t: std::time::Instant) {
    println!(
        "{what}: {n} executions, {crashes} crashes, {accepted} mutated files accepted, {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

#[test]
#[ignore = "long: run by hand with VPR_FUZZ_EXECS"]
fn fuzz_package_open() {
    let (fixture, key) = sealed_grade7(false);
    let seed = std::fs::read(&fixture.path).unwrap();
    let mut trust = vpr_package::TrustedIssuers::new();
    trust.add(key);
    let limits = vpr_package::Limits::default();
    assert!(vpr_package::SealedPackage::open(&seed, &trust, &limits).is_ok());
    let mut rng = Rng(rng_seed(0x1234_5678_9abc_def1));
    let (mut crashes, mut accepted) = (0, 0);
    let t = std::time::Instant::now();
    let n = execs();
    for _ in 0..n {
        let bad = mutate(&seed, &mut rng);
        if bad == seed {
            continue;
        }
        match std::panic::catch_unwind(|| {
            vpr_package::SealedPackage::open(&bad, &trust, &limits).is_ok()
        }) {
            Ok(true) => accepted += 1,
            Ok(false) => {}
            Err(_) => crashes += 1,
        }
    }
    report("SealedPackage::open", n, crashes, accepted, t);
    assert_eq!((crashes, accepted), (0, 0));
}

#[test]
#[ignore = "long: run by hand with VPR_FUZZ_EXECS"]
fn fuzz_verify_bundle() {
    let works: Vec<SimWork> = (0..2)
        .map(|i| SimWork {
            code: 10_001 + i,
            variant: 1,
            answers: BTreeMap::from([("5.1".to_string(), "A51".to_string())]),
            finished: true,
            silent_monologue: false,
        })
        .collect();
    let st = simulate_station(1, "Кабинет 21", "en7-2026", &works);
    let seed = std::fs::read(&st.bundle).unwrap();
    let trust = vpr_bundle::TrustedKeys::only(&[st.key.public_key()]);
    assert!(vpr_bundle::verify_bundle(&st.bundle, &trust).is_ok());
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let path = dir.path().join("bundle.zip");
    let mut rng = Rng(rng_seed(0x0fed_cba9_8765_4321));
    let (mut crashes, mut accepted) = (0, 0);
    let t = std::time::Instant::now();
    let n = execs();
    for _ in 0..n {
        let bad = mutate(&seed, &mut rng);
        if bad == seed {
            continue;
        }
        std::fs::write(&path, &bad).unwrap();
        match std::panic::catch_unwind(|| vpr_bundle::verify_bundle(&path, &trust).is_ok()) {
            Ok(true) => accepted += 1,
            Ok(false) => {}
            Err(_) => crashes += 1,
        }
    }
    report("verify_bundle", n, crashes, accepted, t);
    assert_eq!((crashes, accepted), (0, 0));
}
