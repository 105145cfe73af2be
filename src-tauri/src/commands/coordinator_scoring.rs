//! The coordinator window's scoring commands: bundles imported, completeness,
//! auto-scoring, experts assigned, the expert's queue, waveform and playback
//! on the coordinator's output, criteria scores saved. Each is a few lines
//! over `vpr-coordinator`.

use std::path::Path;

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    import::{ImportReport, RoomBoard},
    scoring::{AssignmentReport, CriterionScore, ExpertItem},
    vpr_audio,
};

use super::blocking;
use super::coordinator::{layout, with_db, ShellError};
use crate::AppState;

#[tauri::command]
pub async fn coordinator_import_bundle(
    state: State<'_, AppState>,
    path: String,
) -> Result<ImportReport, CommandError> {
    with_db(&state, move |db| {
        Ok(db.import_bundle(Path::new(path.trim()))?)
    })
    .await
}

#[tauri::command]
pub async fn coordinator_completeness(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<RoomBoard>, CommandError> {
    with_db(&state, move |db| Ok(db.completeness(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_auto_score(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<u32, CommandError> {
    with_db(&state, move |db| Ok(db.auto_score(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_assign_experts(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<AssignmentReport, CommandError> {
    with_db(&state, move |db| Ok(db.assign_experts(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_expert_queue(
    state: State<'_, AppState>,
    expert_id: i64,
) -> Result<Vec<ExpertItem>, CommandError> {
    with_db(&state, move |db| Ok(db.expert_queue(expert_id)?)).await
}

#[tauri::command]
pub async fn coordinator_waveform(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    task: u32,
    part: u32,
    segment: u32,
    buckets: usize,
) -> Result<Vec<f32>, CommandError> {
    with_db(&state, move |db| {
        Ok(db.recording_waveform(work_id, code, task, part, segment, buckets)?)
    })
    .await
}

/// Play one segment of a recorded answer (task and part: 0, or the
/// question number) on the coordinator's output (`audio.json` of the data
/// folder, else the system default); a new play stops the previous one.
#[tauri::command]
pub async fn coordinator_play(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    task: u32,
    part: u32,
    segment: u32,
) -> Result<(), CommandError> {
    let path = with_db(&state, move |db| {
        Ok(db.recording_path(work_id, code, task, part, segment)?)
    })
    .await?;
    let settings_file = layout(&state)?.audio_settings();
    let playback = blocking(move || {
        let settings = vpr_audio::AudioSettings::load(&settings_file)?;
        let mut options = vpr_audio::PlayOptions::new(path);
        options.device = settings.output;
        vpr_audio::Playback::start(options)
    })
    .await?;
    *state
        .coordinator()?
        .player
        .lock()
        .map_err(|_| ShellError::Poisoned)? = Some(playback);
    Ok(())
}

#[tauri::command]
pub async fn coordinator_stop(state: State<'_, AppState>) -> Result<(), CommandError> {
    let old = state
        .coordinator()?
        .player
        .lock()
        .map_err(|_| ShellError::Poisoned)?
        .take();
    drop(old);
    Ok(())
}

#[tauri::command]
pub async fn coordinator_submit_scores(
    state: State<'_, AppState>,
    expert_id: i64,
    work_id: i64,
    code: u32,
    task: u32,
    scores: Vec<CriterionScore>,
) -> Result<bool, CommandError> {
    with_db(&state, move |db| {
        Ok(db.submit_scores(expert_id, work_id, code, task, &scores)?)
    })
    .await
}
