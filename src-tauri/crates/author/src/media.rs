//! Media dropped into a work: validated by decoding (the exam crate's probes and caps), then
//! copied into `media/` atomically; the probed figures come back so `duration_s` can be set.

use std::{fs, io::Write, path::Path};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use vpr_exam::media::{probe_audio, probe_image, AUDIO_EXTENSIONS, IMAGE_EXTENSIONS};

use crate::{
    error::Result,
    problems::{AuthorProblem, MediaKind},
    work::MEDIA_DIR,
    AuthorError, Work,
};

/// Longest media file name kept.
const MAX_NAME: usize = 100;

/// A file added to a work, as decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AddedMedia {
    /// Relative to the work folder, e.g. `media/listening.mp3`: the value for the field.
    pub file: String,
    pub kind: MediaKind,
    /// «MP3», «JPEG», …
    pub format: String,
    /// A track's length, whole seconds, rounded (the value for `duration_s`).
    pub duration_s: Option<u32>,
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

pub(crate) fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// A plain file name a package may carry: `[A-Za-z0-9._-]`, not hidden, a media extension.
pub(crate) fn media_kind(name: &str) -> Result<MediaKind> {
    let plain = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    let ext = extension(name);
    match () {
        _ if !plain => Err(AuthorError::BadMediaName(name.to_owned())),
        _ if AUDIO_EXTENSIONS.contains(&ext.as_str()) => Ok(MediaKind::Audio),
        _ if IMAGE_EXTENSIONS.contains(&ext.as_str()) => Ok(MediaKind::Image),
        _ => Err(AuthorError::BadMediaName(name.to_owned())),
    }
}

/// Decode `source` as what its name says (the message names the file).
fn probe(source: &Path, kind: MediaKind, file: String) -> Result<AddedMedia> {
    Ok(match kind {
        MediaKind::Audio => {
            let info = probe_audio(source).map_err(AuthorError::BadMedia)?;
            let secs = info.duration_ms.saturating_add(500) / 1000;
            AddedMedia {
                file,
                kind,
                format: info.format.name().to_owned(),
                duration_s: Some(u32::try_from(secs).unwrap_or(u32::MAX).max(1)),
                duration_ms: Some(info.duration_ms),
                sample_rate: Some(info.sample_rate),
                channels: Some(info.channels),
                width: None,
                height: None,
            }
        }
        MediaKind::Image => {
            let info = probe_image(source).map_err(AuthorError::BadMedia)?;
            AddedMedia {
                file,
                kind,
                format: info.format.name().to_owned(),
                duration_s: None,
                duration_ms: None,
                sample_rate: None,
                channels: None,
                width: Some(info.width),
                height: Some(info.height),
            }
        }
    })
}

impl Work {
    /// Copy `source` into `media/` as `name` (default: its own name) after decoding it; a
    /// file that does not decode is refused and nothing is copied.
    pub fn add_media(&self, source: &Path, name: Option<&str>) -> Result<AddedMedia> {
        let name = match name {
            Some(n) => n.to_owned(),
            None => source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let kind = media_kind(&name)?;
        let added = probe(source, kind, format!("{MEDIA_DIR}/{name}"))?;
        let media = self.media_dir();
        fs::create_dir_all(&media).map_err(AuthorError::io(&media))?;
        copy_atomic(source, &media.join(&name))?;
        Ok(added)
    }

    /// Put `source` into the media slot whose file field is `path` (as
    /// [`Work::media_slots`] lists them): copied under the slot's name with the source's
    /// extension, the field and the track's `duration_s` set. The work's problems come back.
    pub fn attach_media(
        &mut self,
        path: &str,
        source: &Path,
    ) -> Result<(AddedMedia, Vec<AuthorProblem>)> {
        let slot = self
            .media_slots()
            .into_iter()
            .find(|s| s.path == path)
            .ok_or_else(|| AuthorError::BadPath {
                path: path.to_owned(),
                reason: "это поле не называет файл звука или фотографии".to_owned(),
            })?;
        let stem = Path::new(&slot.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("{stem}.{}", extension(&source.to_string_lossy()));
        if media_kind(&name)? != slot.kind {
            return Err(AuthorError::BadMediaName(name));
        }
        let added = self.add_media(source, Some(&name))?;
        let mut problems = self.set_field(path, Value::String(added.file.clone()))?;
        if let (Some(dp), Some(d)) = (&slot.duration_path, added.duration_s) {
            problems = self.set_field(dp, Value::from(d))?;
        }
        Ok((added, problems))
    }
}

fn copy_atomic(source: &Path, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(target.file_name().unwrap_or_default());
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let done = (|| {
        let mut from = fs::File::open(source)?;
        let mut to = fs::File::create(&tmp)?;
        std::io::copy(&mut from, &mut to)?;
        to.flush()?;
        to.sync_all()?;
        fs::rename(&tmp, target)
    })();
    if let Err(e) = done {
        let _ = fs::remove_file(&tmp);
        return Err(AuthorError::io(target)(e));
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
