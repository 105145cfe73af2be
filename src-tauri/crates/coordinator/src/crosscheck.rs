//! Cross-checking between schools: an anonymous scoring package (no codes,
//! no names: random tokens, criteria and recordings) goes out; the other
//! school's experts score it; their scores come back and are joined by token.
//!
//! The scores file is signed with the scoring school's archive key
//! ([`Coordinator::write_cross_scores`]) and imported only against the key the
//! coordinator was given for that school ([`Coordinator::import_cross_scores`]):
//! all of it in one transaction, each token once; a second, different result
//! for a token is refused. Notes going out are scanned for names first.

use std::{
    io::{Read, Write},
    path::Path,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vpr_integrity::PublicKey;

use crate::{
    crypto::random_bytes,
    names_scan::{names_refused, NameHit},
    scoring::{wav_bytes_peaks, CriterionScore, MediaBytes, MAX_RECORDING_BYTES},
    Coordinator, CoordinatorError, Criterion, Result,
};

const PACKAGE_FORMAT: &str = "vpr-scoring-package";
const RESULTS_FORMAT: &str = "vpr-scoring-results";
const SIGNED_FORMAT: &str = "vpr-scoring-results-signed";
/// Largest scores file read.
const MAX_RESULTS_FILE: u64 = 16 * 1024 * 1024;
const PACKAGE_JSON: &str = "package.json";

/// One anonymous piece to score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossItem {
    pub token: String,
    pub task: u32,
    pub title: String,
    pub criteria: Vec<Criterion>,
    /// Entry name of the (first) recording inside the package.
    pub recording: Option<String>,
    /// Every recorded piece in order (an interview's questions, an answer
    /// continued after a pause); absent in packages made before: `recording` only.
    #[serde(default)]
    pub parts: Vec<CrossPart>,
}

/// One recorded piece of an answer inside a scoring package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossPart {
    /// Entry name inside the package.
    pub entry: String,
    /// The question or prompt (1-based); 0 for a task recorded as one answer.
    pub part: u32,
    pub duration_ms: u64,
}

/// The contents of an anonymous scoring package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossPackage {
    pub format: String,
    pub id: String,
    pub subject: String,
    pub grade: u8,
    pub date: String,
    pub items: Vec<CrossItem>,
}

/// A score given by the other school's expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossScore {
    pub token: String,
    pub criterion: String,
    pub score: u32,
    pub note: String,
    /// The other school's label for its expert (never a name).
    pub expert: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CrossResults {
    format: String,
    package_id: String,
    scores: Vec<CrossScore>,
}

/// The scores file as it travels: the results JSON, exactly the signed
/// bytes, with the signer's public key and the Ed25519 signature (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SignedResults {
    format: String,
    results: String,
    public_key: String,
    signature: String,
}

fn json_err(e: serde_json::Error) -> CoordinatorError {
    CoordinatorError::Invalid(format!("файл проверки повреждён: {e}"))
}

impl CrossPackage {
    /// Read the package's description (the other school's side).
    pub fn open(path: &Path) -> Result<Self> {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
        let mut text = String::new();
        zip.by_name(PACKAGE_JSON)?
            .take(16 * 1024 * 1024)
            .read_to_string(&mut text)?;
        let mut p: Self = serde_json::from_str(&text).map_err(json_err)?;
        if p.format != PACKAGE_FORMAT {
            return Err(CoordinatorError::Invalid(
                "это не пакет перекрёстной проверки".into(),
            ));
        }
        // Every piece named must be in the package, within the cap.
        for item in &mut p.items {
            if item.parts.is_empty() {
                if let Some(entry) = &item.recording {
                    item.parts.push(CrossPart {
                        entry: entry.clone(),
                        part: 0,
                        duration_ms: 0,
                    });
                }
            }
            for part in &item.parts {
                let size = zip
                    .by_name(&part.entry)
                    .map_err(|_| {
                        CoordinatorError::Invalid(format!(
                            "в пакете нет записи {} (задание {})",
                            part.entry, item.task
                        ))
                    })?
                    .size();
                if size > MAX_RECORDING_BYTES {
                    return Err(CoordinatorError::Invalid(format!(
                        "запись {} больше {} МиБ",
                        part.entry,
                        MAX_RECORDING_BYTES / (1024 * 1024)
                    )));
                }
            }
        }
        Ok(p)
    }

    /// The waveform of one recorded piece (see [`CrossPackage::part_audio`])
    /// for the player: `buckets` peaks in 0..=1.
    pub fn part_waveform(
        &self,
        package: &Path,
        token: &str,
        index: usize,
        buckets: usize,
    ) -> Result<Vec<f32>> {
        let audio = self.part_audio(package, token, index)?;
        wav_bytes_peaks(&audio.bytes, token, buckets.clamp(1, 10_000))
    }

    /// One recorded piece of a piece of work as bytes for the player
    /// (`index` into [`CrossItem::parts`]), checked to be a WAV.
    pub fn part_audio(&self, package: &Path, token: &str, index: usize) -> Result<MediaBytes> {
        let item = self
            .items
            .iter()
            .find(|i| i.token == token)
            .ok_or_else(|| CoordinatorError::Invalid("в пакете нет такой работы".into()))?;
        let part = item
            .parts
            .get(index)
            .ok_or_else(|| CoordinatorError::Invalid("у работы нет такой записи".into()))?;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(package)?)?;
        let mut bytes = Vec::new();
        zip.by_name(&part.entry)?
            .take(MAX_RECORDING_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_RECORDING_BYTES {
            return Err(CoordinatorError::Invalid(format!(
                "запись {} больше {} МиБ",
                part.entry,
                MAX_RECORDING_BYTES / (1024 * 1024)
            )));
        }
        if hound::WavReader::new(std::io::Cursor::new(&bytes)).is_err() {
            return Err(CoordinatorError::Corrupt(format!(
                "запись {} к заданию {} — не WAV",
                part.entry, item.task
            )));
        }
        Ok(MediaBytes {
            media_type: "audio/wav".into(),
            bytes,
        })
    }

    /// Copy one recording out of the package to play it.
    pub fn extract_recording(&self, package: &Path, token: &str, out: &Path) -> Result<()> {
        let item = self
            .items
            .iter()
            .find(|i| i.token == token)
            .ok_or_else(|| CoordinatorError::Invalid("в пакете нет такой работы".into()))?;
        let name = item
            .recording
            .as_deref()
            .ok_or_else(|| CoordinatorError::Invalid("у работы нет записи".into()))?;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(package)?)?;
        let mut entry = zip.by_name(name)?;
        let mut f = std::fs::File::create(out)?;
        std::io::copy(&mut entry, &mut f)?;
        Ok(())
    }

    /// Check scores against this package: known pieces, known criteria,
    /// each within its maximum.
    pub fn check_scores(&self, scores: &[CrossScore]) -> Result<()> {
        for s in scores {
            let item = self
                .items
                .iter()
                .find(|i| i.token == s.token)
                .ok_or_else(|| {
                    CoordinatorError::Invalid("оценка к работе не из этого пакета".into())
                })?;
            let c = item
                .criteria
                .iter()
                .find(|c| c.id == s.criterion)
                .ok_or_else(|| {
                    CoordinatorError::Invalid(format!("нет критерия {}", s.criterion))
                })?;
            if s.score > c.max_points {
                return Err(CoordinatorError::Invalid(format!(
                    "по критерию {} не больше {} баллов",
                    c.id, c.max_points
                )));
            }
        }
        Ok(())
    }
}

impl Coordinator {
    /// Export the expert tasks of a work (optionally only some tasks) as an
    /// anonymous scoring package for another school. Returns the number of pieces.
    pub fn export_cross_package(
        &self,
        work_id: i64,
        tasks: Option<&[u32]>,
        out: &Path,
    ) -> Result<u32> {
        self.refuse_names_in_notes(work_id)?;
        let work = self.work(work_id)?;
        let id = hex::encode(random_bytes::<8>()?);
        let mut items = Vec::new();
        let file = std::fs::File::create(out)?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let tx = self.conn.unchecked_transaction()?;
        for s in self.submissions(work_id)? {
            let recs = self.recordings(work_id, s.code)?;
            for t in work
                .spec
                .tasks
                .iter()
                .filter(|t| t.is_expert() && tasks.is_none_or(|ts| ts.contains(&t.number)))
            {
                let token = hex::encode(random_bytes::<12>()?);
                // Every piece of the answer, in order (part, then segment).
                let mut parts = Vec::new();
                for (k, r) in recs.iter().filter(|r| r.task == t.number).enumerate() {
                    let entry = format!("rec/{token}-{}.wav", k + 1);
                    let path = self.layout.resolve(&r.path);
                    if std::fs::metadata(&path)?.len() > MAX_RECORDING_BYTES {
                        return Err(CoordinatorError::Invalid(format!(
                            "запись к заданию {} больше {} МиБ",
                            t.number,
                            MAX_RECORDING_BYTES / (1024 * 1024)
                        )));
                    }
                    zip.start_file(entry.as_str(), opts)?;
                    std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
                    parts.push(CrossPart {
                        entry,
                        part: r.part,
                        duration_ms: r.duration_ms,
                    });
                }
                let recording = parts.first().map(|p| p.entry.clone());
                tx.execute(
                    "INSERT INTO cross_packages (token, work_id, code, task) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![token, work_id, s.code, t.number],
                )?;
                items.push(CrossItem {
                    token,
                    task: t.number,
                    title: t.title.clone(),
                    criteria: t.criteria.clone(),
                    recording,
                    parts,
                });
            }
        }
        // Shuffle-free but code-free: order by token so the order reveals nothing.
        items.sort_by(|a, b| a.token.cmp(&b.token));
        let n = items.len() as u32;
        let p = CrossPackage {
            format: PACKAGE_FORMAT.into(),
            id,
            subject: work.subject.clone(),
            grade: work.grade,
            date: work.date.clone(),
            items,
        };
        zip.start_file(PACKAGE_JSON, opts)?;
        zip.write_all(&serde_json::to_vec_pretty(&p).map_err(json_err)?)?;
        zip.finish()?;
        tx.commit()?;
        Ok(n)
    }

    /// The scoring school's side: check the scores against the package,
    /// refuse notes that contain a name this coordinator holds, and write the
    /// scores file signed with this coordinator's archive key (its public key,
    /// [`Coordinator::archive_public_key`], is what the other school trusts).
    pub fn write_cross_scores(
        &self,
        package: &CrossPackage,
        out: &Path,
        scores: &[CrossScore],
    ) -> Result<()> {
        package.check_scores(scores)?;
        let scanner = self.name_scanner()?;
        let hits: Vec<NameHit> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| scanner.hits(&s.note) || scanner.hits(&s.expert))
            .map(|(i, s)| NameHit {
                table: "cross_scores".into(),
                code: None,
                task: None,
                round: None,
                criterion: s.criterion.clone(),
                entry: Some(i as u32 + 1),
            })
            .collect();
        names_refused(hits)?;
        let results = serde_json::to_string_pretty(&CrossResults {
            format: RESULTS_FORMAT.into(),
            package_id: package.id.clone(),
            scores: scores.to_vec(),
        })
        .map_err(json_err)?;
        let key = self.signing_key()?;
        let signed = SignedResults {
            format: SIGNED_FORMAT.into(),
            signature: hex::encode(key.sign(results.as_bytes())),
            public_key: key.public_key().to_hex(),
            results,
        };
        let partial = out.with_extension("partial");
        std::fs::write(
            &partial,
            serde_json::to_vec_pretty(&signed).map_err(json_err)?,
        )?;
        std::fs::rename(&partial, out)?;
        Ok(())
    }

    /// Import the other school's scores, signed with `school_key` (the hex
    /// archive public key the coordinator was given by that school, never
    /// the one inside the file): every criterion of every piece is stored as
    /// the first scoring with the external expert's label, all in one
    /// transaction. A token already imported with the same scores is
    /// skipped; with different scores the whole file is refused. Returns
    /// the number of pieces newly imported.
    pub fn import_cross_scores(&self, path: &Path, school_key: &str) -> Result<u32> {
        let file = std::fs::File::open(path)?;
        let mut bytes = Vec::new();
        file.take(MAX_RESULTS_FILE + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_RESULTS_FILE {
            return Err(CoordinatorError::Invalid(
                "файл оценок перекрёстной проверки слишком большой".into(),
            ));
        }
        let signed: SignedResults = serde_json::from_slice(&bytes).map_err(json_err)?;
        if signed.format != SIGNED_FORMAT {
            return Err(CoordinatorError::Invalid(
                "это не подписанный файл оценок перекрёстной проверки".into(),
            ));
        }
        let trusted = PublicKey::from_hex(school_key.trim()).map_err(|_| {
            CoordinatorError::Invalid("ключ школы-проверяющего задан неверно".into())
        })?;
        if !signed
            .public_key
            .trim()
            .eq_ignore_ascii_case(&trusted.to_hex())
        {
            return Err(CoordinatorError::Invalid(format!(
                "файл оценок подписан не ключом этой школы (ожидался {})",
                trusted.fingerprint()
            )));
        }
        let signature = hex::decode(signed.signature.trim())
            .map_err(|_| CoordinatorError::Invalid("подпись файла оценок повреждена".into()))?;
        trusted
            .verify(signed.results.as_bytes(), &signature)
            .map_err(|_| {
                CoordinatorError::Invalid(
                    "подпись файла оценок не совпадает: файл изменён после подписи".into(),
                )
            })?;
        let r: CrossResults = serde_json::from_str(&signed.results).map_err(json_err)?;
        if r.format != RESULTS_FORMAT {
            return Err(CoordinatorError::Invalid(
                "это не файл оценок перекрёстной проверки".into(),
            ));
        }
        let mut by_token: std::collections::BTreeMap<&str, Vec<&CrossScore>> = Default::default();
        for s in &r.scores {
            by_token.entry(s.token.as_str()).or_default().push(s);
        }
        let tx = self.conn.unchecked_transaction()?;
        let mut n = 0;
        for (token, scores) in by_token {
            let (work_id, code, task): (i64, u32, u32) = tx
                .query_row(
                    "SELECT work_id, code, task FROM cross_packages WHERE token = ?1",
                    [token],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(|_| {
                    CoordinatorError::Invalid(
                        "оценка к работе, которую эта школа не отправляла".into(),
                    )
                })?;
            let work = self.work(work_id)?;
            let spec = work.spec.task(task).ok_or(CoordinatorError::Missing {
                what: "задание",
                id: i64::from(task),
            })?;
            let mut given = Vec::new();
            for c in &spec.criteria {
                let s = scores.iter().find(|s| s.criterion == c.id).ok_or_else(|| {
                    CoordinatorError::Invalid(format!("нет балла по критерию {}", c.id))
                })?;
                if s.score > c.max_points {
                    return Err(CoordinatorError::Invalid(format!(
                        "по критерию {} не больше {} баллов",
                        c.id, c.max_points
                    )));
                }
                given.push(CriterionScore {
                    criterion: c.id.clone(),
                    score: s.score,
                    note: s.note.clone(),
                });
            }
            let expert = format!(
                "внешний:{}",
                scores.first().map_or("", |s| s.expert.as_str())
            );
            let mut before = self.round_scores(work_id, code, task, 1)?;
            if !before.is_empty() {
                before.sort_by(|a, b| a.criterion.cmp(&b.criterion));
                given.sort_by(|a, b| a.criterion.cmp(&b.criterion));
                if before == given {
                    continue;
                }
                let short = token.get(..8).unwrap_or(token);
                return Err(CoordinatorError::Invalid(format!(
                    "по работе {short}… (задание {task}) уже принят другой результат: \
                     повторный отличающийся результат не принимается, файл не импортирован"
                )));
            }
            let at = crate::model::util::now_string();
            for s in &given {
                tx.execute(
                    "INSERT INTO expert_scores (work_id, code, task, round, criterion, score, note, expert, scored_at)
                     VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8)",
                    rusqlite::params![work_id, code, task, s.criterion, s.score, s.note, expert, at],
                )?;
            }
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }
}
