//! The files from ФИС ОКО (issue 13): the list of participant codes,
//! imported and handed out; the official results form read and its columns
//! mapped to the work (with the questions the coordinator answers), then
//! filled in place and saved in a folder under the template's own name.
//! A few lines over `vpr-coordinator`.

use std::path::{Path, PathBuf};

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    official_form::{FormAnswer, FormMapping, OfficialForm},
    CodeOrder, CodesImport, CoordinatorError,
};

use super::coordinator::with_db;
use crate::AppState;

/// Import a list of codes from ФИС ОКО and hand the codes out.
#[tauri::command]
pub async fn coordinator_import_codes(
    state: State<'_, AppState>,
    path: String,
    order: CodeOrder,
) -> Result<CodesImport, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| Ok(db.import_codes(&path, order)?)).await
}

/// How the form's columns map to the work's tasks, and what is to be answered.
#[tauri::command]
pub async fn coordinator_official_form_mapping(
    state: State<'_, AppState>,
    work_id: i64,
    template: String,
    answers: Vec<FormAnswer>,
) -> Result<FormMapping, CommandError> {
    let template = PathBuf::from(template.trim());
    with_db(&state, move |db| {
        Ok(db.official_form_mapping(work_id, &template, &answers)?)
    })
    .await
}

/// Fill the form for the work and save it in `folder` under the template's name.
#[tauri::command]
pub async fn coordinator_fill_official_form(
    state: State<'_, AppState>,
    work_id: i64,
    template: String,
    folder: String,
    answers: Vec<FormAnswer>,
) -> Result<OfficialForm, CommandError> {
    let template = PathBuf::from(template.trim());
    let dir = PathBuf::from(folder.trim());
    with_db(&state, move |db| {
        std::fs::create_dir_all(&dir).map_err(CoordinatorError::from)?;
        let name = template
            .file_name()
            .map_or_else(|| "form.xlsx".into(), |n| n.to_os_string());
        let out = dir.join(Path::new(&name));
        Ok(db.fill_official_form(work_id, &template, &out, &answers)?)
    })
    .await
}
