//! `vpr coordinator` commands for the day of the work, so a whole work can be
//! scripted as it is done in the window: rooms and staff, seating, absences,
//! the expert's queue and scores. Each calls the same vpr-coordinator
//! operation as the window's command.

use clap::Subcommand;
use vpr_coordinator::{
    scoring::CriterionScore, Coordinator, CoordinatorError, NewStaff, PersonName, StaffRole,
};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Role {
    /// Организатор в аудитории
    Organizer,
    /// Общественный наблюдатель
    Observer,
    /// Эксперт (проверяет устные и письменные ответы)
    Expert,
    /// Технический специалист
    Technician,
}

impl From<Role> for StaffRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Organizer => StaffRole::Organizer,
            Role::Observer => StaffRole::Observer,
            Role::Expert => StaffRole::Expert,
            Role::Technician => StaffRole::Technician,
        }
    }
}

#[derive(Subcommand)]
pub enum DayCmd {
    /// Аудитории
    Rooms,
    /// Добавить аудиторию
    RoomAdd { name: String },
    /// Сотрудники: организаторы, наблюдатели, эксперты, технические специалисты
    Staff,
    /// Добавить сотрудника
    StaffAdd {
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        last: String,
        #[arg(long)]
        first: String,
        #[arg(long, default_value = "")]
        middle: String,
        /// Предметы (для эксперта — те, что он проверяет), через запятую
        #[arg(long, value_delimiter = ',')]
        subjects: Vec<String>,
        /// Классы, в которых преподаёт, через запятую (конфликт интересов)
        #[arg(long, value_delimiter = ',')]
        classes: Vec<String>,
        #[arg(long, default_value_t = 0)]
        experience: u32,
        /// Работает в этой школе
        #[arg(long)]
        employee: bool,
        /// Родитель участника
        #[arg(long)]
        parent: bool,
        #[arg(long, default_value = "")]
        organization: String,
    },
    /// Рассадка: все участники работы в аудитории, по очереди с --start, по --minutes на участника
    Seat {
        #[arg(long)]
        work: i64,
        #[arg(long)]
        room: i64,
        /// Начало первого участника, ЧЧ:ММ
        #[arg(long)]
        start: String,
        #[arg(long)]
        minutes: u32,
    },
    /// Отметить отсутствующих (по кодам участников)
    Absent {
        #[arg(long)]
        work: i64,
        #[arg(long, value_delimiter = ',', required = true)]
        codes: Vec<u32>,
        /// Причина (хранится зашифрованной и из школы не уходит)
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        document: String,
        /// Резервный день, ГГГГ-ММ-ДД
        #[arg(long)]
        reserve_date: Option<String>,
    },
    /// Отсутствующие на работе
    Absences {
        #[arg(long)]
        work: i64,
    },
    /// Очередь эксперта: ответы к проверке с критериями и записями
    Queue {
        #[arg(long)]
        expert: i64,
    },
    /// Оценки эксперта за задание: --criterion ИД=БАЛЛ для каждого критерия
    Score {
        #[arg(long)]
        expert: i64,
        #[arg(long)]
        work: i64,
        #[arg(long)]
        code: u32,
        #[arg(long)]
        task: u32,
        #[arg(long = "criterion", value_parser = criterion_score, required = true)]
        criteria: Vec<(String, u32)>,
    },
}

fn criterion_score(s: &str) -> Result<(String, u32), CoordinatorError> {
    let bad = |why: &str| CoordinatorError::Invalid(format!("«{s}»: {why}"));
    let (id, score) = s
        .split_once('=')
        .ok_or_else(|| bad("нужно ИД=БАЛЛ, например 3.K1=2"))?;
    let score = score
        .trim()
        .parse()
        .map_err(|_| bad("балл — целое число"))?;
    Ok((id.trim().to_owned(), score))
}

pub fn run(cmd: &DayCmd, db: &mut Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        DayCmd::Rooms => {
            for r in db.rooms()? {
                println!("{}\t{}", r.id, r.name);
            }
        }
        DayCmd::RoomAdd { name } => {
            let id = db.add_room(name)?;
            println!("Аудитория «{}» добавлена: {id}", name.trim());
        }
        DayCmd::Staff => {
            for s in db.staff()? {
                println!("{}\t{:?}\t{}\t{}", s.id, s.role, s.label(), s.name.full());
            }
        }
        DayCmd::StaffAdd {
            role,
            last,
            first,
            middle,
            subjects,
            classes,
            experience,
            employee,
            parent,
            organization,
        } => {
            let id = db.add_staff(&NewStaff {
                role: (*role).into(),
                name: PersonName {
                    last: last.clone(),
                    first: first.clone(),
                    middle: middle.clone(),
                },
                subjects: subjects.clone(),
                teaches_classes: classes.clone(),
                experience_years: *experience,
                school_employee: *employee,
                parent_of_participant: *parent,
                organization: organization.clone(),
            })?;
            println!("Сотрудник добавлен: {id}");
        }
        DayCmd::Seat {
            work,
            room,
            start,
            minutes,
        } => {
            let slots = db.seat_all(*work, *room, start.trim(), *minutes)?;
            println!("Рассажено участников: {}", slots.len());
            for s in slots {
                println!("  {}–{}", s.starts, s.ends);
            }
        }
        DayCmd::Absent {
            work,
            codes,
            reason,
            document,
            reserve_date,
        } => {
            let people = db.participants()?;
            for code in codes {
                let p = people.iter().find(|p| p.code == *code).ok_or_else(|| {
                    CoordinatorError::Invalid(format!("участника с кодом {code} нет в списке"))
                })?;
                db.record_absence(*work, p.id, reason, document, reserve_date.as_deref())?;
            }
            println!("Отмечено отсутствующих: {}", codes.len());
        }
        DayCmd::Absences { work } => {
            for a in db.absences(*work)? {
                let reserve = a.reserve_date.as_deref().unwrap_or("—");
                println!("{}\t{}\t{}\t{reserve}", a.code, a.reason, a.document);
            }
        }
        DayCmd::Queue { expert } => {
            for item in db.expert_queue(*expert)? {
                let state = if item.scores.is_empty() {
                    "не проверено"
                } else {
                    "проверено"
                };
                println!(
                    "работа {} · код {} · вариант {} · задание {} «{}» · раунд {} · {state}",
                    item.work_id, item.code, item.variant, item.task, item.task_title, item.round
                );
                for c in &item.criteria {
                    println!("    {}: 0–{} «{}»", c.id, c.max_points, c.name);
                }
                for p in &item.parts {
                    println!("    часть {}: записей {}", p.part, p.segments.len());
                }
            }
        }
        DayCmd::Score {
            expert,
            work,
            code,
            task,
            criteria,
        } => {
            let scores: Vec<CriterionScore> = criteria
                .iter()
                .map(|(criterion, score)| CriterionScore {
                    criterion: criterion.clone(),
                    score: *score,
                    note: String::new(),
                })
                .collect();
            let complete = db.submit_scores(*expert, *work, *code, *task, &scores)?;
            println!(
                "Оценки записаны{}",
                if complete {
                    "; задание оценено полностью"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: DayCmd,
    }

    fn run_args(db: &mut Coordinator, argv: &[&str]) -> Result<(), CoordinatorError> {
        let mut all = vec!["vpr"];
        all.extend_from_slice(argv);
        run(&Cli::try_parse_from(all).unwrap().cmd, db)
    }

    #[test]
    fn rooms_staff_seating_and_absences_from_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Coordinator::create_with_iterations(
            &dir.path().join("c.sqlite"),
            "пароль-теста",
            1_000,
        )
        .unwrap();
        let roster = dir.path().join("roster.csv");
        std::fs::write(
            &roster,
            "Класс;Фамилия;Имя\n7А;Борисов;Борис\n7А;Антонов;Антон\n7А;Васильева;Вера\n",
        )
        .unwrap();
        db.import_roster(&roster).unwrap();
        let spec: vpr_coordinator::WorkSpec = serde_json::from_str(
            r#"{"stations_per_room":1,"marks":[{"min_total":0,"mark":2},{"min_total":2,"mark":5}],
            "tasks":[{"number":1,"title":"А","oral":false,"items":[{"id":"1.1","points":2}]}]}"#,
        )
        .unwrap();
        let work = db
            .add_work(&vpr_coordinator::NewWork {
                package_id: "p".into(),
                subject: "Английский язык".into(),
                grade: 7,
                date: "2026-04-14".into(),
                reserve_dates: vec![],
                upload_deadline: "2026-04-18".into(),
                spec,
            })
            .unwrap();
        run_args(&mut db, &["room-add", "Кабинет 12"]).unwrap();
        let room = db.rooms().unwrap()[0].id;
        run_args(
            &mut db,
            &[
                "staff-add",
                "--role",
                "expert",
                "--last",
                "Петрова",
                "--first",
                "Анна",
                "--subjects",
                "Английский язык",
                "--classes",
                "7А,7Б",
                "--experience",
                "5",
                "--employee",
            ],
        )
        .unwrap();
        let staff = db.staff().unwrap();
        assert_eq!(staff.len(), 1);
        assert_eq!(staff[0].teaches_classes, vec!["7А", "7Б"]);
        assert_eq!(staff[0].role, StaffRole::Expert);

        let (w, r) = (work.to_string(), room.to_string());
        run_args(
            &mut db,
            &[
                "seat",
                "--work",
                &w,
                "--room",
                &r,
                "--start",
                "09:00",
                "--minutes",
                "20",
            ],
        )
        .unwrap();
        let people = db.participants().unwrap();
        let code = people[0].code.to_string();
        run_args(
            &mut db,
            &[
                "absent",
                "--work",
                &w,
                "--codes",
                &code,
                "--reason",
                "болезнь",
                "--document",
                "справка",
            ],
        )
        .unwrap();
        let absent = db.absences(work).unwrap();
        assert_eq!(absent.len(), 1);
        assert_eq!(absent[0].code, people[0].code);
        // An unknown code is refused by name, nothing recorded.
        let err = run_args(
            &mut db,
            &[
                "absent",
                "--work",
                &w,
                "--codes",
                "99999",
                "--reason",
                "болезнь",
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("99999"), "{err}");
        assert_eq!(db.absences(work).unwrap().len(), 1);
        assert!(Cli::try_parse_from([
            "vpr",
            "score",
            "--expert",
            "1",
            "--work",
            "1",
            "--code",
            "1",
            "--task",
            "3",
            "--criterion",
            "K1"
        ])
        .is_err());
    }
}
