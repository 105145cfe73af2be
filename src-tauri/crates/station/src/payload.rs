//! What the station's windows exchange with the station core: the student's
//! and the organizer's actions, the status of the first screen, the level
//! meter and alerts. The schema crate (`vpr-api`) re-exports these.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::session::ReasonCode;

/// A student's action on the current screen.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StudentAction {
    /// Code entry: the five digits typed.
    EnterCode { code: String },
    /// Confirmation: «Да, это мой код» (true) or «Нет, ввести заново» (false).
    ConfirmCode { correct: bool },
    /// Briefing read: go on to the headset check.
    FinishBriefing,
    /// Headset check: play the test phrase, record a few seconds, judge the level.
    RunHeadsetCheck,
    /// Headset check passed: start the work.
    StartWork,
    /// Listening: the next play (the core refuses beyond the allowed count).
    RequestPlay,
    /// A typed or chosen answer to one item (saved at once).
    SetAnswer { item: String, value: String },
    /// Monologue: choose one of the photos (1-based).
    ChoosePhoto { photo: u32 },
    /// Oral task: start answering before the preparation time is over.
    StartAnswer,
    /// Oral task: end the answer before the time is over.
    StopAnswer,
    /// «Далее».
    NextTask,
    /// Go back to an earlier written task that may be reopened.
    OpenTask { number: u32 },
    /// «Завершить работу» on the finish screen.
    Finish,
}

/// An organizer's action at the station, after the organizer's PIN.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OrganizerAction {
    /// Pause the work for a technical failure (time is not charged). The
    /// reason is a code from the fixed list, never free text.
    Pause { reason: ReasonCode },
    /// Resume after a pause.
    Resume,
    /// Technical-failure act: close the session as «технический сбой»; the
    /// participant retakes on a reserve day in a fresh session. The reason
    /// is a code from the fixed list: no free text (a name) reaches the
    /// journal, a bundle or a log.
    TechnicalFailure { reason: ReasonCode },
    /// End the work early (e.g. the participant left).
    EndEarly,
    /// Let the work start although the headset check failed.
    OverrideHeadset,
    /// A new participant at this station after the previous work closed.
    NextParticipant,
    /// Before the start: the participant sits this variant (the default is
    /// the seat's: variants alternate by station number).
    SetVariant { variant: u32 },
    /// Before the start: the participant sits this adapted version (ОВЗ),
    /// by its id in the package; None: the standard version.
    SetAdaptation { adaptation: Option<String> },
    /// Leave the kiosk.
    Exit,
    /// Clear the warning about wrong PINs (`StationStatus::pin_alert`).
    ClearPinAlert,
}

impl OrganizerAction {
    /// The action's stable name, what the log records (with a reason code
    /// where there is one), never any text.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Pause { .. } => "pause",
            Self::Resume => "resume",
            Self::TechnicalFailure { .. } => "technical_failure",
            Self::EndEarly => "end_early",
            Self::OverrideHeadset => "override_headset",
            Self::NextParticipant => "next_participant",
            Self::SetVariant { .. } => "set_variant",
            Self::SetAdaptation { .. } => "set_adaptation",
            Self::Exit => "exit",
            Self::ClearPinAlert => "clear_pin_alert",
        }
    }

    /// The reason code of a pause or a technical failure.
    pub fn reason(&self) -> Option<ReasonCode> {
        match self {
            Self::Pause { reason } | Self::TechnicalFailure { reason } => Some(*reason),
            _ => None,
        }
    }
}

/// The microphone level for a meter (every ~50 ms while recording).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct LevelMeter {
    /// 0.0 (silence) ..= 1.0 (full scale), on a perceptual (dB) scale.
    pub level: f32,
    pub clipping: bool,
}

/// Something the organizer must see at once (device lost, disk problem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StationAlert {
    pub code: String,
    pub message: String,
}

/// What the station window needs to draw its first screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StationStatus {
    /// Title of the loaded package, e.g. «Английский язык, 7 класс (демонстрационный)».
    pub package_title: String,
    /// True when the loaded package is a demo/training package.
    pub demo: bool,
    /// Station number in the room, when the technician has set it.
    pub station_number: Option<u32>,
    /// Whether the organizer's exit PIN has been set.
    pub exit_pin_set: bool,
    /// Someone entered wrong PINs until a lockout: stays until the organizer clears it.
    pub pin_alert: Option<StationAlert>,
    /// Alerts the exam raised when it opened, before the window listened
    /// (e.g. a restart in the middle of a recorded answer, naming the gap).
    pub alerts: Vec<StationAlert>,
}

/// Answer to a well-formed participant code.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CodeAccepted {
    pub code: String,
}
