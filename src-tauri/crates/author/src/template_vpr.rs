//! ВПР templates: grade 7 computer form (2020–23 model) and the grades 4–8 written work.

use vpr_exam::{
    ChoiceItem, Language, Listening, Monologue, Photo, Reading, ReadingAloud, ReadingFormat,
    TaskContent, Text, WrittenAnswer,
};

use crate::template::{
    bands, closed_keys, criterion, expert_keys, gaps, ids, instruction, item_keys, options, ph,
    task, timing, Body,
};

/// Letters of the listening sentences and reading texts.
const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

/// The grade 7 monologue plan (published 2020–23 form).
const VPR7_PLAN: [&str; 5] = [
    "the place",
    "the action",
    "the person's appearance",
    "whether you like the picture or not",
    "why",
];

/// ВПР 7, computer form: 1 listening (five gapped sentences A–E, options 1–3, played twice,
/// 45 s to read first, 5 points); 2 reading aloud (1.5 + 1.5 min, 2 points); 3 monologue about
/// one of three photos (1.5 + 2 min, 7–8 sentences, 8 points); 4 reading (5); 5 grammar (5);
/// 6 vocabulary (5). 45 minutes, 30 points, 0–12 → 2, 13–20 → 3, 21–26 → 4, 27–30 → 5.
pub(crate) fn vpr7(language: Language) -> Body {
    let listening_items: Vec<ChoiceItem> = LETTERS
        .iter()
        .map(|l| ChoiceItem {
            id: format!("1.{l}"),
            prompt: ph(&format!("предложение {l} с пропуском ___")),
            options: options(3, "вариант"),
        })
        .collect();
    let listening_ids: Vec<String> = listening_items.iter().map(|i| i.id.clone()).collect();
    let listening = Listening {
        track: "media/listening.mp3".to_owned(),
        duration_s: 60,
        plays: 2,
        read_first_s: 45,
        pause_between_s: 0,
        options: Vec::new(),
        items: listening_items,
    };
    let reading_ids: Vec<String> = LETTERS.iter().map(|l| format!("4.{l}")).collect();
    let reading = Reading {
        format: ReadingFormat::Matching,
        texts: LETTERS
            .iter()
            .map(|l| Text {
                label: (*l).to_owned(),
                title: None,
                body: ph(&format!("текст {l}")),
            })
            .collect(),
        options: options(6, "заголовок"),
        items: LETTERS
            .iter()
            .zip(&reading_ids)
            .map(|(l, id)| ChoiceItem {
                id: id.clone(),
                prompt: format!("Text {l}"),
                options: Vec::new(),
            })
            .collect(),
    };
    let grammar = gaps(5, 5, true, 0);
    let vocabulary = gaps(6, 5, true, 0);
    let tasks = vec![
        task(1, "Аудирование", instruction(language,
            "You will hear a text. Read the sentences A–E and choose the right word for each gap: 1, 2 or 3. You will hear the recording twice. You have 45 seconds to read the sentences."),
            5, TaskContent::Listening(listening)),
        task(2, "Чтение текста вслух", instruction(language,
            "You are going to read the text aloud. You have 1.5 minutes to read the text silently, and then be ready to read it aloud. You will not have more than 1.5 minutes to read it."),
            2, TaskContent::ReadingAloud(ReadingAloud {
                text: ph("текст для чтения вслух"),
                prep_s: 90,
                answer_s: 90,
            })),
        task(3, "Монолог по фотографии", instruction(language,
            "Choose one of the three photos and describe the person in it. You have 1.5 minutes to prepare and not more than 2 minutes to speak. You should speak for 7–8 sentences. Start with: “I'd like to describe picture …”"),
            8, TaskContent::Monologue(Monologue {
                photos: (1..=3)
                    .map(|i| Photo {
                        file: format!("media/photo-{i}.jpg"),
                        caption: format!("Photo {i}"),
                    })
                    .collect(),
                plan: VPR7_PLAN.iter().map(|s| (*s).to_owned()).collect(),
                prep_s: 90,
                answer_s: 120,
                all_photos: false,
            })),
        task(4, "Чтение", instruction(language,
            "Read the texts A–E and match them with the headings 1–6. There is one heading you do not need."),
            5, TaskContent::Reading(reading)),
        task(5, "Грамматика", instruction(language,
            "Read the text. Change the words in brackets so that they fit the gaps."),
            5, TaskContent::Grammar(grammar.clone())),
        task(6, "Лексика", instruction(language,
            "Read the text. Form words from the words in brackets so that they fit the gaps."),
            5, TaskContent::Vocabulary(vocabulary.clone())),
    ];
    let keys = vec![
        closed_keys(1, item_keys(&listening_ids, "1")),
        expert_keys(
            2,
            vec![criterion(
                "2.phonetics",
                "Фонетическая сторона речи",
                2,
                false,
            )],
        ),
        expert_keys(
            3,
            vec![
                criterion("3.K1", "К1. Решение коммуникативной задачи", 3, true),
                criterion("3.K2", "К2. Организация высказывания", 2, false),
                criterion("3.K3", "К3. Языковое оформление высказывания", 3, false),
            ],
        ),
        closed_keys(4, item_keys(&reading_ids, "1")),
        closed_keys(5, item_keys(&ids(&grammar), &ph("ответ"))),
        closed_keys(6, item_keys(&ids(&vocabulary), &ph("ответ"))),
    ];
    Body {
        briefing: vec![
            "Работа состоит из шести заданий: аудирование, чтение текста вслух, монолог по фотографии, чтение, грамматика и лексика. На выполнение всей работы даётся 45 минут.".to_owned(),
            "Запись в задании 1 прозвучит два раза. Перед первым прослушиванием у вас будет 45 секунд, чтобы прочитать предложения.".to_owned(),
            "В заданиях 2 и 3 ваш ответ записывается через микрофон гарнитуры. Запись начнётся сама, когда закончится время подготовки. Перезаписать ответ нельзя.".to_owned(),
            "Ответы сохраняются сразу. Если что-то пошло не так, поднимите руку и позовите организатора.".to_owned(),
        ],
        timing: timing(45 * 60, vec![900, 300]),
        conversion: bands(&[(12, 2), (20, 3), (26, 4), (30, 5)]),
        tasks,
        keys,
    }
}

/// The e-mail's word range by grade (this template's default; the author sets the year's).
fn words(grade: u32) -> (u32, u32) {
    match grade {
        4 => (20, 30),
        5 => (30, 40),
        6 => (40, 50),
        7 => (50, 60),
        _ => (60, 80),
    }
}

/// ВПР grades 4–8 written work: 1 reading (multiple choice, 5), 2 grammar (typed, 5),
/// 3 vocabulary (gaps with choices, 5), 4 an e-mail (6: К1 2 critical, К2 2, К3 2). 45 min,
/// 21 points.
pub(crate) fn written(language: Language, grade: u32) -> Body {
    let reading_ids: Vec<String> = (1..=5).map(|i| format!("1.{i}")).collect();
    let reading = Reading {
        format: ReadingFormat::MultipleChoice,
        texts: vec![Text {
            label: "A".to_owned(),
            title: Some(ph("заголовок текста")),
            body: ph("текст для чтения"),
        }],
        options: Vec::new(),
        items: reading_ids
            .iter()
            .enumerate()
            .map(|(i, id)| ChoiceItem {
                id: id.clone(),
                prompt: ph(&format!("вопрос {} к тексту", i + 1)),
                options: options(3, "вариант ответа"),
            })
            .collect(),
    };
    let grammar = gaps(2, 5, true, 0);
    let vocabulary = gaps(3, 5, false, 3);
    let (words_min, words_max) = words(grade);
    let tasks = vec![
        task(1, "Чтение", instruction(language,
            "Read the text and answer the questions. Choose the right answer: 1, 2 or 3."),
            5, TaskContent::Reading(reading)),
        task(2, "Грамматика", instruction(language,
            "Read the sentences. Change the words in brackets so that they fit the gaps."),
            5, TaskContent::Grammar(grammar.clone())),
        task(3, "Лексика", instruction(language,
            "Read the sentences and choose the right word for each gap."),
            5, TaskContent::Vocabulary(vocabulary.clone())),
        task(4, "Электронное письмо", instruction(language,
            &format!("Read the e-mail from your pen friend and write an answer. Answer the questions. Write {words_min}–{words_max} words.")),
            6, TaskContent::Written(WrittenAnswer {
                id: "4.email".to_owned(),
                stimulus: ph("письмо друга по переписке с вопросами"),
                words_min,
                words_max,
            })),
    ];
    let keys = vec![
        closed_keys(1, item_keys(&reading_ids, "1")),
        closed_keys(2, item_keys(&ids(&grammar), &ph("ответ"))),
        closed_keys(3, item_keys(&ids(&vocabulary), "1")),
        expert_keys(
            4,
            vec![
                criterion("4.K1", "К1. Решение коммуникативной задачи", 2, true),
                criterion("4.K2", "К2. Организация текста", 2, false),
                criterion("4.K3", "К3. Языковое оформление текста", 2, false),
            ],
        ),
    ];
    Body {
        briefing: vec![
            format!("Работа состоит из четырёх заданий: чтение, грамматика, лексика и электронное письмо ({words_min}–{words_max} слов). На выполнение всей работы даётся 45 минут."),
            "Ответы сохраняются сразу; число слов в письме показано рядом с полем ответа. Если что-то пошло не так, поднимите руку и позовите организатора.".to_owned(),
        ],
        timing: timing(45 * 60, vec![900, 300]),
        conversion: bands(&[(7, 2), (13, 3), (18, 4), (21, 5)]),
        tasks,
        keys,
    }
}
