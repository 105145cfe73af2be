//! What the author window previews and receives: a task's screen as the station's session
//! renders it when the task opens, the files its player plays, its pictures as `data:` URLs,
//! and media sent as bytes (capped before they are written, decoded before they are kept).

use std::{
    fs,
    path::{Path, PathBuf},
};

use vpr_exam::{
    media::{MAX_AUDIO_BYTES, MAX_IMAGE_BYTES},
    session::{PhaseView, TaskScreen},
    Task, TaskContent,
};

use crate::{
    error::Result,
    media::{media_kind, AddedMedia},
    problems::{inside, AuthorProblem, MediaKind},
    AuthorError, Work,
};

/// A task as the station shows it, with what the station's screen takes beside it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct TaskPreview {
    pub task: TaskScreen,
    pub language: vpr_exam::Language,
    /// The letters the typed tasks' special keys offer.
    pub special_letters: Vec<String>,
}

/// The largest file the author window accepts (the audio cap; pictures have a lower one).
pub const MAX_UPLOAD_BYTES: u64 = MAX_AUDIO_BYTES;

/// The cap for a file of this name, by its kind.
pub fn upload_cap(name: &str) -> Result<u64> {
    Ok(match media_kind(name)? {
        MediaKind::Audio => MAX_AUDIO_BYTES,
        MediaKind::Image => MAX_IMAGE_BYTES,
    })
}

impl Work {
    fn task(&self, variant: u32, number: u32) -> Result<&Task> {
        let v = self
            .package
            .variants
            .iter()
            .find(|v| v.number == variant)
            .ok_or(AuthorError::NoVariant(variant))?;
        v.tasks
            .iter()
            .find(|t| t.number == number)
            .ok_or(AuthorError::NoTask(number))
    }

    /// Task `number` of `variant` as the station's screen shows it when the task opens (its
    /// first step: reading the questions, preparing, answering), no answers given.
    pub fn preview(&self, variant: u32, number: u32) -> Result<TaskPreview> {
        Ok(TaskPreview {
            task: self.task_screen(variant, number)?,
            language: self.package.language,
            special_letters: self
                .package
                .language
                .special_letters()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        })
    }

    fn task_screen(&self, variant: u32, number: u32) -> Result<TaskScreen> {
        let t = self.task(variant, number)?;
        let phase = match &t.content {
            TaskContent::Listening(l) if l.read_first_s > 0 => PhaseView::ReadQuestions {
                left_s: l.read_first_s,
            },
            TaskContent::Listening(l) => PhaseView::Playing {
                play_no: 1,
                of: l.plays,
            },
            TaskContent::ReadingAloud(r) => PhaseView::Prep { left_s: r.prep_s },
            TaskContent::Monologue(m) => PhaseView::Prep { left_s: m.prep_s },
            TaskContent::Interview(i) if i.read_first_s > 0 => PhaseView::Prep {
                left_s: i.read_first_s,
            },
            TaskContent::Interview(i) => PhaseView::Question {
                part: 1,
                of: count(i.questions.len()),
            },
            TaskContent::AskQuestions(a) => PhaseView::Prep { left_s: a.prep_s },
            _ => PhaseView::Answering,
        };
        let plays_total = match &t.content {
            TaskContent::Listening(l) => l.plays,
            _ => 0,
        };
        Ok(TaskScreen {
            number: t.number,
            title: t.title.clone(),
            instruction: t.instruction.clone(),
            max_score: t.max_score,
            kind: t.kind(),
            content: t.for_station(),
            phase,
            task_left_s: t.fixed_s,
            plays_used: 0,
            plays_total,
            plays_left: plays_total,
            photo: None,
            part: u32::from(t.recorded_parts() > 0),
            parts: t.recorded_parts(),
            words: match &t.content {
                TaskContent::Written(_) => Some(0),
                _ => None,
            },
            answers: Default::default(),
            can_leave: false,
        })
    }

    /// The files task `number` plays, in order: its instruction, then its track or each
    /// question's (only those in the folder).
    pub fn task_tracks(&self, variant: u32, number: u32) -> Result<Vec<PathBuf>> {
        let t = self.task(variant, number)?;
        let mut names: Vec<&str> = Vec::new();
        if let Some(tr) = &t.instruction_track {
            names.push(&tr.file);
        }
        match &t.content {
            TaskContent::Listening(l) => names.push(&l.track),
            TaskContent::Interview(i) => names.extend(i.questions.iter().map(|q| q.track.as_str())),
            _ => {}
        }
        Ok(names
            .into_iter()
            .filter(|n| inside(n))
            .map(|n| self.dir().join(n))
            .filter(|p| p.is_file())
            .collect())
    }

    /// A picture of the work (`media/photo1.jpg`) as a `data:` URL.
    pub fn media_data_url(&self, relative: &str) -> Result<String> {
        let bad = || AuthorError::BadMediaName(relative.to_owned());
        if !inside(relative) {
            return Err(bad());
        }
        let path = self.dir().join(relative);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if media_kind(&name)? != MediaKind::Image {
            return Err(bad());
        }
        let mime = match crate::media::extension(&name).as_str() {
            "png" => "image/png",
            "svg" => "image/svg+xml",
            _ => "image/jpeg",
        };
        let size = fs::metadata(&path).map_err(AuthorError::io(&path))?.len();
        if size > MAX_IMAGE_BYTES {
            return Err(AuthorError::TooLarge {
                file: relative.to_owned(),
                size,
                max: MAX_IMAGE_BYTES,
            });
        }
        let bytes = fs::read(&path).map_err(AuthorError::io(&path))?;
        use base64::Engine as _;
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    /// Media sent as bytes named `name` (the author's file name): refused over its kind's cap
    /// before anything is written, then decoded and kept as [`Work::add_media`] or, with a
    /// `slot`, [`Work::attach_media`] do. `scratch` is a folder for the received file,
    /// removed afterwards.
    pub fn receive_media(
        &mut self,
        scratch: &Path,
        name: &str,
        bytes: &[u8],
        slot: Option<&str>,
    ) -> Result<(AddedMedia, Vec<AuthorProblem>)> {
        let cap = upload_cap(name)?;
        let size = bytes.len() as u64;
        if size > cap {
            return Err(AuthorError::TooLarge {
                file: name.to_owned(),
                size,
                max: cap,
            });
        }
        fs::create_dir_all(scratch).map_err(AuthorError::io(scratch))?;
        let source = scratch.join(name);
        crate::work::write_atomic(&source, bytes)?;
        let result = match slot {
            Some(path) => self.attach_media(path, &source),
            None => self
                .add_media(&source, Some(name))
                .map(|added| (added, self.problems())),
        };
        let _ = fs::remove_file(&source);
        result
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
