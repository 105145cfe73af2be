//! A new task of any kind, valid as it stands, its texts to write and its keys to set.

use vpr_exam::{
    keys::TaskKeys, AskQuestions, ChoiceItem, Interview, InterviewQuestion, Language, Listening,
    Monologue, Photo, Reading, ReadingAloud, ReadingFormat, Task, TaskContent, TaskKind, Text,
    WrittenAnswer,
};

use crate::template::{
    closed_keys, criterion, expert_keys, gaps, ids, instruction, item_keys, options, ph, task,
};

fn choice_items(number: u32, n: u32, choices: u32) -> Vec<ChoiceItem> {
    (1..=n)
        .map(|i| ChoiceItem {
            id: format!("{number}.{i}"),
            prompt: ph(&format!("вопрос {i}")),
            options: options(choices, "вариант"),
        })
        .collect()
}

fn oral_criteria(number: u32) -> Vec<vpr_exam::Criterion> {
    vec![
        criterion(
            &format!("{number}.K1"),
            "К1. Решение коммуникативной задачи",
            3,
            true,
        ),
        criterion(
            &format!("{number}.K2"),
            "К2. Организация высказывания",
            2,
            false,
        ),
        criterion(&format!("{number}.K3"), "К3. Языковое оформление", 2, false),
    ]
}

fn per_part(number: u32, n: u32) -> Vec<vpr_exam::Criterion> {
    (1..=n)
        .map(|i| criterion(&format!("{number}.q{i}"), &format!("Ответ {i}"), 1, false))
        .collect()
}

/// Task `number` of `kind` and its keys. Item ids are `number.x`; media are named after the
/// task (`media/task-3.mp3`).
pub(crate) fn new_task(kind: TaskKind, number: u32, language: Language) -> (Task, TaskKeys) {
    let say = |english: &str| instruction(language, english);
    let closed = |content: TaskContent, title: &str, english: &str| {
        let item_ids: Vec<String> = match &content {
            TaskContent::Listening(l) => l.items.iter().map(|i| i.id.clone()).collect(),
            TaskContent::Reading(r) => r.items.iter().map(|i| i.id.clone()).collect(),
            TaskContent::Grammar(g) | TaskContent::Vocabulary(g) => ids(g),
            _ => Vec::new(),
        };
        let typed = matches!(
            content,
            TaskContent::Grammar(_) | TaskContent::Vocabulary(_)
        );
        let accepted = if typed {
            ph("ответ")
        } else {
            "1".to_owned()
        };
        let max = u32::try_from(item_ids.len()).unwrap_or(u32::MAX);
        (
            task(number, title, say(english), max, content),
            closed_keys(number, item_keys(&item_ids, &accepted)),
        )
    };
    let expert = |content: TaskContent, title: &str, english: &str, criteria: Vec<_>| {
        let max = criteria
            .iter()
            .map(|c: &vpr_exam::Criterion| c.max_points)
            .sum();
        (
            task(number, title, say(english), max, content),
            expert_keys(number, criteria),
        )
    };
    match kind {
        TaskKind::Listening => closed(
            TaskContent::Listening(Listening {
                track: format!("media/task-{number}.mp3"),
                duration_s: 60,
                plays: 2,
                read_first_s: 30,
                pause_between_s: 0,
                options: Vec::new(),
                items: choice_items(number, 5, 3),
            }),
            "Аудирование",
            "Listen to the recording and choose the right answer. You will hear it twice.",
        ),
        TaskKind::Reading => closed(
            TaskContent::Reading(Reading {
                format: ReadingFormat::MultipleChoice,
                texts: vec![Text {
                    label: "A".to_owned(),
                    title: None,
                    body: ph("текст для чтения"),
                }],
                options: Vec::new(),
                items: choice_items(number, 5, 3),
            }),
            "Чтение",
            "Read the text and choose the right answer.",
        ),
        TaskKind::Grammar => closed(
            TaskContent::Grammar(gaps(number, 5, true, 0)),
            "Грамматика",
            "Change the words in brackets so that they fit the gaps.",
        ),
        TaskKind::Vocabulary => closed(
            TaskContent::Vocabulary(gaps(number, 5, false, 3)),
            "Лексика",
            "Choose the right word for each gap.",
        ),
        TaskKind::ReadingAloud => expert(
            TaskContent::ReadingAloud(ReadingAloud {
                text: ph("текст для чтения вслух"),
                prep_s: 90,
                answer_s: 90,
            }),
            "Чтение текста вслух",
            "You are going to read the text aloud. You have 1.5 minutes to prepare.",
            vec![criterion(&format!("{number}.reading"), "Чтение текста вслух", 2, false)],
        ),
        TaskKind::Monologue => expert(
            TaskContent::Monologue(Monologue {
                photos: vec![Photo {
                    file: format!("media/task-{number}-photo-1.jpg"),
                    caption: "Photo 1".to_owned(),
                }],
                plan: (1..=3).map(|i| ph(&format!("пункт плана {i}"))).collect(),
                prep_s: 90,
                answer_s: 120,
                all_photos: true,
            }),
            "Монологическое высказывание",
            "Describe the photo. Remember to follow the plan.",
            oral_criteria(number),
        ),
        TaskKind::Interview => expert(
            TaskContent::Interview(Interview {
                situation: Some(ph("ситуация")),
                read_first_s: 20,
                questions: (1..=3)
                    .map(|i| InterviewQuestion {
                        track: format!("media/task-{number}-q{i}.mp3"),
                        duration_s: 5,
                        text: Some(ph(&format!("текст вопроса {i}"))),
                    })
                    .collect(),
                answer_s: 40,
            }),
            "Интервью",
            "Answer the questions. You have 40 seconds to answer each question.",
            per_part(number, 3),
        ),
        TaskKind::AskQuestions => expert(
            TaskContent::AskQuestions(AskQuestions {
                image: Some(format!("media/task-{number}-advert.jpg")),
                text: ph("текст объявления"),
                prompts: (1..=4).map(|i| ph(&format!("о чём спросить {i}"))).collect(),
                prep_s: 90,
                answer_s: 20,
            }),
            "Вопросы по объявлению",
            "Study the advertisement and ask four direct questions. You have 20 seconds to ask each question.",
            per_part(number, 4),
        ),
        TaskKind::Written => expert(
            TaskContent::Written(WrittenAnswer {
                id: format!("{number}.text"),
                stimulus: ph("письмо или тема"),
                words_min: 50,
                words_max: 60,
            }),
            "Письменный ответ",
            "Write an answer. Write 50–60 words.",
            vec![
                criterion(&format!("{number}.K1"), "К1. Решение коммуникативной задачи", 2, true),
                criterion(&format!("{number}.K2"), "К2. Организация текста", 2, false),
                criterion(&format!("{number}.K3"), "К3. Языковое оформление текста", 2, false),
            ],
        ),
    }
}
