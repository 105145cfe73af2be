//! Listening tracks: MP3, Ogg Vorbis, FLAC, WAV, decoded whole with symphonia (the decoders
//! rodio plays them with), with the same format options as playback (gapless), so the length
//! found here is the length the station plays.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use symphonia::core::{
    codecs::{DecoderOptions, CODEC_TYPE_FLAC, CODEC_TYPE_MP3, CODEC_TYPE_NULL, CODEC_TYPE_VORBIS},
    errors::Error as SymError,
    formats::FormatOptions,
    io::MediaSourceStream,
    meta::{Limit, MetadataOptions},
    probe::Hint,
};

use super::{
    extension, guarded, head, list_extensions, open_capped, AudioFormat, AudioInfo, MediaError,
    AUDIO_EXTENSIONS, CHANNELS, MAX_AUDIO_BYTES, MAX_AUDIO_MS, SAMPLE_RATES,
};

/// How far the decoded length may fall short of (or exceed) the header's before the file is
/// called truncated: 0.25 s, or 1 % of a long track.
const HEADER_SLACK_MS: u64 = 250;

/// Probe a listening track: its format (by extension; the content must agree), then every
/// packet decoded for the real duration, sample rate and channels.
pub fn probe_audio(path: &Path) -> Result<AudioInfo, MediaError> {
    probe_as(path, &path.display().to_string())
}

/// [`probe_audio`], naming the file `shown` in errors (a package names files relative to it).
pub(crate) fn probe_as(path: &Path, shown: &str) -> Result<AudioInfo, MediaError> {
    let ext = extension(path);
    let Some(expected) = AudioFormat::from_extension(&ext) else {
        return Err(MediaError::Extension {
            file: shown.to_owned(),
            allowed: list_extensions(AUDIO_EXTENSIONS),
        });
    };
    let (mut file, len) = open_capped(path, shown, MAX_AUDIO_BYTES)?;
    let magic = head(&mut file, shown, 12)?;
    if len == 0 {
        return Err(not_recognised(shown, expected, "файл пустой"));
    }
    let found = sniff(&magic);
    if let Some(found) = found {
        if found != expected {
            return Err(MediaError::Mismatch {
                file: shown.to_owned(),
                expected: expected.name(),
                found: found.name(),
            });
        }
    } else if expected != AudioFormat::Mp3 {
        // An MP3 may start with a tag or a frame; the others have a fixed signature.
        return Err(not_recognised(
            shown,
            expected,
            "нет подписи формата в начале",
        ));
    }
    if expected == AudioFormat::Wav {
        // symphonia divides by the block size and builds a time base from the sample rate
        // without checking them: look at the header first.
        check_wav_header(&mut file, shown)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|source| MediaError::Io {
                file: shown.to_owned(),
                source,
            })?;
    }
    if expected == AudioFormat::OggVorbis && !ogg_ends_cleanly(&mut file, len, shown)? {
        // An Ogg header carries no length: a cut file would look like a short one.
        return Err(MediaError::Corrupt {
            file: shown.to_owned(),
            detail: "поток Ogg обрывается, нет его последней страницы (файл обрезан)".to_owned(),
        });
    }
    guarded(shown, || decode_all(file, shown, expected, &ext))
}

/// Whether the file ends with a whole Ogg page marked end-of-stream. The file is rewound.
fn ogg_ends_cleanly(file: &mut File, len: u64, shown: &str) -> Result<bool, MediaError> {
    // A page is at most 27 + 255 + 255 * 255 bytes.
    const MAX_PAGE: u64 = 27 + 255 + 255 * 255;
    let io = |source| MediaError::Io {
        file: shown.to_owned(),
        source,
    };
    let start = len.saturating_sub(MAX_PAGE);
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut tail = Vec::new();
    file.by_ref()
        .take(MAX_PAGE)
        .read_to_end(&mut tail)
        .map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let whole_last_page = |i: usize| -> Option<bool> {
        let header = tail.get(i..i + 27)?;
        let segments = usize::from(header[26]);
        let table = tail.get(i + 27..i + 27 + segments)?;
        let body: usize = table.iter().map(|&b| usize::from(b)).sum();
        let end = i + 27 + segments + body;
        (end == tail.len()).then_some(header[5] & 0x04 != 0)
    };
    Ok((0..tail.len().saturating_sub(3))
        .rev()
        .filter(|&i| &tail[i..i + 4] == b"OggS")
        .find_map(whole_last_page)
        .unwrap_or(false))
}

fn not_recognised(shown: &str, expected: AudioFormat, detail: &str) -> MediaError {
    MediaError::NotRecognised {
        file: shown.to_owned(),
        expected: expected.name(),
        detail: detail.to_owned(),
    }
}

fn sniff(magic: &[u8]) -> Option<AudioFormat> {
    if magic.len() >= 12 && &magic[..4] == b"RIFF" && &magic[8..12] == b"WAVE" {
        Some(AudioFormat::Wav)
    } else if magic.starts_with(b"OggS") {
        Some(AudioFormat::OggVorbis)
    } else if magic.starts_with(b"fLaC") {
        Some(AudioFormat::Flac)
    } else if magic.starts_with(b"ID3")
        || (magic.len() >= 2 && magic[0] == 0xFF && magic[1] & 0xE0 == 0xE0)
    {
        Some(AudioFormat::Mp3)
    } else {
        None
    }
}

/// The WAV `fmt ` chunk: PCM or float samples, a sane rate, channel count and block size.
fn check_wav_header(file: &mut File, shown: &str) -> Result<(), MediaError> {
    let corrupt = |detail: &str| MediaError::Corrupt {
        file: shown.to_owned(),
        detail: detail.to_owned(),
    };
    let io = |source| MediaError::Io {
        file: shown.to_owned(),
        source,
    };
    let mut pos = 12u64;
    for _ in 0..64 {
        file.seek(SeekFrom::Start(pos)).map_err(io)?;
        let mut h = [0u8; 8];
        if file.read_exact(&mut h).is_err() {
            return Err(corrupt("WAV обрывается до описания формата (fmt)"));
        }
        let size = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
        match &h[..4] {
            b"fmt " => {
                let mut f = [0u8; 16];
                if size < 16 || file.read_exact(&mut f).is_err() {
                    return Err(corrupt("описание формата WAV (fmt) неполное"));
                }
                let tag = u16::from_le_bytes([f[0], f[1]]);
                let channels = u16::from_le_bytes([f[2], f[3]]);
                let rate = u32::from_le_bytes([f[4], f[5], f[6], f[7]]);
                let block = u16::from_le_bytes([f[12], f[13]]);
                let bits = u16::from_le_bytes([f[14], f[15]]);
                if !SAMPLE_RATES.contains(&rate) {
                    return Err(MediaError::SampleRate {
                        file: shown.to_owned(),
                        rate,
                    });
                }
                if !CHANNELS.contains(&channels) {
                    return Err(MediaError::Channels {
                        file: shown.to_owned(),
                        channels: u32::from(channels),
                    });
                }
                // 1 PCM, 3 IEEE float, 0xFFFE extensible (PCM or float inside).
                if ![1, 3, 0xFFFE].contains(&tag) {
                    return Err(corrupt(&format!(
                        "WAV со сжатием (код формата {tag:#06x}) не поддерживается: нужен PCM"
                    )));
                }
                if ![8, 16, 24, 32, 64].contains(&bits)
                    || u32::from(block) != u32::from(channels) * u32::from(bits / 8)
                {
                    return Err(corrupt(&format!(
                        "в описании формата WAV {bits} бит и блок {block} байт не сходятся"
                    )));
                }
                return Ok(());
            }
            b"data" => return Err(corrupt("в WAV данные идут раньше описания формата (fmt)")),
            _ => pos = pos.saturating_add(8 + size + (size & 1)),
        }
    }
    Err(corrupt("в WAV не найдено описание формата (fmt)"))
}

fn decode_all(
    file: File,
    shown: &str,
    expected: AudioFormat,
    ext: &str,
) -> Result<AudioInfo, MediaError> {
    let corrupt = |detail: String| MediaError::Corrupt {
        file: shown.to_owned(),
        detail,
    };
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(ext);
    let format_opts = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let meta_opts = MetadataOptions {
        limit_metadata_bytes: Limit::Maximum(1 << 20),
        limit_visual_bytes: Limit::Maximum(1 << 20),
    };
    let probed = symphonia::default::get_probe()
        .format(&hint, mss, &format_opts, &meta_opts)
        .map_err(|e| match e {
            SymError::Unsupported(_) => not_recognised(shown, expected, "формат не распознан"),
            SymError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                corrupt("файл обрывается в заголовке".to_owned())
            }
            other => corrupt(format!("заголовок не читается ({other})")),
        })?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| MediaError::NoAudio {
            file: shown.to_owned(),
        })?;
    let (track_id, params) = (track.id, track.codec_params.clone());
    let codec_ok = match expected {
        AudioFormat::Mp3 => params.codec == CODEC_TYPE_MP3,
        AudioFormat::OggVorbis => params.codec == CODEC_TYPE_VORBIS,
        AudioFormat::Flac => params.codec == CODEC_TYPE_FLAC,
        AudioFormat::Wav => true,
    };
    if !codec_ok {
        return Err(not_recognised(
            shown,
            expected,
            "внутри другой кодек (например, Opus в Ogg)",
        ));
    }
    let rate = params.sample_rate.unwrap_or(0);
    check_rate(shown, rate)?;
    if let Some(ch) = params.channels {
        check_channels(shown, ch.count())?;
    }
    let max_frames = MAX_AUDIO_MS.saturating_mul(u64::from(rate)) / 1000;
    if params.n_frames.is_some_and(|n| n > max_frames) {
        return Err(MediaError::TooLong {
            file: shown.to_owned(),
        });
    }
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| corrupt(format!("декодер не открывается ({e})")))?;
    let mut frames = 0u64;
    let mut channels = params.channels.map(|c| c.count());
    let mut bad = 0u32;
    let mut first_bad: Option<(u64, String)> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => {
                return Err(corrupt("параметры звука меняются посреди файла".to_owned()))
            }
            Err(e) => return Err(corrupt(format!("на {} с: {e}", at(frames, rate)))),
        };
        if packet.track_id() != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buf) => {
                let spec = buf.spec();
                if spec.rate != rate {
                    return Err(corrupt(format!(
                        "частота меняется посреди файла ({rate} → {} Гц)",
                        spec.rate
                    )));
                }
                let n = spec.channels.count();
                check_channels(shown, n)?;
                if channels.is_some_and(|c| c != n) {
                    return Err(corrupt("число каналов меняется посреди файла".to_owned()));
                }
                channels = Some(n);
                frames = frames.saturating_add(buf.frames() as u64);
                if frames > max_frames {
                    return Err(MediaError::TooLong {
                        file: shown.to_owned(),
                    });
                }
            }
            Err(SymError::DecodeError(e)) => {
                bad += 1;
                first_bad.get_or_insert((frames, e.to_owned()));
            }
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(corrupt(format!("на {} с: {e}", at(frames, rate)))),
        }
    }
    if let Some((pos, what)) = first_bad {
        return Err(corrupt(format!(
            "испорченных фрагментов: {bad}, первый на {} с ({what})",
            at(pos, rate)
        )));
    }
    let channels = channels.unwrap_or(0);
    if frames == 0 || channels == 0 {
        return Err(MediaError::NoAudio {
            file: shown.to_owned(),
        });
    }
    let duration_ms = frames.saturating_mul(1000) / u64::from(rate);
    let header_ms = params
        .n_frames
        .map(|n| n.saturating_mul(1000) / u64::from(rate));
    if let Some(h) = header_ms {
        let slack = HEADER_SLACK_MS.max(h / 100);
        if h.abs_diff(duration_ms) > slack {
            return Err(MediaError::Truncated {
                file: shown.to_owned(),
                header_ms: h,
                decoded_ms: duration_ms,
            });
        }
    }
    Ok(AudioInfo {
        format: expected,
        duration_ms,
        sample_rate: rate,
        channels: u16::try_from(channels).unwrap_or(u16::MAX),
        header_ms,
    })
}

fn check_rate(shown: &str, rate: u32) -> Result<(), MediaError> {
    if SAMPLE_RATES.contains(&rate) {
        Ok(())
    } else {
        Err(MediaError::SampleRate {
            file: shown.to_owned(),
            rate,
        })
    }
}

fn check_channels(shown: &str, n: usize) -> Result<(), MediaError> {
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    if CHANNELS.contains(&n) {
        Ok(())
    } else {
        Err(MediaError::Channels {
            file: shown.to_owned(),
            channels: u32::from(n),
        })
    }
}

/// A frame position as seconds with one decimal, for messages.
fn at(frames: u64, rate: u32) -> String {
    let tenths = frames.saturating_mul(10) / u64::from(rate.max(1));
    format!("{},{}", tenths / 10, tenths % 10)
}
