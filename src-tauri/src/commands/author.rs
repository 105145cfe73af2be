//! The author's window: each command adapts one `vpr-author` operation (the CLI's
//! `vpr package new|edit|media|check|build` call the same ones), plus the preview's player
//! and recorder through `vpr-audio`.

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use tauri::{ipc::Request, AppHandle, Manager, Runtime, State};
use vpr_api::{
    AuthorStatus, BuiltPackage, CommandError, Language, MediaReceived, RecorderCheck, SchoolKey,
    Severity, TaskKind, TaskPreview, Template, WorkView,
};
use vpr_author::{Work, Workspace, MAX_UPLOAD_BYTES};

use super::blocking;
use crate::AppState;

type Result<T> = std::result::Result<T, CommandError>;

/// The author mode's state: the workspace's paths and the preview's player.
pub struct AuthorState {
    workspace: Workspace,
    /// The stop flag of the tracks playing now.
    playing: Mutex<Option<Arc<AtomicBool>>>,
}

impl AuthorState {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            workspace: Workspace::for_app(data_dir),
            playing: Mutex::new(None),
        }
    }

    /// Stop what the preview plays, if anything.
    fn stop(&self) {
        if let Ok(mut p) = self.playing.lock() {
            if let Some(flag) = p.take() {
                flag.store(true, Ordering::Release);
            }
        }
    }
}

fn workspace<R: Runtime>(app: &AppHandle<R>) -> Result<Workspace> {
    Ok(app.state::<AppState>().author()?.workspace.clone())
}

fn bad(code: &str, message: impl Into<String>) -> CommandError {
    CommandError::new(code, message, Severity::NonBlocking)
}

#[tauri::command]
pub async fn author_status<R: Runtime>(app: AppHandle<R>) -> Result<AuthorStatus> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<AuthorStatus> {
        Ok(AuthorStatus {
            folder: ws.root().display().to_string(),
            works: ws.list()?,
            school_key: ws.school_key()?,
        })
    })
    .await
}

#[tauri::command]
pub async fn author_create<R: Runtime>(
    app: AppHandle<R>,
    template: Template,
    language: Language,
    id: String,
    title: Option<String>,
) -> Result<WorkView> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<WorkView> {
        let work = ws.create(template, language, &id, title.as_deref())?;
        Ok(WorkView::of(&work))
    })
    .await
}

/// Open work `id`, change it with `f`, and show it.
async fn with_work<R: Runtime>(
    app: &AppHandle<R>,
    id: String,
    f: impl FnOnce(&mut Work) -> Result<()> + Send + 'static,
) -> Result<WorkView> {
    let ws = workspace(app)?;
    blocking(move || -> Result<WorkView> {
        let (mut work, _) = ws.open(&id)?;
        f(&mut work)?;
        Ok(WorkView::of(&work))
    })
    .await
}

#[tauri::command]
pub async fn author_open<R: Runtime>(app: AppHandle<R>, id: String) -> Result<WorkView> {
    with_work(&app, id, |_| Ok(())).await
}

#[tauri::command]
pub async fn author_set_field<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    path: String,
    value: String,
) -> Result<WorkView> {
    let value: serde_json::Value = serde_json::from_str(&value).map_err(|e| {
        bad(
            "author_bad_value",
            format!("{path}: значение не читается ({e})"),
        )
    })?;
    with_work(&app, id, move |w| {
        w.set_field(&path, value)?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn author_add_variant<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    copy_of: Option<u32>,
) -> Result<WorkView> {
    with_work(&app, id, move |w| {
        w.add_variant(copy_of)?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn author_add_task<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    variant: u32,
    kind: TaskKind,
    after: u32,
) -> Result<WorkView> {
    with_work(&app, id, move |w| {
        w.add_task(variant, kind, after)?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn author_remove_task<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    variant: u32,
    number: u32,
) -> Result<WorkView> {
    with_work(&app, id, move |w| Ok(w.remove_task(variant, number)?)).await
}

fn header(request: &Request<'_>, name: &str) -> Result<Option<String>> {
    let Some(v) = request.headers().get(name) else {
        return Ok(None);
    };
    let text = v
        .to_str()
        .map_err(|_| bad("author_bad_upload", format!("заголовок {name} не читается")))?;
    Ok(Some(percent_decode(text).ok_or_else(|| {
        bad("author_bad_upload", format!("заголовок {name} не читается"))
    })?))
}

/// `%D1%84` → bytes → UTF-8 (the page sends `encodeURIComponent`).
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A media file as the raw request body: the size checked before anything is written, then
/// vpr-author decodes and keeps it (into a slot when `x-slot` names one).
#[tauri::command]
pub async fn author_add_media<R: Runtime>(
    app: AppHandle<R>,
    request: Request<'_>,
) -> Result<MediaReceived> {
    let ws = workspace(&app)?;
    let missing = |h: &str| bad("author_bad_upload", format!("не указан заголовок {h}"));
    let id = header(&request, "x-work")?.ok_or_else(|| missing("x-work"))?;
    let name = header(&request, "x-file-name")?.ok_or_else(|| missing("x-file-name"))?;
    let slot = header(&request, "x-slot")?.filter(|s| !s.is_empty());
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(bad("author_bad_upload", "файл не передан"));
    };
    if bytes.len() as u64 > MAX_UPLOAD_BYTES {
        return Err(bad(
            "author_too_large",
            format!(
                "Файл {name} слишком большой: {} байт при допустимых {MAX_UPLOAD_BYTES}",
                bytes.len()
            ),
        ));
    }
    let bytes = bytes.clone();
    blocking(move || -> Result<MediaReceived> {
        let (mut work, _) = ws.open(&id)?;
        let (added, _) = work.receive_media(&ws.scratch_dir(), &name, &bytes, slot.as_deref())?;
        Ok(MediaReceived {
            added,
            work: WorkView::of(&work),
        })
    })
    .await
}

#[tauri::command]
pub async fn author_media<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    path: String,
) -> Result<String> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<String> { Ok(ws.open(&id)?.0.media_data_url(&path)?) }).await
}

#[tauri::command]
pub async fn author_preview<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    variant: u32,
    number: u32,
) -> Result<TaskPreview> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<TaskPreview> { Ok(ws.open(&id)?.0.preview(variant, number)?) }).await
}

/// Play `files` one after another through the station's player (system default output)
/// until the end or `stop`.
fn play_all(files: Vec<PathBuf>, stop: Arc<AtomicBool>) {
    for file in files {
        if stop.load(Ordering::Acquire) {
            return;
        }
        let playback = match vpr_audio::Playback::start(vpr_audio::PlayOptions::new(&file)) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(file = %file.display(), "preview track not played: {e}");
                return;
            }
        };
        while !playback.is_finished() {
            if stop.load(Ordering::Acquire) {
                let _ = playback.stop();
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = playback.wait();
    }
}

/// Play the task's tracks (its instruction, then its track or each question's) in the
/// background; how many.
#[tauri::command]
pub async fn author_play<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    variant: u32,
    number: u32,
) -> Result<u32> {
    let ws = workspace(&app)?;
    let files = blocking(move || -> Result<Vec<PathBuf>> {
        Ok(ws.open(&id)?.0.task_tracks(variant, number)?)
    })
    .await?;
    if files.is_empty() {
        return Err(bad(
            "author_no_track",
            "У задания нет добавленных звуковых файлов",
        ));
    }
    let state = app.state::<AppState>();
    let author = state.author()?;
    author.stop();
    let stop = Arc::new(AtomicBool::new(false));
    if let Ok(mut p) = author.playing.lock() {
        *p = Some(stop.clone());
    }
    let n = u32::try_from(files.len()).unwrap_or(u32::MAX);
    std::thread::spawn(move || play_all(files, stop));
    Ok(n)
}

#[tauri::command]
pub fn author_stop(state: State<'_, AppState>) -> Result<()> {
    state.author()?.stop();
    Ok(())
}

/// Record `seconds` (2–15) through the station's recorder (system default input).
#[tauri::command]
pub async fn author_record_check<R: Runtime>(
    app: AppHandle<R>,
    seconds: u32,
) -> Result<RecorderCheck> {
    if !(2..=15).contains(&seconds) {
        return Err(bad(
            "author_bad_value",
            "Проверочная запись — от 2 до 15 секунд",
        ));
    }
    let ws = workspace(&app)?;
    app.state::<AppState>().author()?.stop();
    blocking(move || -> Result<RecorderCheck> {
        let path = ws.check_recording();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| bad("author_io", format!("{}: {e}", dir.display())))?;
        }
        let mut opts = vpr_audio::RecordOptions::new(&path);
        opts.duration = Some(Duration::from_secs(u64::from(seconds)));
        let r = vpr_audio::Recording::start(opts)?.wait()?;
        Ok(RecorderCheck {
            duration_ms: r.duration_ms,
            peak_dbfs: vpr_audio::levels::dbfs(r.levels.peak).max(-120.0),
            silent: r.levels.silent,
        })
    })
    .await
}

/// Play the recorder check back.
#[tauri::command]
pub async fn author_play_check<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let ws = workspace(&app)?;
    let file = ws.check_recording();
    if !file.is_file() {
        return Err(bad(
            "author_no_track",
            "Сначала сделайте проверочную запись",
        ));
    }
    let state = app.state::<AppState>();
    let author = state.author()?;
    author.stop();
    let stop = Arc::new(AtomicBool::new(false));
    if let Ok(mut p) = author.playing.lock() {
        *p = Some(stop.clone());
    }
    std::thread::spawn(move || play_all(vec![file], stop));
    Ok(())
}

#[tauri::command]
pub async fn author_create_key<R: Runtime>(app: AppHandle<R>) -> Result<SchoolKey> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<SchoolKey> { Ok(ws.create_school_key()?) }).await
}

#[tauri::command]
pub async fn author_export_key<R: Runtime>(app: AppHandle<R>, folder: String) -> Result<String> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<String> {
        Ok(ws
            .export_public_key(Path::new(&folder))?
            .display()
            .to_string())
    })
    .await
}

#[tauri::command]
pub async fn author_build<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    school: String,
    exam_date: String,
) -> Result<BuiltPackage> {
    let ws = workspace(&app)?;
    blocking(move || -> Result<BuiltPackage> { Ok(ws.build(&id, &school, &exam_date)?) }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_arrive_uri_encoded() {
        assert_eq!(
            percent_decode("photo%201.jpg").as_deref(),
            Some("photo 1.jpg")
        );
        assert_eq!(percent_decode("%D1%84.mp3").as_deref(), Some("ф.mp3"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
