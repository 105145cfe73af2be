//! Full validation of a package (and its keys) with problems naming the field path.

use std::{
    collections::{BTreeSet, HashSet},
    path::{Component, Path},
};

use serde::Serialize;
use ts_rs::TS;

use crate::{
    keys::Keys,
    media::{list_extensions, AUDIO_EXTENSIONS, IMAGE_EXTENSIONS},
    model::{Choice, ChoiceItem, MarkBand, Package, ReadingFormat, Task, TaskContent, FORMAT},
};

/// One thing wrong with a package: where (`variants[0].tasks[2].content.plays`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Limits of sane values (the package carries the numbers; these only catch nonsense).
pub(crate) const MAX_WORK_S: u32 = 4 * 3600;
pub(crate) const MAX_PHASE_S: u32 = 1800;

#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) problems: Vec<Problem>,
}

impl Checker {
    pub(crate) fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    pub(crate) fn range(&mut self, path: impl Into<String>, value: u32, lo: u32, hi: u32) {
        if !(lo..=hi).contains(&value) {
            self.fail(path, format!("должно быть от {lo} до {hi}, а не {value}"));
        }
    }

    pub(crate) fn text(&mut self, path: impl Into<String>, value: &str) {
        if value.trim().is_empty() {
            self.fail(path, "не должно быть пустым");
        }
    }
}

/// Check everything that does not need the files.
pub fn check_package(p: &Package) -> Vec<Problem> {
    let mut c = Checker::default();
    if p.format != FORMAT {
        c.fail(
            "format",
            format!(
                "неизвестная версия формата {} (ожидается {FORMAT})",
                p.format
            ),
        );
    }
    if p.id.is_empty()
        || !p
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        c.fail("id", "только строчные латинские буквы, цифры и «-»");
    }
    c.text("title", &p.title);
    c.range("grade", p.grade, 2, 11);
    if p.briefing.is_empty() {
        c.fail("briefing", "нужен хотя бы один абзац инструктажа");
    }
    if let Some(track) = &p.briefing_track {
        crate::validate_kinds::track(&mut c, "briefing_track", track);
    }
    for (i, b) in p.briefing.iter().enumerate() {
        c.text(format!("briefing[{i}]"), b);
    }
    check_timing(&mut c, p);
    if p.variants.is_empty() {
        c.fail("variants", "нужен хотя бы один вариант");
    }
    let mut numbers = HashSet::new();
    for (vi, v) in p.variants.iter().enumerate() {
        let vp = format!("variants[{vi}]");
        if v.number == 0 || !numbers.insert(v.number) {
            c.fail(
                format!("{vp}.number"),
                "номер варианта должен быть больше 0 и не повторяться",
            );
        }
        check_tasks(&mut c, &vp, &v.tasks);
    }
    let totals: BTreeSet<u32> = p.variants.iter().map(|v| v.max_score()).collect();
    if totals.len() > 1 {
        c.fail(
            "variants",
            format!("максимальный балл вариантов различается: {totals:?}"),
        );
    }
    let total = totals.iter().next().copied().unwrap_or(0);
    check_conversion(&mut c, "conversion", &p.conversion, total);
    check_adaptations(&mut c, p, total);
    if let Some(codes) = &p.participant_codes {
        let mut seen = HashSet::new();
        for (i, code) in codes.iter().enumerate() {
            if !is_code(code) {
                c.fail(format!("participant_codes[{i}]"), "код участника — 5 цифр");
            } else if !seen.insert(code) {
                c.fail(format!("participant_codes[{i}]"), "код повторяется");
            }
        }
    }
    c.problems
}

/// A participant code: exactly 5 ASCII digits.
pub fn is_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

fn check_timing(c: &mut Checker, p: &Package) {
    let t = &p.timing;
    c.range("timing.total_s", t.total_s, 60, MAX_WORK_S);
    let mut seen = HashSet::new();
    for (i, r) in t.reminders_s.iter().enumerate() {
        let path = format!("timing.reminders_s[{i}]");
        if *r == 0 || *r >= t.total_s {
            c.fail(
                path,
                "напоминание должно быть больше 0 и меньше времени работы",
            );
        } else if !seen.insert(r) {
            c.fail(path, "напоминание повторяется");
        }
    }
    let mut after = HashSet::new();
    for (i, b) in t.eye_breaks.iter().enumerate() {
        let path = format!("timing.eye_breaks[{i}]");
        c.range(format!("{path}.duration_s"), b.duration_s, 1, MAX_PHASE_S);
        if !after.insert(b.after_task) {
            c.fail(
                format!("{path}.after_task"),
                "перерыв после этого задания уже задан",
            );
        }
        for (vi, v) in p.variants.iter().enumerate() {
            let last = v.tasks.last().map(|t| t.number);
            if !v.tasks.iter().any(|t| t.number == b.after_task) || last == Some(b.after_task) {
                c.fail(
                    format!("{path}.after_task"),
                    format!(
                        "в варианте variants[{vi}] нет задания {} или оно последнее",
                        b.after_task
                    ),
                );
            }
        }
    }
    for (vi, v) in p.variants.iter().enumerate() {
        let fixed: u32 = v.tasks.iter().filter_map(|t| t.fixed_s).sum();
        if fixed > t.total_s {
            c.fail(
                format!("variants[{vi}].tasks"),
                format!(
                    "сумма фиксированных времён заданий ({fixed} с) больше времени работы ({} с)",
                    t.total_s
                ),
            );
        }
    }
}

fn check_tasks(c: &mut Checker, vp: &str, tasks: &[Task]) {
    if tasks.is_empty() {
        c.fail(format!("{vp}.tasks"), "нужно хотя бы одно задание");
    }
    let mut ids = HashSet::new();
    for (ti, t) in tasks.iter().enumerate() {
        let tp = format!("{vp}.tasks[{ti}]");
        let expected = u32::try_from(ti + 1).unwrap_or(u32::MAX);
        if t.number != expected {
            c.fail(
                format!("{tp}.number"),
                format!("задания нумеруются по порядку: ожидается {expected}"),
            );
        }
        c.text(format!("{tp}.title"), &t.title);
        c.text(format!("{tp}.instruction"), &t.instruction);
        c.range(format!("{tp}.max_score"), t.max_score, 1, 100);
        if let Some(track) = &t.instruction_track {
            crate::validate_kinds::track(c, &format!("{tp}.instruction_track"), track);
        }
        let cp = format!("{tp}.content");
        match &t.content {
            TaskContent::Listening(l) => {
                check_file_name(c, &format!("{cp}.track"), &l.track, AUDIO_EXTENSIONS);
                c.range(format!("{cp}.duration_s"), l.duration_s, 1, MAX_PHASE_S);
                c.range(format!("{cp}.plays"), l.plays, 1, 3);
                c.range(format!("{cp}.read_first_s"), l.read_first_s, 0, 600);
                c.range(format!("{cp}.pause_between_s"), l.pause_between_s, 0, 600);
                check_choices(c, &cp, &l.options, &l.items, &mut ids);
            }
            TaskContent::Reading(r) => {
                if r.texts.is_empty() {
                    c.fail(format!("{cp}.texts"), "нужен хотя бы один текст");
                }
                for (i, x) in r.texts.iter().enumerate() {
                    c.text(format!("{cp}.texts[{i}].label"), &x.label);
                    c.text(format!("{cp}.texts[{i}].body"), &x.body);
                }
                if r.format == ReadingFormat::Matching && r.options.is_empty() {
                    c.fail(
                        format!("{cp}.options"),
                        "для соотнесения нужен общий список вариантов",
                    );
                }
                check_choices(c, &cp, &r.options, &r.items, &mut ids);
            }
            TaskContent::Grammar(g) | TaskContent::Vocabulary(g) => {
                if g.items.is_empty() {
                    c.fail(format!("{cp}.items"), "нужен хотя бы один пропуск");
                }
                for (i, item) in g.items.iter().enumerate() {
                    let ip = format!("{cp}.items[{i}]");
                    check_id(c, &format!("{ip}.id"), &item.id, &mut ids);
                    if !item.prompt.contains("___") {
                        c.fail(format!("{ip}.prompt"), "пропуск обозначается «___»");
                    }
                    if let Some(w) = &item.base_word {
                        c.text(format!("{ip}.base_word"), w);
                    }
                    check_options(c, &format!("{ip}.options"), &item.options, true);
                }
            }
            TaskContent::Interview(i) => crate::validate_kinds::interview(c, &cp, i),
            TaskContent::AskQuestions(a) => crate::validate_kinds::ask_questions(c, &cp, a),
            TaskContent::Written(w) => crate::validate_kinds::written(c, &cp, w, &mut ids),
            TaskContent::ReadingAloud(r) => {
                c.text(format!("{cp}.text"), &r.text);
                c.range(format!("{cp}.prep_s"), r.prep_s, 0, MAX_PHASE_S);
                c.range(format!("{cp}.answer_s"), r.answer_s, 5, 600);
            }
            TaskContent::Monologue(m) => {
                c.range(
                    format!("{cp}.photos"),
                    u32::try_from(m.photos.len()).unwrap_or(u32::MAX),
                    0,
                    6,
                );
                for (i, ph) in m.photos.iter().enumerate() {
                    check_file_name(
                        c,
                        &format!("{cp}.photos[{i}].file"),
                        &ph.file,
                        IMAGE_EXTENSIONS,
                    );
                    c.text(format!("{cp}.photos[{i}].caption"), &ph.caption);
                }
                if m.plan.is_empty() {
                    c.fail(format!("{cp}.plan"), "нужен план ответа");
                }
                for (i, x) in m.plan.iter().enumerate() {
                    c.text(format!("{cp}.plan[{i}]"), x);
                }
                c.range(format!("{cp}.prep_s"), m.prep_s, 0, MAX_PHASE_S);
                c.range(format!("{cp}.answer_s"), m.answer_s, 5, 600);
            }
        }
        if let Some(fixed) = t.fixed_s {
            c.range(format!("{tp}.fixed_s"), fixed, 10, MAX_WORK_S);
            let need = minimum_task_s(t);
            if fixed < need {
                c.fail(
                    format!("{tp}.fixed_s"),
                    format!("фиксированное время {fixed} с меньше времени самих этапов задания ({need} с)"),
                );
            }
        }
    }
}

/// Seconds the timed steps of a task take by themselves (reading time, plays, pauses,
/// preparation, answer).
pub fn minimum_task_s(t: &Task) -> u32 {
    match &t.content {
        TaskContent::Listening(l) => l
            .read_first_s
            .saturating_add(l.duration_s.saturating_mul(l.plays))
            .saturating_add(l.pause_between_s.saturating_mul(l.plays.saturating_sub(1))),
        TaskContent::ReadingAloud(r) => r.prep_s.saturating_add(r.answer_s),
        TaskContent::Monologue(m) => m.prep_s.saturating_add(m.answer_s),
        other => crate::validate_kinds::minimum_s(other),
    }
    .saturating_add(t.instruction_track.as_ref().map_or(0, |x| x.duration_s))
}

pub(crate) fn check_id(c: &mut Checker, path: &str, id: &str, ids: &mut HashSet<String>) {
    if id.trim().is_empty() {
        c.fail(path, "не должно быть пустым");
    } else if !ids.insert(id.to_owned()) {
        c.fail(path, format!("номер пункта «{id}» повторяется в варианте"));
    }
}

fn check_choices(
    c: &mut Checker,
    cp: &str,
    shared: &[Choice],
    items: &[ChoiceItem],
    ids: &mut HashSet<String>,
) {
    check_options(c, &format!("{cp}.options"), shared, true);
    if items.is_empty() {
        c.fail(format!("{cp}.items"), "нужен хотя бы один вопрос");
    }
    for (i, item) in items.iter().enumerate() {
        let ip = format!("{cp}.items[{i}]");
        check_id(c, &format!("{ip}.id"), &item.id, ids);
        c.text(format!("{ip}.prompt"), &item.prompt);
        if item.options.is_empty() && shared.is_empty() {
            c.fail(
                format!("{ip}.options"),
                "нет вариантов ответа ни у вопроса, ни общих",
            );
        }
        check_options(c, &format!("{ip}.options"), &item.options, true);
    }
}

pub(crate) fn check_options(c: &mut Checker, path: &str, options: &[Choice], may_be_empty: bool) {
    if options.is_empty() && may_be_empty {
        return;
    }
    if options.len() < 2 {
        c.fail(path, "нужно не меньше двух вариантов ответа");
    }
    let mut labels = HashSet::new();
    for (i, o) in options.iter().enumerate() {
        if o.label.trim().is_empty() || !labels.insert(o.label.to_lowercase()) {
            c.fail(
                format!("{path}[{i}].label"),
                "обозначение варианта пусто или повторяется",
            );
        }
        c.text(format!("{path}[{i}].text"), &o.text);
    }
}

pub(crate) fn check_file_name(c: &mut Checker, path: &str, name: &str, exts: &[&str]) {
    let p = Path::new(name);
    let inside = !name.is_empty()
        && p.components()
            .all(|comp| matches!(comp, Component::Normal(_)));
    if !inside {
        c.fail(
            path,
            "путь к файлу должен быть относительным и внутри пакета",
        );
    } else if !exts
        .iter()
        .any(|e| name.to_ascii_lowercase().ends_with(&format!(".{e}")))
    {
        c.fail(path, format!("ожидается файл {}", list_extensions(exts)));
    }
}

fn check_conversion(c: &mut Checker, path: &str, bands: &[MarkBand], total: u32) {
    if bands.is_empty() {
        c.fail(path, "нужна шкала перевода баллов в отметки");
        return;
    }
    let mut next = 0u32;
    let mut last_mark = 0u32;
    for (i, b) in bands.iter().enumerate() {
        let bp = format!("{path}[{i}]");
        if b.min != next {
            c.fail(
                format!("{bp}.min"),
                format!("ожидается {next}: интервалы идут подряд без пропусков"),
            );
        }
        if b.max < b.min {
            c.fail(format!("{bp}.max"), "max меньше min");
        }
        c.range(format!("{bp}.mark"), b.mark, 2, 5);
        if b.mark <= last_mark && i > 0 {
            c.fail(format!("{bp}.mark"), "отметки должны возрастать");
        }
        last_mark = b.mark;
        next = b.max.saturating_add(1);
    }
    if next != total.saturating_add(1) {
        c.fail(
            path,
            format!("шкала должна заканчиваться максимальным баллом {total}"),
        );
    }
}

fn check_adaptations(c: &mut Checker, p: &Package, total: u32) {
    let mut ids = HashSet::new();
    for (i, a) in p.adaptations.iter().enumerate() {
        let ap = format!("adaptations[{i}]");
        if a.id.trim().is_empty() || !ids.insert(a.id.as_str()) {
            c.fail(format!("{ap}.id"), "пусто или повторяется");
        }
        c.text(format!("{ap}.title"), &a.title);
        c.range(format!("{ap}.time_percent"), a.time_percent, 100, 300);
        c.range(format!("{ap}.extra_s"), a.extra_s, 0, MAX_WORK_S);
        let reduced = p.variants.first().map_or(0, |v| {
            p.tasks_for(v, Some(a)).iter().map(|t| t.max_score).sum()
        });
        match &a.conversion {
            Some(bands) => check_conversion(c, &format!("{ap}.conversion"), bands, reduced),
            None if reduced != total => c.fail(
                format!("{ap}.conversion"),
                format!("без части заданий максимум {reduced}: нужна своя шкала"),
            ),
            None => {}
        }
        if a.no_listening
            && p.variants
                .iter()
                .any(|v| p.tasks_for(v, Some(a)).is_empty())
        {
            c.fail(
                format!("{ap}.no_listening"),
                "в варианте не остаётся заданий",
            );
        }
    }
}

pub use crate::media::check_media;

/// Check keys against the package: every closed item keyed, labels valid, points adding up
/// to the task maximum, criteria for oral tasks adding up likewise.
pub fn check_keys(p: &Package, k: &Keys) -> Vec<Problem> {
    let mut c = Checker::default();
    if k.package_id != p.id {
        c.fail(
            "package_id",
            format!("ключи от другого пакета «{}»", k.package_id),
        );
    }
    for (vi, vk) in k.variants.iter().enumerate() {
        if p.variant(vk.number).is_none() {
            c.fail(
                format!("variants[{vi}].number"),
                format!("в пакете нет варианта {}", vk.number),
            );
        }
    }
    for v in &p.variants {
        let Some((vi, vk)) = k
            .variants
            .iter()
            .enumerate()
            .find(|(_, x)| x.number == v.number)
        else {
            c.fail("variants", format!("нет ключей варианта {}", v.number));
            continue;
        };
        for (ki, tk) in vk.tasks.iter().enumerate() {
            if !v.tasks.iter().any(|t| t.number == tk.number) {
                c.fail(
                    format!("variants[{vi}].tasks[{ki}].number"),
                    format!("нет задания {}", tk.number),
                );
            }
        }
        for t in &v.tasks {
            let Some((ki, tk)) = vk
                .tasks
                .iter()
                .enumerate()
                .find(|(_, x)| x.number == t.number)
            else {
                c.fail(
                    format!("variants[{vi}].tasks"),
                    format!("нет ключей задания {}", t.number),
                );
                continue;
            };
            let kp = format!("variants[{vi}].tasks[{ki}]");
            if t.is_expert_scored() {
                if tk.criteria.is_empty() {
                    c.fail(
                        format!("{kp}.criteria"),
                        "для задания, которое оценивают эксперты, нужны критерии",
                    );
                }
                if !tk.items.is_empty() {
                    c.fail(
                        format!("{kp}.items"),
                        "у задания, которое оценивают эксперты, нет пунктов с ключами",
                    );
                }
                let mut seen = HashSet::new();
                for (i, cr) in tk.criteria.iter().enumerate() {
                    if cr.id.trim().is_empty() || !seen.insert(cr.id.as_str()) {
                        c.fail(format!("{kp}.criteria[{i}].id"), "пусто или повторяется");
                    }
                    c.text(format!("{kp}.criteria[{i}].name"), &cr.name);
                    c.text(format!("{kp}.criteria[{i}].description"), &cr.description);
                    crate::validate_kinds::levels(&mut c, &format!("{kp}.criteria[{i}]"), cr);
                }
                let sum: u32 = tk.criteria.iter().map(|x| x.max_points).sum();
                if sum != t.max_score {
                    c.fail(
                        format!("{kp}.criteria"),
                        format!(
                            "сумма баллов критериев {sum}, а максимум задания {}",
                            t.max_score
                        ),
                    );
                }
                continue;
            }
            let ids = t.item_ids();
            let mut sum = 0u32;
            for (i, key) in tk.items.iter().enumerate() {
                let ip = format!("{kp}.items[{i}]");
                if !ids.contains(&key.id.as_str()) {
                    c.fail(
                        format!("{ip}.id"),
                        format!("в задании нет пункта «{}»", key.id),
                    );
                    continue;
                }
                if key.accepted.is_empty() || key.accepted.iter().any(|a| a.trim().is_empty()) {
                    c.fail(
                        format!("{ip}.accepted"),
                        "нужен хотя бы один непустой ответ",
                    );
                }
                if let Some(labels) = t.choice_labels(&key.id) {
                    for (ai, a) in key.accepted.iter().enumerate() {
                        if !labels.iter().any(|l| l.eq_ignore_ascii_case(a.trim())) {
                            c.fail(
                                format!("{ip}.accepted[{ai}]"),
                                format!("«{a}» — не обозначение варианта ответа"),
                            );
                        }
                    }
                }
                c.range(format!("{ip}.points"), key.points, 1, 10);
                sum = sum.saturating_add(key.points);
            }
            for id in &ids {
                if tk.items.iter().filter(|x| x.id == *id).count() != 1 {
                    c.fail(
                        format!("{kp}.items"),
                        format!("у пункта «{id}» должен быть ровно один ключ"),
                    );
                }
            }
            if sum != t.max_score {
                c.fail(
                    format!("{kp}.items"),
                    format!(
                        "сумма баллов пунктов {sum}, а максимум задания {}",
                        t.max_score
                    ),
                );
            }
        }
    }
    c.problems
}
