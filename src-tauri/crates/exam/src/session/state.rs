//! The serialisable state of a session (its checkpoint), the events it logs and the
//! effects it asks the shell to carry out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Checkpoint format this crate writes.
pub const CHECKPOINT_FORMAT: u32 = 1;

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    CodeEntry,
    Confirm,
    Briefing,
    HeadsetCheck,
    Task,
    /// An eye break after task `after_task`; then the task at index `then` opens.
    EyeBreak {
        after_task: u32,
        then: usize,
    },
    /// All tasks passed: confirm the end of the work (earlier written tasks may be reopened).
    Finish,
    Closed {
        reason: CloseReason,
    },
}

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum CloseReason {
    /// The participant finished the work.
    Completed,
    /// The work time ran out.
    TimeUp,
    /// The organizer ended the work early.
    EndedEarly,
    /// Technical failure act: the participant retakes on a reserve day in a fresh session.
    /// A reason code from the fixed list, never free text (names must not
    /// reach a bundle); an older checkpoint's note is dropped on reading.
    TechnicalFailure {
        #[serde(default)]
        code: ReasonCode,
    },
}

/// Why the organizer paused a work or closed it as a technical failure: a
/// fixed list, so no name or other free text reaches the journal, a bundle
/// or a log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Headset or microphone fault.
    Headset,
    /// No sound, or the recording does not work.
    Sound,
    /// The computer froze or failed.
    Computer,
    /// Power cut.
    Power,
    /// The exam program failed.
    Software,
    /// The participant felt unwell.
    ParticipantUnwell,
    /// Something else (the organizer writes it in the paper protocol).
    #[default]
    Other,
}

impl ReasonCode {
    /// Every code, in the order the organizer's list shows them.
    pub const ALL: [Self; 7] = [
        Self::Headset,
        Self::Sound,
        Self::Computer,
        Self::Power,
        Self::Software,
        Self::ParticipantUnwell,
        Self::Other,
    ];

    /// The stable name (the JSON value).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Headset => "headset",
            Self::Sound => "sound",
            Self::Computer => "computer",
            Self::Power => "power",
            Self::Software => "software",
            Self::ParticipantUnwell => "participant_unwell",
            Self::Other => "other",
        }
    }

    /// What the organizer's list says.
    pub fn label_ru(self) -> &'static str {
        match self {
            Self::Headset => "Неисправна гарнитура или микрофон",
            Self::Sound => "Нет звука или не идёт запись",
            Self::Computer => "Сбой или зависание компьютера",
            Self::Power => "Отключение электропитания",
            Self::Software => "Сбой программы",
            Self::ParticipantUnwell => "Участнику стало плохо",
            Self::Other => "Другое (записать в протокол)",
        }
    }
}

impl CloseReason {
    /// The text of the locked screen.
    pub fn message_ru(&self) -> &'static str {
        match self {
            // The closed screen's title already says «Работа завершена».
            Self::Completed => "Спасибо! Все ответы сохранены.",
            Self::TimeUp => "Время работы истекло. Все ответы сохранены.",
            Self::EndedEarly => "Работу завершил организатор. Ответы сохранены.",
            Self::TechnicalFailure { .. } => {
                "Работа прервана из-за технического сбоя. Участник выполнит её в резервный день."
            }
        }
    }
}

/// The timed step inside the current task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Free answering (written tasks; listening after its plays).
    Answering,
    /// Listening: reading the questions before the first play.
    ReadQuestions,
    /// Listening: play `play_no` (1-based) is sounding.
    Playing { play_no: u32 },
    /// Listening: the pause before the next play.
    PauseBetween,
    /// The task's instruction read aloud is sounding (before anything else).
    Instruction,
    /// Interview: question `part` (1-based) is sounding; its answer window follows.
    Question { part: u32 },
    /// Oral: preparation.
    Prep,
    /// Oral: recording (segment > 1 after a pause or restart).
    Recording { segment: u32 },
    /// Oral: the answer is recorded; it cannot be recorded again.
    Recorded,
}

/// What happened to one task of the participant's work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    pub number: u32,
    pub entered: bool,
    /// Left and not to be reopened (timed, oral and listening tasks once left).
    pub closed: bool,
    pub plays_used: u32,
    /// Recording segments started (0: never recorded).
    pub segments: u32,
    /// Monologue: the chosen photo (1-based).
    pub photo: Option<u32>,
    /// Interview and «ask questions»: the question or prompt now open (1-based; 0 before the first).
    #[serde(default)]
    pub part: u32,
}

/// Organizer or headset outcome before the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HeadsetStatus {
    NotChecked,
    Failed,
    Passed,
    /// The organizer let the work start without a passed check (PIN verified by the shell).
    Overridden,
}

/// The whole state of a session, persisted on every change and at least every second
/// while time is being charged. Time is kept as milliseconds *used*, never as wall-clock
/// deadlines, so time while the station is down is not charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: u32,
    pub package_id: String,
    pub variant: u32,
    pub code: Option<String>,
    pub adaptation: Option<String>,
    pub stage: Stage,
    /// The briefing's track is sounding (it plays once, when the briefing opens).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub briefing_playing: bool,
    pub headset: HeadsetStatus,
    pub paused: bool,
    pub work_used_ms: u64,
    pub work_limit_ms: u64,
    /// The participant's tasks in order (listening left out for `no_listening`).
    pub tasks: Vec<TaskProgress>,
    /// Index into `tasks` of the open task.
    pub current: usize,
    pub step: Step,
    pub step_used_ms: u64,
    /// Time used in the open task (for fixed-time tasks).
    pub task_used_ms: u64,
    pub breaks_taken: Vec<u32>,
    /// Reminders given (seconds-left thresholds from the package).
    pub reminders_given: Vec<u32>,
    pub answers: BTreeMap<String, String>,
    /// Number of events committed so far.
    pub seq: u64,
    /// Wall-clock time of the last commit (Unix ms).
    pub saved_wall_ms: i64,
}

/// A logged event (the shell stores them with the answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1, 2, … within the session.
    pub seq: u64,
    /// Wall-clock Unix ms.
    pub at_ms: i64,
    /// Work time used when it happened.
    pub work_used_ms: u64,
    pub kind: EventKind,
}

/// Who moved the work on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Participant,
    Timer,
    Organizer,
    /// The media itself: a listening track that played to its end.
    Media,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    CodeEntered {
        code: String,
    },
    CodeConfirmed {
        code: String,
        variant: u32,
    },
    CodeRejectedByParticipant {
        code: String,
    },
    AdaptationSet {
        adaptation: Option<String>,
    },
    /// The organizer set the participant's variant (the default is the seat's).
    VariantSet {
        variant: u32,
    },
    BriefingDone,
    HeadsetChecked {
        passed: bool,
    },
    HeadsetOverridden,
    WorkStarted {
        limit_ms: u64,
    },
    TaskEntered {
        task: u32,
    },
    TaskLeft {
        task: u32,
        by: By,
    },
    PlayGranted {
        task: u32,
        play_no: u32,
    },
    PlayEnded {
        task: u32,
        play_no: u32,
        by: By,
    },
    PrepStarted {
        task: u32,
    },
    PhotoChosen {
        task: u32,
        photo: u32,
    },
    RecordingStarted {
        task: u32,
        segment: u32,
        max_ms: u64,
        /// The question or prompt answered (tasks recorded in parts).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        part: Option<u32>,
    },
    /// The instruction read aloud, or an interview's question, started.
    PromptPlayed {
        task: u32,
        /// The interview question (None: the task's instruction).
        part: Option<u32>,
    },
    PromptEnded {
        task: u32,
        part: Option<u32>,
        by: By,
    },
    RecordingStopped {
        task: u32,
        segment: u32,
        by: By,
    },
    Answer {
        task: u32,
        item: String,
        value: String,
    },
    EyeBreakStarted {
        after_task: u32,
    },
    EyeBreakEnded {
        after_task: u32,
    },
    Reminder {
        seconds_left: u32,
    },
    Paused {
        #[serde(default)]
        code: ReasonCode,
    },
    PauseEnded,
    Resumed {
        downtime_ms: u64,
    },
    /// The machine was suspended (or stalled) for `slept_ms` of the `gap_ms`
    /// between two clock readings; the whole gap was charged.
    ClockGap {
        gap_ms: u64,
        slept_ms: u64,
    },
    Closed {
        reason: CloseReason,
    },
}

impl EventKind {
    /// The event's stable name (the `event` tag of its JSON), for the store's event log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CodeEntered { .. } => "code_entered",
            Self::CodeConfirmed { .. } => "code_confirmed",
            Self::CodeRejectedByParticipant { .. } => "code_rejected_by_participant",
            Self::AdaptationSet { .. } => "adaptation_set",
            Self::VariantSet { .. } => "variant_set",
            Self::BriefingDone => "briefing_done",
            Self::HeadsetChecked { .. } => "headset_checked",
            Self::HeadsetOverridden => "headset_overridden",
            Self::WorkStarted { .. } => "work_started",
            Self::TaskEntered { .. } => "task_entered",
            Self::TaskLeft { .. } => "task_left",
            Self::PlayGranted { .. } => "play_granted",
            Self::PlayEnded { .. } => "play_ended",
            Self::PrepStarted { .. } => "prep_started",
            Self::PhotoChosen { .. } => "photo_chosen",
            Self::RecordingStarted { .. } => "recording_started",
            Self::PromptPlayed { .. } => "prompt_played",
            Self::PromptEnded { .. } => "prompt_ended",
            Self::RecordingStopped { .. } => "recording_stopped",
            Self::Answer { .. } => "answer",
            Self::EyeBreakStarted { .. } => "eye_break_started",
            Self::EyeBreakEnded { .. } => "eye_break_ended",
            Self::Reminder { .. } => "reminder",
            Self::Paused { .. } => "paused",
            Self::PauseEnded => "pause_ended",
            Self::Resumed { .. } => "resumed",
            Self::ClockGap { .. } => "clock_gap",
            Self::Closed { .. } => "closed",
        }
    }
}

/// Something the shell must do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Play `track` (relative to the package folder) once, from the start, with no controls.
    /// The play is already counted and persisted.
    PlayTrack {
        task: u32,
        track: String,
        play_no: u32,
        plays: u32,
    },
    /// Play a prompt once, by itself, with no controls and no count: the
    /// task's instruction read aloud (`part` None) or an interview's question;
    /// `task` 0 is the briefing read aloud. The shell reports its end with
    /// `prompt_finished`.
    PlayPrompt {
        task: u32,
        track: String,
        part: Option<u32>,
    },
    /// Stop the track now (pause, fixed time over, work closed; `task` 0: the
    /// briefing's track, when the participant moves on before it ends).
    StopTrack {
        task: u32,
    },
    /// Start recording the answer to `task`; stop by itself after `max_ms` at the latest.
    /// `part` names the question or prompt of a task recorded in parts; `beep`
    /// asks for the short signal that opens an answer window first.
    StartRecording {
        task: u32,
        segment: u32,
        max_ms: u32,
        part: Option<u32>,
        beep: bool,
    },
    StopRecording {
        task: u32,
        segment: u32,
    },
    /// Show the organizer's reminder: this many minutes are left.
    Reminder {
        minutes_left: u32,
    },
    /// The station slept during the work (the time was charged): tell the organizer.
    ClockGap {
        gap_ms: u64,
        slept_ms: u64,
    },
    /// The session is closed; the screen is locked.
    Closed {
        reason: CloseReason,
    },
}

impl Effect {
    /// The organizer's Russian message for an effect that is shown as an alert.
    pub fn alert_ru(&self) -> Option<String> {
        match self {
            Self::ClockGap { slept_ms, .. } => {
                let secs = slept_ms / 1000;
                Some(format!(
                    "Станция была в спящем режиме {} мин {} с во время работы. Время работы при этом шло; событие записано в журнал",
                    secs / 60,
                    secs % 60
                ))
            }
            _ => None,
        }
    }
}
