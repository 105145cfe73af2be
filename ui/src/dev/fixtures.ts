// Dev-only: one SessionView per screen kind, for the preview (`?preview=<name>`) and the unit tests.
import type { PhaseView } from "../bindings/PhaseView";
import type { Screen } from "../bindings/Screen";
import type { SessionView } from "../bindings/SessionView";
import type { TaskTab } from "../bindings/TaskTab";
import { de7Tasks, en11Reading, en7Briefing, en7Tasks, en7Title, de7Title, type DemoTask } from "./demoContent";

function tabs(current: number | null, tasks: DemoTask[] = en7Tasks, answered: Record<number, number> = {}): TaskTab[] {
  return tasks.map((t) => {
    const items = "items" in t.content ? t.content.items.length : 0;
    const state = t.number === current ? "current" : current != null && t.number < current ? (t.number >= 4 ? "open" : "closed") : "not_yet";
    return { number: t.number, title: t.title, state, answered: answered[t.number] ?? (current != null && t.number < current ? items : 0), items };
  });
}

function base(screen: Screen, extra: Partial<SessionView> = {}): SessionView {
  return {
    package_title: en7Title,
    language: "en",
    special_letters: [],
    code: "12345",
    variant: 1,
    adaptation: null,
    choices: null,
    screen,
    paused: false,
    work_left_s: null,
    reminder_minutes: null,
    tasks: [],
    receipt: null,
    notice: null,
    ...extra,
  };
}

function task(
  t: DemoTask,
  phase: PhaseView,
  more: Partial<Extract<Screen, { screen: "task" }>> = {},
): Extract<Screen, { screen: "task" }> {
  const plays = t.content.kind === "listening" ? t.content.plays : 0;
  return {
    screen: "task",
    number: t.number,
    title: t.title,
    instruction: t.instruction,
    max_score: t.max_score,
    kind: t.content.kind,
    content: t.content,
    phase,
    task_left_s: null,
    plays_used: 0,
    plays_total: plays,
    plays_left: plays,
    photo: null,
    answers: {},
    can_leave: phase.phase === "answering" || phase.phase === "recorded",
    ...more,
  } as Extract<Screen, { screen: "task" }>;
}

const [listening, aloud, monologue, reading, grammar, vocabulary] = en7Tasks;
const de = {
  language: "de" as const,
  package_title: de7Title,
  special_letters: ["ä", "ö", "ü", "ß", "Ä", "Ö", "Ü"],
};

export const allFixtures = {
  code: base({ screen: "code_entry" }, { code: null }),
  confirm: base({ screen: "confirm", code: "12345" }),
  confirmVariant: base(
    { screen: "confirm", code: "12345" },
    {
      variant: 2,
      adaptation: "Для слабослышащих участников: без аудирования",
      choices: {
        variants: [1, 2],
        adaptations: [
          { id: "extended_time", title: "Увеличенное время (ОВЗ)" },
          { id: "no_listening", title: "Для слабослышащих участников: без аудирования" },
        ],
        adaptation_id: "no_listening",
      },
    },
  ),
  briefing: base({ screen: "briefing", paragraphs: en7Briefing, reading_aloud: false }),
  briefing_read_aloud: base({ screen: "briefing", paragraphs: en7Briefing, reading_aloud: true }),
  headset: base({ screen: "headset_check", status: "not_checked" }),
  headset_failed: base({ screen: "headset_check", status: "failed" }),
  headset_passed: base({ screen: "headset_check", status: "passed" }),
  listening: base(task(listening, { phase: "read_questions", left_s: 38 }), { work_left_s: 2690, tasks: tabs(1) }),
  listening_playing: base(
    task(listening, { phase: "playing", play_no: 1, of: 2 }, { plays_used: 1, plays_left: 1, answers: { "1.1": "2", "1.2": "1" } }),
    { work_left_s: 2640, tasks: tabs(1) },
  ),
  listening_done: base(
    task(listening, { phase: "answering" }, { plays_used: 2, plays_left: 0, answers: { "1.1": "2", "1.2": "1", "1.3": "3" } }),
    { work_left_s: 2560, tasks: tabs(1) },
  ),
  listening_fixed: base(
    task(listening, { phase: "pause_between", left_s: 7, next_play: 2 }, { plays_used: 1, plays_left: 1, task_left_s: 212 }),
    { work_left_s: 3700, tasks: tabs(1) },
  ),
  reading_aloud: base(task(aloud, { phase: "prep", left_s: 71 }), { work_left_s: 2480, tasks: tabs(2) }),
  reading_aloud_rec: base(task(aloud, { phase: "recording", left_s: 64 }), { work_left_s: 2390, tasks: tabs(2) }),
  reading_aloud_done: base(task(aloud, { phase: "recorded" }), { work_left_s: 2370, tasks: tabs(2) }),
  monologue: base(task(monologue, { phase: "prep", left_s: 82 }, { photo: 2 }), { work_left_s: 2300, tasks: tabs(3) }),
  monologue_rec: base(task(monologue, { phase: "recording", left_s: 97 }, { photo: 2 }), { work_left_s: 2200, tasks: tabs(3) }),
  reading: base(task(reading, { phase: "answering" }, { answers: { "4.A": "3", "4.B": "5" } }), {
    work_left_s: 1500,
    tasks: tabs(4, en7Tasks, { 4: 2 }),
  }),
  reading_mc: base(task(en11Reading, { phase: "answering" }, { answers: { "2.1": "B" } }), { work_left_s: 3000 }),
  grammar: base(task(grammar, { phase: "answering" }, { answers: { "5.1": "went" } }), {
    work_left_s: 880,
    reminder_minutes: 15,
    tasks: tabs(5, en7Tasks, { 5: 1 }),
  }),
  vocabulary: base(task(vocabulary, { phase: "answering" }), { work_left_s: 290, reminder_minutes: 5, tasks: tabs(6) }),
  grammar_de: base(task(de7Tasks[4], { phase: "answering" }, { answers: { "5.1": "fuhren" } }), {
    ...de,
    work_left_s: 1200,
    tasks: tabs(5, de7Tasks, { 5: 1 }),
  }),
  vocabulary_fr: base(task(vocabulary, { phase: "answering" }), {
    language: "fr",
    special_letters: ["é", "è", "ê", "ë", "à", "â", "ç", "ô", "œ", "î", "ï", "ù", "û", "É", "À", "Ç"],
    work_left_s: 1290,
    tasks: tabs(6),
  }),
  eye_break: base({ screen: "eye_break", left_s: 263, after_task: 2 }, { work_left_s: 2400, tasks: tabs(null) }),
  finish: base({ screen: "finish", unanswered: ["4.D", "5.3", "6.2", "6.5"], reopenable: [4, 5, 6] }, {
    work_left_s: 600,
    tasks: tabs(7, en7Tasks, { 4: 3, 5: 4, 6: 3 }),
  }),
  closed: base({ screen: "closed", reason: { reason: "completed" }, message: "Спасибо! Все ответы сохранены." }, { code: "12345", receipt: "K7M3-9XWP" }),
  closed_failure: base({
    screen: "closed",
    reason: { reason: "technical_failure", code: "headset" },
    message: "Работа остановлена из-за технического сбоя. Участник выполнит её в резервный день.",
  }),
  paused: base(task(grammar, { phase: "answering" }, { can_leave: false }), { paused: true, work_left_s: 1200, tasks: tabs(5) }),
} satisfies Record<string, SessionView>;

export type FixtureName = keyof typeof allFixtures;
