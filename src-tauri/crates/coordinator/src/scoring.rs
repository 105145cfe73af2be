//! Submitted works, auto-scoring of closed items, expert assignment and
//! scores by criterion, second and third scoring, final scores.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    model::{from_json, now_string},
    Coordinator, CoordinatorError, Result, StaffMember, StaffRole, Work,
};

/// One participant's work as it arrived from a station (by code, never by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Submission {
    pub work_id: i64,
    pub code: u32,
    pub variant: u32,
    pub station_fingerprint: String,
    pub bundle_sha256: String,
    /// The session ended before the work was finished.
    pub interrupted: bool,
    /// Closed item id → the participant's answer.
    pub answers: BTreeMap<String, String>,
}

/// A recording of a spoken answer kept next to the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordingRef {
    pub task: u32,
    /// Path relative to the coordinator's data folder.
    pub path: String,
    pub sha256: String,
    pub duration_ms: u64,
    /// The recording holds no speech (peak below the silence threshold).
    pub silent: bool,
}

/// An expert's score for one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CriterionScore {
    pub criterion: String,
    pub score: u32,
    pub note: String,
}

/// One piece of work in an expert's queue: codes only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExpertItem {
    pub work_id: i64,
    pub code: u32,
    pub variant: u32,
    pub task: u32,
    pub round: u32,
    pub task_title: String,
    pub criteria: Vec<crate::Criterion>,
    /// The recording to play, relative to the data folder, when the task is oral.
    pub recording: Option<RecordingRef>,
    /// Scores already given in this round (empty when not yet scored).
    pub scores: Vec<CriterionScore>,
}

/// Per participant: the final score of each task (None while not scored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ParticipantResult {
    pub code: u32,
    pub variant: u32,
    pub tasks: BTreeMap<u32, Option<u32>>,
}

impl ParticipantResult {
    pub fn total(&self) -> Option<u32> {
        self.tasks.values().copied().sum()
    }
}

/// What assignment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentReport {
    pub assigned: u32,
    /// Expert label → number of assigned pieces.
    pub load: BTreeMap<String, u32>,
    /// Pieces no eligible expert could take (e.g. every expert teaches the class).
    pub unassigned: Vec<String>,
}

/// A piece to assign: code, task, round, eligible experts, experts of the other rounds.
type Piece = (u32, u32, u32, Vec<String>, Vec<String>);

impl Coordinator {
    /// Store a submitted work (idempotent: the same work again replaces nothing
    /// when it is identical, and is refused when it differs).
    pub fn record_submission(&self, s: &Submission, recordings: &[RecordingRef]) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let added = self.record_submission_in(s, recordings)?;
        tx.commit()?;
        Ok(added)
    }

    /// As [`Coordinator::record_submission`] inside the caller's transaction.
    pub(crate) fn record_submission_in(
        &self,
        s: &Submission,
        recordings: &[RecordingRef],
    ) -> Result<bool> {
        let work = self.work(s.work_id)?;
        let existing: Option<(bool, u32, String)> = self
            .conn
            .query_row(
                "SELECT interrupted, variant, answers FROM submissions WHERE work_id = ?1 AND code = ?2",
                params![s.work_id, s.code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let answers = serde_json::to_string(&s.answers)
            .map_err(|e| CoordinatorError::Corrupt(e.to_string()))?;
        if let Some((was_interrupted, variant, old)) = existing {
            if variant == s.variant && old == answers {
                if was_interrupted == s.interrupted || s.interrupted {
                    return Ok(false);
                }
                // The same answers, now from a finished session: only the state changes.
                self.conn.execute(
                    "UPDATE submissions SET interrupted = 0, station_fingerprint = ?3, bundle_sha256 = ?4
                     WHERE work_id = ?1 AND code = ?2",
                    params![s.work_id, s.code, s.station_fingerprint, s.bundle_sha256],
                )?;
                self.insert_recordings(&work, s, recordings)?;
                return Ok(true);
            }
            // A participant whose station failed finishes at another one: the
            // finished session wins over the interrupted one, whichever comes first.
            if !was_interrupted && s.interrupted {
                return Ok(false);
            }
            if !was_interrupted || s.interrupted {
                return Err(CoordinatorError::BundleRejected(format!(
                    "работа участника {} уже импортирована с другими ответами",
                    s.code
                )));
            }
            let scored: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM expert_scores WHERE work_id = ?1 AND code = ?2",
                params![s.work_id, s.code],
                |r| r.get(0),
            )?;
            if scored > 0 {
                return Err(CoordinatorError::BundleRejected(format!(
                    "прерванная работа участника {} уже оценивается экспертами; завершённую нельзя подставить",
                    s.code
                )));
            }
            for table in ["submissions", "recordings", "auto_scores", "assignments"] {
                self.conn.execute(
                    &format!("DELETE FROM {table} WHERE work_id = ?1 AND code = ?2"),
                    params![s.work_id, s.code],
                )?;
            }
        }
        let tx = &self.conn;
        tx.execute(
            "INSERT INTO submissions (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![s.work_id, s.code, s.variant, s.station_fingerprint, s.bundle_sha256, s.interrupted, answers],
        )?;
        self.insert_recordings(&work, s, recordings)?;
        Ok(true)
    }

    fn insert_recordings(
        &self,
        work: &crate::Work,
        s: &Submission,
        recordings: &[RecordingRef],
    ) -> Result<()> {
        let tx = &self.conn;
        for r in recordings {
            if work.spec.task(r.task).is_none() {
                return Err(CoordinatorError::BundleRejected(format!(
                    "запись к несуществующему заданию {}",
                    r.task
                )));
            }
            tx.execute(
                "INSERT OR REPLACE INTO recordings (work_id, code, task, path, sha256, duration_ms, silent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![s.work_id, s.code, r.task, r.path, r.sha256, r.duration_ms as i64, r.silent],
            )?;
        }
        Ok(())
    }

    pub fn submissions(&self, work_id: i64) -> Result<Vec<Submission>> {
        let mut st = self.conn.prepare(
            "SELECT work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers
             FROM submissions WHERE work_id = ?1 ORDER BY code",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers) =
                row?;
            out.push(Submission {
                work_id,
                code,
                variant,
                station_fingerprint,
                bundle_sha256,
                interrupted,
                answers: from_json(&answers)?,
            });
        }
        Ok(out)
    }

    pub fn recordings(&self, work_id: i64, code: u32) -> Result<Vec<RecordingRef>> {
        let mut st = self.conn.prepare(
            "SELECT task, path, sha256, duration_ms, silent FROM recordings WHERE work_id = ?1 AND code = ?2 ORDER BY task",
        )?;
        let rows = st.query_map(params![work_id, code], |r| {
            Ok(RecordingRef {
                task: r.get(0)?,
                path: r.get(1)?,
                sha256: r.get(2)?,
                duration_ms: r.get::<_, i64>(3)?.max(0) as u64,
                silent: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Score every closed task of every submission from the released keys.
    /// Returns the number of task scores written.
    pub fn auto_score(&self, work_id: i64) -> Result<u32> {
        let work = self.work(work_id)?;
        let keys = self.keys(work_id)?;
        let tx = self.conn.unchecked_transaction()?;
        let mut n = 0;
        for s in self.submissions(work_id)? {
            for task in work.spec.tasks.iter().filter(|t| !t.is_expert()) {
                let mut score = 0;
                for item in &task.items {
                    if s.answers
                        .get(&item.id)
                        .is_some_and(|a| keys.accepts(s.variant, &item.id, a))
                    {
                        score += item.points;
                    }
                }
                let score = score.min(task.max_score());
                tx.execute(
                    "INSERT OR REPLACE INTO auto_scores (work_id, code, task, score) VALUES (?1, ?2, ?3, ?4)",
                    params![work_id, s.code, task.number, score],
                )?;
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    fn experts_for(&self, work: &Work) -> Result<Vec<StaffMember>> {
        Ok(self
            .staff()?
            .into_iter()
            .filter(|s| {
                s.role == StaffRole::Expert
                    && s.experience_years >= 1
                    && s.subjects
                        .iter()
                        .any(|x| x.trim().to_lowercase() == work.subject.trim().to_lowercase())
            })
            .collect())
    }

    fn class_of_code(&self, code: u32) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT c.name FROM participants p JOIN classes c ON c.id = p.class_id WHERE p.code = ?1",
                [code],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn load(&self, work_id: i64) -> Result<HashMap<String, u32>> {
        let mut st = self.conn.prepare(
            "SELECT expert, COUNT(*) FROM assignments WHERE work_id = ?1 GROUP BY expert",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn assigned(&self, work_id: i64, code: u32, task: u32) -> Result<Vec<(u32, String)>> {
        let mut st = self.conn.prepare(
            "SELECT round, expert FROM assignments WHERE work_id = ?1 AND code = ?2 AND task = ?3",
        )?;
        let rows = st.query_map(params![work_id, code, task], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Pick the least-loaded eligible expert not in `exclude` and not teaching `class`.
    fn pick(
        experts: &[StaffMember],
        load: &HashMap<String, u32>,
        exclude: &[String],
        class: Option<&str>,
    ) -> Option<String> {
        experts
            .iter()
            .filter(|e| !exclude.contains(&e.label()))
            .filter(|e| class.is_none_or(|c| !e.teaches_classes.iter().any(|t| t.trim() == c)))
            .min_by_key(|e| (load.get(&e.label()).copied().unwrap_or(0), e.id))
            .map(StaffMember::label)
    }

    /// Assign every expert task of every submission to experts, balanced by
    /// load, never to an expert who teaches the participant's class; with
    /// second scoring, two different experts per task. Existing assignments stay.
    pub fn assign_experts(&self, work_id: i64) -> Result<AssignmentReport> {
        let work = self.work(work_id)?;
        let experts = self.experts_for(&work)?;
        let rounds = if work.spec.second_scoring.is_some() {
            2
        } else {
            1
        };
        let mut load = self.load(work_id)?;
        // New pieces: (code, task, round, eligible experts, experts of sibling rounds).
        let mut pieces: Vec<Piece> = Vec::new();
        let mut unassigned = Vec::new();
        for s in self.submissions(work_id)? {
            let class = self.class_of_code(s.code)?;
            for task in work.spec.tasks.iter().filter(|t| t.is_expert()) {
                let have = self.assigned(work_id, s.code, task.number)?;
                for round in 1..=rounds {
                    if have.iter().any(|(r, _)| *r == round) {
                        continue;
                    }
                    let eligible: Vec<String> = experts
                        .iter()
                        .filter(|e| {
                            class
                                .as_deref()
                                .is_none_or(|c| !e.teaches_classes.iter().any(|t| t.trim() == c))
                        })
                        .map(StaffMember::label)
                        .collect();
                    let fixed: Vec<String> = have.iter().map(|(_, e)| e.clone()).collect();
                    pieces.push((s.code, task.number, round, eligible, fixed));
                }
            }
        }
        // Greedy, most constrained first, then move pieces off the busiest
        // experts while that narrows the spread.
        pieces.sort_by_key(|p| p.3.len());
        let mut chosen: Vec<Option<String>> = vec![None; pieces.len()];
        let mut siblings: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
        for (i, p) in pieces.iter().enumerate() {
            siblings.entry((p.0, p.1)).or_default().push(i);
        }
        let sibling_taken = |chosen: &[Option<String>], i: usize, e: &str| {
            pieces[i].4.iter().any(|x| x == e)
                || siblings.get(&(pieces[i].0, pieces[i].1)).is_some_and(|js| {
                    js.iter()
                        .any(|&j| j != i && chosen[j].as_deref() == Some(e))
                })
        };
        for i in 0..pieces.len() {
            let best = pieces[i]
                .3
                .iter()
                .filter(|e| !sibling_taken(&chosen, i, e))
                .min_by_key(|e| load.get(*e).copied().unwrap_or(0))
                .cloned();
            if let Some(e) = &best {
                *load.entry(e.clone()).or_default() += 1;
            }
            chosen[i] = best;
        }
        for _ in 0..pieces.len() * experts.len().max(1) {
            let mut moved = false;
            for i in 0..pieces.len() {
                let Some(cur) = chosen[i].clone() else {
                    continue;
                };
                let cur_load = load.get(&cur).copied().unwrap_or(0);
                let better = pieces[i]
                    .3
                    .iter()
                    .filter(|e| **e != cur && !sibling_taken(&chosen, i, e))
                    .min_by_key(|e| load.get(*e).copied().unwrap_or(0))
                    .filter(|e| load.get(*e).copied().unwrap_or(0) + 1 < cur_load)
                    .cloned();
                if let Some(e) = better {
                    *load.entry(cur).or_default() -= 1;
                    *load.entry(e.clone()).or_default() += 1;
                    chosen[i] = Some(e);
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let tx = self.conn.unchecked_transaction()?;
        let mut assigned = 0;
        for (p, e) in pieces.iter().zip(&chosen) {
            match e {
                Some(e) => {
                    tx.execute(
                        "INSERT INTO assignments (work_id, code, task, round, expert) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![work_id, p.0, p.1, p.2, e],
                    )?;
                    assigned += 1;
                }
                None => unassigned.push(format!("код {}, задание {}, проверка {}", p.0, p.1, p.2)),
            }
        }
        tx.commit()?;
        Ok(AssignmentReport {
            assigned,
            load: load.into_iter().collect(),
            unassigned,
        })
    }

    /// The pieces assigned to an expert (by staff id), codes only.
    pub fn expert_queue(&self, expert_id: i64) -> Result<Vec<ExpertItem>> {
        let label = format!("Э-{expert_id:03}");
        let mut st = self.conn.prepare(
            "SELECT a.work_id, a.code, a.task, a.round, s.variant FROM assignments a
             JOIN submissions s ON s.work_id = a.work_id AND s.code = a.code
             WHERE a.expert = ?1 ORDER BY a.work_id, a.task, a.code",
        )?;
        let rows: Vec<(i64, u32, u32, u32, u32)> = st
            .query_map([&label], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (work_id, code, task, round, variant) in rows {
            let work = self.work(work_id)?;
            let Some(spec) = work.spec.task(task) else {
                continue;
            };
            out.push(ExpertItem {
                work_id,
                code,
                variant,
                task,
                round,
                task_title: spec.title.clone(),
                criteria: spec.criteria.clone(),
                recording: self
                    .recordings(work_id, code)?
                    .into_iter()
                    .find(|r| r.task == task),
                scores: self.round_scores(work_id, code, task, round)?,
            });
        }
        Ok(out)
    }

    fn round_scores(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        round: u32,
    ) -> Result<Vec<CriterionScore>> {
        let mut st = self.conn.prepare(
            "SELECT criterion, score, note FROM expert_scores WHERE work_id = ?1 AND code = ?2 AND task = ?3 AND round = ?4 ORDER BY criterion",
        )?;
        let rows = st.query_map(params![work_id, code, task, round], |r| {
            Ok(CriterionScore {
                criterion: r.get(0)?,
                score: r.get(1)?,
                note: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An expert's scores for one assigned piece: every criterion, each within
    /// its maximum. When both first and second scores exist and differ beyond
    /// the package's rule, a third expert is assigned; returns whether one was.
    pub fn submit_scores(
        &self,
        expert_id: i64,
        work_id: i64,
        code: u32,
        task: u32,
        scores: &[CriterionScore],
    ) -> Result<bool> {
        let label = format!("Э-{expert_id:03}");
        let work = self.work(work_id)?;
        let spec = work
            .spec
            .task(task)
            .filter(|t| t.is_expert())
            .ok_or_else(|| {
                CoordinatorError::Invalid(format!("задание {task} не проверяется экспертом"))
            })?;
        let round = self
            .assigned(work_id, code, task)?
            .into_iter()
            .find(|(_, e)| *e == label)
            .map(|(r, _)| r)
            .ok_or_else(|| {
                CoordinatorError::Invalid(format!(
                    "эту работу (код {code}, задание {task}) проверяет другой эксперт"
                ))
            })?;
        for c in &spec.criteria {
            let Some(given) = scores.iter().find(|s| s.criterion == c.id) else {
                return Err(CoordinatorError::Invalid(format!(
                    "нет балла по критерию {}",
                    c.id
                )));
            };
            if given.score > c.max {
                return Err(CoordinatorError::Invalid(format!(
                    "по критерию {} не больше {} баллов",
                    c.id, c.max
                )));
            }
        }
        if let Some(extra) = scores
            .iter()
            .find(|s| !spec.criteria.iter().any(|c| c.id == s.criterion))
        {
            return Err(CoordinatorError::Invalid(format!(
                "в задании {task} нет критерия {}",
                extra.criterion
            )));
        }
        self.write_scores(work_id, code, task, round, &label, scores)?;
        self.maybe_third(&work, code, task)
    }

    pub(crate) fn write_scores(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        round: u32,
        expert: &str,
        scores: &[CriterionScore],
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let at = now_string();
        for s in scores {
            tx.execute(
                "INSERT OR REPLACE INTO expert_scores (work_id, code, task, round, criterion, score, note, expert, scored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![work_id, code, task, round, s.criterion, s.score, s.note, expert, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn round_total(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        round: u32,
        criteria: usize,
    ) -> Result<Option<u32>> {
        let s = self.round_scores(work_id, code, task, round)?;
        Ok((s.len() == criteria && criteria > 0).then(|| s.iter().map(|c| c.score).sum()))
    }

    fn maybe_third(&self, work: &Work, code: u32, task: u32) -> Result<bool> {
        let (Some(rule), Some(spec)) = (&work.spec.second_scoring, work.spec.task(task)) else {
            return Ok(false);
        };
        let n = spec.criteria.len();
        let (Some(a), Some(b)) = (
            self.round_total(work.id, code, task, 1, n)?,
            self.round_total(work.id, code, task, 2, n)?,
        ) else {
            return Ok(false);
        };
        let have = self.assigned(work.id, code, task)?;
        if a.abs_diff(b) <= rule.max_difference || have.iter().any(|(r, _)| *r == 3) {
            return Ok(false);
        }
        let experts = self.experts_for(work)?;
        let exclude: Vec<String> = have.into_iter().map(|(_, e)| e).collect();
        let class = self.class_of_code(code)?;
        let Some(e) = Self::pick(&experts, &self.load(work.id)?, &exclude, class.as_deref()) else {
            return Err(CoordinatorError::Invalid(format!(
                "нужен третий эксперт для кода {code}, задание {task}, но свободного нет"
            )));
        };
        self.conn.execute(
            "INSERT INTO assignments (work_id, code, task, round, expert) VALUES (?1, ?2, ?3, 3, ?4)",
            params![work.id, code, task, e],
        )?;
        Ok(true)
    }

    /// The final score of an expert task: the only round; or, with second
    /// scoring, the mean of two close rounds rounded up, or the third round.
    fn final_expert(&self, work: &Work, code: u32, task: u32) -> Result<Option<u32>> {
        let Some(spec) = work.spec.task(task) else {
            return Ok(None);
        };
        let n = spec.criteria.len();
        let r1 = self.round_total(work.id, code, task, 1, n)?;
        let Some(rule) = &work.spec.second_scoring else {
            return Ok(r1);
        };
        let r2 = self.round_total(work.id, code, task, 2, n)?;
        match (r1, r2) {
            (Some(a), Some(b)) if a.abs_diff(b) <= rule.max_difference => {
                Ok(Some((a + b).div_ceil(2)))
            }
            (Some(_), Some(_)) => self.round_total(work.id, code, task, 3, n),
            _ => Ok(None),
        }
    }

    /// Final scores of every submission of a work (None where still unscored).
    pub fn results(&self, work_id: i64) -> Result<Vec<ParticipantResult>> {
        let work = self.work(work_id)?;
        let mut auto: HashMap<(u32, u32), u32> = HashMap::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT code, task, score FROM auto_scores WHERE work_id = ?1")?;
            for row in st.query_map([work_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
                let (c, t, s) = row?;
                auto.insert((c, t), s);
            }
        }
        let mut out = Vec::new();
        for s in self.submissions(work_id)? {
            let mut tasks = BTreeMap::new();
            for t in &work.spec.tasks {
                let v = if t.is_expert() {
                    self.final_expert(&work, s.code, t.number)?
                } else {
                    auto.get(&(s.code, t.number)).copied()
                };
                tasks.insert(t.number, v);
            }
            out.push(ParticipantResult {
                code: s.code,
                variant: s.variant,
                tasks,
            });
        }
        Ok(out)
    }

    /// Everything that stops the form: participants without a work (not
    /// recorded absent), keys not released, tasks without a final score.
    pub fn missing_for_form(&self, work_id: i64) -> Result<Vec<String>> {
        let work = self.work(work_id)?;
        let mut missing = Vec::new();
        let has_closed = work.spec.tasks.iter().any(|t| !t.is_expert());
        if has_closed && self.keys(work_id).is_err() {
            missing.push("ключи к заданиям с выбором ответа ещё не внесены".to_string());
        }
        let submitted: std::collections::HashSet<u32> =
            self.submissions(work_id)?.iter().map(|s| s.code).collect();
        let absent: std::collections::HashSet<i64> = self
            .absences(work_id)?
            .iter()
            .map(|a| a.participant_id)
            .collect();
        for p in self.participants_of_work(work_id)? {
            if !submitted.contains(&p.code) && !absent.contains(&p.id) {
                missing.push(format!(
                    "код {}: работа не импортирована и отсутствие не отмечено",
                    p.code
                ));
            }
        }
        for r in self.results(work_id)? {
            for (task, v) in &r.tasks {
                if v.is_none() {
                    let third = self
                        .assigned(work_id, r.code, *task)?
                        .iter()
                        .any(|(round, _)| *round == 3);
                    let what = if third {
                        "ждёт третьего эксперта"
                    } else {
                        "не оценено"
                    };
                    missing.push(format!("код {}, задание {task}: {what}", r.code));
                }
            }
        }
        Ok(missing)
    }

    /// Every expert score with who gave it (for the results archive).
    pub fn score_log(&self, work_id: i64) -> Result<Vec<ScoreLogEntry>> {
        let mut st = self.conn.prepare(
            "SELECT code, task, round, criterion, score, note, expert, scored_at FROM expert_scores
             WHERE work_id = ?1 ORDER BY code, task, round, criterion",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok(ScoreLogEntry {
                code: r.get(0)?,
                task: r.get(1)?,
                round: r.get(2)?,
                criterion: r.get(3)?,
                score: r.get(4)?,
                note: r.get(5)?,
                expert: r.get(6)?,
                scored_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// One expert score as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScoreLogEntry {
    pub code: u32,
    pub task: u32,
    pub round: u32,
    pub criterion: String,
    pub score: u32,
    pub note: String,
    pub expert: String,
    pub scored_at: String,
}

/// Peaks of a 16-bit PCM WAV for drawing a waveform: `buckets` values in 0..=1.
pub fn wav_peaks(path: &std::path::Path, buckets: usize) -> Result<Vec<f32>> {
    let bytes = std::fs::read(path)?;
    let bad = || CoordinatorError::Invalid("запись не в формате WAV (PCM 16 бит)".into());
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(bad());
    }
    let (mut pos, mut bits, mut channels, mut data) = (12usize, 0u16, 1u16, None);
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let len = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]) as usize;
        let body = pos + 8;
        let end = body.saturating_add(len).min(bytes.len());
        if id == b"fmt " && end >= body + 16 {
            channels = u16::from_le_bytes([bytes[body + 2], bytes[body + 3]]).max(1);
            bits = u16::from_le_bytes([bytes[body + 14], bytes[body + 15]]);
        } else if id == b"data" {
            data = Some(&bytes[body..end]);
        }
        pos = body.saturating_add(len + (len & 1));
    }
    let data = data.ok_or_else(bad)?;
    if bits != 16 || buckets == 0 {
        return Err(bad());
    }
    let frame = 2 * usize::from(channels);
    let frames = data.len() / frame;
    let per = frames.div_ceil(buckets).max(1);
    let mut out = Vec::with_capacity(buckets);
    for chunk in data[..frames * frame].chunks(per * frame) {
        let peak = chunk
            .chunks_exact(2)
            .map(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs())
            .max()
            .unwrap_or(0);
        out.push(f32::from(peak) / 32768.0);
    }
    out.resize(buckets, 0.0);
    Ok(out)
}

impl Coordinator {
    /// Where a recording lives (for the expert's player), by code and task.
    pub fn recording_path(&self, work_id: i64, code: u32, task: u32) -> Result<std::path::PathBuf> {
        let r = self
            .recordings(work_id, code)?
            .into_iter()
            .find(|r| r.task == task)
            .ok_or(CoordinatorError::Missing {
                what: "запись задания",
                id: i64::from(task),
            })?;
        Ok(self.dir.join(r.path))
    }

    /// The waveform of a recording for the expert's screen.
    pub fn recording_waveform(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        buckets: usize,
    ) -> Result<Vec<f32>> {
        wav_peaks(
            &self.recording_path(work_id, code, task)?,
            buckets.clamp(1, 10_000),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waveform_of_bad_files_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.wav");
        for bytes in [
            &b""[..],
            b"RIFF",
            b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff",
            b"RIFF\0\0\0\0WAVEdata\x10\0\0\0\x01",
        ] {
            std::fs::write(&p, bytes).unwrap();
            assert!(wav_peaks(&p, 10).is_err(), "{bytes:?}");
        }
        // A valid 16-bit mono file with a truncated data chunk still draws.
        let mut w = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x22\x56\0\0\x44\xac\0\0\x02\0\x10\0data\xff\xff\0\0".to_vec();
        w.extend_from_slice(&[0, 0x40, 0, 0xc0, 0, 0, 0, 0]);
        std::fs::write(&p, &w).unwrap();
        let peaks = wav_peaks(&p, 2).unwrap();
        assert_eq!(peaks, vec![0.5, 0.0]);
    }
}
