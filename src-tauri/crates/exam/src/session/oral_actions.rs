//! What the participant and the shell do in oral tasks: the end of a prompt
//! reported by the shell, the chosen photo, starting and ending an answer.

use super::*;

impl<C: Clock, J: Journal> Session<C, J> {
    /// The shell reports that the prompt it was asked to play (the task's
    /// instruction, `part` None, or interview question `part`) has ended by
    /// itself; what follows starts now. A late or repeated report changes nothing.
    pub fn prompt_finished(&mut self, part: Option<u32>) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            if c.s.stage == Stage::Briefing && part.is_none() {
                c.briefing_ended(By::Media);
                return Ok(());
            }
            if c.s.stage != Stage::Task || c.s.paused {
                return Ok(());
            }
            match (c.s.step, part) {
                (Step::Instruction, None) => c.prompt_ended(None, By::Media),
                (Step::Question { part: now }, Some(p)) if now == p => {
                    c.prompt_ended(Some(p), By::Media)
                }
                _ => Ok(()),
            }
        })
    }

    /// Monologue: choose photo `photo` (1-based) during preparation.
    pub fn choose_photo(&mut self, photo: u32) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            let task = c.current_task()?;
            let TaskContent::Monologue(m) = &task.content else {
                return Err(ExamError::NotNow("в этом задании нет фотографий"));
            };
            if m.all_photos {
                return Err(ExamError::NotNow(
                    "в этом задании выбирать фотографию не нужно",
                ));
            }
            if photo == 0 || photo as usize > m.photos.len() {
                return Err(ExamError::UnknownPhoto(photo));
            }
            if c.s.step != Step::Prep {
                return Err(ExamError::AlreadyRecorded);
            }
            let i = c.s.current;
            c.s.tasks[i].photo = Some(photo);
            c.events.push(EventKind::PhotoChosen {
                task: task.number,
                photo,
            });
            Ok(())
        })
    }

    /// Oral task: end the preparation early and start recording now.
    pub fn start_answer(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            c.start_recording()
        })
    }

    /// Oral task: the participant has finished speaking before the limit.
    pub fn stop_answer(&mut self) -> Result<Vec<Effect>> {
        self.transact(true, |c| {
            c.ensure_not_paused()?;
            expect_stage(c, &Stage::Task)?;
            match c.s.step {
                Step::Recording { segment } => c.stop_recording(segment, By::Participant),
                _ => Err(ExamError::NotNow("запись не идёт")),
            }
        })
    }
}
