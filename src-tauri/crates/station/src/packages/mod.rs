//! Exam packages at the station: finding `.vprpkg` files on drives, the
//! shelf in the data folder (load, verify, unlock), the trust list
//! ([`trust`]), and the package lines of the readiness list.

mod discovery;
mod info;
pub mod trust;

use std::path::{Path, PathBuf};

use vpr_package::{
    inspect_file, time::OffsetDateTime, Limits, PackageShelf, ShelfEntry, SystemClock,
    TrustedIssuers, MOSCOW,
};

pub use discovery::find_packages;

use crate::{
    readiness::check,
    technician::{CheckStatus, PackageInfo, ReadinessCheck, Result, TechnicianError},
    StationLayout,
};

/// The station's shelf, trusting the station's trust list.
pub fn shelf(layout: &StationLayout) -> Result<PackageShelf> {
    Ok(shelf_with(layout, trust::trusted(layout)?))
}

fn shelf_with(layout: &StationLayout, trust: TrustedIssuers) -> PackageShelf {
    PackageShelf::new(layout.packages_dir(), trust, Limits::default())
}

/// Every package on the shelf, verified again.
pub fn list(layout: &StationLayout) -> Result<Vec<PackageInfo>> {
    Ok(shelf(layout)?
        .list(&SystemClock)?
        .into_iter()
        .map(info::info_of)
        .collect())
}

fn find(layout: &StationLayout, id: &str) -> Result<PackageInfo> {
    list(layout)?
        .into_iter()
        .find(|p| p.package_id == id)
        .ok_or_else(|| TechnicianError::Invalid(format!("Пакета {id} нет на станции")))
}

/// Verify a package file and copy it onto the station's shelf.
pub fn load(layout: &StationLayout, path: &str) -> Result<PackageInfo> {
    let path = PathBuf::from(path.trim());
    if !path.is_file() {
        return Err(TechnicianError::NoFile(path));
    }
    let view = shelf(layout)?.load(&path, &SystemClock)?;
    tracing::info!(id = %view.header.meta.package_id, "package loaded");
    find(layout, &view.header.meta.package_id)
}

/// Unlock the materials with the day password (the core refuses before the
/// release time and changes nothing on a wrong password).
pub fn unlock(layout: &StationLayout, id: &str, password: &str) -> Result<PackageInfo> {
    let report = shelf(layout)?.unlock(id, password, &SystemClock)?;
    tracing::info!(id, files = report.files, "package unlocked");
    find(layout, id)
}

/// The package lines of the readiness list: the trust list, every package
/// on the shelf, and `file` when given. `trust` is the station's list plus
/// whatever the caller adds for this run.
pub fn checks(
    layout: &StationLayout,
    trust: &TrustedIssuers,
    file: Option<&Path>,
    now: OffsetDateTime,
) -> Vec<ReadinessCheck> {
    let mut checks = vec![trust_line(trust)];
    let shelf = shelf_with(layout, trust.clone());
    match shelf.list(&SystemClock) {
        Ok(entries) => {
            checks.extend(entries.iter().map(shelf_line));
            if entries.is_empty() && file.is_none() {
                checks.push(check(
                    "shelf",
                    "пакет",
                    CheckStatus::Warning,
                    format!(
                        "на станции нет пакетов ({}); проверить файл: --package ФАЙЛ",
                        shelf.dir().display()
                    ),
                ));
            }
        }
        Err(e) => checks.push(check(
            "shelf",
            "пакет на станции",
            CheckStatus::Failed,
            e.to_string(),
        )),
    }
    if let Some(file) = file {
        checks.extend(file_lines(trust, file, now));
    }
    checks
}

fn short(fingerprint: &str, demo: bool) -> String {
    format!(
        "{}…{}",
        fingerprint.get(..16).unwrap_or(fingerprint),
        if demo { " (демо)" } else { "" }
    )
}

fn trust_line(trust: &TrustedIssuers) -> ReadinessCheck {
    let keys: Vec<String> = trust
        .keys()
        .iter()
        .map(|k| short(&k.fingerprint, k.demo))
        .collect();
    if keys.is_empty() {
        check(
            "trust",
            "доверенные ключи",
            CheckStatus::Failed,
            "нет ни одного",
        )
    } else {
        check(
            "trust",
            "доверенные ключи",
            CheckStatus::Ok,
            keys.join(", "),
        )
    }
}

fn shelf_line(e: &ShelfEntry) -> ReadinessCheck {
    match &e.view {
        Some(v) => check(
            "shelf",
            "пакет на станции",
            CheckStatus::Ok,
            format!(
                "{} ({}): {}",
                v.header.meta.title,
                v.header.meta.package_id,
                match (e.unlocked, e.keys_unlocked) {
                    (false, _) => "загружен, материалы закрыты",
                    (true, false) => "материалы открыты",
                    (true, true) => "материалы, ключи и критерии открыты",
                }
            ),
        ),
        None => check(
            "shelf",
            "пакет на станции",
            CheckStatus::Failed,
            format!(
                "{}: {}",
                e.file,
                e.problem.as_deref().unwrap_or("не читается")
            ),
        ),
    }
}

fn file_lines(trust: &TrustedIssuers, file: &Path, now: OffsetDateTime) -> Vec<ReadinessCheck> {
    let v = match inspect_file(file, trust, &Limits::default(), &SystemClock) {
        Err(e) => {
            return vec![check(
                "package",
                "пакет",
                CheckStatus::Failed,
                format!("{}: {e}", file.display()),
            )]
        }
        Ok(v) if !v.trusted => {
            return vec![check(
                "package",
                "пакет",
                CheckStatus::Failed,
                format!(
                    "подписан неизвестной организацией (отпечаток {})",
                    v.header.issuer_fingerprint
                ),
            )]
        }
        Ok(v) => v,
    };
    let m = &v.header.meta;
    let today = now.to_offset(MOSCOW).date();
    let (status, detail) = if m.demo {
        (CheckStatus::Ok, "учебный пакет: дата не важна".to_owned())
    } else if today < m.exam_date {
        (
            CheckStatus::Ok,
            format!("работа через {} дн.", (m.exam_date - today).whole_days()),
        )
    } else if today == m.exam_date {
        (CheckStatus::Ok, "работа сегодня".to_owned())
    } else {
        (
            CheckStatus::Warning,
            "дата работы уже прошла: проверьте пакет и часы".to_owned(),
        )
    };
    let released = |r: bool| {
        if r {
            "доступны"
        } else {
            "закрыты"
        }
    };
    vec![
        check(
            "package",
            "пакет",
            CheckStatus::Ok,
            format!(
                "{} ({}), {}, дата {}; подпись верна, ключ {}",
                m.title,
                m.package_id,
                m.school,
                m.exam_date,
                short(&v.header.issuer_fingerprint, v.demo_issuer)
            ),
        ),
        check("exam_date", "дата работы", status, detail),
        check(
            "release",
            "открытие",
            CheckStatus::Ok,
            format!(
                "материалы {} МСК ({}), ключи {} МСК ({})",
                v.materials_release_moscow,
                released(v.materials_released),
                v.keys_release_moscow,
                released(v.keys_released),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests;
