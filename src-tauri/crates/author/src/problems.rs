//! Every problem of a work by field path: the package's (`variants[0].tasks[2].content.answer_s`),
//! the keys' (`keys.variants[0].tasks[1].items[0].accepted`, the path [`crate::Work::set_field`]
//! takes) and the media's (the field naming the file), and the media slots a work needs.

use std::{collections::HashMap, path::Path};

use serde::Serialize;
use ts_rs::TS;
use vpr_exam::{
    media::{check_photo, check_track, MediaError},
    validate::{check_keys, check_package},
    Keys, Package, TaskContent,
};

/// Paths into `keys.json` start with this, so one path names one field of the work.
pub const KEYS_PREFIX: &str = "keys.";

/// Where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSource {
    /// `package.json`.
    Package,
    /// `keys.json` (the path starts with `keys.`).
    Keys,
    /// A media file the package names is not in the folder yet.
    MissingMedia,
    /// A media file is there but does not decode or disagrees with its duration.
    Media,
}

/// One thing wrong with a work: which field and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuthorProblem {
    pub source: ProblemSource,
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for AuthorProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What a media slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A track (its `duration_s` beside it must match the file).
    Audio,
    /// A photo or an advert's picture.
    Image,
}

/// A file the package names: the field naming it, the file and whether it is in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MediaSlot {
    /// The field holding the file name, e.g. `variants[0].tasks[0].content.track`.
    pub path: String,
    /// The field holding its length for a track, e.g. `variants[0].tasks[0].content.duration_s`.
    pub duration_path: Option<String>,
    pub kind: MediaKind,
    /// Relative to the work folder, e.g. `media/listening.mp3`.
    pub file: String,
    pub duration_s: Option<u32>,
    pub present: bool,
}

/// Every media file the package names, in task order.
pub fn media_slots(p: &Package, dir: &Path) -> Vec<MediaSlot> {
    let mut out = Vec::new();
    let mut add = |path: String, kind: MediaKind, file: &str, duration: Option<(String, u32)>| {
        let present = dir.join(file).is_file();
        let (duration_path, duration_s) =
            duration.map_or((None, None), |(p, d)| (Some(p), Some(d)));
        out.push(MediaSlot {
            path,
            duration_path,
            kind,
            file: file.to_owned(),
            duration_s,
            present,
        });
    };
    if let Some(tr) = &p.briefing_track {
        let d = Some(("briefing_track.duration_s".to_owned(), tr.duration_s));
        add("briefing_track.file".into(), MediaKind::Audio, &tr.file, d);
    }
    for (vi, v) in p.variants.iter().enumerate() {
        for (ti, t) in v.tasks.iter().enumerate() {
            let tp = format!("variants[{vi}].tasks[{ti}]");
            let cp = format!("{tp}.content");
            if let Some(tr) = &t.instruction_track {
                let ip = format!("{tp}.instruction_track");
                let d = Some((format!("{ip}.duration_s"), tr.duration_s));
                add(format!("{ip}.file"), MediaKind::Audio, &tr.file, d);
            }
            match &t.content {
                TaskContent::Listening(l) => {
                    let d = Some((format!("{cp}.duration_s"), l.duration_s));
                    add(format!("{cp}.track"), MediaKind::Audio, &l.track, d);
                }
                TaskContent::Interview(i) => {
                    for (qi, q) in i.questions.iter().enumerate() {
                        let qp = format!("{cp}.questions[{qi}]");
                        let d = Some((format!("{qp}.duration_s"), q.duration_s));
                        add(format!("{qp}.track"), MediaKind::Audio, &q.track, d);
                    }
                }
                TaskContent::Monologue(m) => {
                    for (i, ph) in m.photos.iter().enumerate() {
                        let path = format!("{cp}.photos[{i}].file");
                        add(path, MediaKind::Image, &ph.file, None);
                    }
                }
                TaskContent::AskQuestions(a) => {
                    if let Some(image) = &a.image {
                        add(format!("{cp}.image"), MediaKind::Image, image, None);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Package, keys and media problems, all by field path.
pub fn all_problems(p: &Package, k: &Keys, dir: &Path) -> Vec<AuthorProblem> {
    let mut out: Vec<AuthorProblem> = check_package(p)
        .into_iter()
        .map(|x| AuthorProblem {
            source: ProblemSource::Package,
            path: x.path,
            message: x.message,
        })
        .collect();
    out.extend(check_keys(p, k).into_iter().map(|x| AuthorProblem {
        source: ProblemSource::Keys,
        path: format!("{KEYS_PREFIX}{}", x.path),
        message: x.message,
    }));
    out.extend(media_problems(p, dir));
    out
}

/// Why a present medium was refused: (about its duration, the message).
type Refusal = (bool, String);

fn media_problems(p: &Package, dir: &Path) -> Vec<AuthorProblem> {
    let mut out = Vec::new();
    // A file used twice is decoded once (a track with one duration per use).
    let mut seen: HashMap<(String, Option<u32>), Option<Refusal>> = HashMap::new();
    for slot in media_slots(p, dir) {
        if !slot.present {
            out.push(AuthorProblem {
                source: ProblemSource::MissingMedia,
                path: slot.path,
                message: format!(
                    "нет файла {}: добавьте файл к полю задания или укажите другой",
                    slot.file
                ),
            });
            continue;
        }
        let key = (slot.file.clone(), slot.duration_s);
        let problem = seen
            .entry(key)
            .or_insert_with(|| {
                // Only names inside the folder are probed; a bad name is a package problem.
                if !inside(&slot.file) {
                    return None;
                }
                let r = match slot.duration_s {
                    Some(d) => check_track(dir, &slot.file, d).map(|_| ()),
                    None => check_photo(dir, &slot.file).map(|_| ()),
                };
                r.err()
                    .map(|e| (matches!(e, MediaError::Duration { .. }), e.to_string()))
            })
            .clone();
        if let Some((about_duration, message)) = problem {
            let path = match (&slot.duration_path, about_duration) {
                (Some(d), true) => d.clone(),
                _ => slot.path,
            };
            out.push(AuthorProblem {
                source: ProblemSource::Media,
                path,
                message,
            });
        }
    }
    out
}

/// A relative path of plain components (no `..`, no root).
pub(crate) fn inside(name: &str) -> bool {
    !name.is_empty()
        && Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}
