//! `vpr coordinator` commands of the chain of custody: the issuer trust
//! list, held sessions (unknown codes, conflicts) and paper receipts.

use std::path::PathBuf;

use clap::Subcommand;
use vpr_coordinator::{
    custody::{HeldSide, Resolution},
    Coordinator, CoordinatorError,
};

#[derive(Subcommand)]
pub enum CustodyCmd {
    /// Доверять издателю пакетов: файл открытого ключа (.pub); выводит отпечаток для сверки
    IssuerAdd {
        file: PathBuf,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Доверенные издатели пакетов
    Issuers,
    /// Перестать доверять издателю (по отпечатку)
    IssuerRemove { fingerprint: String },
    /// Отложенные работы: коды не из списка и конфликты (обе стороны)
    Held {
        #[arg(long)]
        work: i64,
    },
    /// Решение по отложенной работе: --discard, --assign КОД, --keep (оставить прежнюю), --take (взять новую)
    Resolve {
        #[arg(long)]
        held: i64,
        #[arg(long)]
        discard: bool,
        #[arg(long)]
        assign: Option<u32>,
        #[arg(long)]
        keep: bool,
        #[arg(long)]
        take: bool,
    },
    /// Внести квитанцию из бумажного протокола
    Receipt {
        #[arg(long)]
        work: i64,
        #[arg(long)]
        code: u32,
        #[arg(long)]
        receipt: String,
    },
    /// Квитанции работы: из пакета станции и из протокола
    Receipts {
        #[arg(long)]
        work: i64,
    },
}

fn side(s: &HeldSide) -> String {
    format!(
        "{}, начата {}, вариант {}, ответов {}, записей {}{}, квитанция {}",
        s.station,
        s.started_at,
        s.variant,
        s.answers,
        s.recordings,
        if s.interrupted {
            ", прервана"
        } else {
            ""
        },
        s.receipt.as_deref().unwrap_or("—")
    )
}

pub fn run(cmd: &CustodyCmd, db: &Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        CustodyCmd::IssuerAdd { file, label } => {
            let i = db.import_issuer_file(file, label)?;
            println!(
                "Издатель «{}» добавлен. Сверьте отпечаток с печатным: {}",
                i.label, i.fingerprint
            );
        }
        CustodyCmd::Issuers => {
            for i in db.issuers()? {
                println!("{}\t{}\t{}", i.fingerprint, i.label, i.added_at);
            }
        }
        CustodyCmd::IssuerRemove { fingerprint } => {
            db.remove_issuer(fingerprint.trim())?;
            println!("Издатель удалён из доверенных");
        }
        CustodyCmd::Held { work } => {
            for h in db.held_sessions(*work)? {
                println!("{}\t{}", h.id, h.reason);
                println!("  новая: {}", side(&h.held));
                if let Some(e) = &h.existing {
                    println!("  прежняя: {}", side(e));
                }
            }
        }
        CustodyCmd::Resolve {
            held,
            discard,
            assign,
            keep,
            take,
        } => {
            let resolution = match (discard, assign, keep, take) {
                (true, None, false, false) => Resolution::Discard,
                (false, Some(code), false, false) => Resolution::AssignCode { code: *code },
                (false, None, true, false) => Resolution::KeepExisting,
                (false, None, false, true) => Resolution::TakeHeld,
                _ => {
                    return Err(CoordinatorError::Invalid(
                        "укажите одно решение: --discard, --assign КОД, --keep или --take".into(),
                    ))
                }
            };
            db.resolve_held(*held, &resolution)?;
            println!("Решение принято");
        }
        CustodyCmd::Receipt {
            work,
            code,
            receipt,
        } => {
            let r = db.enter_receipt(*work, *code, receipt)?;
            println!(
                "Код {}: в протоколе {}, в работе {} — {:?}",
                r.code,
                r.paper.as_deref().unwrap_or("—"),
                r.computed.as_deref().unwrap_or("—"),
                r.state
            );
        }
        CustodyCmd::Receipts { work } => {
            for r in db.receipts(*work)? {
                println!(
                    "{}\t{}\t{}\t{:?}",
                    r.code,
                    r.computed.as_deref().unwrap_or("—"),
                    r.paper.as_deref().unwrap_or("—"),
                    r.state
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use vpr_coordinator::vpr_package::{
        build_to_file, generate_password, time, BuildRequest, Issuer, Limits, MaterialsHeader,
    };

    use super::super::{run_inner, Args};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn run(db: &std::path::Path, rest: &[&str]) -> Result<(), vpr_coordinator::CoordinatorError> {
        let mut argv = vec![
            "vpr".to_string(),
            "--db".into(),
            db.display().to_string(),
            "--password-env".into(),
            "VPR_CLI_TEST_CUSTODY_PASSWORD".into(),
        ];
        argv.extend(rest.iter().map(|s| s.to_string()));
        run_inner(Cli::try_parse_from(argv).unwrap().args)
    }

    /// The CLI takes a work only from a signed package of a trusted issuer,
    /// opens its keys with the keys password from the environment, and
    /// enrols a station from its passport file.
    #[test]
    fn works_from_the_signed_package_and_stations_from_passports() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite");
        std::env::set_var("VPR_CLI_TEST_CUSTODY_PASSWORD", "пароль-для-теста");
        run(&db, &["init"]).unwrap();
        run(&db, &["school", "--name", "Школа", "--login", "sch770123"]).unwrap();
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/packages/en-7");
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("media")).unwrap();
        std::fs::copy(source.join("keys.json"), src.join("keys.json")).unwrap();
        for e in std::fs::read_dir(source.join("media")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), src.join("media").join(e.file_name())).unwrap();
        }
        let text = std::fs::read_to_string(source.join("package.json")).unwrap();
        let mut p: serde_json::Value = serde_json::from_str(&text).unwrap();
        p["demo"] = false.into();
        std::fs::write(src.join("package.json"), p.to_string()).unwrap();
        let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
        let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
        let (day, keys) = (
            generate_password().unwrap().text,
            generate_password().unwrap().text,
        );
        let package = dir.path().join("en7.vprpkg");
        build_to_file(
            &BuildRequest {
                source: &src,
                meta: MaterialsHeader::read_dir(&src).unwrap().meta(
                    "Школа",
                    hour_ago.date(),
                    hour_ago,
                    hour_ago,
                ),
                password: &day,
                keys_password: &keys,
                issuer: &issuer,
                limits: Limits::default(),
                created: hour_ago,
            },
            &package,
        )
        .unwrap();
        std::env::set_var("VPR_PACKAGE_PASSWORD", &day);
        std::env::set_var("VPR_CLI_TEST_KEYS_PASSWORD", &keys);
        let add = [
            "work-add",
            "--date",
            "2026-04-15",
            "--deadline",
            "2026-04-20",
            "--package",
            package.to_str().unwrap(),
        ];
        // Not trusted yet: refused.
        assert!(run(&db, &add).is_err());
        let public = dir.path().join("issuer.pub");
        std::fs::write(&public, issuer.public_key_hex()).unwrap();
        run(&db, &["issuer-add", public.to_str().unwrap()]).unwrap();
        run(&db, &add).unwrap();
        // Keys: a wrong password is refused, the right one opens them.
        std::env::set_var("VPR_CLI_TEST_WRONG_KEYS", "не-тот-пароль-к-ключам");
        assert!(run(
            &db,
            &[
                "keys",
                "--work",
                "1",
                "--password-var",
                "VPR_CLI_TEST_WRONG_KEYS"
            ]
        )
        .is_err());
        run(
            &db,
            &[
                "keys",
                "--work",
                "1",
                "--password-var",
                "VPR_CLI_TEST_KEYS_PASSWORD",
            ],
        )
        .unwrap();
        let key = vpr_integrity::StationKey::from_seed(&[5; 32])
            .unwrap()
            .public_key();
        let passport = vpr_coordinator::vpr_bundle::StationPassport::new(
            "770123",
            "21",
            3,
            &key,
            "2026-04-15T07:00:00Z",
        );
        let file = dir.path().join("passport.json");
        std::fs::write(&file, passport.to_bytes().unwrap()).unwrap();
        run(
            &db,
            &[
                "station",
                "--room",
                "Кабинет 21",
                "--passport",
                file.to_str().unwrap(),
            ],
        )
        .unwrap();
        // A typed fingerprint that is not the key's is refused.
        let other = vpr_integrity::StationKey::from_seed(&[6; 32])
            .unwrap()
            .public_key();
        assert!(run(
            &db,
            &[
                "station",
                "--room",
                "Кабинет 21",
                "--number",
                "4",
                "--key",
                &other.to_hex(),
                "--fingerprint",
                &key.fingerprint().to_string(),
            ],
        )
        .is_err());
        run(&db, &["held", "--work", "1"]).unwrap();
        run(&db, &["receipts", "--work", "1"]).unwrap();
        let opened = vpr_coordinator::Coordinator::open(&db, "пароль-для-теста").unwrap();
        let work = opened.work(1).unwrap();
        assert!(work.keys_released);
        assert_eq!(work.issuer_fingerprint, issuer.fingerprint());
        assert_eq!(
            opened.stations().unwrap()[0].fingerprint,
            key.fingerprint().to_string()
        );
    }
}
