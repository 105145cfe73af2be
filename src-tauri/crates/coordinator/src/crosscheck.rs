//! Cross-checking between schools: an anonymous scoring package (no codes,
//! no names: random tokens, criteria and recordings) goes out; the other
//! school's experts score it; their scores come back and are joined by token.

use std::{
    io::{Read, Write},
    path::Path,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    crypto::random_bytes, scoring::CriterionScore, Coordinator, CoordinatorError, Criterion, Result,
};

const PACKAGE_FORMAT: &str = "vpr-scoring-package";
const RESULTS_FORMAT: &str = "vpr-scoring-results";
const PACKAGE_JSON: &str = "package.json";

/// One anonymous piece to score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossItem {
    pub token: String,
    pub task: u32,
    pub title: String,
    pub criteria: Vec<Criterion>,
    /// Entry name of the recording inside the package.
    pub recording: Option<String>,
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
        let p: Self = serde_json::from_str(&text).map_err(json_err)?;
        if p.format != PACKAGE_FORMAT {
            return Err(CoordinatorError::Invalid(
                "это не пакет перекрёстной проверки".into(),
            ));
        }
        Ok(p)
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

    /// Write the scores file that goes back to the school that sent the package.
    pub fn write_scores(&self, out: &Path, scores: &[CrossScore]) -> Result<()> {
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
        let r = CrossResults {
            format: RESULTS_FORMAT.into(),
            package_id: self.id.clone(),
            scores: scores.to_vec(),
        };
        let bytes = serde_json::to_vec_pretty(&r).map_err(json_err)?;
        std::fs::write(out, bytes)?;
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
                let recording = match recs.iter().find(|r| r.task == t.number) {
                    Some(r) => {
                        let name = format!("rec/{token}.wav");
                        zip.start_file(name.as_str(), opts)?;
                        let mut src = std::fs::File::open(self.layout.resolve(&r.path))?;
                        std::io::copy(&mut src, &mut zip)?;
                        Some(name)
                    }
                    None => None,
                };
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

    /// Import the other school's scores: every criterion of every piece it
    /// scored is stored as the first scoring, with the external expert's label.
    pub fn import_cross_scores(&self, path: &Path) -> Result<u32> {
        let bytes = std::fs::read(path)?;
        let r: CrossResults = serde_json::from_slice(&bytes).map_err(json_err)?;
        if r.format != RESULTS_FORMAT {
            return Err(CoordinatorError::Invalid(
                "это не файл оценок перекрёстной проверки".into(),
            ));
        }
        let mut by_token: std::collections::BTreeMap<&str, Vec<&CrossScore>> = Default::default();
        for s in &r.scores {
            by_token.entry(s.token.as_str()).or_default().push(s);
        }
        let mut n = 0;
        for (token, scores) in by_token {
            let (work_id, code, task): (i64, u32, u32) = self
                .conn
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
            self.write_scores(work_id, code, task, 1, &expert, &given)?;
            n += 1;
        }
        Ok(n)
    }
}
