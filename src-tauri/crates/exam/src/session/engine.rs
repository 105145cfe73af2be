//! The rules: every transition of a session, applied to a copy of its checkpoint.

use crate::{
    model::{Adaptation, Package, Task, TaskContent, TaskKind},
    ExamError, Result,
};

use super::state::{
    By, Checkpoint, CloseReason, Effect, EventKind, ReasonCode, Stage, Step, TaskProgress,
};

/// Extra time a track may sound beyond its declared length before it counts as ended
/// even if the shell never reported its end.
pub const PLAY_GRACE_MS: u64 = 5_000;
/// Longest typed short answer kept (a written answer takes
/// [`crate::model::MAX_WRITTEN_CHARS`]).
pub const MAX_ANSWER_CHARS: usize = crate::model::MAX_SHORT_ANSWER_CHARS;
/// Guard against a transition loop (each expiry changes the state; this is only a fuse).
const MAX_CASCADE: usize = 512;

pub(crate) struct Ctx<'a> {
    pub pkg: &'a Package,
    pub s: &'a mut Checkpoint,
    pub effects: Vec<Effect>,
    pub events: Vec<EventKind>,
}

mod oral;

fn question(i: &crate::model::Interview, part: u32) -> Option<&crate::model::InterviewQuestion> {
    i.questions.get(usize::try_from(part.checked_sub(1)?).ok()?)
}

fn ms(s: u32) -> u64 {
    u64::from(s) * 1000
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl<'a> Ctx<'a> {
    pub fn new(pkg: &'a Package, s: &'a mut Checkpoint) -> Self {
        Self {
            pkg,
            s,
            effects: Vec::new(),
            events: Vec::new(),
        }
    }

    // ----- lookups -----

    pub fn adaptation(&self) -> Option<&'a Adaptation> {
        let pkg: &'a Package = self.pkg;
        self.s
            .adaptation
            .as_deref()
            .and_then(|id| pkg.adaptation(id))
    }

    pub fn task_at(&self, index: usize) -> Result<&'a Task> {
        let pkg: &'a Package = self.pkg;
        let number =
            self.s.tasks.get(index).map(|t| t.number).ok_or_else(|| {
                ExamError::BadCheckpoint(format!("нет задания с индексом {index}"))
            })?;
        pkg.variant(self.s.variant)
            .and_then(|v| v.tasks.iter().find(|t| t.number == number))
            .ok_or_else(|| ExamError::BadCheckpoint(format!("нет задания {number}")))
    }

    pub fn current_task(&self) -> Result<&'a Task> {
        self.task_at(self.s.current)
    }

    fn progress(&mut self) -> Result<&mut TaskProgress> {
        let i = self.s.current;
        self.s
            .tasks
            .get_mut(i)
            .ok_or_else(|| ExamError::BadCheckpoint(format!("нет задания с индексом {i}")))
    }

    /// A duration from the package, scaled for extended time.
    pub fn scaled(&self, seconds: u32) -> u64 {
        match self.adaptation() {
            Some(a) => a.scale_ms(ms(seconds)),
            None => ms(seconds),
        }
    }

    pub fn work_limit(&self) -> u64 {
        let extra = self.adaptation().map_or(0, |a| ms(a.extra_s));
        self.scaled(self.pkg.timing.total_s).saturating_add(extra)
    }

    fn work_active(&self) -> bool {
        !self.s.paused && matches!(self.s.stage, Stage::Task | Stage::Finish)
    }

    pub fn task_limit(&self) -> Result<Option<u64>> {
        if self.s.stage != Stage::Task {
            return Ok(None);
        }
        Ok(self.current_task()?.fixed_s.map(|f| self.scaled(f)))
    }

    pub fn step_limit(&self) -> Result<Option<u64>> {
        match self.s.stage {
            Stage::EyeBreak { after_task, .. } => Ok(self
                .pkg
                .timing
                .eye_breaks
                .iter()
                .find(|b| b.after_task == after_task)
                .map(|b| ms(b.duration_s))),
            Stage::Task => {
                let task = self.current_task()?;
                if self.s.step == Step::Instruction {
                    return Ok(task
                        .instruction_track
                        .as_ref()
                        .map(|t| ms(t.duration_s).saturating_add(PLAY_GRACE_MS)));
                }
                Ok(match (&task.content, self.s.step) {
                    (TaskContent::Listening(l), Step::ReadQuestions) => {
                        Some(self.scaled(l.read_first_s))
                    }
                    (TaskContent::Listening(l), Step::Playing { .. }) => {
                        Some(ms(l.duration_s).saturating_add(PLAY_GRACE_MS))
                    }
                    (TaskContent::Listening(l), Step::PauseBetween) => Some(ms(l.pause_between_s)),
                    (TaskContent::ReadingAloud(r), Step::Prep) => Some(self.scaled(r.prep_s)),
                    (TaskContent::Monologue(m), Step::Prep) => Some(self.scaled(m.prep_s)),
                    (TaskContent::ReadingAloud(r), Step::Recording { .. }) => Some(ms(r.answer_s)),
                    (TaskContent::Monologue(m), Step::Recording { .. }) => Some(ms(m.answer_s)),
                    (TaskContent::Interview(i), Step::Prep) => Some(self.scaled(i.read_first_s)),
                    (TaskContent::Interview(i), Step::Question { part }) => {
                        question(i, part).map(|q| ms(q.duration_s).saturating_add(PLAY_GRACE_MS))
                    }
                    (TaskContent::Interview(i), Step::Recording { .. }) => Some(ms(i.answer_s)),
                    (TaskContent::AskQuestions(a), Step::Prep) => Some(self.scaled(a.prep_s)),
                    (TaskContent::AskQuestions(a), Step::Recording { .. }) => Some(ms(a.answer_s)),
                    _ => None,
                })
            }
            _ => Ok(None),
        }
    }

    fn ensure_open(&self) -> Result<()> {
        if matches!(self.s.stage, Stage::Closed { .. }) {
            Err(ExamError::Closed)
        } else {
            Ok(())
        }
    }

    pub fn ensure_not_paused(&self) -> Result<()> {
        self.ensure_open()?;
        if self.s.paused {
            Err(ExamError::NotNow("работа приостановлена организатором"))
        } else {
            Ok(())
        }
    }

    // ----- time -----

    /// Charge `delta` ms to the running meters, firing every expiry on the way in order.
    pub fn advance(&mut self, mut delta: u64) -> Result<()> {
        for _ in 0..MAX_CASCADE {
            if self.s.paused
                || !matches!(
                    self.s.stage,
                    Stage::Task | Stage::EyeBreak { .. } | Stage::Finish
                )
            {
                return Ok(());
            }
            let work_on = self.work_active();
            let work_left =
                work_on.then(|| self.s.work_limit_ms.saturating_sub(self.s.work_used_ms));
            let task_left = self
                .task_limit()?
                .map(|l| l.saturating_sub(self.s.task_used_ms));
            let step_left = self
                .step_limit()?
                .map(|l| l.saturating_sub(self.s.step_used_ms));
            let next = [work_left, task_left, step_left]
                .into_iter()
                .flatten()
                .min();
            let charge = next.map_or(delta, |n| n.min(delta));
            if work_on {
                self.s.work_used_ms = self.s.work_used_ms.saturating_add(charge);
            }
            if task_left.is_some() {
                self.s.task_used_ms = self.s.task_used_ms.saturating_add(charge);
            }
            if step_left.is_some() {
                self.s.step_used_ms = self.s.step_used_ms.saturating_add(charge);
            }
            delta -= charge;
            if work_on {
                self.reminders();
            }
            match next {
                Some(n) if n <= charge => {}
                _ => return Ok(()),
            }
            if work_left.is_some_and(|w| w <= charge) {
                self.close(CloseReason::TimeUp);
            } else if task_left.is_some_and(|t| t <= charge) {
                self.fixed_time_over()?;
            } else {
                self.step_over()?;
            }
        }
        Ok(())
    }

    fn reminders(&mut self) {
        let left = self.s.work_limit_ms.saturating_sub(self.s.work_used_ms);
        for &r in &self.pkg.timing.reminders_s {
            let threshold = ms(r);
            if self.s.work_limit_ms > threshold
                && left <= threshold
                && !self.s.reminders_given.contains(&r)
            {
                self.s.reminders_given.push(r);
                self.events.push(EventKind::Reminder { seconds_left: r });
                self.effects.push(Effect::Reminder {
                    minutes_left: r.div_ceil(60),
                });
            }
        }
    }

    fn step_over(&mut self) -> Result<()> {
        if let Stage::EyeBreak { after_task, then } = self.s.stage {
            self.events.push(EventKind::EyeBreakEnded { after_task });
            return self.enter(then);
        }
        match self.s.step {
            Step::ReadQuestions | Step::PauseBetween => self.grant_play(),
            Step::Playing { play_no } => self.play_ended(play_no, By::Timer),
            Step::Instruction => self.prompt_ended(None, By::Timer),
            Step::Question { part } => self.prompt_ended(Some(part), By::Timer),
            Step::Prep => self.start_recording(),
            Step::Recording { segment } => self.stop_recording(segment, By::Timer),
            Step::Answering | Step::Recorded => Ok(()),
        }
    }

    fn fixed_time_over(&mut self) -> Result<()> {
        self.stop_media(By::Timer)?;
        self.leave_forward(By::Timer)
    }

    // ----- listening -----

    /// Count a play (persisted with this transition) and start it.
    pub fn grant_play(&mut self) -> Result<()> {
        let task = self.current_task()?;
        let TaskContent::Listening(l) = &task.content else {
            return Err(ExamError::NotNow("в этом задании нет записи"));
        };
        match self.s.step {
            Step::Playing { .. } => return Err(ExamError::AlreadyPlaying),
            Step::ReadQuestions | Step::PauseBetween => {}
            _ => return Err(ExamError::PlaysExhausted(l.plays)),
        }
        let p = self.progress()?;
        if p.plays_used >= l.plays {
            return Err(ExamError::PlaysExhausted(l.plays));
        }
        p.plays_used += 1;
        let play_no = p.plays_used;
        self.set_step(Step::Playing { play_no });
        self.events.push(EventKind::PlayGranted {
            task: task.number,
            play_no,
        });
        self.effects.push(Effect::PlayTrack {
            task: task.number,
            track: l.track.clone(),
            play_no,
            plays: l.plays,
        });
        Ok(())
    }

    pub fn play_ended(&mut self, play_no: u32, by: By) -> Result<()> {
        let task = self.current_task()?;
        let TaskContent::Listening(l) = &task.content else {
            return Ok(());
        };
        self.events.push(EventKind::PlayEnded {
            task: task.number,
            play_no,
            by,
        });
        if play_no < l.plays {
            self.set_step(Step::PauseBetween);
        } else {
            self.set_step(Step::Answering);
        }
        Ok(())
    }

    // ----- pause (organizer) -----

    pub fn pause(&mut self, code: ReasonCode) -> Result<()> {
        self.ensure_open()?;
        if self.s.paused {
            return Err(ExamError::NotNow("работа уже приостановлена"));
        }
        if !matches!(
            self.s.stage,
            Stage::Task | Stage::EyeBreak { .. } | Stage::Finish
        ) {
            return Err(ExamError::NotNow("работа ещё не начата"));
        }
        if self.s.stage == Stage::Task {
            match self.s.step {
                Step::Playing { play_no } => {
                    // The play stays counted: a track is never played more than allowed.
                    let task = self.current_task()?.number;
                    self.effects.push(Effect::StopTrack { task });
                    self.play_ended(play_no, By::Organizer)?;
                }
                Step::Recording { segment } => {
                    let task = self.current_task()?.number;
                    self.events.push(EventKind::RecordingStopped {
                        task,
                        segment,
                        by: By::Organizer,
                    });
                    self.effects.push(Effect::StopRecording { task, segment });
                }
                Step::Instruction => {
                    // Only an instruction: it sounds again from the start after the pause.
                    let task = self.current_task()?.number;
                    self.effects.push(Effect::StopTrack { task });
                    self.events.push(EventKind::PromptEnded {
                        task,
                        part: None,
                        by: By::Organizer,
                    });
                    self.s.step_used_ms = 0;
                }
                Step::Question { part } => {
                    // The question counts as heard (never played twice); its
                    // answer window opens in full after the pause.
                    let task = self.current_task()?.number;
                    self.effects.push(Effect::StopTrack { task });
                    self.events.push(EventKind::PromptEnded {
                        task,
                        part: Some(part),
                        by: By::Organizer,
                    });
                    let p = self.progress()?;
                    p.part = part;
                    let segment = p.segments;
                    self.set_step(Step::Recording { segment });
                }
                _ => {}
            }
        }
        self.s.paused = true;
        self.events.push(EventKind::Paused { code });
        Ok(())
    }

    pub fn unpause(&mut self) -> Result<()> {
        self.ensure_open()?;
        if !self.s.paused {
            return Err(ExamError::NotNow("работа не приостановлена"));
        }
        self.s.paused = false;
        self.events.push(EventKind::PauseEnded);
        if self.s.stage == Stage::Task {
            if self.s.step == Step::Instruction {
                return self.play_instruction();
            }
            self.continue_recording()?;
        }
        Ok(())
    }

    // ----- moving between tasks -----

    fn set_step(&mut self, step: Step) {
        self.s.step = step;
        self.s.step_used_ms = 0;
    }

    fn revisitable(task: &Task) -> bool {
        task.fixed_s.is_none()
            && matches!(
                task.kind(),
                TaskKind::Reading | TaskKind::Grammar | TaskKind::Vocabulary | TaskKind::Written
            )
    }

    /// Whether the participant may leave the open task now. A fixed-time
    /// task is never left by hand: it moves on by itself when its time is up.
    pub fn can_leave(&self) -> bool {
        self.s.stage == Stage::Finish
            || (self.s.stage == Stage::Task
                && matches!(self.s.step, Step::Answering | Step::Recorded)
                && self.current_task().is_ok_and(|t| t.fixed_s.is_none()))
    }

    fn leave_current(&mut self, by: By) -> Result<()> {
        if self.s.stage != Stage::Task {
            return Ok(());
        }
        let task = self.current_task()?;
        let closed = !Self::revisitable(task);
        self.progress()?.closed = closed;
        self.events.push(EventKind::TaskLeft {
            task: task.number,
            by,
        });
        Ok(())
    }

    /// Leave the open task and go on to the next one not closed (after a due eye break),
    /// or to the finish screen.
    pub fn leave_forward(&mut self, by: By) -> Result<()> {
        let from = self.s.current;
        self.leave_current(by)?;
        let next = (from + 1..self.s.tasks.len()).find(|&i| !self.s.tasks[i].closed);
        match next {
            Some(i) => self.enter_with_break(i),
            None => {
                self.s.stage = Stage::Finish;
                Ok(())
            }
        }
    }

    pub fn reopen(&mut self, number: u32) -> Result<()> {
        let index = self
            .s
            .tasks
            .iter()
            .position(|t| t.number == number)
            .ok_or(ExamError::NotNow("такого задания нет"))?;
        let target = self.task_at(index)?;
        let p = &self.s.tasks[index];
        if !p.entered || p.closed || !Self::revisitable(target) {
            return Err(ExamError::NotNow("к этому заданию вернуться нельзя"));
        }
        if !self.can_leave() {
            return Err(ExamError::NotNow("сначала закончите текущий этап задания"));
        }
        if self.s.stage == Stage::Task && index == self.s.current {
            return Ok(());
        }
        self.leave_current(By::Participant)?;
        self.enter(index)
    }

    fn enter_with_break(&mut self, index: usize) -> Result<()> {
        let target = self.task_at(index)?.number;
        let first_time = !self.s.tasks[index].entered;
        let entered_numbers: Vec<u32> = self
            .s
            .tasks
            .iter()
            .filter(|t| t.entered)
            .map(|t| t.number)
            .collect();
        let due = self.pkg.timing.eye_breaks.iter().find(|b| {
            first_time
                && b.after_task < target
                && !self.s.breaks_taken.contains(&b.after_task)
                && entered_numbers.iter().any(|&n| n <= b.after_task)
        });
        if let Some(b) = due {
            let after_task = b.after_task;
            self.s.breaks_taken.push(after_task);
            self.s.stage = Stage::EyeBreak {
                after_task,
                then: index,
            };
            self.s.step_used_ms = 0;
            self.events.push(EventKind::EyeBreakStarted { after_task });
            return Ok(());
        }
        self.enter(index)
    }

    /// Open the task at `index` (fresh or reopened).
    pub fn enter(&mut self, index: usize) -> Result<()> {
        let task = self.task_at(index)?;
        self.s.stage = Stage::Task;
        self.s.current = index;
        self.s.task_used_ms = 0;
        let fresh = !self.s.tasks[index].entered;
        self.s.tasks[index].entered = true;
        self.events
            .push(EventKind::TaskEntered { task: task.number });
        if !fresh {
            self.set_step(Step::Answering);
            return Ok(());
        }
        self.play_instruction()
    }

    /// The first step of a freshly opened task (after its instruction read aloud).
    fn begin(&mut self) -> Result<()> {
        let task = self.current_task()?;
        let step = match &task.content {
            TaskContent::Listening(_) => Step::ReadQuestions,
            TaskContent::Interview(i) if i.read_first_s == 0 => return self.play_question(1),
            TaskContent::ReadingAloud(_)
            | TaskContent::Monologue(_)
            | TaskContent::Interview(_)
            | TaskContent::AskQuestions(_) => {
                self.events
                    .push(EventKind::PrepStarted { task: task.number });
                Step::Prep
            }
            _ => Step::Answering,
        };
        self.set_step(step);
        Ok(())
    }

    // ----- closing -----

    pub fn close(&mut self, reason: CloseReason) {
        let by = match reason {
            CloseReason::Completed => By::Participant,
            CloseReason::TimeUp => By::Timer,
            CloseReason::EndedEarly | CloseReason::TechnicalFailure { .. } => By::Organizer,
        };
        // Media stop first; an error here must not keep the work open.
        let _ = self.stop_media(by);
        if self.s.stage == Stage::Task {
            if let Ok(p) = self.progress() {
                p.closed = true;
            }
        }
        self.s.stage = Stage::Closed {
            reason: reason.clone(),
        };
        self.s.paused = false;
        self.events.push(EventKind::Closed {
            reason: reason.clone(),
        });
        self.effects.push(Effect::Closed { reason });
    }
}
