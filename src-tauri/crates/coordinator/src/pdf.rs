//! PDF printouts with DejaVu Sans embedded (Cyrillic, German and French
//! letters): the code sheet with cut lines, the paper protocol per room, the
//! organizer's and expert's instructions, and result sheets for parents.
//!
//! The protocol and the result sheets carry names: they are printed on the
//! coordinator's PC and stay in the school, as the regulations require.

use std::panic::{catch_unwind, AssertUnwindSafe};

use printpdf::{
    IndirectFontRef, Line, LineDashPattern, Mm, PdfDocument, PdfDocumentReference,
    PdfLayerReference, Point,
};

use crate::{Coordinator, CoordinatorError, Participant, Result, Work};

/// A participant with the start and end of their slot, when seated.
type Seated = (Participant, Option<(String, String)>);

static FONT: &[u8] = include_bytes!("../../../../audio-fixtures/fonts/DejaVuSans.ttf");

const W: f32 = 210.0;
const H: f32 = 297.0;
const MARGIN: f32 = 15.0;

/// Approximate advance of DejaVu Sans: enough for wrapping and truncation.
fn text_width(s: &str, size: f32) -> f32 {
    s.chars()
        .map(|c| {
            if c.is_uppercase() || c == 'ш' || c == 'щ' || c == 'ж' || c == 'м' || c == 'ю' {
                0.72
            } else if c == ' ' || c == '.' || c == ',' {
                0.32
            } else {
                0.58
            }
        })
        .sum::<f32>()
        * size
        * 0.3528
}

fn fit(s: &str, size: f32, width: f32) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn wrap(s: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

struct Doc {
    doc: PdfDocumentReference,
    font: IndirectFontRef,
    layer: PdfLayerReference,
    /// Cursor from the top of the page, in mm.
    y: f32,
}

impl Doc {
    fn new(title: &str) -> Result<Self> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(W), Mm(H), "1");
        let font = doc
            .add_external_font(FONT)
            .map_err(|e| CoordinatorError::Pdf(e.to_string()))?;
        let layer = doc.get_page(page).get_layer(layer);
        layer.set_outline_thickness(0.5);
        Ok(Self {
            doc,
            font,
            layer,
            y: MARGIN,
        })
    }

    fn page(&mut self) {
        let (page, layer) = self.doc.add_page(Mm(W), Mm(H), "1");
        self.layer = self.doc.get_page(page).get_layer(layer);
        self.layer.set_outline_thickness(0.5);
        self.y = MARGIN;
    }

    fn ensure(&mut self, mm: f32) {
        if self.y + mm > H - MARGIN {
            self.page();
        }
    }

    fn text(&self, x: f32, y_top: f32, size: f32, s: &str) {
        self.layer
            .use_text(s, size, Mm(x), Mm(H - y_top), &self.font);
    }

    fn line(&self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(x1), Mm(H - y1)), false),
                (Point::new(Mm(x2), Mm(H - y2)), false),
            ],
            is_closed: false,
        });
    }

    fn dashed(&self, on: bool) {
        self.layer.set_line_dash_pattern(LineDashPattern {
            dash_1: on.then_some(3),
            gap_1: on.then_some(2),
            ..Default::default()
        });
    }

    /// A paragraph at the cursor, wrapped to the page.
    fn para(&mut self, size: f32, s: &str) {
        let lh = size * 0.3528 * 1.45;
        for l in wrap(s, size, W - 2.0 * MARGIN) {
            self.ensure(lh);
            self.y += lh;
            self.text(MARGIN, self.y, size, &l);
        }
        self.y += lh * 0.4;
    }

    /// A table row with borders at the cursor.
    fn row(&mut self, widths: &[f32], cells: &[String], size: f32, height: f32) {
        self.ensure(height);
        let mut x = MARGIN;
        self.line(MARGIN, self.y, MARGIN + widths.iter().sum::<f32>(), self.y);
        for (w, c) in widths.iter().zip(cells) {
            self.line(x, self.y, x, self.y + height);
            self.text(
                x + 1.5,
                self.y + height / 2.0 + size * 0.3528 * 0.35,
                size,
                &fit(c, size, w - 3.0),
            );
            x += w;
        }
        self.line(x, self.y, x, self.y + height);
        self.y += height;
        self.line(MARGIN, self.y, x, self.y);
    }

    fn finish(self) -> Result<Vec<u8>> {
        self.doc
            .save_to_bytes()
            .map_err(|e| CoordinatorError::Pdf(e.to_string()))
    }
}

/// Run a PDF builder, turning a panic inside the PDF library into an error.
fn build(f: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(CoordinatorError::Pdf("внутренняя ошибка PDF".into())))
}

fn work_line(w: &Work) -> String {
    format!("{} · {} класс · {}", w.subject, w.grade, w.date)
}

const ORGANIZER_TEXT: &str = "Инструкция для организатора в аудитории\n\
До начала: проверьте, что на каждой станции открыт экран ввода кода и работает гарнитура; разложите коды участников, разрезанные по линиям, и раздайте их участникам в случайном порядке. Каждому участнику выдаётся один код на все работы ВПР.\n\
Во время работы: объявите начало и запишите время начала в протокол; следите, чтобы участник ввёл свой код правильно; напомните участникам за 15 и за 5 минут до окончания; не допускайте использования средств связи, фото- и аудиоаппаратуры, справочных материалов и записей.\n\
Если станция сообщает об ошибке, которую должен устранить организатор (например, нет микрофона), введите PIN организатора и следуйте указаниям на экране; при необходимости пригласите технического специалиста.\n\
После работы: запишите время окончания, заполните протокол (код — ФИО — вариант), подпишите его и передайте координатору вместе с неиспользованными кодами. Протокол хранится в ОО один год; фамилии участников не вносятся ни в какие электронные формы.";

const EXPERT_TEXT: &str = "Инструкция для эксперта\n\
Эксперт проверяет работы только по кодам участников: фамилии экспертам не сообщаются. Работы распределяет координатор; эксперту не назначаются работы класса, в котором он преподаёт.\n\
Прослушайте запись ответа полностью, при необходимости повторно. Оценивайте строго по критериям, опубликованным в день проведения после 14:00 по московскому времени. По каждому критерию выставьте балл не выше максимального; при спорных случаях оставьте примечание.\n\
Если назначена вторая проверка и баллы экспертов расходятся больше, чем допускают критерии, работу проверяет третий эксперт; его оценка окончательная.";

impl Coordinator {
    fn codes_for(&self, work: &Work, room_id: Option<i64>) -> Result<Vec<Seated>> {
        let absent: Vec<i64> = self
            .absences(work.id)?
            .iter()
            .map(|a| a.participant_id)
            .collect();
        let people: Vec<Seated> = match room_id {
            Some(room) => self
                .seating(work.id, room)?
                .into_iter()
                .flat_map(|(slot, ps)| {
                    ps.into_iter()
                        .map(move |p| (p, Some((slot.starts.clone(), slot.ends.clone()))))
                })
                .collect(),
            None => self
                .participants_of_work(work.id)?
                .into_iter()
                .map(|p| (p, None))
                .collect(),
        };
        Ok(people
            .into_iter()
            .filter(|(p, _)| !absent.contains(&p.id))
            .collect())
    }

    /// The code sheet: a table of codes (no names) with dashed cut lines.
    pub fn code_sheet_pdf(&self, work_id: i64, room_id: Option<i64>) -> Result<Vec<u8>> {
        let work = self.work(work_id)?;
        let room = match room_id {
            Some(r) => self
                .rooms()?
                .into_iter()
                .find(|x| x.id == r)
                .map(|r| r.name),
            None => None,
        };
        let mut codes: Vec<u32> = self
            .codes_for(&work, room_id)?
            .into_iter()
            .map(|(p, _)| p.code)
            .collect();
        codes.sort_unstable();
        build(|| {
            let mut d = Doc::new("Коды участников ВПР")?;
            let header = |d: &mut Doc| {
                d.para(12.0, &format!("Коды участников ВПР · {}", work_line(&work)));
                if let Some(r) = &room {
                    d.para(10.0, &format!("Аудитория: {r}"));
                }
                d.para(8.0, "Разрежьте лист по пунктирным линиям и раздайте коды участникам в случайном порядке.");
            };
            header(&mut d);
            let (cols, cw, ch) = (3usize, (W - 2.0 * MARGIN) / 3.0, 24.0);
            for chunk in codes.chunks(cols) {
                if d.y + ch > H - MARGIN {
                    d.page();
                    header(&mut d);
                }
                d.dashed(true);
                let top = d.y;
                d.line(MARGIN, top, W - MARGIN, top);
                d.line(MARGIN, top + ch, W - MARGIN, top + ch);
                for i in 0..=cols {
                    let x = MARGIN + cw * i as f32;
                    d.line(x, top, x, top + ch);
                }
                d.dashed(false);
                d.text(MARGIN - 5.0, top + 1.5, 8.0, "✂");
                for (i, code) in chunk.iter().enumerate() {
                    let x = MARGIN + cw * i as f32;
                    d.text(x + 4.0, top + 6.5, 7.0, "Код участника ВПР");
                    d.text(x + 12.0, top + 18.0, 26.0, &code.to_string());
                }
                d.y = top + ch;
            }
            d.finish()
        })
    }

    /// The paper protocol of one room: code, name, class, variant, start and
    /// end of the participant's slot, the receipt the station shows when the
    /// work closes (written in by the organizer; the coordinator enters it
    /// and compares it with the imported bundle), signatures.
    pub fn room_protocol_pdf(&self, work_id: i64, room_id: i64) -> Result<Vec<u8>> {
        let work = self.work(work_id)?;
        let school = self.school()?.unwrap_or_default();
        let room = self.rooms()?.into_iter().find(|r| r.id == room_id).ok_or(
            CoordinatorError::Missing {
                what: "аудитория",
                id: room_id,
            },
        )?;
        // The variant sat once imported, else the one the seating gives.
        let mut variants: std::collections::BTreeMap<u32, u32> = self.seat_variants(work_id)?;
        variants.extend(
            self.submissions(work_id)?
                .into_iter()
                .map(|s| (s.code, s.variant)),
        );
        let people = self.codes_for(&work, Some(room_id))?;
        let absences = self.absences(work_id)?;
        build(|| {
            let mut d = Doc::new("Протокол проведения ВПР")?;
            d.para(13.0, "Протокол проведения ВПР");
            d.para(10.0, &format!("{} · {}", school.name, work_line(&work)));
            d.para(10.0, &format!("Аудитория: {}", room.name));
            d.y += 2.0;
            let widths = [8.0, 15.0, 48.0, 13.0, 16.0, 14.0, 14.0, 27.0, 25.0];
            let head: Vec<String> = [
                "№",
                "Код",
                "ФИО участника",
                "Класс",
                "Вариант",
                "Начало",
                "Оконч.",
                "Квитанция",
                "Подпись",
            ]
            .map(String::from)
            .to_vec();
            d.row(&widths, &head, 8.0, 8.0);
            for (i, (p, slot)) in people.iter().enumerate() {
                let (s, e) = slot.clone().unwrap_or_default();
                let cells = vec![
                    (i + 1).to_string(),
                    p.code.to_string(),
                    p.name.full(),
                    p.class_name.clone(),
                    variants
                        .get(&p.code)
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    s,
                    e,
                    String::new(),
                    String::new(),
                ];
                d.row(&widths, &cells, 8.5, 8.0);
            }
            if !absences.is_empty() {
                d.y += 3.0;
                d.para(
                    9.0,
                    &format!(
                        "Отсутствовали по уважительной причине (коды): {}",
                        absences
                            .iter()
                            .map(|a| a.code.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            d.y += 6.0;
            for who in [
                "Организатор в аудитории",
                "Общественный наблюдатель",
                "Технический специалист",
            ] {
                d.ensure(12.0);
                d.y += 10.0;
                d.text(MARGIN, d.y, 9.0, who);
                d.line(MARGIN + 55.0, d.y + 1.0, MARGIN + 120.0, d.y + 1.0);
                d.line(MARGIN + 125.0, d.y + 1.0, W - MARGIN, d.y + 1.0);
                d.text(MARGIN + 80.0, d.y + 4.5, 6.0, "ФИО");
                d.text(MARGIN + 145.0, d.y + 4.5, 6.0, "подпись");
            }
            d.finish()
        })
    }

    /// The organizer's instruction sheet.
    pub fn organizer_instructions_pdf(&self, work_id: i64) -> Result<Vec<u8>> {
        let work = self.work(work_id)?;
        let slots = self.slots(work_id)?;
        build(|| {
            let mut d = Doc::new("Инструкция организатора")?;
            d.para(11.0, &work_line(&work));
            for (i, p) in ORGANIZER_TEXT.split('\n').enumerate() {
                d.para(if i == 0 { 13.0 } else { 10.0 }, p);
            }
            d.para(
                10.0,
                &format!(
                    "Одновременно в аудитории работают не более {} участников.",
                    work.spec.stations_per_room
                ),
            );
            if !slots.is_empty() {
                d.para(10.0, "Смены:");
                for s in &slots {
                    d.para(10.0, &format!("— {}–{}", s.starts, s.ends));
                }
            }
            d.finish()
        })
    }

    /// The expert's instruction sheet with the criteria of the work's expert tasks.
    pub fn expert_instructions_pdf(&self, work_id: i64) -> Result<Vec<u8>> {
        let work = self.work(work_id)?;
        build(|| {
            let mut d = Doc::new("Инструкция эксперта")?;
            d.para(11.0, &work_line(&work));
            for (i, p) in EXPERT_TEXT.split('\n').enumerate() {
                d.para(if i == 0 { 13.0 } else { 10.0 }, p);
            }
            for t in work.spec.tasks.iter().filter(|t| t.is_expert()) {
                d.para(
                    11.0,
                    &format!(
                        "Задание {}. {} (максимум {} б.)",
                        t.number,
                        t.title,
                        t.max_score()
                    ),
                );
                for c in &t.criteria {
                    d.para(10.0, &format!("{} — {} (0–{})", c.id, c.name, c.max_points));
                }
            }
            if let Some(rule) = &work.spec.second_scoring {
                d.para(10.0, &format!("Третья проверка назначается при расхождении более чем на {} б. по заданию.", rule.max_difference));
            }
            d.finish()
        })
    }

    /// One page per participant with their scores, for parents (names joined locally).
    pub fn result_sheets_pdf(&self, work_id: i64) -> Result<Vec<u8>> {
        let work = self.work(work_id)?;
        let school = self.school()?.unwrap_or_default();
        let results = self.results(work_id)?;
        let people = self.participants()?;
        build(|| {
            let mut d = Doc::new("Результаты ВПР")?;
            let mut first = true;
            for r in &results {
                let Some(p) = people.iter().find(|p| p.code == r.code) else {
                    continue;
                };
                if !first {
                    d.page();
                }
                first = false;
                d.para(13.0, "Результаты всероссийской проверочной работы");
                d.para(10.0, &school.name);
                d.para(11.0, &format!("{} · класс {}", p.name.full(), p.class_name));
                d.para(
                    10.0,
                    &format!(
                        "{} · вариант {} · код {}",
                        work_line(&work),
                        r.variant,
                        r.code
                    ),
                );
                d.y += 2.0;
                let widths = [20.0, 100.0, 30.0, 30.0];
                d.row(
                    &widths,
                    &["Задание", "Содержание", "Балл", "Максимум"].map(String::from),
                    9.0,
                    8.0,
                );
                for t in &work.spec.tasks {
                    let got = if r.not_applicable.contains(&t.number) {
                        format!(
                            "{} (не входит в вариант работы участника)",
                            crate::NOT_APPLICABLE
                        )
                    } else {
                        r.tasks
                            .get(&t.number)
                            .copied()
                            .flatten()
                            .map_or("—".to_string(), |v| v.to_string())
                    };
                    d.row(
                        &widths,
                        &[
                            t.number.to_string(),
                            t.title.clone(),
                            got,
                            t.max_score().to_string(),
                        ],
                        9.0,
                        8.0,
                    );
                }
                let total = r.total();
                d.y += 4.0;
                d.para(
                    11.0,
                    &format!(
                        "Сумма баллов: {} из {}",
                        total.map_or("не подсчитана".to_string(), |t| t.to_string()),
                        work.spec.max_total_of(r.adaptation.as_deref())
                    ),
                );
                if let Some(m) = r.mark(&work.spec) {
                    d.para(11.0, &format!("Отметка по пятибалльной шкале: {m}"));
                }
            }
            d.finish()
        })
    }
}
