//! The media files a package names, each decoded and checked against its description.

use std::{collections::HashMap, path::Path, rc::Rc};

use crate::{
    media::{audio, photo, AudioInfo, ImageInfo, MediaError},
    model::{Package, TaskContent},
    validate::Problem,
};

/// Check every medium the package names exists in `dir`, decodes, stays within the caps and
/// (for a track) lasts its `duration_s` ± 1 s. A file used by several tasks is decoded once.
pub fn check_media(p: &Package, dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    // A file used by several tasks is decoded once; its typed error is kept
    // (shared: an I/O error cannot be cloned) and worded where it is reported.
    let mut tracks: HashMap<String, Result<AudioInfo, Rc<MediaError>>> = HashMap::new();
    let mut photos: HashMap<String, Result<ImageInfo, Rc<MediaError>>> = HashMap::new();
    let mut track = |path: String, name: &str, duration_s: u32, problems: &mut Vec<Problem>| {
        let probed = tracks
            .entry(name.to_owned())
            .or_insert_with(|| audio::probe_as(&dir.join(name), name).map_err(Rc::new))
            .clone()
            .and_then(|info| duration_agrees(name, &info, duration_s).map_err(Rc::new));
        if let Err(e) = probed {
            problems.push(Problem {
                path,
                message: e.to_string(),
            });
        }
    };
    let mut picture = |path: String, name: &str, problems: &mut Vec<Problem>| {
        let probed = photos
            .entry(name.to_owned())
            .or_insert_with(|| photo::probe_as(&dir.join(name), name).map_err(Rc::new));
        if let Err(e) = probed {
            problems.push(Problem {
                path,
                message: e.to_string(),
            });
        }
    };
    if let Some(tr) = &p.briefing_track {
        track(
            "briefing_track.file".into(),
            &tr.file,
            tr.duration_s,
            &mut problems,
        );
    }
    for (vi, v) in p.variants.iter().enumerate() {
        for (ti, t) in v.tasks.iter().enumerate() {
            let tp = format!("variants[{vi}].tasks[{ti}]");
            let cp = format!("{tp}.content");
            if let Some(tr) = &t.instruction_track {
                let path = format!("{tp}.instruction_track.file");
                track(path, &tr.file, tr.duration_s, &mut problems);
            }
            match &t.content {
                TaskContent::Listening(l) => {
                    track(format!("{cp}.track"), &l.track, l.duration_s, &mut problems)
                }
                TaskContent::Interview(i) => {
                    for (qi, q) in i.questions.iter().enumerate() {
                        let path = format!("{cp}.questions[{qi}].track");
                        track(path, &q.track, q.duration_s, &mut problems);
                    }
                }
                TaskContent::Monologue(m) => {
                    for (i, ph) in m.photos.iter().enumerate() {
                        picture(format!("{cp}.photos[{i}].file"), &ph.file, &mut problems);
                    }
                }
                TaskContent::AskQuestions(a) => {
                    if let Some(image) = &a.image {
                        picture(format!("{cp}.image"), image, &mut problems);
                    }
                }
                _ => {}
            }
        }
    }
    problems
}

/// One listening track (or any audio a package names, e.g. a spoken instruction): `name`
/// relative to the package folder `dir`, decoded whole, lasting `duration_s` ± 1 s.
pub fn check_track(dir: &Path, name: &str, duration_s: u32) -> Result<AudioInfo, MediaError> {
    let info = audio::probe_as(&dir.join(name), name)?;
    duration_agrees(name, &info, duration_s)?;
    Ok(info)
}

/// One photo, `name` relative to the package folder `dir`, decoded (or, for SVG, parsed and
/// found safe).
pub fn check_photo(dir: &Path, name: &str) -> Result<ImageInfo, MediaError> {
    photo::probe_as(&dir.join(name), name)
}

fn duration_agrees(name: &str, info: &AudioInfo, duration_s: u32) -> Result<(), MediaError> {
    let declared_ms = u64::from(duration_s) * 1000;
    if info.duration_ms.abs_diff(declared_ms) > 1000 {
        return Err(MediaError::Duration {
            file: name.to_owned(),
            actual_ms: info.duration_ms,
            declared_s: duration_s,
        });
    }
    Ok(())
}
