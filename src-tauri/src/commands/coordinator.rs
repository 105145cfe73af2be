//! The coordinator window's commands: each opens the coordinator core held
//! in [`CoordinatorState`] and calls one of its methods.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use tauri::State;
use vpr_api::{
    Coded, CommandError, CoordinatorStatus, Printout, RosterOutcome, RosterProblem, SavedFiles,
    Severity, WorkForm,
};
use vpr_coordinator::{
    stats::WorkStats, vpr_audio, vpr_package, Absence, Coordinator, CoordinatorError,
    CoordinatorLayout, NewStaff, PackageWork, Participant, Room, School, Slot, StaffMember,
    Station, Work,
};

use super::blocking;

pub use super::coordinator_cross::*;
pub use super::coordinator_custody::*;
pub use super::coordinator_data::*;
pub use super::coordinator_expert::*;
pub use super::coordinator_form::*;
pub use super::coordinator_paper::*;
pub use super::coordinator_scoring::*;
use crate::AppState;

/// The coordinator's folder (its own, never the station's data folder),
/// the open database (None until the password is given) and the recording
/// being played to the expert.
pub struct CoordinatorState {
    layout: CoordinatorLayout,
    db: Arc<Mutex<Option<Coordinator>>>,
    pub(super) player: Mutex<Option<vpr_audio::Playback>>,
}

impl CoordinatorState {
    pub fn new(layout: CoordinatorLayout) -> Self {
        Self {
            layout,
            db: Arc::new(Mutex::new(None)),
            player: Mutex::new(None),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(super) enum ShellError {
    #[error("Сначала откройте базу координатора паролем")]
    Locked,
    #[error("Внутренняя ошибка: данные координатора заблокированы сбоем")]
    Poisoned,
    #[error("Для протокола аудитории выберите аудиторию")]
    RoomNeeded,
    #[error("Не найдено после записи: {0}")]
    Vanished(&'static str),
}

impl Coded for ShellError {
    fn code(&self) -> &'static str {
        match self {
            Self::Locked => "coord_locked",
            Self::Poisoned => "coord_poisoned",
            Self::RoomNeeded => "coord_room_needed",
            Self::Vanished(_) => "coord_vanished",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Self::Poisoned => Severity::Unrecoverable,
            _ => Severity::NonBlocking,
        }
    }
}

/// `$VPR_COORDINATOR_DIR`, else the folder beside the station's data folder.
pub(super) fn layout(state: &AppState) -> Result<&CoordinatorLayout, CommandError> {
    Ok(&state.coordinator()?.layout)
}

/// Run `f` on the open database off the main thread (it touches the disk).
pub(super) async fn with_db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Coordinator) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    let db = Arc::clone(&state.coordinator()?.db);
    blocking(move || {
        let mut guard = db.lock().map_err(|_| ShellError::Poisoned)?;
        let db = guard.as_mut().ok_or(ShellError::Locked)?;
        f(db)
    })
    .await
}

fn status(state: &AppState) -> Result<CoordinatorStatus, CommandError> {
    let path = layout(state)?.database();
    let open = state
        .coordinator()?
        .db
        .lock()
        .map_err(|_| ShellError::Poisoned)?
        .is_some();
    Ok(CoordinatorStatus {
        exists: path.is_file(),
        open,
        db_path: path.display().to_string(),
    })
}

fn set_db(state: &AppState, db: Option<Coordinator>) -> Result<(), CommandError> {
    *state
        .coordinator()?
        .db
        .lock()
        .map_err(|_| ShellError::Poisoned)? = db;
    Ok(())
}

/// `folder/name`, creating the folder.
fn out_file(folder: &str, name: &str) -> Result<PathBuf, CommandError> {
    let dir = Path::new(folder);
    std::fs::create_dir_all(dir).map_err(CoordinatorError::from)?;
    Ok(dir.join(name))
}

#[tauri::command]
pub async fn coordinator_status(
    state: State<'_, AppState>,
) -> Result<CoordinatorStatus, CommandError> {
    status(&state)
}

#[tauri::command]
pub async fn coordinator_create(
    state: State<'_, AppState>,
    password: String,
) -> Result<CoordinatorStatus, CommandError> {
    let layout = layout(&state)?.clone();
    let db = blocking(move || Coordinator::create_in(&layout, &password)).await?;
    set_db(&state, Some(db))?;
    status(&state)
}

#[tauri::command]
pub async fn coordinator_open(
    state: State<'_, AppState>,
    password: String,
) -> Result<CoordinatorStatus, CommandError> {
    let layout = layout(&state)?.clone();
    let db = blocking(move || Coordinator::open_in(&layout, &password)).await?;
    set_db(&state, Some(db))?;
    status(&state)
}

#[tauri::command]
pub async fn coordinator_close(
    state: State<'_, AppState>,
) -> Result<CoordinatorStatus, CommandError> {
    let player = state
        .coordinator()?
        .player
        .lock()
        .map_err(|_| ShellError::Poisoned)?
        .take();
    drop(player);
    // Closing checkpoints the WAL into the file: disk work, off the main thread.
    let db = state
        .coordinator()?
        .db
        .lock()
        .map_err(|_| ShellError::Poisoned)?
        .take();
    blocking(move || {
        drop(db);
        Ok::<_, CommandError>(())
    })
    .await?;
    status(&state)
}

#[tauri::command]
pub async fn coordinator_school(
    state: State<'_, AppState>,
) -> Result<Option<School>, CommandError> {
    with_db(&state, move |db| Ok(db.school()?)).await
}

#[tauri::command]
pub async fn coordinator_set_school(
    state: State<'_, AppState>,
    school: School,
) -> Result<(), CommandError> {
    with_db(&state, move |db| Ok(db.set_school(&school)?)).await
}

/// A roster with problems adds nothing and returns every problem by row and
/// column; other failures are errors.
#[tauri::command]
pub async fn coordinator_import_roster(
    state: State<'_, AppState>,
    path: String,
) -> Result<RosterOutcome, CommandError> {
    with_db(&state, move |db| {
        match db.import_roster(Path::new(path.trim())) {
            Ok(r) => Ok(RosterOutcome {
                added: r.added,
                classes: r.classes,
                problems: Vec::new(),
            }),
            Err(CoordinatorError::Roster(issues)) => Ok(RosterOutcome {
                added: 0,
                classes: Vec::new(),
                problems: issues
                    .into_iter()
                    .map(|i| RosterProblem {
                        row: i.row,
                        column: i.column,
                        message: i.message,
                    })
                    .collect(),
            }),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

#[tauri::command]
pub async fn coordinator_participants(
    state: State<'_, AppState>,
) -> Result<Vec<Participant>, CommandError> {
    with_db(&state, move |db| Ok(db.participants()?)).await
}

#[tauri::command]
pub async fn coordinator_works(state: State<'_, AppState>) -> Result<Vec<Work>, CommandError> {
    with_db(&state, move |db| Ok(db.works()?)).await
}

#[tauri::command]
pub async fn coordinator_add_work(
    state: State<'_, AppState>,
    form: WorkForm,
) -> Result<Work, CommandError> {
    let work = PackageWork {
        package: PathBuf::from(form.package_file.trim()),
        password: form.password,
        date: form.date,
        reserve_dates: form.reserve_dates,
        upload_deadline: form.upload_deadline,
        stations_per_room: form.stations_per_room,
    };
    with_db(&state, move |db| {
        Ok(db.add_work_from_package(&work, &vpr_package::SystemClock)?)
    })
    .await
}

#[tauri::command]
pub async fn coordinator_release_keys(
    state: State<'_, AppState>,
    work_id: i64,
    keys_password: String,
) -> Result<Work, CommandError> {
    with_db(&state, move |db| {
        Ok(db.release_keys(work_id, &keys_password, &vpr_package::SystemClock)?)
    })
    .await
}

#[tauri::command]
pub async fn coordinator_rooms(state: State<'_, AppState>) -> Result<Vec<Room>, CommandError> {
    with_db(&state, move |db| Ok(db.rooms()?)).await
}

#[tauri::command]
pub async fn coordinator_add_room(
    state: State<'_, AppState>,
    name: String,
) -> Result<Room, CommandError> {
    with_db(&state, move |db| {
        let id = db.add_room(name.trim())?;
        db.rooms()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| ShellError::Vanished("аудитория").into())
    })
    .await
}

#[tauri::command]
pub async fn coordinator_stations(
    state: State<'_, AppState>,
) -> Result<Vec<Station>, CommandError> {
    with_db(&state, move |db| Ok(db.stations()?)).await
}

#[tauri::command]
pub async fn coordinator_add_station(
    state: State<'_, AppState>,
    room_id: i64,
    number: u32,
    station_room: String,
    public_key: String,
    fingerprint: String,
) -> Result<Station, CommandError> {
    with_db(&state, move |db| {
        Ok(db.add_station(room_id, number, &station_room, &public_key, &fingerprint)?)
    })
    .await
}

#[tauri::command]
pub async fn coordinator_staff(
    state: State<'_, AppState>,
) -> Result<Vec<StaffMember>, CommandError> {
    with_db(&state, move |db| Ok(db.staff()?)).await
}

#[tauri::command]
pub async fn coordinator_add_staff(
    state: State<'_, AppState>,
    staff: NewStaff,
) -> Result<StaffMember, CommandError> {
    with_db(&state, move |db| {
        let id = db.add_staff(&staff)?;
        db.staff()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| ShellError::Vanished("сотрудник").into())
    })
    .await
}

#[tauri::command]
pub async fn coordinator_absences(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<Absence>, CommandError> {
    with_db(&state, move |db| Ok(db.absences(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_record_absences(
    state: State<'_, AppState>,
    work_id: i64,
    participant_ids: Vec<i64>,
    reason: String,
    document: String,
    reserve_date: Option<String>,
) -> Result<Vec<Absence>, CommandError> {
    with_db(&state, move |db| {
        for id in participant_ids {
            db.record_absence(work_id, id, &reason, &document, reserve_date.as_deref())?;
        }
        Ok(db.absences(work_id)?)
    })
    .await
}

/// Seat the work's participants not yet seated into `room` in consecutive
/// slots of `minutes` from `first_start` (ЧЧ:ММ).
#[tauri::command]
pub async fn coordinator_seat_all(
    state: State<'_, AppState>,
    work_id: i64,
    room_id: i64,
    first_start: String,
    minutes: u32,
) -> Result<Vec<Slot>, CommandError> {
    with_db(&state, move |db| {
        Ok(db.seat_all(work_id, room_id, first_start.trim(), minutes)?)
    })
    .await
}

/// The variant the coordinator's seating gives a participant (None: the
/// station's default by its number).
#[tauri::command]
pub async fn coordinator_set_seat_variant(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    variant: Option<u32>,
) -> Result<(), CommandError> {
    with_db(&state, move |db| {
        Ok(db.set_seat_variant(work_id, code, variant)?)
    })
    .await
}

/// Save a printout as PDF in `folder`; returns the file's path.
#[tauri::command]
pub async fn coordinator_print(
    state: State<'_, AppState>,
    what: Printout,
    work_id: i64,
    room_id: Option<i64>,
    folder: String,
) -> Result<String, CommandError> {
    with_db(&state, move |db| {
        let (bytes, name) = match what {
            Printout::Codes => (
                db.code_sheet_pdf(work_id, room_id)?,
                match room_id {
                    Some(r) => format!("codes-work{work_id}-room{r}.pdf"),
                    None => format!("codes-work{work_id}.pdf"),
                },
            ),
            Printout::Protocol => {
                let room = room_id.ok_or(ShellError::RoomNeeded)?;
                (
                    db.room_protocol_pdf(work_id, room)?,
                    format!("protocol-work{work_id}-room{room}.pdf"),
                )
            }
            Printout::OrganizerInstructions => (
                db.organizer_instructions_pdf(work_id)?,
                format!("organizer-instructions-work{work_id}.pdf"),
            ),
            Printout::ExpertInstructions => (
                db.expert_instructions_pdf(work_id)?,
                format!("expert-instructions-work{work_id}.pdf"),
            ),
            Printout::ResultSheets => (
                db.result_sheets_pdf(work_id)?,
                format!("result-sheets-work{work_id}.pdf"),
            ),
        };
        let out = out_file(&folder, &name)?;
        std::fs::write(&out, bytes).map_err(CoordinatorError::from)?;
        Ok(out.display().to_string())
    })
    .await
}

#[tauri::command]
pub async fn coordinator_form_missing(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<String>, CommandError> {
    with_db(&state, move |db| Ok(db.missing_for_form(work_id)?)).await
}

/// The results collection form as XLSX and CSV in `folder`.
#[tauri::command]
pub async fn coordinator_export_form(
    state: State<'_, AppState>,
    work_id: i64,
    folder: String,
) -> Result<SavedFiles, CommandError> {
    with_db(&state, move |db| {
        let xlsx = out_file(&folder, &format!("results-form-work{work_id}.xlsx"))?;
        let csv = out_file(&folder, &format!("results-form-work{work_id}.csv"))?;
        let f = db.export_results_form(work_id, &xlsx, &csv)?;
        Ok(SavedFiles {
            files: vec![xlsx.display().to_string(), csv.display().to_string()],
            rows: f.rows,
            warnings: f.warnings,
        })
    })
    .await
}

/// The application to take part and the context data, as XLSX in `folder`.
#[tauri::command]
pub async fn coordinator_export_school_forms(
    state: State<'_, AppState>,
    folder: String,
) -> Result<SavedFiles, CommandError> {
    with_db(&state, move |db| {
        let application = out_file(&folder, "application.xlsx")?;
        let context = out_file(&folder, "context-data.xlsx")?;
        let a = db.export_application_form(&application)?;
        let c = db.export_context_form(&context)?;
        Ok(SavedFiles {
            files: vec![a.xlsx, c.xlsx],
            rows: a.rows + c.rows,
            warnings: a.warnings.into_iter().chain(c.warnings).collect(),
        })
    })
    .await
}

#[tauri::command]
pub async fn coordinator_statistics(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<WorkStats, CommandError> {
    with_db(&state, move |db| Ok(db.statistics(work_id)?)).await
}

/// The signed archive of all results of a work in `folder`.
#[tauri::command]
pub async fn coordinator_export_archive(
    state: State<'_, AppState>,
    work_id: i64,
    folder: String,
) -> Result<SavedFiles, CommandError> {
    with_db(&state, move |db| {
        let out = out_file(&folder, &format!("results-archive-work{work_id}.zip"))?;
        let m = db.export_results_archive(work_id, &out)?;
        Ok(SavedFiles {
            files: vec![out.display().to_string()],
            rows: m.participants,
            warnings: Vec::new(),
        })
    })
    .await
}
