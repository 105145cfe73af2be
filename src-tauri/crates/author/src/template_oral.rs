//! ОГЭ and ЕГЭ oral part templates, in the structure and timings of the demo works
//! `audio-fixtures/packages/oge-en-oral` and `ege-en-oral`.

use vpr_exam::{
    AskQuestions, Criterion, Interview, InterviewQuestion, Language, Monologue, Photo,
    ReadingAloud, TaskContent, Track,
};

use crate::template::{bands, criterion, expert_keys, instruction, ph, task, timing, Body};

fn questions(prefix: &str, n: u32) -> Vec<InterviewQuestion> {
    (1..=n)
        .map(|i| InterviewQuestion {
            track: format!("media/{prefix}-q{i}.mp3"),
            duration_s: 5,
            text: Some(ph(&format!(
                "текст вопроса {i} (для экспертов, на экране не виден)"
            ))),
        })
        .collect()
}

/// One point per answer: `task.q1`, `task.q2`, …
fn per_answer(task: u32, n: u32, what: &str) -> Vec<Criterion> {
    (1..=n)
        .map(|i| criterion(&format!("{task}.q{i}"), &format!("{what} {i}"), 1, false))
        .collect()
}

fn reading_aloud(prep_s: u32, answer_s: u32) -> TaskContent {
    TaskContent::ReadingAloud(ReadingAloud {
        text: ph("текст для чтения вслух"),
        prep_s,
        answer_s,
    })
}

/// ОГЭ oral part: 1 reading aloud (1.5 + 2 min, 2 points); 2 an interview of six questions
/// heard once, 40 s each (6); 3 a monologue with a three-point plan (1.5 + 2 min, 7:
/// К1 3 critical, К2 2, К3 2). 15 minutes, 15 points.
pub(crate) fn oge(language: Language) -> Body {
    let mut t1 = task(1, "Чтение текста вслух", instruction(language,
        "You are going to read the text aloud. You have 1.5 minutes to read the text silently, and then be ready to read it aloud. Remember that you will not have more than 2 minutes to read it aloud."),
        2, reading_aloud(90, 120));
    t1.fixed_s = Some(210);
    let t2 = task(2, "Условный диалог-расспрос", instruction(language,
        "You are going to take part in a telephone survey. You have to answer six questions. Give full answers to the questions. Remember that you have 40 seconds to answer each question."),
        6, TaskContent::Interview(Interview {
            situation: Some(ph("ситуация опроса, видна всё время")),
            read_first_s: 20,
            questions: questions("dialogue", 6),
            answer_s: 40,
        }));
    let mut t3 = task(3, "Монологическое высказывание", instruction(language,
        "You are going to give a talk. You will have to start in 1.5 minutes and speak for not more than 2 minutes (10–12 sentences). Remember to say about the three points of the plan."),
        7, TaskContent::Monologue(Monologue {
            photos: Vec::new(),
            plan: (1..=3).map(|i| ph(&format!("пункт плана {i}"))).collect(),
            prep_s: 90,
            answer_s: 120,
            all_photos: false,
        }));
    t3.fixed_s = Some(210);
    Body {
        briefing: vec![
            "Устная часть состоит из трёх заданий: чтение текста вслух, условный диалог-расспрос и монологическое высказывание. На всю работу — около 15 минут; время каждого этапа задано программой.".to_owned(),
            "В задании 2 вы услышите шесть вопросов, каждый — один раз; после каждого вопроса на ответ даётся 40 секунд.".to_owned(),
            "Ответы записываются через микрофон гарнитуры; перезаписать ответ нельзя. Если что-то пошло не так, поднимите руку и позовите организатора.".to_owned(),
        ],
        timing: timing(900, vec![300]),
        conversion: bands(&[(3, 2), (7, 3), (11, 4), (15, 5)]),
        tasks: vec![t1, t2, t3],
        keys: vec![
            expert_keys(1, vec![criterion("1.reading", "Чтение текста вслух", 2, false)]),
            expert_keys(2, per_answer(2, 6, "Ответ на вопрос")),
            expert_keys(
                3,
                vec![
                    criterion("3.K1", "К1. Решение коммуникативной задачи", 3, true),
                    criterion("3.K2", "К2. Организация высказывания", 2, false),
                    criterion("3.K3", "К3. Языковое оформление", 2, false),
                ],
            ),
        ],
    }
}

/// ЕГЭ oral part, 2022–2025 model: 1 reading aloud (1.5 + 1.5 min, 1 point); 2 four direct
/// questions about an advert (1.5 min, 20 s each, 4); 3 an interview of five questions heard
/// once, 40 s each, its instruction read aloud (5); 4 a project monologue about two photos
/// (2.5 + 3 min, 10: К1 4 critical, К2 3, К3 3). 17 minutes, 20 points.
pub(crate) fn ege(language: Language) -> Body {
    let mut t1 = task(1, "Чтение текста вслух", instruction(language,
        "Imagine that you are preparing a project with your friend. You have found some interesting material for the presentation and you want to read this text to your friend. You have 1.5 minutes to read the text silently, then be ready to read it out aloud. You will not have more than 1.5 minutes to read it."),
        1, reading_aloud(90, 90));
    t1.fixed_s = Some(180);
    let mut t2 = task(2, "Вопросы по рекламе", instruction(language,
        "Study the advertisement. You are considering the offer and now you'd like to get more information. In 1.5 minutes you are to ask four direct questions to find out about the following. You have 20 seconds to ask each question."),
        4, TaskContent::AskQuestions(AskQuestions {
            image: Some("media/advert.jpg".to_owned()),
            text: ph("текст объявления"),
            prompts: (1..=4).map(|i| ph(&format!("о чём спросить {i}"))).collect(),
            prep_s: 90,
            answer_s: 20,
        }));
    t2.fixed_s = Some(170);
    let mut t3 = task(3, "Интервью", instruction(language,
        "You are going to take part in a telephone survey. You have to answer five questions. Give full answers to the questions."),
        5, TaskContent::Interview(Interview {
            situation: Some(ph("тема опроса, видна всё время")),
            read_first_s: 0,
            questions: questions("interview", 5),
            answer_s: 40,
        }));
    t3.instruction_track = Some(Track {
        file: "media/instruction-3.mp3".to_owned(),
        duration_s: 15,
    });
    let mut t4 = task(4, "Проект по двум фотографиям", instruction(language,
        "Imagine that you and your friend are doing a project. You have found two photos to illustrate it. In 2.5 minutes be ready to: explain the choice of the illustrations for the project by briefly describing them and noting the differences; mention the advantages of the two types of activity; mention the disadvantages; express your opinion on the subject of the project. You will speak for not more than 3 minutes (12–15 sentences)."),
        10, TaskContent::Monologue(Monologue {
            photos: (1..=2)
                .map(|i| Photo {
                    file: format!("media/photo-{i}.jpg"),
                    caption: format!("Photo {i}"),
                })
                .collect(),
            plan: vec![
                "explain the choice of the illustrations for the project by briefly describing them and noting the differences".to_owned(),
                "mention the advantages of the two types of activity".to_owned(),
                "mention the disadvantages".to_owned(),
                "express your opinion on the subject of the project".to_owned(),
            ],
            prep_s: 150,
            answer_s: 180,
            all_photos: true,
        }));
    t4.fixed_s = Some(330);
    Body {
        briefing: vec![
            "Устная часть состоит из четырёх заданий; на всю работу — 17 минут. Время каждого этапа задано программой: подготовка и ответ начинаются сами, таймер показан на экране.".to_owned(),
            "В задании 2 вы зададите четыре вопроса по рекламе, на каждый — 20 секунд. В задании 3 вы ответите на пять вопросов: каждый вопрос звучит один раз, после сигнала на ответ — 40 секунд.".to_owned(),
            "Ответы записываются через микрофон гарнитуры; перезаписать ответ нельзя. Если что-то пошло не так, поднимите руку и позовите организатора.".to_owned(),
        ],
        timing: timing(1020, vec![300]),
        conversion: bands(&[(5, 2), (11, 3), (16, 4), (20, 5)]),
        tasks: vec![t1, t2, t3, t4],
        keys: vec![
            expert_keys(1, vec![criterion("1.reading", "Чтение текста вслух", 1, false)]),
            expert_keys(2, per_answer(2, 4, "Вопрос")),
            expert_keys(3, per_answer(3, 5, "Ответ на вопрос")),
            expert_keys(
                4,
                vec![
                    criterion("4.K1", "К1. Решение коммуникативной задачи", 4, true),
                    criterion("4.K2", "К2. Организация высказывания", 3, false),
                    criterion("4.K3", "К3. Языковое оформление высказывания", 3, false),
                ],
            ),
        ],
    }
}
