//! The receiving school's side of a cross-check (issue 13 item 6): open
//! another school's anonymous scoring package, play every recorded piece of
//! an answer, and write the scores file signed with this coordinator's
//! archive key. A few lines over `vpr-coordinator`.

use std::path::PathBuf;

use tauri::State;
use vpr_api::{CommandError, SavedFiles};
use vpr_coordinator::{scoring::MediaBytes, CrossPackage, CrossScore};

use super::coordinator::with_db;
use crate::AppState;

/// Read another school's scoring package (its pieces checked to be there).
#[tauri::command]
pub async fn coordinator_open_cross_package(
    state: State<'_, AppState>,
    path: String,
) -> Result<CrossPackage, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |_| Ok(CrossPackage::open(&path)?)).await
}

/// One recorded piece of a package's answer, decoded as WAV, for the player.
#[tauri::command]
pub async fn coordinator_cross_part_audio(
    state: State<'_, AppState>,
    path: String,
    token: String,
    index: u32,
) -> Result<MediaBytes, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |_| {
        let p = CrossPackage::open(&path)?;
        Ok(p.part_audio(&path, &token, index as usize)?)
    })
    .await
}

/// The waveform of one recorded piece of a package's answer.
#[tauri::command]
pub async fn coordinator_cross_part_waveform(
    state: State<'_, AppState>,
    path: String,
    token: String,
    index: u32,
    buckets: usize,
) -> Result<Vec<f32>, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |_| {
        let p = CrossPackage::open(&path)?;
        Ok(p.part_waveform(&path, &token, index as usize, buckets)?)
    })
    .await
}

/// Write the scores given to a package, signed with this coordinator's key
/// (notes and expert labels scanned for names first).
#[tauri::command]
pub async fn coordinator_write_cross_scores(
    state: State<'_, AppState>,
    path: String,
    out: String,
    scores: Vec<CrossScore>,
) -> Result<SavedFiles, CommandError> {
    let (path, out) = (PathBuf::from(path.trim()), PathBuf::from(out.trim()));
    with_db(&state, move |db| {
        let p = CrossPackage::open(&path)?;
        db.write_cross_scores(&p, &out, &scores)?;
        Ok(SavedFiles {
            files: vec![out.display().to_string()],
            rows: scores.len() as u32,
            warnings: Vec::new(),
        })
    })
    .await
}
