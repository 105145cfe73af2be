//! `vpr bundle verify FILE`: check a station results bundle.

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;
use vpr_bundle::{verify_bundle_with, BundleError, Coded, TrustedKeys, VerifyOptions};
use vpr_integrity::{Fingerprint, PublicKey};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Проверить пакет результатов станции: подпись, манифест, каждый файл и журнал
    #[command(long_about = "Проверить пакет результатов станции.\n\n\
        Проверяются подпись Ed25519 над манифестом, каждый файл (SHA-256 и размер), \
        корень дерева Меркла, цепочка хешей журнала и совпадение ответов с журналом; \
        отклоняются имена вне папки пакета, символические ссылки, повторяющиеся имена, \
        слишком большие или сжатые записи и неизвестные версии формата.\n\n\
        Доверие: подпись должна принадлежать станции, чей ключ зарегистрирован у координатора. \
        Укажите его через --trust: файл station-key.pub или отпечаток ключа из 64 \
        шестнадцатеричных знаков (разделители «-», «:» и пробелы допускаются); параметр можно \
        повторять. Без --trust команда сообщает отпечаток подписавшего ключа, говорит, что ему \
        нет доверия, и завершается с кодом 1; --trust-any принимает любой ключ при верной подписи.\n\n\
        Коды выхода: 0 — пакет цел, выводится сводка; 1 — несовпадение (называется первый \
        несовпавший файл или запись), отказ или ключ без доверия; 2 — файл не читается.")]
    Verify {
        /// Файл пакета (.zip)
        file: PathBuf,
        /// Доверенный ключ: файл station-key.pub или отпечаток ключа (можно повторять)
        #[arg(long, value_name = "KEYFILE|FINGERPRINT")]
        trust: Vec<String>,
        /// Принять подпись любым ключом (целостность проверяется, доверие — нет)
        #[arg(long, conflicts_with = "trust")]
        trust_any: bool,
        /// Извлечь записи ответов в эту папку (файлы появляются, только если пакет цел)
        #[arg(long, value_name = "DIR")]
        extract: Option<PathBuf>,
        /// Вывести сводку в JSON (stdout)
        #[arg(long)]
        json: bool,
    },
}

/// A `--trust` value that is neither a fingerprint nor a key file.
#[derive(Debug, thiserror::Error)]
#[error("--trust {value}: не отпечаток ключа и не файл открытого ключа ({reason})")]
struct BadTrust {
    value: String,
    reason: String,
}

fn parse_trust(values: &[String]) -> Result<TrustedKeys, BadTrust> {
    let mut trust = TrustedKeys::none();
    for v in values {
        if let Ok(fp) = v.parse::<Fingerprint>() {
            trust.add_fingerprint(fp);
            continue;
        }
        match PublicKey::read_file(std::path::Path::new(v)) {
            Ok(key) => trust.add_key(&key),
            Err(e) => {
                return Err(BadTrust {
                    value: v.clone(),
                    reason: e.to_string(),
                })
            }
        }
    }
    Ok(trust)
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Verify {
            file,
            trust,
            trust_any,
            extract,
            json,
        } => ExitCode::from(verify(&file, &trust, trust_any, extract, json)),
    }
}

/// `vpr bundle verify`; returns the exit code (0 intact, 1 mismatch or
/// untrusted, 2 unreadable input or unusable `--trust`).
fn verify(
    file: &std::path::Path,
    trust: &[String],
    trust_any: bool,
    extract: Option<PathBuf>,
    json: bool,
) -> u8 {
    if crate::results_archive::is_results_archive(file) {
        return crate::results_archive::verify(file, trust, trust_any, json);
    }
    let trusted = if trust_any {
        TrustedKeys::any()
    } else {
        match parse_trust(trust) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        }
    };
    let options = VerifyOptions {
        extract_to: extract,
        ..VerifyOptions::default()
    };
    match verify_bundle_with(file, &trusted, &options) {
        Ok(v) => {
            summary(file, &v, json);
            0
        }
        Err(e) => {
            report(&e, json);
            e.exit_code()
        }
    }
}

fn summary(file: &std::path::Path, v: &vpr_bundle::VerifiedBundle, json: bool) {
    let m = &v.manifest;
    let codes: Vec<&str> = m.participants.iter().map(|p| p.code.as_str()).collect();
    if json {
        let summary = serde_json::json!({
            "ok": true,
            "school_id": m.school_id,
            "station": m.station,
            "package_ids": m.package_ids,
            "participants": codes,
            "files": m.files.len(),
            "recordings": v.recordings.len(),
            "bytes": v.bytes,
            "chain_length": m.chain.length,
            "chain_head": m.chain.head,
            "merkle_root": m.merkle_root,
            "signer": v.signer.to_hex(),
            "created_at": m.created_at,
        });
        println!("{summary}");
        return;
    }
    println!("Пакет цел: {}", file.display());
    println!(
        "  ОО {}, станция № {} (аудитория {}), создан {}",
        m.school_id, m.station.number, m.station.room, m.created_at
    );
    println!("  пакеты заданий: {}", m.package_ids.join(", "));
    println!("  участников: {} ({})", codes.len(), codes.join(", "));
    println!(
        "  файлов: {}, записей ответов: {}, проверено байт: {}",
        m.files.len(),
        v.recordings.len(),
        v.bytes
    );
    println!(
        "  журнал: {} записей, конец цепочки {}",
        m.chain.length, m.chain.head
    );
    println!("  корень дерева Меркла: {}", m.merkle_root);
    println!("  подписано ключом {}", v.signer);
}

fn report(e: &BundleError, json: bool) {
    if json {
        let v = serde_json::json!({
            "ok": false,
            "code": e.code(),
            "entry": e.entry(),
            "message": e.to_string(),
        });
        println!("{v}");
    }
    eprintln!("{e}");
    if let BundleError::Untrusted { fingerprint } = e {
        eprintln!(
            "Отпечаток ключа подписавшей станции: {fingerprint}\n\
             Если он совпадает с записанным при настройке станции, повторите с --trust {}",
            fingerprint.to_hex()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{simulate_station, station_key, SimulateOptions};

    #[test]
    fn exit_codes_and_trust_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("st.zip");
        let mut opts = SimulateOptions::new(2, &out);
        opts.seed = 3;
        simulate_station(&opts).unwrap();
        let key = station_key(3).unwrap().public_key();
        let fp = key.fingerprint();
        let keyfile = dir.path().join("station-key.pub");
        std::fs::write(&keyfile, key.to_hex()).unwrap();

        assert_eq!(
            verify(&out, &[], false, None, false),
            1,
            "no --trust: untrusted"
        );
        assert_eq!(verify(&out, &[], true, None, false), 0);
        assert_eq!(verify(&out, &[fp.to_string()], false, None, true), 0);
        assert_eq!(
            verify(&out, &[keyfile.display().to_string()], false, None, false),
            0
        );
        let other = station_key(4).unwrap().public_key().fingerprint().to_hex();
        assert_eq!(verify(&out, &[other], false, None, false), 1);
        assert_eq!(verify(&out, &["nonsense".into()], false, None, false), 2);

        let mut bytes = std::fs::read(&out).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x40;
        let bad = dir.path().join("bad.zip");
        std::fs::write(&bad, &bytes).unwrap();
        assert_eq!(verify(&bad, &[], true, None, false), 1);
        std::fs::write(&bad, &bytes[..mid]).unwrap();
        assert_eq!(
            verify(&bad, &[], true, None, false),
            2,
            "truncated: unreadable"
        );
        assert_eq!(
            verify(&dir.path().join("missing.zip"), &[], true, None, false),
            2
        );

        let target = dir.path().join("import");
        assert_eq!(verify(&out, &[], true, Some(target.clone()), false), 0);
        assert_eq!(
            std::fs::read_dir(target.join("recordings"))
                .unwrap()
                .count(),
            2
        );
    }
}
