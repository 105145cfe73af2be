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
