//! `vpr station passport --out DIR`: the station passport for the
//! coordinator (the file for a USB drive and a printable page).

use std::{path::PathBuf, process::ExitCode};

use vpr_station::passport;

#[derive(clap::Args)]
pub(super) struct PassportArgs {
    /// Папка, куда записать паспорт (например, флешка)
    #[arg(long)]
    out: PathBuf,
    /// Папка данных станции (по умолчанию VPR_DATA_DIR или ~/.local/share/ru.vpr.kiosk)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Вывести JSON вместо текста
    #[arg(long)]
    json: bool,
}

pub(super) fn run(a: &PassportArgs) -> ExitCode {
    let layout = super::layout(a.data_dir.as_ref());
    match passport::export(&layout, &a.out.display().to_string()) {
        Ok(w) if a.json => {
            super::print_json(&w);
            ExitCode::SUCCESS
        }
        Ok(w) => {
            println!(
                "Паспорт станции № {} (ОО {}, ауд. {}) записан:",
                w.number, w.school_id, w.room
            );
            println!("  файл для координатора: {}", w.file);
            println!("  страница для печати:   {}", w.page);
            println!("Отпечаток ключа: {}", w.fingerprint);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Ошибка: {e}");
            ExitCode::FAILURE
        }
    }
}
