//! Commands of the coordinator window (see `commands.rs` for the table's role).

use crate::{CommandSpec, WindowMode};

pub const COORDINATOR_COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "coordinator_about",
    mode: WindowMode::Coordinator,
    args: &[],
    returns: "string",
}];
