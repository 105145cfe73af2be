import type { FormAnswer } from "../bindings/FormAnswer";
import type { FormQuestion } from "../bindings/FormQuestion";
import type { FormTarget } from "../bindings/FormTarget";

/** Russian text of the official form panel (issue 13). */
export const officialText = {
  title: "Форма из ФИС ОКО",
  hint: "Укажите файл формы сбора результатов, загруженный из ФИС ОКО для этой работы (.xlsx). Программа найдёт заголовок, сопоставит столбцы заданиям и заполнит код, вариант и баллы в той же книге; остальные листы, оформление и формулы не меняются.",
  template: "Файл формы (.xlsx)",
  recognise: "Распознать форму",
  sheet: "Лист",
  headerRows: "заголовок в строках",
  dataFrom: "данные со строки",
  listed: "кодов уже в форме",
  column: "Столбец",
  header: "Заголовок в форме",
  target: "Что записывается",
  formula: "формула сохранится",
  answered: "указано вами",
  questions: "Уточните столбцы",
  choose: "— выберите —",
  columnLetter: "Буква столбца",
  fill: "Заполнить форму",
  filled: "Форма заполнена",
  rows: "Участников",
};

/** How a column's target reads to the coordinator. */
export function targetLabel(t: FormTarget): string {
  switch (t.kind) {
    case "code":
      return "код участника";
    case "variant":
      return "вариант";
    case "class":
      return "класс";
    case "task":
      return `задание ${t.id}`;
    case "criterion":
      return `критерий ${t.id}`;
    case "item":
      return `позиция ${t.id}`;
    case "total":
      return "сумма баллов";
    case "mark":
      return "отметка";
    case "skip":
      return "не заполнять";
  }
}

/**
 * The answers to pass: those given before that are still wanted, plus the
 * choices made for the open questions (`choice[i]`: index into the question's
 * candidates; `letter[i]`: the column of a question that has none).
 */
export function answersFrom(
  before: FormAnswer[],
  questions: FormQuestion[],
  choice: Record<number, number>,
  letter: Record<number, string>,
): FormAnswer[] {
  const out = new Map(before.map((a) => [a.column, a]));
  questions.forEach((q, i) => {
    const target = q.candidates[choice[i] ?? (q.column === null ? 0 : -1)];
    const column = (q.column ?? letter[i] ?? "").trim().toUpperCase();
    if (target && /^[A-Z]{1,3}$/.test(column)) out.set(column, { column, target });
  });
  return [...out.values()];
}
