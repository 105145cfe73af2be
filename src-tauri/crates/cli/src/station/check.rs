//! `vpr station check`.

use std::{path::PathBuf, process::ExitCode};

use vpr_package::{time::OffsetDateTime, IssuerKey, TrustedIssuers};
use vpr_station::{
    packages, readiness,
    readiness::RECORDING_BYTES_PER_SECOND,
    sound,
    technician::{CheckStatus, ReadinessCheck},
    AudioSettings, StationLayout,
};

#[derive(clap::Args)]
pub(super) struct CheckArgs {
    /// Папка данных станции (по умолчанию VPR_DATA_DIR или ~/.local/share/ru.vpr.kiosk)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Пакет заданий (.vprpkg) для проверки
    #[arg(long)]
    package: Option<PathBuf>,
    /// Ещё один доверенный открытый ключ только на эту проверку (постоянно: vpr station trust add); можно несколько
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Не доверять демонстрационному ключу проекта
    #[arg(long)]
    no_demo_key: bool,
    /// Сколько участников пройдёт работу на этой станции за день
    #[arg(long, default_value_t = 30)]
    participants: u64,
    /// Минут устных ответов на участника (с контрольной записью)
    #[arg(long, default_value_t = 5)]
    minutes: u64,
    /// Микрофон (id из списка устройств; по умолчанию сохранённый на станции или системный)
    #[arg(long)]
    input: Option<String>,
    /// Наушники (id из списка устройств; по умолчанию сохранённые на станции или системные)
    #[arg(long)]
    output: Option<String>,
    /// Не проверять звук
    #[arg(long)]
    no_audio: bool,
    /// Проверка гарнитуры: проиграть фразу (WAV), записать контрольную запись и воспроизвести её
    #[arg(long, value_name = "PHRASE.wav")]
    test_sound: Option<PathBuf>,
    /// Длительность контрольной записи, секунд
    #[arg(long, default_value_t = sound::HEADSET_SECONDS)]
    seconds: u32,
    /// Вывести JSON вместо текста
    #[arg(long)]
    json: bool,
}

pub(super) fn run(a: &CheckArgs) -> ExitCode {
    let layout = super::layout(a.data_dir.as_ref());
    let checks = checks(a, &layout, OffsetDateTime::now_utc());
    let failed = checks.iter().any(|c| c.status == CheckStatus::Failed);
    if a.json {
        super::print_json(&checks);
    } else {
        println!("Папка данных: {}", layout.root().display());
        println!(
            "Запись: {} байт в секунду; участников {}, минут на участника {}",
            RECORDING_BYTES_PER_SECOND, a.participants, a.minutes
        );
        super::print_checks(&checks);
        if failed {
            println!("Станция НЕ готова: исправьте пункты с отметкой [ОШИБ].");
        } else {
            println!("Станция готова (пункты [ВНИМ] проверьте вручную).");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn failed(id: &str, name: &str, detail: String) -> ReadinessCheck {
    ReadinessCheck {
        id: id.to_owned(),
        name: name.to_owned(),
        status: CheckStatus::Failed,
        detail,
    }
}

fn checks(a: &CheckArgs, layout: &StationLayout, now: OffsetDateTime) -> Vec<ReadinessCheck> {
    let mut checks = readiness::checks(layout, a.participants, a.minutes, now);
    let (trust, problems) = trust(a, layout);
    checks.extend(problems);
    checks.extend(packages::checks(layout, &trust, a.package.as_deref(), now));
    if !a.no_audio {
        let saved = match sound::settings(layout) {
            Ok(s) => s,
            Err(e) => {
                checks.push(failed("sound_settings", "настройки звука", e.to_string()));
                AudioSettings::system_defaults()
            }
        };
        let devices = AudioSettings {
            input: a.input.clone().or(saved.input),
            output: a.output.clone().or(saved.output),
            volume: saved.volume,
        };
        checks.extend(sound::device_checks(&devices));
        if let Some(phrase) = &a.test_sound {
            let outcome =
                sound::headset_check(layout, Some(phrase.clone()), &devices, a.seconds, None);
            checks.push(sound::headset_line(&outcome));
        }
    }
    checks
}

/// The station's trust list, less the demo key with `--no-demo-key`, plus
/// the `--trust` keys of this run; what could not be read as lines.
fn trust(a: &CheckArgs, layout: &StationLayout) -> (TrustedIssuers, Vec<ReadinessCheck>) {
    let mut problems = Vec::new();
    let saved = packages::trust::trusted(layout).unwrap_or_else(|e| {
        problems.push(failed("trust", "доверенные ключи", e.to_string()));
        TrustedIssuers::demo()
    });
    let mut trust = TrustedIssuers::new();
    for key in saved.keys() {
        if !(a.no_demo_key && key.demo) {
            trust.add(key.clone());
        }
    }
    for path in &a.trust {
        match IssuerKey::read(path) {
            Ok(key) => trust.add(key),
            Err(e) => problems.push(failed("trust", "ключи", e.to_string())),
        }
    }
    (trust, problems)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(data: &std::path::Path) -> CheckArgs {
        CheckArgs {
            data_dir: Some(data.to_path_buf()),
            package: None,
            trust: Vec::new(),
            no_demo_key: false,
            participants: 30,
            minutes: 5,
            input: None,
            output: None,
            no_audio: true,
            test_sound: None,
            seconds: 1,
            json: false,
        }
    }

    #[test]
    fn the_list_is_the_cores_with_the_trust_options_of_this_run() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(tmp.path().join("data"));
        let now = OffsetDateTime::now_utc();
        let c = checks(&args(layout.root()), &layout, now);
        let ids: Vec<&str> = c.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(&ids[..4], ["clock", "timezone", "data_folder", "disk"]);
        let trust_line = c.iter().find(|c| c.id == "trust").unwrap();
        assert_eq!(trust_line.status, CheckStatus::Ok);
        assert!(trust_line.detail.contains("(демо)"));

        let mut a = args(layout.root());
        a.no_demo_key = true;
        a.trust = vec![tmp.path().join("missing.pub")];
        let c = checks(&a, &layout, now);
        assert!(c
            .iter()
            .any(|c| c.name == "ключи" && c.status == CheckStatus::Failed));
        let trust_line = c.iter().find(|c| c.name == "доверенные ключи").unwrap();
        assert_eq!(trust_line.status, CheckStatus::Failed, "{trust_line:?}");
    }

    #[test]
    fn a_corrupt_sound_set_up_fails_the_check() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = StationLayout::create(tmp.path()).unwrap();
        std::fs::write(layout.audio_settings(), b"{").unwrap();
        let mut a = args(layout.root());
        a.no_audio = false;
        let c = checks(&a, &layout, OffsetDateTime::now_utc());
        let line = c.iter().find(|c| c.id == "sound_settings").unwrap();
        assert_eq!(line.status, CheckStatus::Failed);
    }

    #[test]
    fn the_headset_check_records_into_the_control_folder() {
        // Needs the test sound server (tests/support/pulse-up.sh: null
        // sinks `vspeaker` and `vmic`).
        if std::env::var_os("PULSE_SERVER").is_none() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(tmp.path());
        let mut a = args(layout.root());
        a.no_audio = false;
        a.test_sound = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../audio-fixtures/speech/headset-phrase-ru.wav"),
        );
        let c = checks(&a, &layout, OffsetDateTime::now_utc());
        for id in ["devices", "input", "output"] {
            let line = c.iter().find(|c| c.id == id).unwrap();
            assert_eq!(line.status, CheckStatus::Ok, "{line:?}");
        }
        let headset = c.iter().find(|c| c.id == "headset").unwrap();
        assert!(headset.detail.contains("контрольная запись"), "{headset:?}");
        assert!(layout.headset_check_recording().is_file());
    }
}
