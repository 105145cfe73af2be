//! `vpr coordinator …`: the coordinator's workflow for scripting — roster
//! import, works and keys, bundle import, scoring, forms, printouts, statistics.
//!
//! The database password is read from an environment variable (never from
//! the command line, where other users could see it).

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::Subcommand;
use vpr_coordinator::{Coordinator, CoordinatorError, NewWork, PackageWork, School};

#[path = "coordinator_codes.rs"]
mod codes;
#[path = "coordinator_cross.rs"]
mod cross;
#[path = "coordinator_custody.rs"]
mod custody;
#[path = "coordinator_data.rs"]
mod data;
#[path = "coordinator_day.rs"]
mod day;
#[path = "coordinator_form.rs"]
mod form;
#[path = "coordinator_paper.rs"]
mod paper;

#[derive(clap::Args)]
pub struct Args {
    /// Файл базы координатора
    #[arg(long, default_value = "coordinator.sqlite")]
    db: PathBuf,
    /// Переменная окружения с паролем координатора
    #[arg(long, default_value = "VPR_COORDINATOR_PASSWORD")]
    password_env: String,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Создать базу координатора
    Init,
    /// Сведения об ОО
    School {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        login: String,
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long, default_value = "")]
        municipality: String,
        #[arg(long, default_value = "город")]
        settlement: String,
        #[arg(long, default_value_t = 0)]
        students: u32,
    },
    /// Импорт списка участников (CSV или XLSX); выводит число добавленных
    Roster {
        file: PathBuf,
        /// Импортировать верные строки, остальные перечислить по номерам строк
        #[arg(long)]
        skip_invalid: bool,
        /// Исправить ячейку: СТРОКА:СТОЛБЕЦ=ЗНАЧЕНИЕ (столбец — как в замечании); можно несколько раз
        #[arg(long, value_name = "СТРОКА:СТОЛБЕЦ=ЗНАЧЕНИЕ")]
        fix: Vec<String>,
        /// Пропустить строку файла (её номер); можно несколько раз
        #[arg(long, value_name = "СТРОКА")]
        skip: Vec<u32>,
    },
    /// Коды участников из ФИС ОКО: `codes import ФАЙЛ [--order roster|random]`
    #[command(subcommand)]
    Codes(codes::CodesCmd),
    /// Работа на бумаге: `paper grid РАБОТА`, `paper enter РАБОТА КОД ПОЗИЦИЯ ЗНАЧЕНИЕ --by КТО`, `paper log РАБОТА`
    #[command(subcommand)]
    Paper(paper::PaperCmd),
    /// Перекрёстная проверка с другой школой: `cross export|show|play|score|import|key`
    #[command(subcommand)]
    Cross(cross::CrossCmd),
    /// Работа из плана-графика: по подписанному пакету заданий (--package файл.vprpkg,
    /// тот же, что на станциях; пароль дня — в переменной --password-var) или, для
    /// работы на бумаге, по описанию (--spec JSON, --subject, --grade)
    WorkAdd {
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        grade: Option<u8>,
        /// ГГГГ-ММ-ДД
        #[arg(long)]
        date: String,
        #[arg(long)]
        reserve: Vec<String>,
        #[arg(long)]
        deadline: String,
        #[arg(long)]
        package: Option<PathBuf>,
        /// Переменная окружения с паролем дня (открывает материалы пакета)
        #[arg(long, default_value = "VPR_PACKAGE_PASSWORD")]
        password_var: String,
        #[arg(long)]
        spec: Option<PathBuf>,
        #[arg(long, default_value_t = 4)]
        stations_per_room: u32,
    },
    /// Список работ
    Works,
    /// Удалить работу, добавленную по ошибке (пока к ней ничего не относится)
    WorkRemove { work: i64 },
    /// Открыть ключи и критерии работы из её подписанного пакета (пароль к ключам —
    /// в переменной --password-var; не раньше времени, указанного в пакете)
    Keys {
        #[arg(long)]
        work: i64,
        #[arg(long, default_value = "VPR_KEYS_PASSWORD")]
        password_var: String,
    },
    /// Зарегистрировать станцию: по паспорту станции (--passport) или по ключу и
    /// отпечатку с печатного паспорта (--key, --fingerprint, --number)
    Station {
        /// Аудитория координатора
        #[arg(long)]
        room: String,
        #[arg(long)]
        passport: Option<PathBuf>,
        #[arg(long)]
        number: Option<u32>,
        /// Открытый ключ станции (64 шестнадцатеричные цифры)
        #[arg(long)]
        key: Option<String>,
        #[arg(long)]
        fingerprint: Option<String>,
        /// Аудитория, как её называет станция (по умолчанию --room)
        #[arg(long, default_value = "")]
        station_room: String,
    },
    #[command(flatten)]
    Custody(custody::CustodyCmd),
    #[command(flatten)]
    Data(data::DataCmd),
    #[command(flatten)]
    Day(day::DayCmd),
    /// Импорт пакетов результатов станций с проверкой подписи и целостности
    Import { bundles: Vec<PathBuf> },
    /// Полнота: по аудиториям и участникам
    Board {
        #[arg(long)]
        work: i64,
    },
    /// Автоматическая проверка заданий с кратким ответом
    AutoScore {
        #[arg(long)]
        work: i64,
    },
    /// Распределить работы между экспертами
    Assign {
        #[arg(long)]
        work: i64,
    },
    /// Что мешает сформировать форму сбора результатов
    Missing {
        #[arg(long)]
        work: i64,
    },
    /// Форма сбора результатов: форма из ФИС ОКО, заполненная на месте (--template, --out,
    /// --map), или своя (--xlsx, --csv)
    Form(form::FormArgs),
    /// Заявка на участие (XLSX)
    Application { out: PathBuf },
    /// Контекстные данные (XLSX)
    Context { out: PathBuf },
    /// Статистика: JSON в stdout, при --xlsx также таблица
    Stats {
        #[arg(long)]
        work: i64,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Подписанный архив всех результатов работы
    Export {
        #[arg(long)]
        work: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Проверить архив результатов (подпись, хэши, пакеты станций внутри)
    VerifyArchive {
        file: PathBuf,
        /// Ожидаемый открытый ключ координатора (hex)
        #[arg(long)]
        key: Option<String>,
    },
    /// Пакет для перекрёстной проверки в другой школе (без кодов и фамилий)
    CrossExport {
        #[arg(long)]
        work: i64,
        #[arg(long)]
        task: Vec<u32>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Оценки, полученные по перекрёстной проверке: файл, подписанный ключом архива
    /// проверявшей школы (--school-key: её открытый ключ, полученный от неё самой)
    CrossImport {
        file: PathBuf,
        #[arg(long)]
        school_key: String,
    },
    /// Печатные формы в PDF
    Print {
        #[arg(value_enum)]
        what: Printout,
        #[arg(long)]
        work: i64,
        #[arg(long)]
        room: Option<i64>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Printout {
    Codes,
    Protocol,
    Organizer,
    Expert,
    Results,
}

fn password(var: &str) -> Result<String, CoordinatorError> {
    std::env::var(var).map_err(|_| {
        CoordinatorError::Invalid(format!("не задан пароль координатора (переменная {var})"))
    })
}

/// A package password from an environment variable (never the command line).
fn secret(var: &str, what: &str) -> Result<String, CoordinatorError> {
    std::env::var(var)
        .map_err(|_| CoordinatorError::Invalid(format!("не задан {what} (переменная {var})")))
}

fn open(args: &Args) -> Result<Coordinator, CoordinatorError> {
    Coordinator::open(&args.db, &password(&args.password_env)?)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CoordinatorError> {
    let bytes = std::fs::read(path)?;
    serde_json::from_slice(&bytes)
        .map_err(|e| CoordinatorError::Invalid(format!("{}: {e}", path.display())))
}

fn run_inner(args: Args) -> Result<(), CoordinatorError> {
    match &args.command {
        Cmd::Init => {
            Coordinator::create(&args.db, &password(&args.password_env)?)?;
            println!("База координатора создана: {}", args.db.display());
        }
        Cmd::School {
            name,
            login,
            region,
            municipality,
            settlement,
            students,
        } => {
            open(&args)?.set_school(&School {
                name: name.clone(),
                login: login.clone(),
                region: region.clone(),
                municipality: municipality.clone(),
                settlement: settlement.clone(),
                students_total: *students,
            })?;
        }
        Cmd::Roster {
            file,
            skip_invalid,
            fix,
            skip,
        } => data::roster(&mut open(&args)?, file, *skip_invalid, fix, skip)?,
        Cmd::WorkAdd {
            subject,
            grade,
            date,
            reserve,
            deadline,
            package,
            password_var,
            spec,
            stations_per_room,
        } => {
            let db = open(&args)?;
            let id = match (package, spec) {
                (Some(file), None) => {
                    db.add_work_from_package(
                        &PackageWork {
                            package: file.clone(),
                            password: secret(password_var, "пароль дня")?,
                            date: date.clone(),
                            reserve_dates: reserve.clone(),
                            upload_deadline: deadline.clone(),
                            stations_per_room: *stations_per_room,
                        },
                        &vpr_coordinator::vpr_package::SystemClock,
                    )?
                    .id
                }
                (None, Some(file)) => {
                    let (Some(subject), Some(grade)) = (subject, grade) else {
                        return Err(CoordinatorError::Invalid(
                            "для работы по описанию укажите --subject и --grade".into(),
                        ));
                    };
                    db.add_work(&NewWork {
                        package_id: String::new(),
                        subject: subject.clone(),
                        grade: *grade,
                        date: date.clone(),
                        reserve_dates: reserve.clone(),
                        upload_deadline: deadline.clone(),
                        spec: read_json(file)?,
                    })?
                }
                _ => {
                    return Err(CoordinatorError::Invalid(
                        "укажите либо --package (файл .vprpkg), либо --spec".into(),
                    ))
                }
            };
            println!("{id}");
        }
        Cmd::WorkRemove { work } => {
            open(&args)?.remove_work(*work)?;
            println!("Работа {work} удалена");
        }
        Cmd::Works => {
            for w in open(&args)?.works()? {
                println!(
                    "{}\t{}\t{} класс\t{}\tмакс. {}\tключи: {}\tпакет: {}",
                    w.id,
                    w.subject,
                    w.grade,
                    w.date,
                    w.spec.max_total(),
                    if w.keys_released { "да" } else { "нет" },
                    if w.package_sha256.is_empty() {
                        "—".to_string()
                    } else {
                        format!("{} (SHA-256 {})", w.package_id, w.package_sha256)
                    }
                );
            }
        }
        Cmd::Keys { work, password_var } => {
            let db = open(&args)?;
            db.release_keys(
                *work,
                &secret(password_var, "пароль к ключам")?,
                &vpr_coordinator::vpr_package::SystemClock,
            )?;
            println!("Ключи и критерии открыты из подписанного пакета");
        }
        Cmd::Station {
            room,
            passport,
            number,
            key,
            fingerprint,
            station_room,
        } => {
            let db = open(&args)?;
            let room_id = match db.rooms()?.into_iter().find(|r| &r.name == room) {
                Some(r) => r.id,
                None => db.add_room(room)?,
            };
            let st = match (passport, number, key, fingerprint) {
                (Some(file), None, None, None) => db.enrol_station_file(room_id, file)?,
                (None, Some(n), Some(k), Some(f)) => {
                    db.add_station(room_id, *n, station_room, k, f)?
                }
                _ => {
                    return Err(CoordinatorError::Invalid(
                        "укажите либо --passport, либо --number, --key и --fingerprint".into(),
                    ))
                }
            };
            println!(
                "Станция {} (аудитория «{}») зарегистрирована. Сверьте отпечаток ключа с печатным паспортом: {}",
                st.number, st.station_room, st.fingerprint
            );
        }
        Cmd::Codes(c) => codes::run(c, &mut open(&args)?)?,
        Cmd::Paper(c) => paper::run(c, &mut open(&args)?)?,
        Cmd::Cross(c) => cross::run(c, &mut open(&args)?)?,
        Cmd::Custody(c) => custody::run(c, &open(&args)?)?,
        Cmd::Data(c) => data::run(c, &mut open(&args)?)?,
        Cmd::Day(c) => day::run(c, &mut open(&args)?)?,
        Cmd::Import { bundles } => {
            let db = open(&args)?;
            let mut failed = 0;
            for b in bundles {
                match db.import_bundle(b) {
                    Ok(r) if r.already_imported => {
                        println!("{}: уже импортирован, без изменений", b.display())
                    }
                    Ok(r) => {
                        println!(
                            "{}: {} — новых работ {}, без изменений {}",
                            b.display(),
                            r.station,
                            r.added.len(),
                            r.unchanged.len()
                        );
                        for s in &r.skipped {
                            println!("  пропущено: {s}");
                        }
                        for c in &r.unknown_codes {
                            println!(
                                "  код {c} не из списка участников: отложен (vpr coordinator held)"
                            );
                        }
                        for c in &r.conflicts {
                            println!("  код {c}: другая работа уже импортирована — конфликт отложен (vpr coordinator held)");
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("{}: {e}", b.display());
                    }
                }
            }
            if failed > 0 {
                return Err(CoordinatorError::BundleRejected(format!(
                    "отклонено пакетов: {failed}"
                )));
            }
        }
        Cmd::Board { work } => {
            for room in open(&args)?.completeness(*work)? {
                println!(
                    "Аудитория {}",
                    if room.room.is_empty() {
                        "—"
                    } else {
                        &room.room
                    }
                );
                for r in room.rows {
                    println!(
                        "  {}\t{}\t{:?}\tнет записей: {:?}\tтишина: {:?}",
                        r.code, r.class_name, r.state, r.missing_recordings, r.silent_recordings
                    );
                }
            }
        }
        Cmd::AutoScore { work } => println!("Оценено заданий: {}", open(&args)?.auto_score(*work)?),
        Cmd::Assign { work } => {
            let r = open(&args)?.assign_experts(*work)?;
            println!("Назначено: {}", r.assigned);
            for (e, n) in &r.load {
                println!("{e}\t{n}");
            }
            for u in &r.unassigned {
                println!("не назначено: {u}");
            }
        }
        Cmd::Missing { work } => {
            for m in open(&args)?.missing_for_form(*work)? {
                println!("{m}");
            }
        }
        Cmd::Form(a) => form::run(a, &open(&args)?)?,
        Cmd::Application { out } => warn_all(open(&args)?.export_application_form(out)?.warnings),
        Cmd::Context { out } => warn_all(open(&args)?.export_context_form(out)?.warnings),
        Cmd::Stats { work, xlsx } => {
            let s = open(&args)?.statistics(*work)?;
            let text = serde_json::to_string_pretty(&s)
                .map_err(|e| CoordinatorError::Corrupt(e.to_string()))?;
            println!("{text}");
            if let Some(x) = xlsx {
                vpr_coordinator::tabular::write_xlsx(x, &s.tables())?;
            }
        }
        Cmd::Export { work, out } => {
            let m = open(&args)?.export_results_archive(*work, out)?;
            println!(
                "Архив {}: {} файлов, {} участников; ключ подписи {}",
                out.display(),
                m.files.len(),
                m.participants,
                m.key_fingerprint
            );
        }
        Cmd::VerifyArchive { file, key } => {
            let c = vpr_coordinator::archive::verify_results_archive(file, key.as_deref())?;
            println!(
                "Архив результатов в порядке: {} {} класс {}, файлов {}, пакетов станций {}; подписан {}",
                c.manifest.subject,
                c.manifest.grade,
                c.manifest.date,
                c.manifest.files.len(),
                c.station_bundles,
                c.manifest.key_fingerprint
            );
        }
        Cmd::CrossExport { work, task, out } => {
            let tasks = (!task.is_empty()).then_some(task.as_slice());
            let n = open(&args)?.export_cross_package(*work, tasks, out)?;
            println!("В пакете работ: {n}");
        }
        Cmd::CrossImport { file, school_key } => {
            println!(
                "Принято оценок по работам: {}",
                open(&args)?.import_cross_scores(file, school_key)?
            );
        }
        Cmd::Print {
            what,
            work,
            room,
            out,
        } => {
            let db = open(&args)?;
            let need_room =
                || room.ok_or_else(|| CoordinatorError::Invalid("укажите --room".into()));
            let bytes = match what {
                Printout::Codes => db.code_sheet_pdf(*work, *room)?,
                Printout::Protocol => db.room_protocol_pdf(*work, need_room()?)?,
                Printout::Organizer => db.organizer_instructions_pdf(*work)?,
                Printout::Expert => db.expert_instructions_pdf(*work)?,
                Printout::Results => db.result_sheets_pdf(*work)?,
            };
            std::fs::write(out, bytes)?;
        }
    }
    Ok(())
}

fn warn_all(warnings: Vec<String>) {
    for w in warnings {
        eprintln!("предупреждение: {w}");
    }
}

pub fn run(args: Args) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            match &e {
                CoordinatorError::FormBlocked(list) => {
                    list.iter().for_each(|m| eprintln!("  – {m}"))
                }
                CoordinatorError::FormQuestions { questions, .. } => {
                    form::print_questions(questions)
                }
                CoordinatorError::Roster(list) | CoordinatorError::CodeList(list) => list
                    .iter()
                    .for_each(|i| eprintln!("  строка {}, «{}»: {}", i.row, i.column, i.message)),
                _ => {}
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
#[path = "coordinator_tests.rs"]
mod tests;
