//! The student's work as a state machine (no UI, no Tauri).
//!
//! The shell calls an action (or [`Session::tick`] a few times a second), carries out the
//! returned [`Effect`]s (play a track, start/stop a recording, show a reminder) and renders
//! [`Session::view`]. Every change is committed through the [`Journal`] *before* the effects
//! are returned, so a counted play or a started recording survives a crash; a restart goes
//! through [`Session::resume`] and continues at the same task, step and remaining time.
//!
//! Flow: code entry → confirmation → briefing → headset check (pass or organizer override)
//! → tasks (with eye breaks) → finish → closed («работа завершена»).

mod clock;
mod engine;
mod journal;
mod oral_actions;
mod state;
mod version;
mod view;

use std::sync::Arc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use engine::{MAX_ANSWER_CHARS, PLAY_GRACE_MS};
pub use journal::{FileJournal, Journal, MemoryJournal, MemoryJournalError};
pub use state::{
    By, Checkpoint, CloseReason, Effect, Event, EventKind, HeadsetStatus, ReasonCode, Stage, Step,
    TaskProgress, CHECKPOINT_FORMAT,
};
pub use view::{
    AdaptationChoice, PhaseView, Screen, SessionView, TaskScreen, TaskTab, TaskTabState,
    VersionChoices,
};

use crate::{is_code, model::Package, model::TaskContent, ExamError, Result};
use engine::Ctx;

/// While time runs, the checkpoint is saved at least this often (ms of session time), so a
/// crash costs at most about this much uncharged time.
pub const SAVE_EVERY_MS: u64 = 1_000;

/// A gap between two readings of the clock in which the machine slept at
/// least this long (boottime moved on, the awake clock did not) is a
/// suspend: the time is charged, and a `ClockGap` event and effect tell the
/// journal and the organizer.
pub const SUSPEND_MIN_MS: u64 = 2_000;

/// One participant's work at one station.
pub struct Session<C: Clock, J: Journal> {
    package: Arc<Package>,
    clock: C,
    journal: J,
    state: Checkpoint,
    last_ms: u64,
    last_awake_ms: u64,
    last_save_ms: u64,
}

impl<C: Clock, J: Journal> std::fmt::Debug for Session<C, J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("package", &self.package.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<C: Clock, J: Journal> Session<C, J> {
    /// A fresh session at the code-entry screen for `variant` of the package.
    pub fn new(package: Arc<Package>, variant: u32, clock: C, journal: J) -> Result<Self> {
        if package.variant(variant).is_none() {
            return Err(ExamError::UnknownVariant(variant));
        }
        let now = clock.monotonic_ms();
        let state = Checkpoint {
            format: state::CHECKPOINT_FORMAT,
            package_id: package.id.clone(),
            variant,
            code: None,
            adaptation: None,
            stage: Stage::CodeEntry,
            briefing_playing: false,
            headset: HeadsetStatus::NotChecked,
            paused: false,
            work_used_ms: 0,
            work_limit_ms: 0,
            tasks: Vec::new(),
            current: 0,
            step: Step::Answering,
            step_used_ms: 0,
            task_used_ms: 0,
            breaks_taken: Vec::new(),
            reminders_given: Vec::new(),
            answers: Default::default(),
            seq: 0,
            saved_wall_ms: clock.wall_ms(),
        };
        let awake = clock.awake_ms();
        Ok(Self {
            package,
            clock,
            journal,
            state,
            last_ms: now,
            last_awake_ms: awake,
            last_save_ms: now,
        })
    }

    /// Continue a session from its last checkpoint after a restart. Time while the station
    /// was down is not charged; a `Resumed` event records it. A play that was sounding counts
    /// as played; a recording that was running continues in a new segment for its remaining
    /// time (see the returned effects).
    pub fn resume(
        package: Arc<Package>,
        checkpoint: Checkpoint,
        clock: C,
        journal: J,
    ) -> Result<(Self, Vec<Effect>)> {
        check_checkpoint(&package, &checkpoint)?;
        let now = clock.monotonic_ms();
        let awake = clock.awake_ms();
        let mut session = Self {
            package,
            clock,
            journal,
            state: checkpoint,
            last_ms: now,
            last_awake_ms: awake,
            last_save_ms: now,
        };
        let downtime = session
            .clock
            .wall_ms()
            .saturating_sub(session.state.saved_wall_ms)
            .max(0);
        let effects = session.transact(false, |c| {
            c.events.push(EventKind::Resumed {
                downtime_ms: u64::try_from(downtime).unwrap_or(0),
            });
            if c.s.stage == Stage::Briefing {
                // The briefing read aloud plays once: sounding at the crash, it counts as heard.
                c.briefing_ended(By::Timer);
            }
            if matches!(c.s.stage, Stage::Closed { .. }) || c.s.stage != Stage::Task {
                return Ok(());
            }
            match c.s.step {
                Step::Playing { play_no } => c.play_ended(play_no, By::Timer),
                Step::Recording { .. } if !c.s.paused => c.continue_recording(),
                // An instruction sounds again; a question that was sounding counts as heard.
                Step::Instruction if !c.s.paused => c.play_instruction(),
                Step::Question { part } if !c.s.paused => c.prompt_ended(Some(part), By::Timer),
                _ => Ok(()),
            }
        })?;
        Ok((session, effects))
    }

    // ----- reading -----

    pub fn package(&self) -> &Arc<Package> {
        &self.package
    }

    /// The state as last committed (or about to be).
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.state
    }

    pub fn journal(&self) -> &J {
        &self.journal
    }

    pub fn journal_mut(&mut self) -> &mut J {
        &mut self.journal
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.state.stage, Stage::Closed { .. })
    }

    /// What the station shows now (no keys; task content in the target language).
    pub fn view(&self) -> SessionView {
        let mut s = self.state.clone();
        let elapsed = self.clock.monotonic_ms().saturating_sub(self.last_ms);
        let mut c = Ctx::new(&self.package, &mut s);
        // Show the time as of now without committing anything.
        let _ = c.advance(elapsed);
        view::render(&c)
    }

    // ----- time -----

    /// Let time pass: fires expiries (auto-play, auto-record, auto-stop, auto-advance,
    /// eye-break end, reminders, time up). Call a few times a second.
    pub fn tick(&mut self) -> Result<Vec<Effect>> {
        self.transact(false, |_| Ok(()))
    }

    // ----- before the work -----

    /// The participant typed a code (5 digits; checked against the package list if any).
    pub fn enter_code(&mut self, code: &str) -> Result<Vec<Effect>> {
        let code = code.trim().to_owned();
        self.transact(true, |c| {
            expect_stage(c, &Stage::CodeEntry)?;
            if !is_code(&code) {
                return Err(ExamError::BadCode);
            }
            if let Some(list) = &c.pkg.participant_codes {
                if !list.contains(&code) {
                    return Err(ExamError::UnknownCode(code));
                }
            }
            c.s.code = Some(code.clone());
            c.s.stage = Stage::Confirm;
            c.events.push(EventKind::CodeEntered { code });
            Ok(())
        })
    }

    /// The participant confirms the code shown (or goes back to re-enter it).
    pub fn confirm_code(&mut self, correct: bool) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            expect_stage(c, &Stage::Confirm)?;
            let code = c.s.code.clone().unwrap_or_default();
            if correct {
                c.s.stage = Stage::Briefing;
                c.events.push(EventKind::CodeConfirmed {
                    code,
                    variant: c.s.variant,
                });
                c.play_briefing();
            } else {
                c.s.code = None;
                c.s.stage = Stage::CodeEntry;
                c.events.push(EventKind::CodeRejectedByParticipant { code });
            }
            Ok(())
        })
    }

    /// Organizer: choose the participant's adapted version (None: the standard one).
    /// Only before the work starts.
    pub fn set_adaptation(&mut self, id: Option<&str>) -> Result<Vec<Effect>> {
        let id = id.map(str::to_owned);
        self.transact(true, |c| {
            if !matches!(
                c.s.stage,
                Stage::CodeEntry | Stage::Confirm | Stage::Briefing | Stage::HeadsetCheck
            ) {
                return Err(ExamError::NotNow("работа уже начата"));
            }
            if let Some(id) = &id {
                if c.pkg.adaptation(id).is_none() {
                    return Err(ExamError::UnknownAdaptation(id.clone()));
                }
            }
            c.s.adaptation = id.clone();
            c.events.push(EventKind::AdaptationSet { adaptation: id });
            Ok(())
        })
    }

    /// The participant has read the briefing.
    pub fn finish_briefing(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            expect_stage(c, &Stage::Briefing)?;
            c.briefing_ended(By::Participant);
            c.s.stage = Stage::HeadsetCheck;
            c.events.push(EventKind::BriefingDone);
            Ok(())
        })
    }

    /// The outcome of the headset check the shell ran (tone heard, microphone level).
    pub fn headset_checked(&mut self, passed: bool) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            expect_stage(c, &Stage::HeadsetCheck)?;
            if c.s.headset != HeadsetStatus::Overridden {
                c.s.headset = if passed {
                    HeadsetStatus::Passed
                } else {
                    HeadsetStatus::Failed
                };
            }
            c.events.push(EventKind::HeadsetChecked { passed });
            Ok(())
        })
    }

    /// Organizer override of the headset check (the shell has verified the PIN).
    pub fn override_headset(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            expect_stage(c, &Stage::HeadsetCheck)?;
            c.s.headset = HeadsetStatus::Overridden;
            c.events.push(EventKind::HeadsetOverridden);
            Ok(())
        })
    }

    /// Start the work: the work clock starts and the first task opens.
    pub fn start_work(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            expect_stage(c, &Stage::HeadsetCheck)?;
            if !matches!(
                c.s.headset,
                HeadsetStatus::Passed | HeadsetStatus::Overridden
            ) {
                return Err(ExamError::HeadsetNotChecked);
            }
            let variant = c
                .pkg
                .variant(c.s.variant)
                .ok_or(ExamError::UnknownVariant(c.s.variant))?;
            c.s.tasks = c
                .pkg
                .tasks_for(variant, c.adaptation())
                .iter()
                .map(|t| TaskProgress {
                    number: t.number,
                    entered: false,
                    closed: false,
                    plays_used: 0,
                    segments: 0,
                    photo: None,
                    part: 0,
                })
                .collect();
            if c.s.tasks.is_empty() {
                return Err(ExamError::BadCheckpoint("в работе нет заданий".into()));
            }
            c.s.work_limit_ms = c.work_limit();
            c.s.work_used_ms = 0;
            c.events.push(EventKind::WorkStarted {
                limit_ms: c.s.work_limit_ms,
            });
            c.enter(0)
        })
    }

    // ----- during the work -----

    /// Grant a play of the open listening task's track now (instead of waiting for the
    /// reading time or the pause to run out). Refused beyond the allowed count, while a play
    /// sounds, or outside listening. The count is committed before `PlayTrack` is returned.
    pub fn request_play(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            c.grant_play()
        })
    }

    /// The shell reports that play `play_no` of the open task's track has
    /// ended by itself (journaled `by: media`: no one stopped it).
    pub fn track_finished(&mut self, play_no: u32) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            if c.s.stage == Stage::Task && c.s.step == (Step::Playing { play_no }) {
                c.play_ended(play_no, By::Media)?;
            }
            Ok(())
        })
    }

    /// Save a closed-item answer of the open task ("" clears it). Unchanged values are not
    /// committed again, so the UI may call this on every keystroke (debounced).
    pub fn set_answer(&mut self, item: &str, value: &str) -> Result<Vec<Effect>> {
        let item = item.to_owned();
        let value = value.to_owned();
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            let task = c.current_task()?;
            if !task.item_ids().contains(&item.as_str()) {
                return Err(ExamError::UnknownItem(item));
            }
            if !matches!(
                c.s.step,
                Step::Answering | Step::ReadQuestions | Step::Playing { .. } | Step::PauseBetween
            ) {
                return Err(ExamError::NotNow("ответы в этом задании не вводятся"));
            }
            // Count no further than the cap: a pasted megabyte is refused
            // without walking it all.
            if value.chars().take(task.answer_cap() + 1).count() > task.answer_cap() {
                return Err(ExamError::AnswerTooLong);
            }
            if let Some(labels) = task.choice_labels(&item) {
                if !value.is_empty() && !labels.contains(&value.as_str()) {
                    return Err(ExamError::UnknownItem(format!("{item}: {value}")));
                }
            }
            let old = c.s.answers.get(&item).map(String::as_str).unwrap_or("");
            if old == value {
                return Ok(());
            }
            if value.is_empty() {
                c.s.answers.remove(&item);
            } else {
                c.s.answers.insert(item.clone(), value.clone());
            }
            c.events.push(EventKind::Answer {
                task: task.number,
                item,
                value,
            });
            Ok(())
        })
    }

    /// Go on to the next task (or to the finish screen after the last one).
    pub fn next_task(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            if !c.can_leave() {
                return Err(ExamError::NotNow("сначала закончите текущий этап задания"));
            }
            c.leave_forward(By::Participant)
        })
    }

    /// Return to an earlier written task that is not time-fixed (from a task or the finish
    /// screen).
    pub fn open_task(&mut self, number: u32) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            c.reopen(number)
        })
    }

    /// The participant confirms the end of the work on the finish screen.
    pub fn finish(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Finish)?;
            c.close(CloseReason::Completed);
            Ok(())
        })
    }

    // ----- organizer (the shell verifies the PIN) -----

    /// Pause for a technical failure: timers stop, a sounding play stays counted, a recording
    /// stops and continues in a new segment on resume.
    pub fn pause(&mut self, code: ReasonCode) -> Result<Vec<Effect>> {
        self.transact(true, |c| c.pause(code))
    }

    /// End the pause; paused time is not charged.
    pub fn resume_work(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| c.unpause())
    }

    /// Record a technical-failure act: the session closes as «технический сбой».
    pub fn technical_failure(&mut self, code: ReasonCode) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            if matches!(c.s.stage, Stage::Closed { .. }) {
                return Err(ExamError::Closed);
            }
            c.close(CloseReason::TechnicalFailure { code });
            Ok(())
        })
    }

    /// End the work early.
    pub fn end_early(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            if matches!(c.s.stage, Stage::Closed { .. }) {
                return Err(ExamError::Closed);
            }
            c.close(CloseReason::EndedEarly);
            Ok(())
        })
    }

    // ----- the one place state changes -----

    /// Charge the time since the last call, apply `action` to a copy of the state, commit
    /// it with its events, and only then adopt it and return its effects. On any error the
    /// state is unchanged (the next call redoes the time).
    fn transact(
        &mut self,
        is_action: bool,
        action: impl FnOnce(&mut Ctx<'_>) -> Result<()>,
    ) -> Result<Vec<Effect>> {
        let now = self.clock.monotonic_ms();
        let awake = self.clock.awake_ms();
        let elapsed = now.saturating_sub(self.last_ms);
        let slept = elapsed.saturating_sub(awake.saturating_sub(self.last_awake_ms));
        let mut next = self.state.clone();
        let (effects, events) = {
            let mut c = Ctx::new(&self.package, &mut next);
            if slept >= SUSPEND_MIN_MS
                && !matches!(c.s.stage, Stage::CodeEntry | Stage::Closed { .. })
            {
                // The machine slept: the time still counts, and it is told.
                tracing::warn!(elapsed, slept, "the station was suspended during the work");
                c.events.push(EventKind::ClockGap {
                    gap_ms: elapsed,
                    slept_ms: slept,
                });
                c.effects.push(Effect::ClockGap {
                    gap_ms: elapsed,
                    slept_ms: slept,
                });
            }
            c.advance(elapsed)?;
            if is_action && matches!(c.s.stage, Stage::Closed { .. }) {
                // Time may have closed the work before the action got its turn.
                if c.events.is_empty() {
                    return Err(ExamError::Closed);
                }
            } else {
                action(&mut c)?;
            }
            (c.effects, c.events)
        };
        let timers_moved = (next.work_used_ms, next.task_used_ms, next.step_used_ms)
            != (
                self.state.work_used_ms,
                self.state.task_used_ms,
                self.state.step_used_ms,
            );
        let due = timers_moved && now.saturating_sub(self.last_save_ms) >= SAVE_EVERY_MS;
        if !events.is_empty() || due {
            let wall = self.clock.wall_ms();
            let stamped: Vec<Event> = events
                .into_iter()
                .enumerate()
                .map(|(i, kind)| Event {
                    seq: next.seq + 1 + i as u64,
                    at_ms: wall,
                    work_used_ms: next.work_used_ms,
                    kind,
                })
                .collect();
            next.seq += stamped.len() as u64;
            next.saved_wall_ms = wall;
            self.journal
                .commit(&next, &stamped)
                .map_err(|e| ExamError::Journal(e.to_string()))?;
            self.last_save_ms = now;
        }
        // Time charged but not yet due for saving stays in memory until the next save.
        self.state = next;
        self.last_ms = now;
        self.last_awake_ms = awake;
        Ok(effects)
    }
}

fn expect_stage(c: &Ctx<'_>, stage: &Stage) -> Result<()> {
    if matches!(c.s.stage, Stage::Closed { .. }) {
        return Err(ExamError::Closed);
    }
    if &c.s.stage == stage {
        Ok(())
    } else {
        Err(ExamError::NotNow("не на этом шаге работы"))
    }
}

fn check_checkpoint(p: &Package, cp: &Checkpoint) -> Result<()> {
    let bad = |m: String| Err(ExamError::BadCheckpoint(m));
    if cp.format != CHECKPOINT_FORMAT {
        return bad(format!("формат {}", cp.format));
    }
    if cp.package_id != p.id {
        return bad(format!("пакет «{}», а открыт «{}»", cp.package_id, p.id));
    }
    let Some(v) = p.variant(cp.variant) else {
        return bad(format!("нет варианта {}", cp.variant));
    };
    if let Some(a) = &cp.adaptation {
        if p.adaptation(a).is_none() {
            return bad(format!("нет версии «{a}»"));
        }
    }
    for t in &cp.tasks {
        if !v.tasks.iter().any(|x| x.number == t.number) {
            return bad(format!("нет задания {}", t.number));
        }
    }
    let needs_task = matches!(cp.stage, Stage::Task);
    if needs_task && cp.current >= cp.tasks.len() {
        return bad("текущее задание за пределами работы".into());
    }
    if let Stage::EyeBreak { then, .. } = cp.stage {
        if then >= cp.tasks.len() {
            return bad("задание после перерыва за пределами работы".into());
        }
    }
    Ok(())
}
