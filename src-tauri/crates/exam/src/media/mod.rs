//! Package media, checked by decoding: listening tracks in MP3, Ogg Vorbis, FLAC or WAV
//! ([`probe_audio`]: every packet decoded for the real length, truncation and corruption caught)
//! and photos in JPEG, PNG or SVG ([`probe_image`]: the pixels decoded; an SVG parsed and
//! refused when it could run or fetch anything).
//!
//! Every cap is checked before anything is allocated for the file: its size from the file
//! system first, then the header's numbers (sample rate, channels, length, pixel count), then
//! the decoding itself stops at the cap. Errors name the file and say what is wrong, in Russian.
//! [`check::check_media`] applies all this to the files a package names.

pub mod audio;
pub mod check;
mod photo;
mod svg;
pub use svg::SvgRefusal;

use std::{
    fs::{self, File},
    ops::RangeInclusive,
    path::Path,
};

use serde::Serialize;

pub use audio::probe_audio;
pub use check::{check_media, check_photo, check_track};

/// Largest listening track accepted.
pub const MAX_AUDIO_BYTES: u64 = 200 * MB;
/// Largest JPEG or PNG photo accepted.
pub const MAX_IMAGE_BYTES: u64 = 20 * MB;
/// Largest SVG photo accepted.
pub const MAX_SVG_BYTES: u64 = 5 * MB;
/// Most pixels a JPEG or PNG photo may have (width × height).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Longest track accepted.
pub const MAX_AUDIO_MS: u64 = 30 * 60 * 1000;
/// Sample rates accepted, Hz.
pub const SAMPLE_RATES: RangeInclusive<u32> = 8_000..=192_000;
/// Channel counts accepted (mono, stereo).
pub const CHANNELS: RangeInclusive<u16> = 1..=2;
/// File name extensions a listening track may have.
pub const AUDIO_EXTENSIONS: &[&str] = &["wav", "mp3", "ogg", "flac"];
/// File name extensions a photo may have.
pub const IMAGE_EXTENSIONS: &[&str] = &["svg", "png", "jpg", "jpeg"];

const MB: u64 = 1024 * 1024;

/// What a listening track holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AudioFormat {
    Mp3,
    OggVorbis,
    Flac,
    Wav,
}

impl AudioFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Mp3 => "MP3",
            Self::OggVorbis => "Ogg Vorbis",
            Self::Flac => "FLAC",
            Self::Wav => "WAV",
        }
    }

    fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "mp3" => Some(Self::Mp3),
            "ogg" => Some(Self::OggVorbis),
            "flac" => Some(Self::Flac),
            "wav" => Some(Self::Wav),
            _ => None,
        }
    }
}

/// What a photo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Png,
    Svg,
}

impl ImageFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Svg => "SVG",
        }
    }

    fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }
}

/// A decoded listening track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AudioInfo {
    pub format: AudioFormat,
    /// Length of the decoded audio (every packet decoded), ms.
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub channels: u16,
    /// Length the file's own header claims, ms, when it tells one.
    pub header_ms: Option<u64>,
}

/// A decoded photo: its real size in pixels (an SVG's from its `width`/`height` or `viewBox`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Probe a photo (JPEG, PNG or SVG, by its extension; the content must agree).
pub fn probe_image(path: &Path) -> Result<ImageInfo, MediaError> {
    photo::probe_as(path, &path.display().to_string())
}

/// What is wrong with a media file. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("Нет файла {file}")]
    Missing { file: String },
    #[error("Файл {file} не читается: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file} — не обычный файл")]
    NotAFile { file: String },
    #[error("Файл {file}: такой формат не принимается, ожидается {allowed}")]
    Extension { file: String, allowed: String },
    #[error("Файл {file} слишком большой: {} (не больше {})", mb(*.size), mb(*.max))]
    TooLarge { file: String, size: u64, max: u64 },
    #[error("Файл {file} — не {expected}: {detail}")]
    NotRecognised {
        file: String,
        expected: &'static str,
        detail: String,
    },
    #[error(
        "Файл {file} назван как {expected}, а внутри {found}: переименуйте или перекодируйте его"
    )]
    Mismatch {
        file: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("Файл {file} повреждён: {detail}")]
    Corrupt { file: String, detail: String },
    #[error("Файл {file} обрезан или повреждён: по заголовку {} с, а декодируется {} с", secs(*.header_ms), secs(*.decoded_ms))]
    Truncated {
        file: String,
        header_ms: u64,
        decoded_ms: u64,
    },
    #[error("Файл {file}: частота дискретизации {rate} Гц (допустимо от 8000 до 192000 Гц)")]
    SampleRate { file: String, rate: u32 },
    #[error("Файл {file}: каналов {channels} (допустимо 1 или 2)")]
    Channels { file: String, channels: u32 },
    #[error("Файл {file} длиннее {} минут", MAX_AUDIO_MS / 60_000)]
    TooLong { file: String },
    #[error("В файле {file} нет звука")]
    NoAudio { file: String },
    #[error("Файл {file}: длительность {} с, а в пакете указано {declared_s} с", secs(*.actual_ms))]
    Duration {
        file: String,
        actual_ms: u64,
        declared_s: u32,
    },
    #[error("Файл {file}: {width}×{height} точек, это больше {} мегапикселей", MAX_PIXELS / 1_000_000)]
    TooManyPixels {
        file: String,
        width: u32,
        height: u32,
    },
    #[error("Файл {file}: {what}")]
    Svg { file: String, what: SvgRefusal },
}

impl vpr_error::Coded for MediaError {
    fn code(&self) -> &'static str {
        match self {
            Self::Missing { .. } => "media_missing",
            Self::Io { .. } => "media_io",
            Self::NotAFile { .. } => "media_not_a_file",
            Self::Extension { .. } => "media_extension",
            Self::TooLarge { .. } => "media_too_large",
            Self::NotRecognised { .. } => "media_not_recognised",
            Self::Mismatch { .. } => "media_format_mismatch",
            Self::Corrupt { .. } => "media_corrupt",
            Self::Truncated { .. } => "media_truncated",
            Self::SampleRate { .. } => "media_sample_rate",
            Self::Channels { .. } => "media_channels",
            Self::TooLong { .. } => "media_too_long",
            Self::NoAudio { .. } => "media_no_audio",
            Self::Duration { .. } => "media_duration_mismatch",
            Self::TooManyPixels { .. } => "media_too_many_pixels",
            Self::Svg { .. } => "media_svg_refused",
        }
    }

    /// A package with a bad medium cannot be used: someone must replace the file.
    fn severity(&self) -> vpr_error::Severity {
        vpr_error::Severity::Blocking
    }
}

impl MediaError {
    /// The file the error is about, as it was named.
    pub fn file(&self) -> &str {
        match self {
            Self::Missing { file }
            | Self::Io { file, .. }
            | Self::NotAFile { file }
            | Self::Extension { file, .. }
            | Self::TooLarge { file, .. }
            | Self::NotRecognised { file, .. }
            | Self::Mismatch { file, .. }
            | Self::Corrupt { file, .. }
            | Self::Truncated { file, .. }
            | Self::SampleRate { file, .. }
            | Self::Channels { file, .. }
            | Self::TooLong { file }
            | Self::NoAudio { file }
            | Self::Duration { file, .. }
            | Self::TooManyPixels { file, .. }
            | Self::Svg { file, .. } => file,
        }
    }
}

fn mb(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / MB;
    format!("{},{} МБ", tenths / 10, tenths % 10)
}

fn secs(ms: u64) -> String {
    format!("{},{}", ms / 1000, (ms % 1000) / 100)
}

/// The lower-case extension of `path`, if any.
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// "a, b или c" for messages.
pub fn list_extensions(exts: &[&str]) -> String {
    let dotted: Vec<String> = exts.iter().map(|e| format!(".{e}")).collect();
    match dotted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} или {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Open a regular file no larger than `max` bytes: the size comes from the file system, so
/// nothing of an oversized (or sparse) file is read. A FIFO or device is refused before it
/// is opened (opening a FIFO would wait for a writer).
fn open_capped(path: &Path, shown: &str, max: u64) -> Result<(File, u64), MediaError> {
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            MediaError::Missing {
                file: shown.to_owned(),
            }
        } else {
            MediaError::Io {
                file: shown.to_owned(),
                source,
            }
        }
    };
    let not_a_file = || MediaError::NotAFile {
        file: shown.to_owned(),
    };
    if !fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_a_file());
    }
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    if meta.len() > max {
        return Err(MediaError::TooLarge {
            file: shown.to_owned(),
            size: meta.len(),
            max,
        });
    }
    Ok((file, meta.len()))
}

/// The first bytes of a file (fewer if it is shorter), the file rewound after.
fn head(file: &mut File, shown: &str, n: usize) -> Result<Vec<u8>, MediaError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut buf = Vec::with_capacity(n);
    let io = |source| MediaError::Io {
        file: shown.to_owned(),
        source,
    };
    file.by_ref()
        .take(n as u64)
        .read_to_end(&mut buf)
        .map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(buf)
}

/// Run a third-party decoder on untrusted bytes: a panic inside it becomes a refusal of the
/// file, never a crash of the station.
fn guarded<T>(shown: &str, f: impl FnOnce() -> Result<T, MediaError>) -> Result<T, MediaError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!(file = shown, "decoder panicked on a media file");
            Err(MediaError::Corrupt {
                file: shown.to_owned(),
                detail: "декодер не смог его разобрать".to_owned(),
            })
        }
    }
}
