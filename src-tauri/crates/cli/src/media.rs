//! `vpr media probe FILE...`: decode listening tracks (MP3, OGG, FLAC, WAV) and photos (JPEG,
//! PNG, SVG) the way package validation does (`vpr_exam::media`) and print, per file, what it
//! holds or what is wrong with it. Exits 1 when any file is refused.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use vpr_exam::media::{self, AudioInfo, ImageInfo, MediaError};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Проверить файлы: формат, длительность, частота и каналы или размер в точках
    Probe {
        #[arg(required = true, value_name = "ФАЙЛ")]
        files: Vec<PathBuf>,
    },
}

pub fn run(args: Args) -> ExitCode {
    let Command::Probe { files } = args.command;
    let mut refused = 0;
    for file in &files {
        let t0 = Instant::now();
        let result = probe(file);
        let ms = t0.elapsed().as_millis();
        match result {
            Ok(line) => println!("{}: {line} (проверено за {ms} мс)", file.display()),
            Err(e) => {
                refused += 1;
                println!("{}: ОШИБКА: {e}", file.display());
            }
        }
    }
    if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One file: a track or a photo by its extension.
fn probe(file: &Path) -> Result<String, MediaError> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if media::AUDIO_EXTENSIONS.contains(&ext.as_str()) {
        media::probe_audio(file).map(|i| describe_audio(&i))
    } else if media::IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        media::probe_image(file).map(|i| describe_image(&i))
    } else {
        let all: Vec<&str> = media::AUDIO_EXTENSIONS
            .iter()
            .chain(media::IMAGE_EXTENSIONS)
            .copied()
            .collect();
        Err(MediaError::Extension {
            file: file.display().to_string(),
            allowed: media::list_extensions(&all),
        })
    }
}

fn describe_audio(i: &AudioInfo) -> String {
    let channels = match i.channels {
        1 => "моно".to_owned(),
        2 => "стерео".to_owned(),
        n => format!("каналов: {n}"),
    };
    format!(
        "{}, {},{} с ({} мс), {} Гц, {channels}",
        i.format.name(),
        i.duration_ms / 1000,
        (i.duration_ms % 1000) / 100,
        i.duration_ms,
        i.sample_rate
    )
}

fn describe_image(i: &ImageInfo) -> String {
    format!("{}, {}×{}", i.format.name(), i.width, i.height)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/media")
            .join(name)
    }

    #[test]
    fn prints_what_each_file_holds_or_why_it_is_refused() {
        let mp3 = probe(&fixture("phrase.mp3")).unwrap();
        assert!(mp3.starts_with("MP3, 3,"), "{mp3}");
        assert!(mp3.ends_with("44100 Гц, моно"), "{mp3}");
        let ogg = probe(&fixture("phrase.ogg")).unwrap();
        assert!(
            ogg.starts_with("Ogg Vorbis, 3,") && ogg.ends_with("стерео"),
            "{ogg}"
        );
        assert_eq!(probe(&fixture("photo.jpg")).unwrap(), "JPEG, 640×480");
        assert_eq!(probe(&fixture("park.png")).unwrap(), "PNG, 400×300");
        let err = probe(&fixture("README.md")).unwrap_err().to_string();
        assert!(err.contains("README.md") && err.contains(".mp3"), "{err}");
    }
}
