//! Events the shell emits to windows, with their payload types.

use crate::{EventSpec, HeadsetStep, LevelMeter, SessionView, StationAlert, TsType, WindowMode};

/// The session changed (timer, autosave, the organizer's action).
pub const STATION_VIEW: &str = "station://view";
/// The student's microphone level during a recording.
pub const STATION_LEVEL: &str = "station://level";
/// A failure the organizer must see (no microphone, disk full, PIN lockout).
pub const STATION_ALERT: &str = "station://alert";
/// The headset check's step, so the student sees when to speak.
pub const STATION_HEADSET: &str = "station://headset";
/// The window manager's close request was refused (no PIN).
pub const KIOSK_CLOSE_REFUSED: &str = "kiosk://close-refused";
/// The technician's microphone level meter.
pub const TECHNICIAN_LEVEL: &str = "technician://level";

/// Every event, its window and its payload.
pub const EVENTS: &[EventSpec] = &[
    EventSpec {
        name: STATION_VIEW,
        mode: WindowMode::Station,
        payload: TsType::of::<SessionView>(),
    },
    EventSpec {
        name: STATION_LEVEL,
        mode: WindowMode::Station,
        payload: TsType::of::<LevelMeter>(),
    },
    EventSpec {
        name: STATION_ALERT,
        mode: WindowMode::Station,
        payload: TsType::of::<StationAlert>(),
    },
    EventSpec {
        name: STATION_HEADSET,
        mode: WindowMode::Station,
        payload: TsType::of::<HeadsetStep>(),
    },
    EventSpec {
        name: KIOSK_CLOSE_REFUSED,
        mode: WindowMode::Station,
        payload: TsType::of::<()>(),
    },
    EventSpec {
        name: TECHNICIAN_LEVEL,
        mode: WindowMode::Technician,
        payload: TsType::of::<LevelMeter>(),
    },
];
