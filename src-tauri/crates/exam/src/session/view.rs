//! What the station shows: a serialisable description of the screen (no keys).

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Language, TaskContent, TaskKind};

use super::{
    engine::Ctx,
    state::{CloseReason, HeadsetStatus, Stage, Step},
};

/// The whole screen of a station.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionView {
    pub package_title: String,
    pub language: Language,
    /// On-screen keys for letters a Russian keyboard lacks.
    pub special_letters: Vec<String>,
    pub code: Option<String>,
    pub variant: u32,
    /// Title of the adapted version, if any.
    pub adaptation: Option<String>,
    /// Until the work starts: the variants and versions the organizer may
    /// choose from, and the one chosen (None once the work runs).
    pub choices: Option<VersionChoices>,
    pub screen: Screen,
    /// The organizer paused the work: show the pause overlay.
    pub paused: bool,
    /// Work time left (seconds, rounded up) once the work has started.
    pub work_left_s: Option<u32>,
    /// The latest reminder given (minutes left), to show as a banner.
    pub reminder_minutes: Option<u32>,
    /// The task bar.
    pub tasks: Vec<TaskTab>,
    /// Once the work is closed as finished or a technical failure: the
    /// paper receipt (`ABCD-EFGH`) the organizer copies into the protocol
    /// next to the code. Filled by the station from its hash chain.
    pub receipt: Option<String>,
    /// A short notice for the student (e.g. after a restart the recording
    /// goes on), filled by the station.
    pub notice: Option<String>,
}

/// What the organizer may set before the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VersionChoices {
    /// Variant numbers of the package, in order.
    pub variants: Vec<u32>,
    /// Adapted versions (ОВЗ) of the package.
    pub adaptations: Vec<AdaptationChoice>,
    /// Id of the adapted version chosen (None: the standard one).
    pub adaptation_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AdaptationChoice {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum Screen {
    CodeEntry,
    Confirm {
        code: String,
    },
    Briefing {
        paragraphs: Vec<String>,
        /// The briefing is being read aloud in the headphones.
        reading_aloud: bool,
    },
    HeadsetCheck {
        status: HeadsetStatus,
    },
    Task(TaskScreen),
    EyeBreak {
        left_s: u32,
        after_task: u32,
    },
    /// Confirm the end of the work; `unanswered` lists empty closed items of tasks that can
    /// still be reopened (`reopenable`).
    Finish {
        unanswered: Vec<String>,
        reopenable: Vec<u32>,
    },
    Closed {
        reason: CloseReason,
        message: String,
    },
}

/// One task on screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TaskScreen {
    pub number: u32,
    pub title: String,
    pub instruction: String,
    pub max_score: u32,
    pub kind: TaskKind,
    /// The materials (target language); media paths are relative to the package folder.
    pub content: TaskContent,
    pub phase: PhaseView,
    /// Fixed-time tasks: seconds left before the station moves on by itself.
    pub task_left_s: Option<u32>,
    /// Listening: plays used and allowed.
    pub plays_used: u32,
    pub plays_total: u32,
    pub plays_left: u32,
    /// Monologue: the chosen photo (1-based).
    pub photo: Option<u32>,
    /// Interview and «ask questions»: the question or prompt now open
    /// (1-based; 0 before the first) and how many there are.
    pub part: u32,
    pub parts: u32,
    /// Written answer: words typed so far (the range is in the content).
    pub words: Option<u32>,
    /// The answers given to this task's items.
    pub answers: BTreeMap<String, String>,
    /// Whether «Далее» is available now.
    pub can_leave: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum PhaseView {
    Answering,
    ReadQuestions {
        left_s: u32,
    },
    Playing {
        play_no: u32,
        of: u32,
    },
    PauseBetween {
        left_s: u32,
        next_play: u32,
    },
    /// The task's instruction is being read aloud.
    Instruction,
    /// Interview: question `part` of `of` is sounding.
    Question {
        part: u32,
        of: u32,
    },
    Prep {
        left_s: u32,
    },
    Recording {
        left_s: u32,
    },
    Recorded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaskTab {
    pub number: u32,
    pub title: String,
    pub state: TaskTabState,
    /// Closed items answered / total.
    pub answered: u32,
    pub items: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskTabState {
    NotYet,
    Current,
    /// Entered and may be reopened.
    Open,
    Closed,
}

fn secs(ms: u64) -> u32 {
    u32::try_from(ms.div_ceil(1000)).unwrap_or(u32::MAX)
}

pub(crate) fn render(c: &Ctx<'_>) -> SessionView {
    let s = &*c.s;
    let pkg = c.pkg;
    let started = !s.tasks.is_empty();
    let work_left_s = (started && !matches!(s.stage, Stage::Closed { .. }))
        .then(|| secs(s.work_limit_ms.saturating_sub(s.work_used_ms)));
    let screen = match &s.stage {
        Stage::CodeEntry => Screen::CodeEntry,
        Stage::Confirm => Screen::Confirm {
            code: s.code.clone().unwrap_or_default(),
        },
        Stage::Briefing => Screen::Briefing {
            paragraphs: pkg.briefing.clone(),
            reading_aloud: s.briefing_playing,
        },
        Stage::HeadsetCheck => Screen::HeadsetCheck { status: s.headset },
        Stage::Task => task_screen(c).map_or(Screen::CodeEntry, Screen::Task),
        Stage::EyeBreak { after_task, .. } => Screen::EyeBreak {
            left_s: secs(
                c.step_limit()
                    .ok()
                    .flatten()
                    .unwrap_or(0)
                    .saturating_sub(s.step_used_ms),
            ),
            after_task: *after_task,
        },
        Stage::Finish => {
            let mut unanswered = Vec::new();
            let mut reopenable = Vec::new();
            for (i, p) in s.tasks.iter().enumerate() {
                let Ok(t) = c.task_at(i) else { continue };
                if p.entered && !p.closed {
                    reopenable.push(t.number);
                    unanswered.extend(
                        t.item_ids()
                            .into_iter()
                            .filter(|id| !s.answers.contains_key(*id))
                            .map(str::to_owned),
                    );
                }
            }
            Screen::Finish {
                unanswered,
                reopenable,
            }
        }
        Stage::Closed { reason } => Screen::Closed {
            reason: reason.clone(),
            message: reason.message_ru().to_owned(),
        },
    };
    let tasks = s
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let t = c.task_at(i).ok()?;
            let ids = t.item_ids();
            let state = if s.stage == Stage::Task && i == s.current {
                TaskTabState::Current
            } else if p.closed {
                TaskTabState::Closed
            } else if p.entered {
                TaskTabState::Open
            } else {
                TaskTabState::NotYet
            };
            Some(TaskTab {
                number: t.number,
                title: t.title.clone(),
                state,
                answered: u32::try_from(
                    ids.iter().filter(|id| s.answers.contains_key(**id)).count(),
                )
                .unwrap_or(0),
                items: u32::try_from(ids.len()).unwrap_or(0),
            })
        })
        .collect();
    SessionView {
        package_title: pkg.title.clone(),
        language: pkg.language,
        special_letters: pkg
            .language
            .special_letters()
            .iter()
            .map(|l| (*l).to_owned())
            .collect(),
        code: s.code.clone(),
        variant: s.variant,
        adaptation: c.adaptation().map(|a| a.title.clone()),
        choices: matches!(
            s.stage,
            Stage::CodeEntry | Stage::Confirm | Stage::Briefing | Stage::HeadsetCheck
        )
        .then(|| {
            let mut variants: Vec<u32> = pkg.variants.iter().map(|v| v.number).collect();
            variants.sort_unstable();
            VersionChoices {
                variants,
                adaptations: pkg
                    .adaptations
                    .iter()
                    .map(|a| AdaptationChoice {
                        id: a.id.clone(),
                        title: a.title.clone(),
                    })
                    .collect(),
                adaptation_id: s.adaptation.clone(),
            }
        }),
        screen,
        paused: s.paused,
        work_left_s,
        reminder_minutes: s.reminders_given.last().map(|r| r.div_ceil(60)),
        tasks,
        receipt: None,
        notice: None,
    }
}

fn task_screen(c: &Ctx<'_>) -> Option<TaskScreen> {
    let s = &*c.s;
    let t = c.current_task().ok()?;
    let p = s.tasks.get(s.current)?;
    let step_left = secs(
        c.step_limit()
            .ok()
            .flatten()
            .unwrap_or(0)
            .saturating_sub(s.step_used_ms),
    );
    let plays_total = match &t.content {
        TaskContent::Listening(l) => l.plays,
        _ => 0,
    };
    let phase = match s.step {
        Step::Answering => PhaseView::Answering,
        Step::ReadQuestions => PhaseView::ReadQuestions { left_s: step_left },
        Step::Playing { play_no } => PhaseView::Playing {
            play_no,
            of: plays_total,
        },
        Step::PauseBetween => PhaseView::PauseBetween {
            left_s: step_left,
            next_play: p.plays_used + 1,
        },
        Step::Instruction => PhaseView::Instruction,
        Step::Question { part } => PhaseView::Question {
            part,
            of: t.recorded_parts(),
        },
        Step::Prep => PhaseView::Prep { left_s: step_left },
        Step::Recording { .. } => PhaseView::Recording { left_s: step_left },
        Step::Recorded => PhaseView::Recorded,
    };
    let ids = t.item_ids();
    Some(TaskScreen {
        number: t.number,
        title: t.title.clone(),
        instruction: t.instruction.clone(),
        max_score: t.max_score,
        kind: t.kind(),
        content: t.for_station(),
        phase,
        task_left_s: c
            .task_limit()
            .ok()
            .flatten()
            .map(|l| secs(l.saturating_sub(s.task_used_ms))),
        plays_used: p.plays_used,
        plays_total,
        plays_left: plays_total.saturating_sub(p.plays_used),
        photo: p.photo,
        part: p.part,
        parts: t.recorded_parts(),
        words: match &t.content {
            TaskContent::Written(w) => Some(crate::model::word_count(
                s.answers.get(&w.id).map_or("", String::as_str),
            )),
            _ => None,
        },
        answers: s
            .answers
            .iter()
            .filter(|(k, _)| ids.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        can_leave: c.can_leave() && !s.paused,
    })
}
