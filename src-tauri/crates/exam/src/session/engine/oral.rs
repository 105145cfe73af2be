//! The oral steps of a task: recording an answer (in parts for an interview
//! and «ask questions»), the prompts played by themselves (the instruction
//! read aloud, an interview's questions), continuing a recording cut by a
//! pause or a restart, and stopping whatever sounds or records.

use super::*;

impl Ctx<'_> {
    // ----- oral answers -----

    /// End the preparation: record the answer (the first prompt's answer;
    /// an interview's first question sounds first).
    pub fn start_recording(&mut self) -> Result<()> {
        let task = self.current_task()?;
        if !task.is_oral() {
            return Err(ExamError::NotNow("в этом задании нет устного ответа"));
        }
        if self.s.step != Step::Prep {
            return Err(ExamError::AlreadyRecorded);
        }
        match &task.content {
            TaskContent::Interview(_) => self.play_question(1),
            TaskContent::AskQuestions(_) => self.record_part(1, true),
            _ => {
                self.progress()?.segments = 1;
                self.set_step(Step::Recording { segment: 1 });
                let limit = self.step_limit()?.unwrap_or(0);
                self.emit_recording(task.number, 1, limit, None, false);
                Ok(())
            }
        }
    }

    /// Open the answer window of question or prompt `part`: a new segment,
    /// with the signal first.
    fn record_part(&mut self, part: u32, beep: bool) -> Result<()> {
        let task = self.current_task()?.number;
        let p = self.progress()?;
        p.part = part;
        p.segments = p.segments.saturating_add(1);
        let segment = p.segments;
        self.set_step(Step::Recording { segment });
        let limit = self.step_limit()?.unwrap_or(0);
        self.emit_recording(task, segment, limit, Some(part), beep);
        Ok(())
    }

    fn emit_recording(
        &mut self,
        task: u32,
        segment: u32,
        max_ms: u64,
        part: Option<u32>,
        beep: bool,
    ) {
        self.events.push(EventKind::RecordingStarted {
            task,
            segment,
            max_ms,
            part,
        });
        self.effects.push(Effect::StartRecording {
            task,
            segment,
            max_ms: clamp_u32(max_ms),
            part,
            beep,
        });
    }

    // ----- prompts: the briefing and instructions read aloud, interview questions -----

    /// The briefing opens: its track, if the package has one, plays once by itself.
    pub(crate) fn play_briefing(&mut self) {
        let Some(track) = &self.pkg.briefing_track else {
            return;
        };
        self.s.briefing_playing = true;
        self.events.push(EventKind::PromptPlayed {
            task: 0,
            part: None,
        });
        self.effects.push(Effect::PlayPrompt {
            task: 0,
            track: track.file.clone(),
            part: None,
        });
    }

    /// The briefing's track ended (`by` the media), was cut short by the
    /// participant moving on, or was sounding at a restart: never again.
    pub(crate) fn briefing_ended(&mut self, by: By) {
        if !std::mem::take(&mut self.s.briefing_playing) {
            return;
        }
        if by == By::Participant {
            self.effects.push(Effect::StopTrack { task: 0 });
        }
        self.events.push(EventKind::PromptEnded {
            task: 0,
            part: None,
            by,
        });
    }

    pub(crate) fn play_instruction(&mut self) -> Result<()> {
        let task = self.current_task()?;
        let Some(track) = &task.instruction_track else {
            return self.begin();
        };
        self.set_step(Step::Instruction);
        self.events.push(EventKind::PromptPlayed {
            task: task.number,
            part: None,
        });
        self.effects.push(Effect::PlayPrompt {
            task: task.number,
            track: track.file.clone(),
            part: None,
        });
        Ok(())
    }

    pub(super) fn play_question(&mut self, part: u32) -> Result<()> {
        let task = self.current_task()?;
        let TaskContent::Interview(i) = &task.content else {
            return Err(ExamError::NotNow("в этом задании нет вопросов"));
        };
        let q = question(i, part)
            .ok_or_else(|| ExamError::BadCheckpoint(format!("нет вопроса {part}")))?;
        self.progress()?.part = part;
        self.set_step(Step::Question { part });
        self.events.push(EventKind::PromptPlayed {
            task: task.number,
            part: Some(part),
        });
        self.effects.push(Effect::PlayPrompt {
            task: task.number,
            track: q.track.clone(),
            part: Some(part),
        });
        Ok(())
    }

    /// The instruction (`None`) or question `part` has sounded (or its time
    /// is up, or the organizer stopped it): what follows it starts. A question
    /// that was sounding counts as heard: it is never played again.
    pub fn prompt_ended(&mut self, part: Option<u32>, by: By) -> Result<()> {
        let task = self.current_task()?.number;
        self.events.push(EventKind::PromptEnded { task, part, by });
        match part {
            None => self.begin(),
            Some(part) => self.record_part(part, true),
        }
    }

    /// Continue a recording cut by a pause or a restart, for the time it had left.
    pub fn continue_recording(&mut self) -> Result<()> {
        let Step::Recording { segment } = self.s.step else {
            return Ok(());
        };
        let limit = self.step_limit()?.unwrap_or(0);
        let left = limit.saturating_sub(self.s.step_used_ms);
        let task = self.current_task()?;
        let parts = task.recorded_parts() > 1;
        let p = self.progress()?;
        let next = segment.max(p.segments) + 1;
        p.segments = next;
        let part = parts.then_some(p.part);
        self.s.step = Step::Recording { segment: next };
        self.emit_recording(task.number, next, left, part, false);
        Ok(())
    }

    /// The answer window closed: the next question or prompt opens, or the
    /// task's answer is recorded.
    pub fn stop_recording(&mut self, segment: u32, by: By) -> Result<()> {
        let task = self.current_task()?;
        self.events.push(EventKind::RecordingStopped {
            task: task.number,
            segment,
            by,
        });
        self.effects.push(Effect::StopRecording {
            task: task.number,
            segment,
        });
        let part = self.progress()?.part;
        if part >= 1 && part < task.recorded_parts() {
            return match &task.content {
                TaskContent::Interview(_) => self.play_question(part + 1),
                _ => self.record_part(part + 1, true),
            };
        }
        self.set_step(Step::Recorded);
        Ok(())
    }

    /// Stop whatever sounds or records (fixed time over, work closed).
    pub(super) fn stop_media(&mut self, by: By) -> Result<()> {
        if self.s.stage != Stage::Task {
            return Ok(());
        }
        match self.s.step {
            Step::Playing { play_no } => {
                let task = self.current_task()?.number;
                self.effects.push(Effect::StopTrack { task });
                self.play_ended(play_no, by)?;
            }
            Step::Instruction | Step::Question { .. } => {
                let task = self.current_task()?.number;
                self.effects.push(Effect::StopTrack { task });
                self.set_step(Step::Recorded);
            }
            Step::Recording { segment } if !self.s.paused => {
                let task = self.current_task()?.number;
                self.events
                    .push(EventKind::RecordingStopped { task, segment, by });
                self.effects.push(Effect::StopRecording { task, segment });
                self.set_step(Step::Recorded);
            }
            Step::Recording { .. } => self.set_step(Step::Recorded),
            _ => {}
        }
        Ok(())
    }
}
