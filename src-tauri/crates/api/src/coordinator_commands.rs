//! Commands of the coordinator window (see `commands.rs` for the table's role).

use crate::{CommandSpec, WindowMode};

const fn c(
    name: &'static str,
    args: &'static [(&'static str, &'static str)],
    returns: &'static str,
) -> CommandSpec {
    CommandSpec {
        name,
        mode: WindowMode::Coordinator,
        args,
        returns,
    }
}

pub const COORDINATOR_COMMANDS: &[CommandSpec] = &[
    // The database: created or opened with the coordinator's password.
    c("coordinator_status", &[], "CoordinatorStatus"),
    c(
        "coordinator_create",
        &[("password", "string")],
        "CoordinatorStatus",
    ),
    c(
        "coordinator_open",
        &[("password", "string")],
        "CoordinatorStatus",
    ),
    c("coordinator_close", &[], "CoordinatorStatus"),
    // School, roster, participants (names: this window only).
    c("coordinator_school", &[], "School | null"),
    c("coordinator_set_school", &[("school", "School")], "null"),
    c(
        "coordinator_import_roster",
        &[("path", "string")],
        "RosterOutcome",
    ),
    c("coordinator_participants", &[], "Participant[]"),
    // Works from the schedule, keys.
    c("coordinator_works", &[], "Work[]"),
    c("coordinator_add_work", &[("form", "WorkForm")], "Work"),
    c(
        "coordinator_release_keys",
        &[("workId", "number"), ("packageDir", "string")],
        "Work",
    ),
    // Rooms, stations, staff, absences.
    c("coordinator_rooms", &[], "Room[]"),
    c("coordinator_add_room", &[("name", "string")], "Room"),
    c("coordinator_stations", &[], "Station[]"),
    c(
        "coordinator_bundle_station",
        &[("path", "string")],
        "BundleStation",
    ),
    c(
        "coordinator_add_station",
        &[
            ("roomId", "number"),
            ("number", "number"),
            ("publicKey", "string"),
        ],
        "Station",
    ),
    c("coordinator_staff", &[], "StaffMember[]"),
    c(
        "coordinator_add_staff",
        &[("staff", "NewStaff")],
        "StaffMember",
    ),
    c("coordinator_absences", &[("workId", "number")], "Absence[]"),
    c(
        "coordinator_record_absences",
        &[
            ("workId", "number"),
            ("participantIds", "number[]"),
            ("reason", "string"),
            ("document", "string"),
            ("reserveDate", "string | null"),
        ],
        "Absence[]",
    ),
    // Seating in time slots (stations per room from the package), printouts.
    c(
        "coordinator_seat_all",
        &[
            ("workId", "number"),
            ("roomId", "number"),
            ("firstStart", "string"),
            ("minutes", "number"),
        ],
        "Slot[]",
    ),
    c(
        "coordinator_print",
        &[
            ("what", "Printout"),
            ("workId", "number"),
            ("roomId", "number | null"),
            ("folder", "string"),
        ],
        "string",
    ),
    // Station bundles and the completeness board.
    c(
        "coordinator_import_bundle",
        &[("path", "string")],
        "ImportReport",
    ),
    c(
        "coordinator_completeness",
        &[("workId", "number")],
        "RoomBoard[]",
    ),
    // Scoring.
    c("coordinator_auto_score", &[("workId", "number")], "number"),
    c(
        "coordinator_assign_experts",
        &[("workId", "number")],
        "AssignmentReport",
    ),
    c(
        "coordinator_expert_queue",
        &[("expertId", "number")],
        "ExpertItem[]",
    ),
    c(
        "coordinator_waveform",
        &[
            ("workId", "number"),
            ("code", "number"),
            ("task", "number"),
            ("buckets", "number"),
        ],
        "number[]",
    ),
    c(
        "coordinator_play",
        &[("workId", "number"), ("code", "number"), ("task", "number")],
        "null",
    ),
    c("coordinator_stop", &[], "null"),
    c(
        "coordinator_submit_scores",
        &[
            ("expertId", "number"),
            ("workId", "number"),
            ("code", "number"),
            ("task", "number"),
            ("scores", "CriterionScore[]"),
        ],
        "boolean",
    ),
    // The results form, statistics, the archive.
    c(
        "coordinator_form_missing",
        &[("workId", "number")],
        "string[]",
    ),
    c(
        "coordinator_export_form",
        &[("workId", "number"), ("folder", "string")],
        "SavedFiles",
    ),
    c(
        "coordinator_export_school_forms",
        &[("folder", "string")],
        "SavedFiles",
    ),
    c(
        "coordinator_statistics",
        &[("workId", "number")],
        "WorkStats",
    ),
    c(
        "coordinator_export_archive",
        &[("workId", "number"), ("folder", "string")],
        "SavedFiles",
    ),
];
