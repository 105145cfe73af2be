//! `Coordinator::import_bundle`: every check before anything is written.
//!
//! Order: the signature against the enrolled keys only (never the key in the
//! bundle); the station number and room the bundle names against that key's
//! enrolment; the school; per session, the work's signed package (SHA-256)
//! and the work's date or a reserve date. A refusal names the reason in
//! Russian and removes the scratch folder, so the coordinator's folder is
//! as before. Then unknown codes and conflicts are held, the rest recorded
//! with the receipt recomputed from the bundle's journal, in one transaction.

use std::{collections::BTreeMap, path::Path};

use rusqlite::{params, OptionalExtension};
use time::{Date, OffsetDateTime};
use vpr_bundle::{
    verify_bundle_with, BundleSession, RecordingStatus, SessionStatus, TrustedKeys, VerifiedBundle,
    VerifyOptions,
};
use vpr_integrity::PublicKey;

use super::{answer_text, task_number, ImportReport};
use crate::{
    custody::held::{HeldKind, ToHold},
    model::{now_string, parse_date, Station, Work},
    scoring::{recording_part, Recorded, RecordingRef, Submission},
    Coordinator, CoordinatorError, Result,
};

/// Local dates a session start may fall on: Russia spans UTC+2 to UTC+12.
fn local_dates(started_at: &str) -> Option<Vec<Date>> {
    let t =
        OffsetDateTime::parse(started_at, &time::format_description::well_known::Rfc3339).ok()?;
    let mut out: Vec<Date> = (2..=12)
        .map(|h| (t + time::Duration::hours(h)).date())
        .collect();
    out.dedup();
    Some(out)
}

/// One session accepted by the checks, with its work.
struct Planned<'a> {
    work_id: i64,
    code: u32,
    session: &'a BundleSession,
}

fn reject(reason: impl Into<String>) -> CoordinatorError {
    CoordinatorError::BundleRejected(reason.into())
}

impl Coordinator {
    pub(crate) fn enrolled_keys(&self, stations: &[Station]) -> Result<TrustedKeys> {
        let mut keys = Vec::new();
        for s in stations {
            keys.push(
                PublicKey::from_hex(&s.public_key).map_err(|_| {
                    CoordinatorError::Corrupt("ключ станции в базе повреждён".into())
                })?,
            );
        }
        Ok(TrustedKeys::only(&keys))
    }

    fn codes_of_bundle(&self, sha: &str) -> Result<Vec<u32>> {
        let mut st = self
            .conn
            .prepare("SELECT code FROM bundle_codes WHERE bundle_sha256 = ?1 ORDER BY code")?;
        let codes = st
            .query_map([sha], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// Verify and import one station bundle. Refused with the reason, and
    /// nothing left on disk or in the database, when: the signer is not an
    /// enrolled station key; the bundle names another station number or
    /// room than that key was enrolled for; it is another school's; a
    /// session ran another package than the work's signed one (or does not
    /// say which); a session started outside the work's date and reserve
    /// dates; or any byte was changed. The same bundle again changes
    /// nothing. Codes not on the roster and second, different works of a
    /// participant are held for the coordinator, never put on the form.
    pub fn import_bundle(&self, path: &Path) -> Result<ImportReport> {
        let (sha, _) = vpr_integrity::sha256_file(path).map_err(|e| reject(e.to_string()))?;
        let sha = sha.to_hex();
        let known: Option<String> = self
            .conn
            .query_row(
                "SELECT station_fingerprint FROM bundles WHERE sha256 = ?1",
                [&sha],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(station) = known {
            let unchanged = self.codes_of_bundle(&sha)?;
            return Ok(ImportReport {
                sha256: sha,
                station,
                room: String::new(),
                already_imported: true,
                added: Vec::new(),
                unchanged,
                unknown_codes: Vec::new(),
                conflicts: Vec::new(),
                skipped: Vec::new(),
                warnings: Vec::new(),
            });
        }
        let scratch = self.layout.import_scratch(&sha);
        if scratch.exists() {
            std::fs::remove_dir_all(&scratch)?;
        }
        std::fs::create_dir_all(&scratch)?;
        let checked = self.check_bundle(path, &scratch);
        let (verified, station) = match checked {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&scratch);
                tracing::warn!(bundle = %sha, code = vpr_error::Coded::code(&e), "bundle refused");
                return Err(e);
            }
        };
        let (rel_dir, final_dir) = self.layout.bundle_dir(&sha);
        let placed = (|| {
            if let Some(parent) = final_dir.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if final_dir.exists() {
                std::fs::remove_dir_all(&final_dir)?;
            }
            std::fs::rename(&scratch, &final_dir)?;
            // Keep the bundle itself: the results archive carries it byte for byte.
            std::fs::copy(path, final_dir.join("bundle.zip"))?;
            // Recordings and the bundle are owner-only like the database.
            crate::owner_only::secure_bundle_dir(&final_dir)?;
            Ok::<_, CoordinatorError>(())
        })();
        if let Err(e) = placed {
            let _ = std::fs::remove_dir_all(&scratch);
            let _ = std::fs::remove_dir_all(&final_dir);
            return Err(e);
        }
        match self.record_bundle(&verified, &station, &sha, &rel_dir) {
            Ok(report) => Ok(report),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&final_dir);
                Err(e)
            }
        }
    }

    /// Signature, station, school, packages and dates; nothing is written
    /// but the scratch folder.
    fn check_bundle(&self, path: &Path, scratch: &Path) -> Result<(VerifiedBundle, Station)> {
        let stations = self.stations()?;
        // Built field by field so new verifier options keep their defaults.
        #[allow(clippy::field_reassign_with_default)]
        let options = {
            let mut o = VerifyOptions::default();
            o.extract_to = Some(scratch.to_path_buf());
            o
        };
        let verified = verify_bundle_with(path, &self.enrolled_keys(&stations)?, &options)
            .map_err(|e| reject(e.to_string()))?;
        let m = &verified.manifest;
        let station = stations
            .into_iter()
            .find(|s| s.public_key == m.public_key.to_hex())
            .ok_or_else(|| reject("ключ станции не зарегистрирован у координатора"))?;
        if m.station.number != station.number || m.station.room.trim() != station.station_room {
            return Err(reject(format!(
                "пакет подписан ключом станции № {} (аудитория «{}»), а в пакете указана станция № {} (аудитория «{}»)",
                station.number,
                station.station_room,
                m.station.number,
                m.station.room.trim()
            )));
        }
        let school = self.school_id().map_err(|e| reject(e.to_string()))?;
        if m.school_id.trim() != school {
            return Err(reject(format!(
                "пакет другой школы: в нём ОО «{}», а у координатора «{school}»",
                m.school_id.trim()
            )));
        }
        let works = self.works()?;
        for file in &verified.answers {
            for s in file
                .sessions
                .iter()
                .filter(|s| s.status != SessionStatus::Training)
            {
                if let Some(work) = work_of(&works, s) {
                    check_session(work, &file.code, s)?;
                }
            }
        }
        Ok((verified, station))
    }

    fn record_bundle(
        &self,
        verified: &VerifiedBundle,
        station: &Station,
        sha: &str,
        rel_dir: &str,
    ) -> Result<ImportReport> {
        let m = &verified.manifest;
        let fingerprint = m.key_fingerprint.to_string();
        let label = self.station_label(&fingerprint)?;
        let receipts = vpr_bundle::session_receipts(&verified.journal);
        let works = self.works()?;
        let roster: std::collections::HashSet<u32> = {
            let mut st = self.conn.prepare("SELECT code FROM participants")?;
            let c = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            c
        };
        let mut report = ImportReport {
            sha256: sha.to_string(),
            station: format!("станция {} ({fingerprint})", station.number),
            room: station.station_room.clone(),
            already_imported: false,
            added: Vec::new(),
            unchanged: Vec::new(),
            unknown_codes: Vec::new(),
            conflicts: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        let mut planned = Vec::new();
        for file in &verified.answers {
            let Some(code) = file
                .code
                .parse::<u32>()
                .ok()
                .filter(|c| (10_000..=99_999).contains(c))
            else {
                report
                    .skipped
                    .push(format!("код «{}» не из пяти цифр", file.code));
                continue;
            };
            // Per work, the latest non-training session of this code.
            let mut latest: BTreeMap<i64, &BundleSession> = BTreeMap::new();
            for s in file
                .sessions
                .iter()
                .filter(|s| s.status != SessionStatus::Training)
            {
                let Some(work) = work_of(&works, s) else {
                    report.skipped.push(format!(
                        "код {code}: пакет заданий «{}» не относится ни к одной работе",
                        s.package_id
                    ));
                    continue;
                };
                if latest
                    .get(&work.id)
                    .is_none_or(|prev| prev.started_at < s.started_at)
                {
                    latest.insert(work.id, s);
                }
            }
            planned.extend(latest.into_iter().map(|(work_id, session)| Planned {
                work_id,
                code,
                session,
            }));
        }
        let mut seated: BTreeMap<i64, BTreeMap<u32, u32>> = BTreeMap::new();
        for p in &planned {
            if let std::collections::btree_map::Entry::Vacant(e) = seated.entry(p.work_id) {
                e.insert(self.seat_variants(p.work_id)?);
            }
        }
        let tx = self.conn.unchecked_transaction()?;
        for p in planned {
            let s = p.session;
            let Ok(variant) = s.variant.trim().parse::<u32>() else {
                report
                    .skipped
                    .push(format!("код {}: вариант «{}» не число", p.code, s.variant));
                continue;
            };
            let adaptation = s
                .adapted_version
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned);
            if let (Some(a), Some(work)) = (&adaptation, works.iter().find(|w| w.id == p.work_id)) {
                // A version the work's package does not describe would be
                // scored as the standard one: the coordinator must look.
                if !work.spec.versions.is_empty() && work.spec.version(Some(a)).is_none() {
                    report.skipped.push(format!(
                        "код {}: версия работы «{a}» не из пакета заданий работы",
                        p.code
                    ));
                    continue;
                }
            }
            if let Some(given) = seated.get(&p.work_id).and_then(|m| m.get(&p.code)) {
                if *given != variant {
                    report.warnings.push(format!(
                        "код {}: по рассадке вариант {given}, а выполнен вариант {variant} — оценивается выполненный",
                        p.code
                    ));
                }
            }
            let sub = Submission {
                adaptation,
                work_id: p.work_id,
                code: p.code,
                variant,
                station_fingerprint: fingerprint.clone(),
                bundle_sha256: sha.to_string(),
                interrupted: s.status != SessionStatus::Finished,
                answers: s
                    .answers
                    .iter()
                    .map(|a| (a.item.clone(), answer_text(&a.value)))
                    .collect(),
            };
            let recordings = recordings_of(s, p.code, rel_dir)?;
            let hold = ToHold {
                submission: &sub,
                recordings: &recordings,
                started_at: &s.started_at,
                station: &label,
                receipt: receipts.get(&s.session_id).map(String::as_str),
            };
            if !roster.contains(&p.code) {
                self.hold_session(HeldKind::UnknownCode, &hold)?;
                if !report.unknown_codes.contains(&p.code) {
                    report.unknown_codes.push(p.code);
                }
            } else {
                match self.record_or_hold(&hold)? {
                    Recorded::Added => report.added.push(p.code),
                    Recorded::Unchanged => report.unchanged.push(p.code),
                    Recorded::Conflict(_) => report.conflicts.push(p.code),
                }
            }
            tx.execute(
                "INSERT OR IGNORE INTO bundle_codes (bundle_sha256, work_id, code) VALUES (?1, ?2, ?3)",
                params![sha, p.work_id, p.code],
            )?;
        }
        tx.execute(
            "INSERT INTO bundles (sha256, station_fingerprint, imported_at, stored_path) VALUES (?1, ?2, ?3, ?4)",
            params![sha, fingerprint, now_string(), rel_dir],
        )?;
        tx.commit()?;
        tracing::info!(
            bundle = %sha,
            added = report.added.len(),
            held = report.unknown_codes.len() + report.conflicts.len(),
            "bundle imported"
        );
        Ok(report)
    }
}

/// The work a session belongs to: by the package id of the work's signed package.
fn work_of<'w>(works: &'w [Work], s: &BundleSession) -> Option<&'w Work> {
    works
        .iter()
        .find(|w| !w.package_id.is_empty() && w.package_id == s.package_id)
}

/// A session must have run the work's signed package, on its date or a reserve date.
fn check_session(work: &Work, code: &str, s: &BundleSession) -> Result<()> {
    if work.package_sha256.is_empty() {
        return Err(reject(format!(
            "код {code}: работа «{}» добавлена без подписанного пакета — добавьте её из файла .vprpkg, по которому работали станции",
            work.subject
        )));
    }
    match s.package_sha256.as_deref() {
        None => {
            return Err(reject(format!(
                "код {code}: в пакете станции не указано, по какому файлу пакета заданий шла работа (SHA-256); такой пакет не принимается"
            )))
        }
        Some(h) if !h.eq_ignore_ascii_case(&work.package_sha256) => {
            return Err(reject(format!(
                "код {code}: работа шла по другому пакету заданий (SHA-256 {}…), а не по пакету работы ({}…)",
                h.get(..16).unwrap_or(h),
                work.package_sha256.get(..16).unwrap_or(&work.package_sha256)
            )))
        }
        Some(_) => {}
    }
    if let Some(fp) = s.issuer_fingerprint.as_deref() {
        if !fp.eq_ignore_ascii_case(&work.issuer_fingerprint) {
            return Err(reject(format!(
                "код {code}: пакет заданий подписан другим издателем ({}…), а не издателем работы ({}…)",
                fp.get(..16).unwrap_or(fp),
                work.issuer_fingerprint.get(..16).unwrap_or(&work.issuer_fingerprint)
            )));
        }
    }
    let mut allowed = vec![parse_date(&work.date)?];
    for d in &work.reserve_dates {
        allowed.push(parse_date(d)?);
    }
    let on_day =
        local_dates(&s.started_at).is_some_and(|dates| dates.iter().any(|d| allowed.contains(d)));
    if !on_day {
        let reserve = if work.reserve_dates.is_empty() {
            "резервных дней нет".to_string()
        } else {
            format!("резервные дни {}", work.reserve_dates.join(", "))
        };
        return Err(reject(format!(
            "код {code}: работа начата {}, а работа «{}» проводится {} ({reserve})",
            s.started_at, work.subject, work.date
        )));
    }
    Ok(())
}

/// The session's finished recordings, each with its part and segment (from
/// the store's `item`); an item that is neither refuses the bundle.
fn recordings_of(s: &BundleSession, code: u32, rel_dir: &str) -> Result<Vec<RecordingRef>> {
    let mut out = Vec::new();
    for r in &s.recordings {
        let (Some(task), Some(entry), Some(hash)) = (task_number(&r.task), &r.file, &r.sha256)
        else {
            continue;
        };
        if matches!(r.status, RecordingStatus::Recording) {
            continue;
        }
        let (part, segment) = recording_part(r.item.as_deref()).ok_or_else(|| {
            reject(format!(
                "код {code}, задание {task}: запись с непонятной пометкой части ответа «{}» (ждём «q<вопрос>.<часть>» или номер части)",
                r.item.as_deref().unwrap_or_default().chars().take(40).collect::<String>()
            ))
        })?;
        out.push(RecordingRef {
            task,
            part,
            segment,
            path: format!("{rel_dir}/{entry}"),
            sha256: hash.to_hex(),
            duration_ms: r.duration_ms,
            silent: r.level_flags.silent,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_start_falls_on_the_local_dates_of_russia() {
        let d = local_dates("2026-04-14T22:30:00Z").unwrap();
        assert!(d.contains(&parse_date("2026-04-15").unwrap()));
        assert!(!d.contains(&parse_date("2026-04-14").unwrap()));
        let d = local_dates("2026-04-14T05:00:00Z").unwrap();
        assert_eq!(d, vec![parse_date("2026-04-14").unwrap()]);
        assert!(local_dates("вчера").is_none());
    }
}
