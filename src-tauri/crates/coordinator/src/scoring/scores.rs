//! Tables `auto_scores` and `expert_scores`: closed items scored from the
//! keys, experts' scores by criterion, second and third scoring, finals.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{has_variant, item_key};
use crate::scoring::Submission;
use crate::{model::now_string, Coordinator, CoordinatorError, Result, Work};

/// An expert's score for one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CriterionScore {
    pub criterion: String,
    pub score: u32,
    pub note: String,
}

/// The score of an expert task from one round's criterion scores, in the
/// task's criterion order; None until every criterion is scored.
pub(crate) fn task_score(spec: &crate::TaskSpec, given: &[CriterionScore]) -> Option<u32> {
    if spec.criteria.is_empty() {
        return None;
    }
    let scores: Option<Vec<u32>> = spec
        .criteria
        .iter()
        .map(|c| given.iter().find(|g| g.criterion == c.id).map(|g| g.score))
        .collect();
    Some(vpr_exam::task_score_from_criteria(&spec.criteria, &scores?))
}

/// Per participant: the final score of each task (None while not scored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ParticipantResult {
    pub code: u32,
    /// The variant the participant sat.
    pub variant: u32,
    /// The adapted version the participant sat (None: the standard one).
    #[serde(default)]
    pub adaptation: Option<String>,
    /// The tasks of the participant's version only.
    pub tasks: BTreeMap<u32, Option<u32>>,
    /// Tasks of the work that were not part of the participant's version:
    /// not applicable («—»), never 0.
    #[serde(default)]
    pub not_applicable: Vec<u32>,
}

impl ParticipantResult {
    pub fn total(&self) -> Option<u32> {
        self.tasks.values().copied().sum()
    }

    /// The mark under the participant's version's scale, once fully scored.
    pub fn mark(&self, spec: &crate::WorkSpec) -> Option<u8> {
        spec.mark_of(self.total()?, self.adaptation.as_deref())
    }
}

impl Coordinator {
    /// Score every closed task of every submission from the released keys.
    /// Returns the number of task scores written.
    pub fn auto_score(&self, work_id: i64) -> Result<u32> {
        let work = self.work(work_id)?;
        let keys = self.keys(work_id)?;
        let tx = self.conn.unchecked_transaction()?;
        let mut n = 0;
        for s in self.submissions(work_id)? {
            for task in work
                .spec
                .tasks_of(s.adaptation.as_deref())
                .filter(|t| !t.is_expert())
            {
                let mut score = 0;
                for item in &task.items {
                    if s.answers.get(&item.id).is_some_and(|a| {
                        item_key(&keys, s.variant, &item.id).is_some_and(|k| k.accepts(a))
                    }) {
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

    pub(crate) fn round_scores(
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
            if given.score > c.max_points {
                return Err(CoordinatorError::Invalid(format!(
                    "по критерию {} не больше {} баллов",
                    c.id, c.max_points
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

    /// A round's score of an expert task, once every criterion is scored:
    /// `vpr_exam::task_score_from_criteria` (the sum, or 0 when a critical
    /// criterion scored 0).
    fn round_total(
        &self,
        work_id: i64,
        code: u32,
        spec: &crate::TaskSpec,
        round: u32,
    ) -> Result<Option<u32>> {
        let given = self.round_scores(work_id, code, spec.number, round)?;
        Ok(task_score(spec, &given))
    }

    fn maybe_third(&self, work: &Work, code: u32, task: u32) -> Result<bool> {
        let (Some(rule), Some(spec)) = (&work.spec.second_scoring, work.spec.task(task)) else {
            return Ok(false);
        };
        let (Some(a), Some(b)) = (
            self.round_total(work.id, code, spec, 1)?,
            self.round_total(work.id, code, spec, 2)?,
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
        let r1 = self.round_total(work.id, code, spec, 1)?;
        let Some(rule) = &work.spec.second_scoring else {
            return Ok(r1);
        };
        let r2 = self.round_total(work.id, code, spec, 2)?;
        match (r1, r2) {
            (Some(a), Some(b)) if a.abs_diff(b) <= rule.max_difference => {
                Ok(Some((a + b).div_ceil(2)))
            }
            (Some(_), Some(_)) => self.round_total(work.id, code, spec, 3),
            _ => Ok(None),
        }
    }

    /// The final score of each criterion of an expert task, as the form's
    /// per-criterion columns take it: the only round; with second scoring,
    /// the third round when it decides, else each criterion's mean of the two
    /// rounds rounded up. None while the task is not finally scored.
    pub(crate) fn final_criteria(
        &self,
        work: &Work,
        code: u32,
        task: u32,
    ) -> Result<Option<BTreeMap<String, u32>>> {
        let Some(spec) = work.spec.task(task) else {
            return Ok(None);
        };
        let n = spec.criteria.len();
        let round = |r: u32| -> Result<Option<BTreeMap<String, u32>>> {
            let s = self.round_scores(work.id, code, task, r)?;
            Ok((s.len() == n && n > 0)
                .then(|| s.into_iter().map(|c| (c.criterion, c.score)).collect()))
        };
        let r1 = round(1)?;
        let Some(rule) = &work.spec.second_scoring else {
            return Ok(r1);
        };
        let (Some(a), Some(b)) = (r1, round(2)?) else {
            return Ok(None);
        };
        let total = |m: &BTreeMap<String, u32>| {
            let scores: Vec<u32> = spec
                .criteria
                .iter()
                .map(|c| m.get(&c.id).copied().unwrap_or(0))
                .collect();
            vpr_exam::task_score_from_criteria(&spec.criteria, &scores)
        };
        let (ta, tb) = (total(&a), total(&b));
        if ta.abs_diff(tb) > rule.max_difference {
            return round(3);
        }
        Ok(Some(
            a.iter()
                .map(|(k, v)| (k.clone(), (v + b.get(k).copied().unwrap_or(*v)).div_ceil(2)))
                .collect(),
        ))
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
        // Paper entries are a source beside the stations: a task entered on
        // paper takes its paper score; a code with paper entries only is a
        // participant like one with a station bundle.
        let mut subs = self.submissions(work_id)?;
        let paper = self.paper_source(&work, &subs)?;
        for code in &paper.codes {
            if !subs.iter().any(|s| s.code == *code) {
                subs.push(Submission {
                    work_id,
                    code: *code,
                    variant: paper.variants.get(code).copied().unwrap_or(1),
                    station_fingerprint: String::new(),
                    bundle_sha256: String::new(),
                    interrupted: false,
                    answers: BTreeMap::new(),
                    adaptation: paper.versions.get(code).cloned().flatten(),
                });
            }
        }
        subs.sort_by_key(|s| s.code);
        let mut out = Vec::new();
        for s in subs {
            let mut tasks = BTreeMap::new();
            let version = s.adaptation.as_deref();
            let not_applicable: Vec<u32> = work
                .spec
                .tasks
                .iter()
                .map(|t| t.number)
                .filter(|&n| !work.spec.applies(version, n))
                .collect();
            for t in work.spec.tasks_of(version) {
                let v = if let Some(on_paper) = paper.task(s.code, t.number) {
                    on_paper
                } else if t.is_expert() {
                    self.final_expert(&work, s.code, t.number)?
                } else {
                    auto.get(&(s.code, t.number)).copied()
                };
                tasks.insert(t.number, v);
            }
            out.push(ParticipantResult {
                code: s.code,
                variant: s.variant,
                adaptation: s.adaptation.clone(),
                tasks,
                not_applicable,
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
        let submissions = self.submissions(work_id)?;
        match self.keys(work_id) {
            Err(_) if has_closed => {
                missing.push("ключи к заданиям с выбором ответа ещё не внесены".to_string());
            }
            Ok(keys) if has_closed => {
                for s in submissions
                    .iter()
                    .filter(|s| !has_variant(&keys, s.variant))
                {
                    missing.push(format!(
                        "код {}: в ключах нет варианта {}",
                        s.code, s.variant
                    ));
                }
            }
            _ => {}
        }
        let mut submitted: std::collections::HashSet<u32> =
            submissions.iter().map(|s| s.code).collect();
        submitted.extend(self.paper_source(&work, &submissions)?.codes);
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
        missing.extend(self.held_problems(work_id)?);
        missing.extend(self.receipt_problems(work_id)?);
        missing.extend(
            self.names_in_notes(work_id)?
                .iter()
                .map(ToString::to_string),
        );
        Ok(missing)
    }

    /// Correct the note of one expert score (a note the names scan stopped):
    /// the score itself stays as given.
    pub fn set_score_note(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        round: u32,
        criterion: &str,
        note: &str,
    ) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE expert_scores SET note = ?1
             WHERE work_id = ?2 AND code = ?3 AND task = ?4 AND round = ?5 AND criterion = ?6",
            params![note.trim(), work_id, code, task, round, criterion],
        )?;
        if n == 0 {
            return Err(CoordinatorError::Invalid(format!(
                "нет оценки: код {code}, задание {task}, проверка {round}, критерий {criterion}"
            )));
        }
        Ok(())
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
