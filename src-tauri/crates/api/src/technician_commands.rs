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
];
