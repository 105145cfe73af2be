//! The files the school uploads: the results collection form (XLSX and CSV),
//! the application to take part (заявка) and the context data
//! (контекстные данные). None of them contains a name.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::{
    tabular::{write_csv, write_xlsx, Cell, Table},
    Coordinator, CoordinatorError, Result,
};

/// Files written by an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormFiles {
    pub xlsx: String,
    pub csv: Option<String>,
    pub rows: u32,
    /// Things checked and worth a look that do not block the export.
    pub warnings: Vec<String>,
}

impl Coordinator {
    /// The results collection form as a table; refused with the full list of
    /// what is missing while any work is not imported, not scored or the keys
    /// are not in.
    pub fn results_form(&self, work_id: i64) -> Result<Table> {
        let missing = self.missing_for_form(work_id)?;
        if !missing.is_empty() {
            return Err(CoordinatorError::FormBlocked(missing));
        }
        self.results_table(work_id)
    }

    pub(crate) fn results_table(&self, work_id: i64) -> Result<Table> {
        let work = self.work(work_id)?;
        let school = self.school()?.unwrap_or_default();
        let mut header = vec!["Код участника".to_string(), "Вариант".to_string()];
        header.extend(
            work.spec
                .tasks
                .iter()
                .map(|t| format!("Задание {}", t.number)),
        );
        header.push("Сумма баллов".into());
        header.push("Отметка".into());
        let mut rows = Vec::new();
        for r in self.results(work_id)? {
            let mut row = vec![Cell::text(r.code.to_string()), Cell::int(r.variant)];
            let mut total = 0;
            for t in &work.spec.tasks {
                if r.not_applicable.contains(&t.number) {
                    // Not part of the participant's version: not applicable, not 0.
                    row.push(Cell::text(crate::NOT_APPLICABLE));
                    continue;
                }
                let v = r.tasks.get(&t.number).copied().flatten();
                total += v.unwrap_or(0);
                row.push(v.map_or(Cell::Empty, Cell::int));
            }
            row.push(Cell::int(total));
            row.push(
                work.spec
                    .mark_of(total, r.adaptation.as_deref())
                    .map_or(Cell::Empty, Cell::int),
            );
            rows.push(row);
        }
        Ok(Table {
            sheet: "Форма сбора результатов".into(),
            title: Some(format!(
                "{} · {} · {} класс · {} · ОО {}",
                school.name, work.subject, work.grade, work.date, school.login
            )),
            header,
            rows,
        })
    }

    /// Write the results form as XLSX and CSV next to each other.
    pub fn export_results_form(&self, work_id: i64, xlsx: &Path, csv: &Path) -> Result<FormFiles> {
        let table = self.results_form(work_id)?;
        write_xlsx(xlsx, std::slice::from_ref(&table))?;
        write_csv(csv, &table)?;
        Ok(FormFiles {
            xlsx: xlsx.display().to_string(),
            csv: Some(csv.display().to_string()),
            rows: table.rows.len() as u32,
            warnings: Vec::new(),
        })
    }

    /// The application (заявка): per class and work, the number of participants.
    pub fn application_form(&self) -> Result<(Table, Vec<String>)> {
        let school = self
            .school()?
            .ok_or_else(|| CoordinatorError::Invalid("не заполнены сведения об ОО".into()))?;
        let people = self.participants()?;
        let mut warnings = Vec::new();
        let mut rows = Vec::new();
        let works = self.works()?;
        if works.is_empty() {
            warnings.push("не внесено ни одной работы из плана-графика".to_string());
        }
        for w in &works {
            let classes: Vec<_> = self
                .classes()?
                .into_iter()
                .filter(|c| c.grade == w.grade)
                .collect();
            if classes.is_empty() {
                warnings.push(format!(
                    "для работы «{}», {} класс, нет ни одного класса",
                    w.subject, w.grade
                ));
            }
            for c in classes {
                let n = people.iter().filter(|p| p.class_id == c.id).count();
                if n == 0 {
                    warnings.push(format!("в классе {} нет участников", c.name));
                }
                rows.push(vec![
                    Cell::text(c.name.clone()),
                    Cell::int(w.grade),
                    Cell::text(w.subject.clone()),
                    Cell::text(w.date.clone()),
                    Cell::text(w.reserve_dates.join(", ")),
                    Cell::int(n as i64),
                ]);
            }
        }
        Ok((
            Table {
                sheet: "Заявка".into(),
                title: Some(format!(
                    "Заявка на участие в ВПР · {} · {}",
                    school.name, school.login
                )),
                header: [
                    "Класс",
                    "Параллель",
                    "Предмет",
                    "Дата проведения",
                    "Резервные дни",
                    "Количество участников",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
            warnings,
        ))
    }

    /// Context data: the school sheet and one row per participant code.
    pub fn context_form(&self) -> Result<(Vec<Table>, Vec<String>)> {
        let school = self
            .school()?
            .ok_or_else(|| CoordinatorError::Invalid("не заполнены сведения об ОО".into()))?;
        let people = self.participants()?;
        let mut warnings = Vec::new();
        if school.login.trim().is_empty() {
            warnings.push("не указан логин ОО в ФИС ОКО".to_string());
        }
        if school.students_total < people.len() as u32 {
            warnings.push("обучающихся в ОО меньше, чем участников в списке".to_string());
        }
        let school_rows = vec![
            vec![
                Cell::text("Наименование ОО"),
                Cell::text(school.name.clone()),
            ],
            vec![Cell::text("Логин ОО"), Cell::text(school.login.clone())],
            vec![Cell::text("Регион"), Cell::text(school.region.clone())],
            vec![
                Cell::text("Муниципалитет"),
                Cell::text(school.municipality.clone()),
            ],
            vec![
                Cell::text("Тип населённого пункта"),
                Cell::text(school.settlement.clone()),
            ],
            vec![
                Cell::text("Число обучающихся в ОО"),
                Cell::int(school.students_total),
            ],
            vec![
                Cell::text("Число участников ВПР"),
                Cell::int(people.len() as i64),
            ],
            vec![
                Cell::text("Из них с ОВЗ"),
                Cell::int(people.iter().filter(|p| p.special_needs).count() as i64),
            ],
        ];
        let mut rows = Vec::new();
        let classes = self.classes()?;
        for p in &people {
            if p.sex.is_empty() {
                warnings.push(format!("код {}: не указан пол", p.code));
            }
            let lang = classes
                .iter()
                .find(|c| c.id == p.class_id)
                .map(|c| c.foreign_language.clone())
                .unwrap_or_default();
            rows.push(vec![
                Cell::text(p.code.to_string()),
                Cell::text(p.class_name.clone()),
                Cell::text(p.sex.clone()),
                Cell::text(if p.special_needs { "да" } else { "нет" }),
                p.previous_mark.map_or(Cell::Empty, Cell::int),
                Cell::text(lang),
            ]);
        }
        Ok((
            vec![
                Table {
                    sheet: "ОО".into(),
                    title: Some("Контекстные данные об ОО".into()),
                    header: vec!["Показатель".into(), "Значение".into()],
                    rows: school_rows,
                },
                Table {
                    sheet: "Участники".into(),
                    title: Some(
                        "Контекстные данные об участниках (без персональных данных)".into(),
                    ),
                    header: [
                        "Код участника",
                        "Класс",
                        "Пол",
                        "ОВЗ",
                        "Отметка за предыдущий период",
                        "Иностранный язык",
                    ]
                    .map(String::from)
                    .to_vec(),
                    rows,
                },
            ],
            warnings,
        ))
    }

    pub fn export_application_form(&self, xlsx: &Path) -> Result<FormFiles> {
        let (t, warnings) = self.application_form()?;
        write_xlsx(xlsx, std::slice::from_ref(&t))?;
        Ok(FormFiles {
            xlsx: xlsx.display().to_string(),
            csv: None,
            rows: t.rows.len() as u32,
            warnings,
        })
    }

    pub fn export_context_form(&self, xlsx: &Path) -> Result<FormFiles> {
        let (t, warnings) = self.context_form()?;
        write_xlsx(xlsx, &t)?;
        Ok(FormFiles {
            xlsx: xlsx.display().to_string(),
            csv: None,
            rows: t.iter().map(|t| t.rows.len() as u32).sum(),
            warnings,
        })
    }
}
