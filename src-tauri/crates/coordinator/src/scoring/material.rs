//! The material an expert scores an answer against: the text read aloud,
//! the plan, the questions and prompts, the photos of the task and the one
//! the participant chose. The tasks come from the work's signed package
//! (its `package.json`, kept when the work was added), the photos from the
//! copy of them kept then (`packages/<sha>.media/`), the choice from the
//! journal of the station bundle the answer came in (verified again against
//! the enrolled station keys, never trusted as it lies on disk).

use std::{collections::BTreeMap, io::Read, path::PathBuf};

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use vpr_bundle::SessionStatus;
use vpr_exam::{
    media::{ImageFormat, IMAGE_EXTENSIONS, MAX_IMAGE_BYTES, MAX_SVG_BYTES},
    session::{Event, EventKind},
    Package, TaskContent,
};

use crate::{Coordinator, CoordinatorError, Result};

/// Largest recording handed to the expert's player as bytes.
pub const MAX_RECORDING_BYTES: u64 = 64 * 1024 * 1024;

/// One photo of a task as the expert sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaterialPhoto {
    /// 1-based, as the station numbers them.
    pub number: u32,
    pub caption: String,
    /// The file in the package (what [`Coordinator::material_photo`] takes).
    pub file: String,
    /// A copy was kept when the work was added (else it cannot be shown).
    pub kept: bool,
}

/// What one task gave the participant, for the expert scoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TaskMaterial {
    pub task: u32,
    pub title: String,
    pub instruction: String,
    /// `reading_aloud`, `monologue`, `interview`, `ask_questions`, `written`.
    pub kind: String,
    /// The text read aloud, the advert's text, the interview's situation or
    /// the letter to answer.
    pub text: Option<String>,
    /// The monologue's plan.
    pub plan: Vec<String>,
    /// The interview's questions (as text) or the prompts to ask about.
    pub prompts: Vec<String>,
    pub photos: Vec<MaterialPhoto>,
    /// Every photo is spoken about: nothing is chosen.
    pub all_photos: bool,
    /// The photo the participant chose (1-based), from the station's journal.
    pub chosen_photo: Option<u32>,
}

/// A picture or a recording as bytes with its media type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MediaBytes {
    /// `image/svg+xml`, `image/png`, `image/jpeg`, `audio/wav`.
    pub media_type: String,
    /// Base64 on the wire (a third over the bytes; a JSON number array
    /// would be nearly four times them).
    #[serde(with = "base64_bytes")]
    #[ts(type = "string")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    use base64::{engine::general_purpose::STANDARD, Engine as _};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

/// The picture files a package names (photos of monologues, adverts' images).
pub(crate) fn package_pictures(package: &Package) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in package.variants.iter().flat_map(|v| &v.tasks) {
        let files: Vec<&String> = match &t.content {
            TaskContent::Monologue(m) => m.photos.iter().map(|p| &p.file).collect(),
            TaskContent::AskQuestions(a) => a.image.iter().collect(),
            _ => Vec::new(),
        };
        for f in files {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    out
}

/// The kept copy's file name: the SHA-256 of the package path (so no name
/// from the package ever becomes a path) and the picture's own extension.
fn kept_name(file: &str) -> Option<String> {
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    IMAGE_EXTENSIONS.contains(&ext.as_str()).then(|| {
        format!(
            "{}.{ext}",
            vpr_integrity::sha256(file.as_bytes())
                .to_hex()
                .get(..32)
                .unwrap_or_default()
        )
    })
}

fn media_type(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::Svg => "image/svg+xml",
    }
}

impl Coordinator {
    /// Keep the pictures of a package's materials beside its copy (called
    /// when the work is added, while the materials are open).
    pub(crate) fn keep_pictures(
        &self,
        package_sha: &str,
        package: &Package,
        materials: &vpr_package::Archive,
    ) -> Result<()> {
        let dir = self.layout.package_media(package_sha);
        for file in package_pictures(package) {
            let (Some(name), Some(bytes)) = (kept_name(&file), materials.get(&file)) else {
                continue;
            };
            if bytes.len() as u64 > MAX_IMAGE_BYTES {
                continue;
            }
            std::fs::create_dir_all(&dir)?;
            let target = dir.join(&name);
            let partial = target.with_extension("partial");
            std::fs::write(&partial, bytes)?;
            std::fs::rename(&partial, &target)?;
        }
        if dir.is_dir() {
            // Exam material, owner-only like the rest of the folder.
            crate::owner_only::secure_bundle_dir(&dir)?;
        }
        Ok(())
    }

    /// Keep the pictures of a work added before they were kept: the kept
    /// copy of its signed package opened again with the day password.
    pub fn keep_work_pictures(
        &self,
        work_id: i64,
        password: &str,
        clock: &dyn vpr_package::Clock,
    ) -> Result<u32> {
        let (package, sha) = self.work_materials(work_id)?;
        let p = self.work_package(work_id)?.ok_or_else(no_package)?;
        let path = self.layout.resolve(&p.file);
        let sealed = vpr_package::SealedPackage::read(
            &path,
            &self.trusted_issuers()?,
            &vpr_package::Limits::default(),
        )?;
        if vpr_integrity::sha256_file(&path)
            .map(|(h, _)| h.to_hex())
            .ok()
            .as_deref()
            != Some(sha.as_str())
        {
            return Err(CoordinatorError::Corrupt(format!(
                "копия пакета работы ({}) изменена: SHA-256 не тот, что записан при добавлении работы",
                p.file
            )));
        }
        let materials = sealed.materials(password, clock)?;
        self.keep_pictures(&sha, &package, &materials)?;
        Ok(package_pictures(&package)
            .iter()
            .filter(|f| self.kept_picture(&sha, f).is_some_and(|p| p.is_file()))
            .count() as u32)
    }

    fn kept_picture(&self, package_sha: &str, file: &str) -> Option<PathBuf> {
        Some(
            self.layout
                .package_media(package_sha)
                .join(kept_name(file)?),
        )
    }

    /// The work's package (from its signed package) and the package's SHA-256.
    fn work_materials(&self, work_id: i64) -> Result<(Package, String)> {
        let p = self.work_package(work_id)?.ok_or_else(no_package)?;
        let json = p
            .materials
            .ok_or_else(|| CoordinatorError::Corrupt("нет материалов работы".into()))?;
        Ok((Package::from_json(json.as_bytes())?, p.sha256))
    }

    /// The material of every expert-scored task of a participant's work (of
    /// the variant they sat), with the photo they chose.
    pub fn work_material(&self, work_id: i64, code: u32) -> Result<Vec<TaskMaterial>> {
        let (package, sha) = self.work_materials(work_id)?;
        let sub = self
            .submissions(work_id)?
            .into_iter()
            .find(|s| s.code == code)
            .ok_or(CoordinatorError::Missing {
                what: "работа участника",
                id: i64::from(code),
            })?;
        let variant = package
            .variant(sub.variant)
            .ok_or(CoordinatorError::Missing {
                what: "вариант",
                id: i64::from(sub.variant),
            })?;
        let chosen = self.chosen_photos(work_id, &package.id, code, &sub.bundle_sha256)?;
        let photo = |number: usize, file: &str, caption: &str| MaterialPhoto {
            number: number as u32 + 1,
            caption: caption.to_string(),
            file: file.to_string(),
            kept: self.kept_picture(&sha, file).is_some_and(|p| p.is_file()),
        };
        let mut out = Vec::new();
        for t in &variant.tasks {
            let mut m = TaskMaterial {
                task: t.number,
                title: t.title.clone(),
                instruction: t.instruction.clone(),
                kind: String::new(),
                text: None,
                plan: Vec::new(),
                prompts: Vec::new(),
                photos: Vec::new(),
                all_photos: false,
                chosen_photo: None,
            };
            match &t.content {
                TaskContent::ReadingAloud(r) => {
                    m.kind = "reading_aloud".into();
                    m.text = Some(r.text.clone());
                }
                TaskContent::Monologue(mono) => {
                    m.kind = "monologue".into();
                    m.plan = mono.plan.clone();
                    m.all_photos = mono.all_photos;
                    m.photos = mono
                        .photos
                        .iter()
                        .enumerate()
                        .map(|(i, p)| photo(i, &p.file, &p.caption))
                        .collect();
                    m.chosen_photo = chosen
                        .get(&t.number)
                        .copied()
                        .filter(|n| !mono.all_photos && (*n as usize) <= mono.photos.len());
                }
                TaskContent::Interview(iv) => {
                    m.kind = "interview".into();
                    m.text = iv.situation.clone();
                    m.prompts = iv
                        .questions
                        .iter()
                        .map(|q| q.text.clone().unwrap_or_default())
                        .collect();
                }
                TaskContent::AskQuestions(a) => {
                    m.kind = "ask_questions".into();
                    m.text = Some(a.text.clone());
                    m.prompts = a.prompts.clone();
                    m.photos = a.image.iter().map(|f| photo(0, f, "")).collect();
                }
                TaskContent::Written(w) => {
                    m.kind = "written".into();
                    m.text = Some(w.stimulus.clone());
                }
                _ => continue,
            }
            out.push(m);
        }
        Ok(out)
    }

    /// Task → the photo chosen, from the journal of the bundle the work came
    /// in: the work's latest non-training session of this code (the one the
    /// import recorded), its last `photo_chosen` event per task.
    fn chosen_photos(
        &self,
        work_id: i64,
        package_id: &str,
        code: u32,
        bundle_sha: &str,
    ) -> Result<BTreeMap<u32, u32>> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT stored_path FROM bundles WHERE sha256 = ?1",
                params![bundle_sha],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            tracing::warn!(work_id, "bundle of a submission not kept");
            return Ok(BTreeMap::new());
        };
        let zip = self.layout.resolve(&stored).join("bundle.zip");
        let keys = self.enrolled_keys(&self.stations()?)?;
        let verified = vpr_bundle::verify_bundle(&zip, &keys).map_err(|e| {
            CoordinatorError::Corrupt(format!(
                "сохранённый пакет станции не проходит проверку: {e}"
            ))
        })?;
        let code_text = code.to_string();
        let session = verified
            .answers
            .iter()
            .filter(|f| f.code.trim() == code_text)
            .flat_map(|f| &f.sessions)
            .filter(|s| s.status != SessionStatus::Training && s.package_id == package_id)
            .max_by(|a, b| a.started_at.cmp(&b.started_at));
        let Some(session) = session else {
            return Ok(BTreeMap::new());
        };
        let mut out = BTreeMap::new();
        for link in verified.journal.iter().filter(|l| l.kind == "event") {
            let Ok(body) = serde_json::from_str::<Value>(&link.body) else {
                continue;
            };
            let data = body.get("data").unwrap_or(&Value::Null);
            if data.get("session_id").and_then(Value::as_i64) != Some(session.session_id)
                || data.get("kind").and_then(Value::as_str) != Some("photo_chosen")
            {
                continue;
            }
            let Some(payload) = data.get("payload") else {
                continue;
            };
            if let Ok(Event {
                kind: EventKind::PhotoChosen { task, photo },
                ..
            }) = serde_json::from_value::<Event>(payload.clone())
            {
                out.insert(task, photo);
            }
        }
        Ok(out)
    }

    /// A picture of the work's package as bytes with its media type: only a
    /// file the package names, its size capped before it is read, decoded
    /// (or, for SVG, parsed) before it is served.
    pub fn material_photo(&self, work_id: i64, file: &str) -> Result<MediaBytes> {
        let (package, sha) = self.work_materials(work_id)?;
        if !package_pictures(&package).iter().any(|f| f == file) {
            return Err(CoordinatorError::Invalid(format!(
                "в пакете работы нет фотографии «{}»",
                file.chars().take(80).collect::<String>()
            )));
        }
        let path = self
            .kept_picture(&sha, file)
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                CoordinatorError::Invalid(format!(
                    "копии фотографии «{file}» нет: откройте материалы работы паролем дня"
                ))
            })?;
        let info = vpr_exam::media::probe_image(&path)
            .map_err(|e| CoordinatorError::Corrupt(format!("фотография «{file}»: {e}")))?;
        let cap = match info.format {
            ImageFormat::Svg => MAX_SVG_BYTES,
            _ => MAX_IMAGE_BYTES,
        };
        Ok(MediaBytes {
            media_type: media_type(info.format).into(),
            bytes: read_capped(&path, cap, &format!("фотография «{file}»"))?,
        })
    }

    /// One segment of a recorded answer as bytes for the expert's player
    /// (a WAV, its size capped).
    pub fn recording_audio(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        part: u32,
        segment: u32,
    ) -> Result<MediaBytes> {
        let path = self.recording_path(work_id, code, task, part, segment)?;
        let bytes = read_capped(&path, MAX_RECORDING_BYTES, "запись ответа")?;
        if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err(CoordinatorError::Corrupt(format!(
                "запись ответа к заданию {task} — не WAV"
            )));
        }
        Ok(MediaBytes {
            media_type: "audio/wav".into(),
            bytes,
        })
    }
}

fn no_package() -> CoordinatorError {
    CoordinatorError::Invalid(
        "работа добавлена без подписанного пакета: материалов заданий у координатора нет".into(),
    )
}

/// Read a file no larger than `cap` (checked before and while reading).
fn read_capped(path: &std::path::Path, cap: u64, what: &str) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > cap {
        return Err(CoordinatorError::Invalid(format!(
            "{what}: {size} байт, больше допустимых {cap}"
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(CoordinatorError::Invalid(format!(
            "{what}: больше допустимых {cap} байт"
        )));
    }
    Ok(bytes)
}
