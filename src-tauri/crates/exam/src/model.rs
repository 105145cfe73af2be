//! The exam package as data: `package.json` (materials) in a folder with its media files.
//!
//! Every number the station enforces (times, plays, scores, the score-to-mark conversion)
//! comes from here; keys and criteria live apart in `keys.json` (see [`crate::keys`]) so a
//! container can encrypt them separately and the station can run without them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The package format this crate reads.
pub const FORMAT: u32 = 1;

/// The language of the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    De,
    Fr,
}

impl Language {
    /// «английский», … for Russian screens.
    pub fn name_ru(self) -> &'static str {
        match self {
            Self::En => "английский язык",
            Self::De => "немецкий язык",
            Self::Fr => "французский язык",
        }
    }

    /// Letters a Russian keyboard lacks that answers in this language may need;
    /// the station shows them as on-screen keys.
    pub fn special_letters(self) -> &'static [&'static str] {
        match self {
            Self::En => &[],
            Self::De => &["ä", "ö", "ü", "ß", "Ä", "Ö", "Ü"],
            Self::Fr => &[
                "é", "è", "ê", "ë", "à", "â", "ç", "ô", "œ", "î", "ï", "ù", "û", "É", "À", "Ç",
            ],
        }
    }
}

/// The subject of the work (ВПР in a foreign language only, for now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    ForeignLanguage,
}

/// A whole exam package (materials only, no keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Always [`FORMAT`].
    pub format: u32,
    /// Stable identifier, `[a-z0-9-]`.
    pub id: String,
    /// Russian title, e.g. «ВПР. Английский язык. 7 класс».
    pub title: String,
    pub subject: Subject,
    pub grade: u32,
    pub language: Language,
    /// A demonstration version (public content).
    #[serde(default)]
    pub demo: bool,
    /// The built-in training package.
    #[serde(default)]
    pub training: bool,
    /// Briefing paragraphs (Russian) shown before the headset check.
    pub briefing: Vec<String>,
    /// The briefing read aloud: played once, by itself, when the briefing opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub briefing_track: Option<Track>,
    pub timing: Timing,
    /// Score-to-mark conversion: bands covering 0..=total score.
    pub conversion: Vec<MarkBand>,
    /// Adapted versions for participants with special needs.
    #[serde(default)]
    pub adaptations: Vec<Adaptation>,
    /// When present, only these participant codes are accepted.
    #[serde(default)]
    pub participant_codes: Option<Vec<String>>,
    pub variants: Vec<Variant>,
}

/// Timing rules of the whole work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// Time for the tasks (eye breaks are not part of it).
    pub total_s: u32,
    /// Reminders given when this much work time is left (e.g. 900 and 300).
    #[serde(default)]
    pub reminders_s: Vec<u32>,
    #[serde(default)]
    pub eye_breaks: Vec<EyeBreak>,
}

/// An eye break after a task; the work clock stops during it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EyeBreak {
    /// Number of the task after which the break comes.
    pub after_task: u32,
    pub duration_s: u32,
}

/// Scores `min..=max` give `mark`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MarkBand {
    pub min: u32,
    pub max: u32,
    pub mark: u32,
}

/// An adapted version (ОВЗ): extended time and/or no listening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Adaptation {
    pub id: String,
    /// Russian name, e.g. «Для слабослышащих участников».
    pub title: String,
    /// Work time, fixed task times, reading and preparation times multiplied by this/100.
    #[serde(default = "hundred")]
    pub time_percent: u32,
    /// Extra seconds added to the whole-work time.
    #[serde(default)]
    pub extra_s: u32,
    /// Listening tasks are left out.
    #[serde(default)]
    pub no_listening: bool,
    /// Conversion for this version (required when tasks are left out).
    #[serde(default)]
    pub conversion: Option<Vec<MarkBand>>,
}

fn hundred() -> u32 {
    100
}

impl Adaptation {
    /// The version gives more time than the standard one.
    pub fn extends_time(&self) -> bool {
        self.time_percent > 100 || self.extra_s > 0
    }

    /// Scale a duration by this version's time factor.
    pub fn scale_ms(&self, ms: u64) -> u64 {
        ms.saturating_mul(u64::from(self.time_percent)) / 100
    }
}

/// One variant of the work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub number: u32,
    pub tasks: Vec<Task>,
}

impl Variant {
    pub fn max_score(&self) -> u32 {
        self.tasks.iter().map(|t| t.max_score).sum()
    }
}

/// One task of a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// 1, 2, … in order.
    pub number: u32,
    /// Russian heading, e.g. «Задание 1. Аудирование».
    pub title: String,
    /// Instruction in the target language.
    pub instruction: String,
    pub max_score: u32,
    /// Fixed time: the station moves on by itself when it runs out.
    #[serde(default)]
    pub fixed_s: Option<u32>,
    /// The instruction read aloud: played once by itself when the task opens,
    /// before anything else of the task starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction_track: Option<Track>,
    pub content: TaskContent,
}

/// A sound file played once by itself, with no controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Relative to the package folder (WAV, MP3, OGG or FLAC).
    pub file: String,
    /// Length in whole seconds (checked against the file).
    pub duration_s: u32,
}

impl Task {
    pub fn kind(&self) -> TaskKind {
        self.content.kind()
    }

    /// Ids of the closed items (answered on screen and scored by keys).
    pub fn item_ids(&self) -> Vec<&str> {
        match &self.content {
            TaskContent::Listening(l) => l.items.iter().map(|i| i.id.as_str()).collect(),
            TaskContent::Reading(r) => r.items.iter().map(|i| i.id.as_str()).collect(),
            TaskContent::Grammar(g) | TaskContent::Vocabulary(g) => {
                g.items.iter().map(|i| i.id.as_str()).collect()
            }
            TaskContent::Written(w) => vec![w.id.as_str()],
            TaskContent::ReadingAloud(_)
            | TaskContent::Monologue(_)
            | TaskContent::Interview(_)
            | TaskContent::AskQuestions(_) => Vec::new(),
        }
    }

    /// Ids of the items scored from keys (the written answer is scored by experts).
    pub fn keyed_item_ids(&self) -> Vec<&str> {
        match &self.content {
            TaskContent::Written(_) => Vec::new(),
            _ => self.item_ids(),
        }
    }

    /// The longest answer an item of this task takes (characters).
    pub fn answer_cap(&self) -> usize {
        match &self.content {
            TaskContent::Written(_) => MAX_WRITTEN_CHARS,
            _ => MAX_SHORT_ANSWER_CHARS,
        }
    }

    /// Whether an item is answered by choosing one of these labels (None: typed answer).
    pub fn choice_labels(&self, item_id: &str) -> Option<Vec<&str>> {
        let (shared, items) = match &self.content {
            TaskContent::Listening(l) => (&l.options, &l.items),
            TaskContent::Reading(r) => (&r.options, &r.items),
            TaskContent::Grammar(g) | TaskContent::Vocabulary(g) => {
                let item = g.items.iter().find(|i| i.id == item_id)?;
                return (!item.options.is_empty())
                    .then(|| item.options.iter().map(|o| o.label.as_str()).collect());
            }
            _ => return None,
        };
        let item = items.iter().find(|i| i.id == item_id)?;
        let options = if item.options.is_empty() {
            shared
        } else {
            &item.options
        };
        Some(options.iter().map(|o| o.label.as_str()).collect())
    }

    /// Oral tasks are recorded and scored by experts.
    pub fn is_oral(&self) -> bool {
        matches!(
            self.content,
            TaskContent::ReadingAloud(_)
                | TaskContent::Monologue(_)
                | TaskContent::Interview(_)
                | TaskContent::AskQuestions(_)
        )
    }

    /// Experts score this task by criteria (oral tasks and written answers).
    pub fn is_expert_scored(&self) -> bool {
        self.is_oral() || matches!(self.content, TaskContent::Written(_))
    }

    /// How many answers are recorded apart (an interview's questions, the
    /// prompts of «ask questions»); 1 for other oral tasks, 0 for written ones.
    pub fn recorded_parts(&self) -> u32 {
        let n = match &self.content {
            TaskContent::Interview(i) => i.questions.len(),
            TaskContent::AskQuestions(a) => a.prompts.len(),
            TaskContent::ReadingAloud(_) | TaskContent::Monologue(_) => 1,
            _ => 0,
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The task as the station shows it: what only experts may see (an
    /// interview's questions as text) taken out.
    pub fn for_station(&self) -> TaskContent {
        let mut content = self.content.clone();
        if let TaskContent::Interview(i) = &mut content {
            for q in &mut i.questions {
                q.text = None;
            }
        }
        content
    }
}

/// Longest typed short answer kept (a word or a phrase).
pub const MAX_SHORT_ANSWER_CHARS: usize = 200;
/// Longest written answer kept (a letter or an essay is a few hundred words).
pub const MAX_WRITTEN_CHARS: usize = 20_000;

/// What kind of task this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Listening,
    Reading,
    Grammar,
    Vocabulary,
    ReadingAloud,
    Monologue,
    Interview,
    AskQuestions,
    Written,
}

/// The content of a task, by kind. None of it is secret: keys are apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskContent {
    Listening(Listening),
    Reading(Reading),
    Grammar(GapFill),
    Vocabulary(GapFill),
    ReadingAloud(ReadingAloud),
    Monologue(Monologue),
    Interview(Interview),
    AskQuestions(AskQuestions),
    Written(WrittenAnswer),
}

impl TaskContent {
    pub fn kind(&self) -> TaskKind {
        match self {
            Self::Listening(_) => TaskKind::Listening,
            Self::Reading(_) => TaskKind::Reading,
            Self::Grammar(_) => TaskKind::Grammar,
            Self::Vocabulary(_) => TaskKind::Vocabulary,
            Self::ReadingAloud(_) => TaskKind::ReadingAloud,
            Self::Monologue(_) => TaskKind::Monologue,
            Self::Interview(_) => TaskKind::Interview,
            Self::AskQuestions(_) => TaskKind::AskQuestions,
            Self::Written(_) => TaskKind::Written,
        }
    }
}

/// Listening: a track played a fixed number of times, with time to read the questions first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Listening {
    /// Sound file (WAV, MP3, OGG or FLAC), relative to the package folder.
    pub track: String,
    /// Length of the track in whole seconds (checked against the file).
    pub duration_s: u32,
    /// How many times the track is played.
    pub plays: u32,
    /// Time to read the questions before the first play.
    pub read_first_s: u32,
    /// Pause between plays.
    #[serde(default)]
    pub pause_between_s: u32,
    /// Options shared by all items (when an item has none of its own).
    #[serde(default)]
    pub options: Vec<Choice>,
    pub items: Vec<ChoiceItem>,
}

/// One option: `label` is what is answered («A», «1», «True»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub label: String,
    pub text: String,
}

/// A closed item answered by choosing an option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ChoiceItem {
    /// Unique within the variant, e.g. «1.3».
    pub id: String,
    pub prompt: String,
    #[serde(default)]
    pub options: Vec<Choice>,
}

/// Reading: texts and items (matching or multiple choice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub format: ReadingFormat,
    pub texts: Vec<Text>,
    /// For matching: the headings every item chooses from.
    #[serde(default)]
    pub options: Vec<Choice>,
    pub items: Vec<ChoiceItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadingFormat {
    Matching,
    MultipleChoice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub label: String,
    #[serde(default)]
    pub title: Option<String>,
    pub body: String,
}

/// Grammar or vocabulary: gaps filled by typing (word formation when `base_word` is given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct GapFill {
    #[serde(default)]
    pub text: Option<String>,
    pub items: Vec<GapItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct GapItem {
    pub id: String,
    /// The sentence with the gap marked `___`.
    pub prompt: String,
    /// Word to transform (word formation), shown beside the gap.
    #[serde(default)]
    pub base_word: Option<String>,
    /// When given, the gap is filled by choosing one of these (a dropdown),
    /// not by typing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
}

/// Reading a text aloud: preparation, then a recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReadingAloud {
    pub text: String,
    pub prep_s: u32,
    pub answer_s: u32,
}

/// A monologue about one photo chosen from several, following a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Monologue {
    pub photos: Vec<Photo>,
    pub plan: Vec<String>,
    pub prep_s: u32,
    pub answer_s: u32,
    /// Every photo is spoken about (the ЕГЭ project task compares two):
    /// nothing is chosen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_photos: bool,
}

/// An interview (the ОГЭ conditional dialogue, the ЕГЭ interview): each
/// question is heard once from its track, then a beep opens its own answer
/// window, recorded apart. Nothing is replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Interview {
    /// The situation in Russian or the target language, shown throughout.
    #[serde(default)]
    pub situation: Option<String>,
    /// Time to read the situation before the first question (0: none).
    #[serde(default)]
    pub read_first_s: u32,
    pub questions: Vec<InterviewQuestion>,
    /// The answer window after each question.
    pub answer_s: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct InterviewQuestion {
    /// The question's sound (relative to the package folder).
    pub track: String,
    pub duration_s: u32,
    /// The question as text, for experts and the author: never on the
    /// station's screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Ask questions (ЕГЭ task 2): an advert or a picture with prompts;
/// preparation, then one short answer window per prompt, recorded apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AskQuestions {
    /// The advert's picture (relative to the package folder), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The advert's text.
    pub text: String,
    /// What to ask about, one answer window each.
    pub prompts: Vec<String>,
    pub prep_s: u32,
    /// The answer window of each prompt.
    pub answer_s: u32,
}

/// A long typed answer (a letter, an e-mail, an essay), scored by experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WrittenAnswer {
    /// The item id the text is kept under (unique within the variant).
    pub id: String,
    /// The letter to answer or the topic, shown above the answer box.
    pub stimulus: String,
    /// The word range the package sets (shown beside the live count).
    pub words_min: u32,
    pub words_max: u32,
}

/// Words in a written answer as a reader counts them: runs of letters or
/// digits, with inner apostrophes and hyphens (don't, well-known) one word.
pub fn word_count(text: &str) -> u32 {
    let mut n = 0u32;
    let mut in_word = false;
    let mut prev_join = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if !in_word {
                n = n.saturating_add(1);
            }
            in_word = true;
            prev_join = false;
        } else if in_word && !prev_join && matches!(ch, '\'' | '\u{2019}' | '-') {
            prev_join = true;
        } else {
            in_word = false;
            prev_join = false;
        }
    }
    n
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    /// Picture (SVG, PNG or JPEG), relative to the package folder.
    pub file: String,
    pub caption: String,
}

impl Package {
    pub fn variant(&self, number: u32) -> Option<&Variant> {
        self.variants.iter().find(|v| v.number == number)
    }

    /// The variant a seat takes by default: variants alternate by seat
    /// number (seat 1 the lowest variant, seat 2 the next, …); variant 1
    /// (or the lowest) when the seat is unknown.
    pub fn variant_for_seat(&self, seat: Option<u32>) -> u32 {
        let mut numbers: Vec<u32> = self.variants.iter().map(|v| v.number).collect();
        numbers.sort_unstable();
        let Some(&first) = numbers.first() else {
            return 1;
        };
        match seat.filter(|s| *s > 0) {
            Some(s) => numbers[(s as usize - 1) % numbers.len()],
            None if numbers.contains(&1) => 1,
            None => first,
        }
    }

    pub fn adaptation(&self, id: &str) -> Option<&Adaptation> {
        self.adaptations.iter().find(|a| a.id == id)
    }

    /// The mark for a total score under the given version's conversion.
    pub fn mark(&self, score: u32, adaptation: Option<&Adaptation>) -> Option<u32> {
        let bands = adaptation
            .and_then(|a| a.conversion.as_deref())
            .unwrap_or(&self.conversion);
        bands
            .iter()
            .find(|b| (b.min..=b.max).contains(&score))
            .map(|b| b.mark)
    }

    /// Tasks of a variant as a participant with this version takes them.
    pub fn tasks_for<'a>(
        &self,
        variant: &'a Variant,
        adaptation: Option<&Adaptation>,
    ) -> Vec<&'a Task> {
        let no_listening = adaptation.is_some_and(|a| a.no_listening);
        variant
            .tasks
            .iter()
            .filter(|t| !(no_listening && t.kind() == TaskKind::Listening))
            .collect()
    }
}
