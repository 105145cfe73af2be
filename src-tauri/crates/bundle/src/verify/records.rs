//! The journal and the answers of a bundle checked against each other: the
//! chain, each session's records, every answer file's content.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use vpr_integrity::{canonical_json, ChainLink};

use crate::{
    manifest::{AnswerFile, Manifest},
    mismatch,
    wire::SessionStatus,
    BundleError, Result, JOURNAL,
};

pub(super) fn parse_journal(raw: &[u8]) -> Result<Vec<ChainLink>> {
    let text = std::str::from_utf8(raw).map_err(|_| mismatch(JOURNAL, "не UTF-8"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let link: ChainLink = serde_json::from_str(line).map_err(|e| BundleError::Record {
            entry: JOURNAL.to_string(),
            seq: i as u64 + 1,
            reason: format!("строка не разбирается: {e}"),
        })?;
        out.push(link);
    }
    Ok(out)
}

pub(super) struct JournalView {
    /// seq → (kind, at, data)
    records: Vec<(String, String, Value)>,
    latest_answer: HashMap<(i64, String, String), u64>,
    latest_row: HashMap<(&'static str, i64), u64>,
}

pub(super) fn view(journal: &[ChainLink]) -> Result<JournalView> {
    let mut v = JournalView {
        records: Vec::with_capacity(journal.len()),
        latest_answer: HashMap::new(),
        latest_row: HashMap::new(),
    };
    for link in journal {
        let bad = |reason: &str| BundleError::Record {
            entry: JOURNAL.to_string(),
            seq: link.seq,
            reason: reason.to_string(),
        };
        let body: Value = serde_json::from_str(&link.body).map_err(|_| bad("не JSON"))?;
        let at = body
            .get("at")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        match link.kind.as_str() {
            "answer" => {
                let key = (
                    data.get("session_id").and_then(Value::as_i64).unwrap_or(-1),
                    data.get("task")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    data.get("item")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                );
                v.latest_answer.insert(key, link.seq);
            }
            "session" | "recording" => {
                let table = if link.kind == "session" {
                    "session"
                } else {
                    "recording"
                };
                let id = data
                    .get("id")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("нет номера"))?;
                v.latest_row.insert((table, id), link.seq);
            }
            _ => {}
        }
        v.records.push((link.kind.clone(), at, data));
    }
    Ok(v)
}

pub(super) fn same(a: &Value, b: &Value) -> bool {
    matches!((canonical_json(a), canonical_json(b)), (Ok(x), Ok(y)) if x == y)
}

pub(super) fn check_answers(
    manifest: &Manifest,
    journal: &[ChainLink],
    raw: Vec<(String, Vec<u8>)>,
) -> Result<Vec<AnswerFile>> {
    let view = view(journal)?;
    let record = |seq: u64| -> Option<&(String, String, Value)> {
        usize::try_from(seq)
            .ok()
            .and_then(|s| s.checked_sub(1))
            .and_then(|i| view.records.get(i))
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut sessions_seen = HashSet::new();
    for (name, bytes) in raw {
        let file: AnswerFile = serde_json::from_slice(&bytes)
            .map_err(|e| mismatch(&name, format!("неверная структура: {e}")))?;
        if name != format!("answers/{}.json", file.code)
            || !manifest
                .participants
                .iter()
                .any(|p| p.code == file.code && p.answers_file == name)
        {
            return Err(mismatch(&name, "код участника не совпадает с манифестом"));
        }
        for s in &file.sessions {
            let rec_err = |seq: u64, reason: &str| BundleError::Record {
                entry: name.clone(),
                seq,
                reason: reason.to_string(),
            };
            let sseq = view
                .latest_row
                .get(&("session", s.session_id))
                .copied()
                .unwrap_or(0);
            let srow = record(sseq).map(|r| &r.2);
            let ok = srow.is_some_and(|d| {
                d.get("participant_code").and_then(Value::as_str) == Some(file.code.as_str())
                    && d.get("package_id").and_then(Value::as_str) == Some(s.package_id.as_str())
                    && d.get("variant").and_then(Value::as_str) == Some(s.variant.as_str())
                    && d.get("adapted_version").and_then(Value::as_str)
                        == s.adapted_version.as_deref()
                    && d.get("extended_time").and_then(Value::as_bool) == Some(s.extended_time)
                    && d.get("status").and_then(Value::as_str)
                        == serde_json::to_value(s.status)
                            .ok()
                            .as_ref()
                            .and_then(Value::as_str)
                    && d.get("package_sha256").and_then(Value::as_str)
                        == s.package_sha256.as_deref()
                    && d.get("issuer_fingerprint").and_then(Value::as_str)
                        == s.issuer_fingerprint.as_deref()
            });
            if !ok {
                return Err(rec_err(sseq, "сеанс не совпадает с журналом"));
            }
            sessions_seen.insert(s.session_id);
            let mut listed = HashSet::new();
            for a in &s.answers {
                let good = record(a.seq).is_some_and(|(kind, at, d)| {
                    kind == "answer"
                        && *at == a.saved_at
                        && d.get("session_id").and_then(Value::as_i64) == Some(s.session_id)
                        && d.get("task").and_then(Value::as_str) == Some(a.task.as_str())
                        && d.get("item").and_then(Value::as_str) == Some(a.item.as_str())
                        && d.get("value").is_some_and(|v| same(v, &a.value))
                });
                if !good {
                    return Err(rec_err(a.seq, "ответ не совпадает с журналом"));
                }
                let key = (s.session_id, a.task.clone(), a.item.clone());
                if view.latest_answer.get(&key) != Some(&a.seq) {
                    return Err(rec_err(
                        a.seq,
                        "в журнале есть более поздний ответ на это задание",
                    ));
                }
                listed.insert(key);
            }
            for (key, seq) in &view.latest_answer {
                if key.0 == s.session_id && !listed.contains(key) {
                    return Err(rec_err(*seq, "ответ из журнала отсутствует в файле"));
                }
            }
            for r in &s.recordings {
                let good = record(r.seq).is_some_and(|(kind, _, d)| {
                    kind == "recording"
                        && d.get("session_id").and_then(Value::as_i64) == Some(s.session_id)
                        && d.get("task").and_then(Value::as_str) == Some(r.task.as_str())
                        && d.get("sha256").and_then(Value::as_str).map(str::to_string)
                            == r.sha256.map(|h| h.to_hex())
                        && d.get("duration_ms").and_then(Value::as_u64) == Some(r.duration_ms)
                        && d.get("id").and_then(Value::as_i64).is_some_and(|id| {
                            view.latest_row.get(&("recording", id)) == Some(&r.seq)
                        })
                });
                if !good {
                    return Err(rec_err(r.seq, "запись ответа не совпадает с журналом"));
                }
                if let (Some(f), Some(sha)) = (&r.file, r.sha256) {
                    match manifest.file(f) {
                        Some(entry) if entry.sha256 == sha => {}
                        _ => {
                            return Err(mismatch(f, "файл записи не совпадает с хешем из журнала"))
                        }
                    }
                }
            }
        }
        out.push(file);
    }
    for p in &manifest.participants {
        let Some(file) = out.iter().find(|f| f.code == p.code) else {
            return Err(mismatch(
                &p.answers_file,
                "файл ответов участника отсутствует",
            ));
        };
        // The participant line states the code's latest session: its
        // package, variant and version are the ones the journal holds.
        let same_session = file.sessions.last().is_some_and(|s| {
            s.package_id == p.package_id
                && s.variant == p.variant
                && s.status == p.status
                && s.extended_time == p.extended_time
                && s.adapted_version == p.adapted_version
        });
        if !same_session {
            return Err(mismatch(
                crate::MANIFEST,
                format!(
                    "участник {}: пакет, вариант или версия работы не совпадают с его сеансом",
                    p.code
                ),
            ));
        }
    }
    // Every exam session of the journal is in some answers file.
    for (&(table, id), &seq) in &view.latest_row {
        if table == "session" && !sessions_seen.contains(&id) {
            let training = record(seq)
                .and_then(|r| r.2.get("status"))
                .and_then(Value::as_str)
                == Some(SessionStatus::Training.as_str());
            if !training {
                return Err(BundleError::Record {
                    entry: JOURNAL.to_string(),
                    seq,
                    reason: "сеанс из журнала отсутствует в файлах ответов".into(),
                });
            }
        }
    }
    Ok(out)
}
