//! `vpr bundle verify` on the coordinator's signed results archive (the
//! «export all results» file): recognised by its manifest format and checked
//! by the coordinator core, with the same exit codes as station bundles.

use std::{io::Read, path::Path};

use vpr_coordinator::{archive, CoordinatorError};

/// Is `file` a results archive (rather than a station bundle)?
pub fn is_results_archive(file: &Path) -> bool {
    let Ok(f) = std::fs::File::open(file) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(f) else {
        return false;
    };
    let Ok(entry) = zip.by_name("manifest.json") else {
        return false;
    };
    let mut bytes = Vec::new();
    if entry
        .take(64 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return false;
    }
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|m| {
            m.get("format")
                .and_then(|f| f.as_str())
                .map(|f| f == archive::ARCHIVE_FORMAT)
        })
        .unwrap_or(false)
}

/// Verify it; `trust` holds hex public keys or files containing one.
pub fn verify(file: &Path, trust: &[String], trust_any: bool, json: bool) -> u8 {
    let mut keys = Vec::new();
    for t in trust {
        let text = std::fs::read_to_string(t).unwrap_or_else(|_| t.clone());
        keys.push(text.trim().to_owned());
    }
    if keys.is_empty() && !trust_any {
        // Check integrity first, then say who signed it and that it is not trusted.
        return match archive::verify_results_archive(file, None) {
            Ok(check) => {
                eprintln!(
                    "Архив результатов цел, но подписан ключом {}, которому не указано доверие (--trust КЛЮЧ или --trust-any)",
                    check.manifest.key_fingerprint
                );
                1
            }
            Err(e) => fail(&e, json),
        };
    }
    let candidates: Vec<Option<&str>> = if keys.is_empty() {
        vec![None]
    } else {
        keys.iter().map(|k| Some(k.as_str())).collect()
    };
    let mut last = None;
    for key in candidates {
        match archive::verify_results_archive(file, key) {
            Ok(check) => {
                let m = &check.manifest;
                if json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "ok": true,
                            "kind": "results_archive",
                            "school_login": m.school_login,
                            "package_id": m.package_id,
                            "participants": m.participants,
                            "files": m.files.len(),
                            "station_bundles": check.station_bundles,
                            "signer": m.key_fingerprint,
                            "created_at": m.created_at,
                        })
                    );
                } else {
                    println!("Архив результатов цел: {}", file.display());
                    println!(
                        "  ОО {}, {} {} класс, работа {}, участников {}, файлов {}, пакетов станций {}",
                        m.school_login, m.subject, m.grade, m.date, m.participants, m.files.len(), check.station_bundles
                    );
                    println!("  подпись координатора: {}", m.key_fingerprint);
                }
                return 0;
            }
            Err(e) => last = Some(e),
        }
    }
    last.map_or(1, |e| fail(&e, json))
}

fn fail(e: &CoordinatorError, json: bool) -> u8 {
    let code = match e {
        CoordinatorError::Io(_) => 2,
        _ => 1,
    };
    if json {
        println!(
            "{}",
            serde_json::json!({"ok": false, "kind": "results_archive", "error": e.to_string()})
        );
    } else {
        eprintln!("Архив результатов не прошёл проверку: {e}");
    }
    code
}
