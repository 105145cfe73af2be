//! Commands of the technician window (see `commands.rs` for the table's role).

use crate::{CommandSpec, WindowMode};

pub const TECHNICIAN_COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "technician_pins_status",
        mode: WindowMode::Technician,
        args: &[],
        returns: "PinsStatus",
    },
    CommandSpec {
        name: "technician_set_pin",
        mode: WindowMode::Technician,
        args: &[
            ("role", "PinRoleName"),
            ("pin", "string"),
            ("currentTechnicianPin", "string | null"),
        ],
        returns: "PinsStatus",
    },
    CommandSpec {
        name: "technician_login",
        mode: WindowMode::Technician,
        args: &[("pin", "string")],
        returns: "StationIdentity",
    },
    CommandSpec {
        name: "technician_logout",
        mode: WindowMode::Technician,
        args: &[],
        returns: "null",
    },
    CommandSpec {
        name: "technician_set_identity",
        mode: WindowMode::Technician,
        args: &[
            ("schoolId", "string"),
            ("room", "string"),
            ("number", "number"),
        ],
        returns: "StationIdentity",
    },
    CommandSpec {
        name: "technician_audio",
        mode: WindowMode::Technician,
        args: &[],
        returns: "AudioSetup",
    },
    CommandSpec {
        name: "technician_save_audio",
        mode: WindowMode::Technician,
        args: &[
            ("input", "string | null"),
            ("output", "string | null"),
            ("volume", "number"),
        ],
        returns: "AudioSetup",
    },
    CommandSpec {
        name: "technician_headset_check",
        mode: WindowMode::Technician,
        args: &[],
        returns: "AudioCheck",
    },
    CommandSpec {
        name: "technician_control_recording",
        mode: WindowMode::Technician,
        args: &[("seconds", "number")],
        returns: "AudioCheck",
    },
    CommandSpec {
        name: "technician_play_recording",
        mode: WindowMode::Technician,
        args: &[("file", "string")],
        returns: "null",
    },
    CommandSpec {
        name: "technician_disk_clock",
        mode: WindowMode::Technician,
        args: &[("participants", "number"), ("minutes", "number")],
        returns: "DiskClock",
    },
    CommandSpec {
        name: "technician_find_packages",
        mode: WindowMode::Technician,
        args: &[],
        returns: "PackageFile[]",
    },
    CommandSpec {
        name: "technician_packages",
        mode: WindowMode::Technician,
        args: &[],
        returns: "PackageInfo[]",
    },
    CommandSpec {
        name: "technician_load_package",
        mode: WindowMode::Technician,
        args: &[("path", "string")],
        returns: "PackageInfo",
    },
    CommandSpec {
        name: "technician_unlock_package",
        mode: WindowMode::Technician,
        args: &[("packageId", "string"), ("password", "string")],
        returns: "PackageInfo",
    },
    CommandSpec {
        name: "technician_start_training",
        mode: WindowMode::Technician,
        args: &[],
        returns: "TrainingStart",
    },
    CommandSpec {
        name: "technician_clear_training",
        mode: WindowMode::Technician,
        args: &[],
        returns: "TrainingCleared",
    },
    CommandSpec {
        name: "technician_export",
        mode: WindowMode::Technician,
        args: &[("folder", "string")],
        returns: "BundleExported",
    },
    CommandSpec {
        name: "technician_status",
        mode: WindowMode::Technician,
        args: &[],
        returns: "StationReport",
    },
];
