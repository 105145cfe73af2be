//! Validation of the task kinds the ОГЭ and ЕГЭ oral parts and written
//! answers need (interview, ask questions, written answer), of tracks played
//! by themselves and of criteria levels. Problems name the field path.

use std::collections::HashSet;

use crate::{
    keys::Criterion,
    media::{AUDIO_EXTENSIONS, IMAGE_EXTENSIONS},
    model::{AskQuestions, Interview, TaskContent, Track, WrittenAnswer},
    validate::{check_file_name as media_name, check_id, Checker, MAX_PHASE_S},
};

/// Most questions or prompts one task records apart.
const MAX_PARTS: u32 = 12;
/// Longest word range a written answer may ask for.
const MAX_WORDS: u32 = 2_000;

pub(crate) fn track(c: &mut Checker, path: &str, t: &Track) {
    media_name(c, &format!("{path}.file"), &t.file, AUDIO_EXTENSIONS);
    c.range(format!("{path}.duration_s"), t.duration_s, 1, MAX_PHASE_S);
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn interview(c: &mut Checker, cp: &str, i: &Interview) {
    if let Some(s) = &i.situation {
        c.text(format!("{cp}.situation"), s);
    }
    c.range(format!("{cp}.read_first_s"), i.read_first_s, 0, 600);
    c.range(
        format!("{cp}.questions"),
        count(i.questions.len()),
        1,
        MAX_PARTS,
    );
    for (qi, q) in i.questions.iter().enumerate() {
        let qp = format!("{cp}.questions[{qi}]");
        media_name(c, &format!("{qp}.track"), &q.track, AUDIO_EXTENSIONS);
        c.range(format!("{qp}.duration_s"), q.duration_s, 1, 300);
        if let Some(t) = &q.text {
            c.text(format!("{qp}.text"), t);
        }
    }
    c.range(format!("{cp}.answer_s"), i.answer_s, 5, 600);
}

pub(crate) fn ask_questions(c: &mut Checker, cp: &str, a: &AskQuestions) {
    if let Some(image) = &a.image {
        media_name(c, &format!("{cp}.image"), image, IMAGE_EXTENSIONS);
    }
    c.text(format!("{cp}.text"), &a.text);
    c.range(
        format!("{cp}.prompts"),
        count(a.prompts.len()),
        1,
        MAX_PARTS,
    );
    for (i, p) in a.prompts.iter().enumerate() {
        c.text(format!("{cp}.prompts[{i}]"), p);
    }
    c.range(format!("{cp}.prep_s"), a.prep_s, 0, MAX_PHASE_S);
    c.range(format!("{cp}.answer_s"), a.answer_s, 5, 600);
}

pub(crate) fn written(c: &mut Checker, cp: &str, w: &WrittenAnswer, ids: &mut HashSet<String>) {
    check_id(c, &format!("{cp}.id"), &w.id, ids);
    c.text(format!("{cp}.stimulus"), &w.stimulus);
    c.range(format!("{cp}.words_min"), w.words_min, 1, MAX_WORDS);
    c.range(format!("{cp}.words_max"), w.words_max, 1, MAX_WORDS);
    if w.words_max < w.words_min {
        c.fail(
            format!("{cp}.words_max"),
            format!("меньше нижней границы {}", w.words_min),
        );
    }
}

/// Seconds the timed steps of the kinds above take by themselves.
pub(crate) fn minimum_s(content: &TaskContent) -> u32 {
    match content {
        TaskContent::Interview(i) => i.questions.iter().fold(i.read_first_s, |acc, q| {
            acc.saturating_add(q.duration_s).saturating_add(i.answer_s)
        }),
        TaskContent::AskQuestions(a) => a
            .prep_s
            .saturating_add(a.answer_s.saturating_mul(count(a.prompts.len()))),
        _ => 0,
    }
}

/// A criterion's levels: points within 0..=max, each once, each described.
pub(crate) fn levels(c: &mut Checker, path: &str, cr: &Criterion) {
    let mut seen = HashSet::new();
    for (i, l) in cr.levels.iter().enumerate() {
        let lp = format!("{path}.levels[{i}]");
        if l.points > cr.max_points || !seen.insert(l.points) {
            c.fail(
                format!("{lp}.points"),
                format!(
                    "балл {} повторяется или больше максимума {}",
                    l.points, cr.max_points
                ),
            );
        }
        c.text(format!("{lp}.descriptor"), &l.descriptor);
    }
}
