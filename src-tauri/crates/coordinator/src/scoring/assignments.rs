//! Table `assignments`: which expert scores which piece in which round.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, Result, StaffMember, StaffRole, Work};

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
    /// The recorded answers to play, one entry per part: a task recorded as
    /// one answer has part 0; an interview or «ask questions» task one part
    /// per question (listed even when nothing was recorded for it). Empty
    /// when the task is written.
    pub parts: Vec<ExpertPart>,
    /// Scores already given in this round (empty when not yet scored).
    pub scores: Vec<CriterionScore>,
}

/// One recorded answer of an expert's piece: its segments in order (more
/// than one when the answer continued after a pause or a restart) and, for
/// an interview's question, the criterion scoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExpertPart {
    /// The question or prompt (1-based), 0 for a task recorded as one answer.
    pub part: u32,
    /// The criterion of this part (criterion i scores question i when the
    /// task has as many criteria as questions).
    pub criterion: Option<String>,
    pub segments: Vec<RecordingRef>,
}

/// The parts of an expert's piece from the task and its recordings.
pub(crate) fn expert_parts(spec: &crate::TaskSpec, recordings: &[RecordingRef]) -> Vec<ExpertPart> {
    let mine: Vec<&RecordingRef> = recordings
        .iter()
        .filter(|r| r.task == spec.number)
        .collect();
    let recorded_max = mine.iter().map(|r| r.part).max().unwrap_or(0);
    let questions = if spec.parts > 0 {
        spec.parts
    } else {
        recorded_max
    };
    let paired = questions > 0 && spec.criteria.len() == questions as usize;
    let mut numbers: Vec<u32> = if questions > 0 {
        (1..=questions).collect()
    } else {
        Vec::new()
    };
    for r in &mine {
        if !numbers.contains(&r.part) {
            numbers.push(r.part);
        }
    }
    numbers.sort_unstable();
    numbers
        .into_iter()
        .map(|part| ExpertPart {
            part,
            criterion: (paired && part > 0)
                .then(|| spec.criteria.get(part as usize - 1).map(|c| c.id.clone()))
                .flatten(),
            segments: mine
                .iter()
                .filter(|r| r.part == part)
                .map(|r| (*r).clone())
                .collect(),
        })
        .collect()
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
    pub(crate) fn experts_for(&self, work: &Work) -> Result<Vec<StaffMember>> {
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

    pub(crate) fn class_of_code(&self, code: u32) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT c.name FROM participants p JOIN classes c ON c.id = p.class_id WHERE p.code = ?1",
                [code],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(crate) fn load(&self, work_id: i64) -> Result<HashMap<String, u32>> {
        let mut st = self.conn.prepare(
            "SELECT expert, COUNT(*) FROM assignments WHERE work_id = ?1 GROUP BY expert",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn assigned(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
    ) -> Result<Vec<(u32, String)>> {
        let mut st = self.conn.prepare(
            "SELECT round, expert FROM assignments WHERE work_id = ?1 AND code = ?2 AND task = ?3",
        )?;
        let rows = st.query_map(params![work_id, code, task], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Pick the least-loaded eligible expert not in `exclude` and not teaching `class`.
    pub(crate) fn pick(
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
            for task in work
                .spec
                .tasks_of(s.adaptation.as_deref())
                .filter(|t| t.is_expert())
            {
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
                parts: expert_parts(spec, &self.recordings(work_id, code)?),
                scores: self.round_scores(work_id, code, task, round)?,
            });
        }
        Ok(out)
    }
}
