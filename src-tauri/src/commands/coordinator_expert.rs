//! The expert's commands (issue 13, item 6): the material of an answer (the
//! text read aloud, the plan, the photos and the one chosen), pictures and
//! recordings as bytes for the expert's screen and player, the warnings of
//! organizer and expert assignments, the cross-check packages. Each is a few
//! lines over `vpr-coordinator`.

use std::path::PathBuf;

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    scoring::{MediaBytes, TaskMaterial},
    vpr_package,
};

use super::coordinator::with_db;
use crate::AppState;

/// The material of every expert-scored task of a participant's work.
#[tauri::command]
pub async fn coordinator_work_material(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
) -> Result<Vec<TaskMaterial>, CommandError> {
    with_db(&state, move |db| Ok(db.work_material(work_id, code)?)).await
}

/// A picture of the work's package (one the package names) as bytes.
#[tauri::command]
pub async fn coordinator_material_photo(
    state: State<'_, AppState>,
    work_id: i64,
    file: String,
) -> Result<MediaBytes, CommandError> {
    with_db(&state, move |db| Ok(db.material_photo(work_id, &file)?)).await
}

/// Keep the pictures of a work added before they were kept (day password).
#[tauri::command]
pub async fn coordinator_keep_pictures(
    state: State<'_, AppState>,
    work_id: i64,
    password: String,
) -> Result<u32, CommandError> {
    with_db(&state, move |db| {
        Ok(db.keep_work_pictures(work_id, &password, &vpr_package::SystemClock)?)
    })
    .await
}

/// One segment of a recorded answer as bytes for the expert's player.
#[tauri::command]
pub async fn coordinator_recording_audio(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    task: u32,
    part: u32,
    segment: u32,
) -> Result<MediaBytes, CommandError> {
    with_db(&state, move |db| {
        Ok(db.recording_audio(work_id, code, task, part, segment)?)
    })
    .await
}

/// Put an organizer in a room for a work; the warnings of that placement.
#[tauri::command]
pub async fn coordinator_assign_organizer(
    state: State<'_, AppState>,
    staff_id: i64,
    work_id: i64,
    room_id: i64,
) -> Result<Vec<String>, CommandError> {
    with_db(&state, move |db| {
        Ok(db.assign_organizer(staff_id, work_id, room_id)?)
    })
    .await
}

/// Every conflict of interest of a work's organizers and experts.
#[tauri::command]
pub async fn coordinator_assignment_warnings(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<String>, CommandError> {
    with_db(&state, move |db| Ok(db.assignment_warnings(work_id)?)).await
}

/// Export a work's expert tasks as an anonymous package for another school.
#[tauri::command]
pub async fn coordinator_export_cross_package(
    state: State<'_, AppState>,
    work_id: i64,
    tasks: Option<Vec<u32>>,
    out: String,
) -> Result<u32, CommandError> {
    let out = PathBuf::from(out.trim());
    with_db(&state, move |db| {
        Ok(db.export_cross_package(work_id, tasks.as_deref(), &out)?)
    })
    .await
}

/// Import the other school's signed scores (checked against its key).
#[tauri::command]
pub async fn coordinator_import_cross_scores(
    state: State<'_, AppState>,
    path: String,
    school_key: String,
) -> Result<u32, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| {
        Ok(db.import_cross_scores(&path, school_key.trim())?)
    })
    .await
}

/// This coordinator's archive public key (the other school trusts it).
#[tauri::command]
pub async fn coordinator_archive_public_key(
    state: State<'_, AppState>,
) -> Result<String, CommandError> {
    with_db(&state, move |db| Ok(db.archive_public_key()?)).await
}
