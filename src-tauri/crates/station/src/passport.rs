//! The station passport the technician carries to the coordinator: the
//! passport file (`vpr_bundle::StationPassport`, for a USB drive) and a
//! printable page with school, room, number and the key's fingerprint in
//! large groups, which the coordinator compares with what the file says
//! before enrolling the station.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use serde::Serialize;
use ts_rs::TS;
use vpr_bundle::StationPassport;
use vpr_integrity::StationKey;
use vpr_store::Store;

use crate::{
    technician::{Result, TechnicianError},
    StationLayout,
};

/// What [`export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PassportWritten {
    /// The passport file (`station-passport-….json`).
    pub file: String,
    /// The printable page beside it (`….html`, open and print it).
    pub page: String,
    /// The key fingerprint the page shows (`3f2a-9c01-…`).
    pub fingerprint: String,
    pub school_id: String,
    pub room: String,
    pub number: u32,
}

/// The passport of this station (its identity must be saved).
pub fn passport(layout: &StationLayout) -> Result<StationPassport> {
    let info = Store::open(&layout.exam_db())?.station()?.ok_or_else(|| {
        TechnicianError::Invalid(
            "Сначала укажите код ОО, аудиторию и номер станции (раздел «Станция»)".into(),
        )
    })?;
    let key = StationKey::load_or_create(layout.key_dir())?;
    let now = vpr_store::format_at(vpr_package::time::OffsetDateTime::now_utc());
    Ok(StationPassport::new(
        &info.school_id,
        &info.room,
        info.number,
        &key.public_key(),
        &now,
    ))
}

/// Write the passport file and its printable page into `folder` (e.g. a
/// USB drive). Each file is written whole or not at all.
pub fn export(layout: &StationLayout, folder: &str) -> Result<PassportWritten> {
    let folder = PathBuf::from(folder.trim());
    if !folder.is_dir() {
        return Err(TechnicianError::NoFolder(folder));
    }
    let p = passport(layout)?;
    let file = folder.join(p.file_name());
    let page = file.with_extension("html");
    write_atomic(&file, &p.to_bytes()?)?;
    write_atomic(&page, page_html(&p).as_bytes())?;
    tracing::info!(
        file = %file.display(),
        fingerprint = %p.fingerprint,
        "station passport exported"
    );
    Ok(PassportWritten {
        file: file.display().to_string(),
        page: page.display().to_string(),
        fingerprint: p.fingerprint.clone(),
        school_id: p.school_id.clone(),
        room: p.room.clone(),
        number: p.number,
    })
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(TechnicianError::io(path)(e));
    }
    Ok(())
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The printable page: one A4 sheet, the fingerprint in large groups of four.
pub fn page_html(p: &StationPassport) -> String {
    let groups: String = p
        .fingerprint
        .split('-')
        .map(|g| format!("<span class=\"g\">{}</span>", escape(g)))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        r#"<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<title>Паспорт станции № {number} — ОО {school}, ауд. {room}</title>
<style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; color: #000; }}
h1 {{ font-size: 24pt; margin: 0 0 8mm; }}
table {{ border-collapse: collapse; font-size: 18pt; margin-bottom: 10mm; }}
td {{ padding: 2mm 6mm 2mm 0; }}
.fp {{ font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 30pt;
       line-height: 1.6; letter-spacing: 0.08em; }}
.g {{ display: inline-block; border: 1px solid #000; padding: 0 3mm; margin: 0 2mm 3mm 0; }}
.note {{ font-size: 12pt; margin-top: 10mm; }}
</style></head>
<body>
<h1>Паспорт станции</h1>
<table>
<tr><td>Код ОО</td><td><b>{school}</b></td></tr>
<tr><td>Аудитория</td><td><b>{room}</b></td></tr>
<tr><td>Номер станции</td><td><b>{number}</b></td></tr>
<tr><td>Выдан</td><td>{created}</td></tr>
</table>
<div>Отпечаток ключа подписи станции:</div>
<div class="fp">{groups}</div>
<p class="note">Координатор регистрирует станцию по файлу паспорта ({file}) и сверяет
отпечаток на экране с этим листом — по каждой группе. Результаты станции
принимаются только с этим ключом. Подпись технического специалиста: ____________</p>
</body></html>
"#,
        number = p.number,
        school = escape(&p.school_id),
        room = escape(&p.room),
        created = escape(&p.created_at),
        file = escape(&p.file_name()),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use vpr_error::Coded;

    use super::*;
    use crate::identity::set_identity;

    #[test]
    fn the_passport_file_holds_the_station_key_and_the_page_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let usb = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        let folder = usb.path().display().to_string();
        assert_eq!(
            export(&layout, &folder).unwrap_err().code(),
            "technician_invalid"
        );
        set_identity(&layout, "770001", "<12>", 3).unwrap();
        let w = export(&layout, &folder).unwrap();
        let p = StationPassport::read(Path::new(&w.file)).unwrap();
        let key = StationKey::load(layout.key_dir()).unwrap();
        assert_eq!(p.key().unwrap(), key.public_key());
        assert_eq!(p.fingerprint, key.public_key().fingerprint().to_string());
        assert_eq!(
            (p.school_id.as_str(), p.room.as_str(), p.number),
            ("770001", "<12>", 3)
        );
        let page = std::fs::read_to_string(&w.page).unwrap();
        for group in p.fingerprint.split('-') {
            assert!(page.contains(&format!(">{group}<")), "{group}");
        }
        assert!(page.contains("&lt;12&gt;") && !page.contains("<12>"));
        let names: Vec<_> = std::fs::read_dir(usb.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            export(&layout, "/nonexistent-usb-drive")
                .unwrap_err()
                .code()
                == "no_folder"
        );
    }
}
