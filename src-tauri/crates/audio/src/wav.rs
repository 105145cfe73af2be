//! WAV files after the fact: repair of an unfinished recording, facts and hash, a waveform summary.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use ring::digest;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{AudioError, Result};
use crate::{RECORD_BITS, RECORD_CHANNELS, RECORD_RATE};

/// What `repair` found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepairReport {
    /// The header already matched the file: nothing was written.
    pub was_valid: bool,
    /// Whole frames kept in the data chunk.
    pub frames: u64,
    /// Bytes cut off the end (a partial frame or a torn chunk header).
    #[ts(type = "number")]
    pub truncated_bytes: u64,
}

/// Facts about a WAV file for the answer store and the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    #[ts(type = "number")]
    pub frames: u64,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

impl WavInfo {
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.duration_ms)
    }
}

/// One bucket of a waveform summary: the lowest and highest sample, in -1.0..=1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct WaveformBucket {
    pub min: f32,
    pub max: f32,
}

struct Layout {
    /// Offset of the first data byte.
    data_start: u64,
    /// Offset of the data chunk's size field.
    data_size_at: u64,
    block_align: u64,
}

const CANONICAL_HEADER: u64 = 44;

/// Repair a WAV whose header was never finalised (or whose tail is torn): the RIFF and data sizes
/// are recomputed from the file length, a partial last frame is cut off, and the file is synced.
///
/// Every whole frame on disk is kept. A file cut inside its own header (a recording that died
/// before its first second was synced) is rewritten as an empty recording in the station's
/// format ([`RECORD_RATE`] Hz, mono, 16-bit).
pub fn repair(path: &Path) -> Result<RepairReport> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let mut head = Vec::with_capacity(4096);
    (&mut file).take(64 * 1024).read_to_end(&mut head)?;

    let layout = match parse_layout(&head, len) {
        Ok(l) => l,
        Err(reason) => {
            if len >= CANONICAL_HEADER
                && head.get(..4) == Some(b"RIFF")
                && find_fmt(&head).is_some()
            {
                // A complete fmt chunk but something else is wrong: do not guess.
                return Err(AudioError::BadWav(path.to_path_buf(), reason));
            }
            if !head.is_empty() && !b"RIFF".starts_with(&head[..head.len().min(4)]) {
                return Err(AudioError::BadWav(path.to_path_buf(), reason));
            }
            // Torn inside the header: no frame was ever on disk.
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&canonical_header(0))?;
            file.sync_all()?;
            return Ok(RepairReport {
                was_valid: false,
                frames: 0,
                truncated_bytes: len,
            });
        }
    };

    let available = len.saturating_sub(layout.data_start);
    let data_len = available - available % layout.block_align;
    let new_len = layout.data_start + data_len;
    let riff_size = new_len - 8;
    let current_riff = read_u32(&head, 4).map(u64::from);
    let current_data = read_u32(&head, layout.data_size_at as usize).map(u64::from);
    let was_valid =
        new_len == len && current_riff == Some(riff_size) && current_data == Some(data_len);
    if !was_valid {
        let riff = u32::try_from(riff_size)
            .map_err(|_| AudioError::BadWav(path.to_path_buf(), "файл больше 4 ГБ"))?;
        let data = u32::try_from(data_len)
            .map_err(|_| AudioError::BadWav(path.to_path_buf(), "файл больше 4 ГБ"))?;
        file.set_len(new_len)?;
        file.seek(SeekFrom::Start(4))?;
        file.write_all(&riff.to_le_bytes())?;
        file.seek(SeekFrom::Start(layout.data_size_at))?;
        file.write_all(&data.to_le_bytes())?;
        file.sync_all()?;
    }
    Ok(RepairReport {
        was_valid,
        frames: data_len / layout.block_align,
        truncated_bytes: len - new_len,
    })
}

/// Repair every `*.wav` directly inside `dir` (start-up recovery of unfinished recordings).
/// Returns the files that were changed; files that cannot be repaired are logged and skipped.
pub fn repair_dir(dir: &Path) -> Result<Vec<(std::path::PathBuf, RepairReport)>> {
    let mut changed = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("wav"))
        {
            match repair(&path) {
                Ok(r) if !r.was_valid => changed.push((path, r)),
                Ok(_) => {}
                Err(e) => tracing::warn!("не удалось восстановить {}: {e:?}", path.display()),
            }
        }
    }
    Ok(changed)
}

fn read_u32(buf: &[u8], at: usize) -> Option<u32> {
    buf.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
}

fn read_u16(buf: &[u8], at: usize) -> Option<u16> {
    buf.get(at..at + 2)
        .and_then(|b| b.try_into().ok())
        .map(u16::from_le_bytes)
}

/// Offset and length of a complete `fmt ` chunk in the head of a RIFF file.
fn find_fmt(head: &[u8]) -> Option<(usize, usize)> {
    let mut at = 12;
    while let (Some(id), Some(size)) = (head.get(at..at + 4), read_u32(head, at + 4)) {
        let size = size as usize;
        if id == b"fmt " {
            return (head.len() >= at + 8 + size && size >= 16).then_some((at + 8, size));
        }
        if id == b"data" {
            return None;
        }
        at += 8 + size + (size & 1);
    }
    None
}

fn parse_layout(head: &[u8], len: u64) -> std::result::Result<Layout, &'static str> {
    if head.get(..4) != Some(b"RIFF") || head.get(8..12) != Some(b"WAVE") {
        return Err("нет заголовка RIFF/WAVE");
    }
    let (fmt_at, _) = find_fmt(head).ok_or("нет полного блока fmt")?;
    let channels = read_u16(head, fmt_at + 2).ok_or("нет числа каналов")?;
    let block_align = read_u16(head, fmt_at + 12).ok_or("нет размера кадра")?;
    let bits = read_u16(head, fmt_at + 14).ok_or("нет разрядности")?;
    if channels == 0
        || block_align == 0
        || u32::from(block_align) * 8 < u32::from(bits) * u32::from(channels)
    {
        return Err("неверный блок fmt");
    }
    // Walk the chunks after fmt to the data chunk header.
    let mut at = 12usize;
    loop {
        let id = head.get(at..at + 4).ok_or("нет блока data")?;
        let size = read_u32(head, at + 4).ok_or("нет блока data")? as usize;
        if id == b"data" {
            let data_start = (at + 8) as u64;
            if data_start > len {
                return Err("нет блока data");
            }
            return Ok(Layout {
                data_start,
                data_size_at: (at + 4) as u64,
                block_align: u64::from(block_align),
            });
        }
        at += 8 + size + (size & 1);
    }
}

fn canonical_header(data_len: u32) -> [u8; CANONICAL_HEADER as usize] {
    let mut h = [0u8; CANONICAL_HEADER as usize];
    let block_align = RECORD_CHANNELS * RECORD_BITS / 8;
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36 + data_len).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&RECORD_CHANNELS.to_le_bytes());
    h[24..28].copy_from_slice(&RECORD_RATE.to_le_bytes());
    h[28..32].copy_from_slice(&(RECORD_RATE * u32::from(block_align)).to_le_bytes());
    h[32..34].copy_from_slice(&block_align.to_le_bytes());
    h[34..36].copy_from_slice(&RECORD_BITS.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_len.to_le_bytes());
    h
}

/// SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = File::open(path)?;
    let mut ctx = digest::Context::new(&digest::SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        ctx.update(&buf[..n]);
    }
    Ok(hex::encode(ctx.finish().as_ref()))
}

/// Duration, format and SHA-256 of a WAV file (read with hound: the header must be valid).
pub fn wav_info(path: &Path) -> Result<WavInfo> {
    let reader = hound::WavReader::open(path).map_err(|e| wav_read_error(path, e))?;
    let spec = reader.spec();
    let frames = u64::from(reader.duration());
    drop(reader);
    let bytes = std::fs::metadata(path)?.len();
    Ok(WavInfo {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        frames,
        duration_ms: frames * 1000 / u64::from(spec.sample_rate.max(1)),
        sha256: sha256_file(path)?,
        bytes,
    })
}

fn wav_read_error(path: &Path, e: hound::Error) -> AudioError {
    match e {
        hound::Error::IoError(io) => AudioError::Io(io),
        other => AudioError::Decode(path.to_path_buf(), Box::new(other)),
    }
}

/// Read a WAV file as mono f32 samples in -1.0..=1.0 (channels averaged), with its sample rate.
pub fn read_mono(path: &Path) -> Result<(Vec<f32>, u32)> {
    let mut reader = hound::WavReader::open(path).map_err(|e| wav_read_error(path, e))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| wav_read_error(path, e))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| wav_read_error(path, e))?
        }
    };
    let mono = interleaved
        .chunks_exact(channels)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok((mono, spec.sample_rate))
}

/// Stream a WAV file as mono f32 chunks (channels averaged) without loading it whole:
/// `f(first_frame, chunk)` is called for consecutive chunks of up to `chunk_frames` frames.
/// Returns the sample rate.
pub fn scan_mono(path: &Path, chunk_frames: usize, f: impl FnMut(u64, &[f32])) -> Result<u32> {
    let reader = hound::WavReader::open(path).map_err(|e| wav_read_error(path, e))?;
    scan_reader(reader, path, chunk_frames, f)
}

/// [`scan_mono`] over an opened reader (`path` names it in errors).
fn scan_reader<R: std::io::Read>(
    mut reader: hound::WavReader<R>,
    path: &Path,
    chunk_frames: usize,
    mut f: impl FnMut(u64, &[f32]),
) -> Result<u32> {
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let chunk_frames = chunk_frames.max(1);
    let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
    let mut frame = Vec::with_capacity(channels);
    let mut chunk = Vec::with_capacity(chunk_frames);
    let mut first = 0u64;
    let mut push = |v: f32, frame: &mut Vec<f32>, chunk: &mut Vec<f32>, first: &mut u64| {
        frame.push(v);
        if frame.len() == channels {
            chunk.push(frame.iter().sum::<f32>() / channels as f32);
            frame.clear();
            if chunk.len() == chunk_frames {
                f(*first, chunk);
                *first += chunk.len() as u64;
                chunk.clear();
            }
        }
    };
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for s in reader.samples::<f32>() {
                push(
                    s.map_err(|e| wav_read_error(path, e))?,
                    &mut frame,
                    &mut chunk,
                    &mut first,
                );
            }
        }
        hound::SampleFormat::Int => {
            for s in reader.samples::<i32>() {
                let v = s.map_err(|e| wav_read_error(path, e))? as f32 * scale;
                push(v, &mut frame, &mut chunk, &mut first);
            }
        }
    }
    if !chunk.is_empty() {
        f(first, &chunk);
    }
    Ok(spec.sample_rate)
}

/// A waveform summary for display: the file split into `buckets` equal spans, each with its
/// lowest and highest sample. Fewer buckets come back when the file has fewer frames.
/// The file is streamed: memory stays proportional to `buckets`, not to the recording.
pub fn waveform(path: &Path, buckets: usize) -> Result<Vec<WaveformBucket>> {
    let reader = hound::WavReader::open(path).map_err(|e| wav_read_error(path, e))?;
    waveform_reader(reader, path, buckets)
}

/// [`waveform`] of a WAV held in memory (e.g. a recording read out of a
/// package); `name` names it in errors.
pub fn waveform_of_bytes(bytes: &[u8], name: &str, buckets: usize) -> Result<Vec<WaveformBucket>> {
    let path = Path::new(name);
    let reader =
        hound::WavReader::new(std::io::Cursor::new(bytes)).map_err(|e| wav_read_error(path, e))?;
    waveform_reader(reader, path, buckets)
}

fn waveform_reader<R: std::io::Read>(
    reader: hound::WavReader<R>,
    path: &Path,
    buckets: usize,
) -> Result<Vec<WaveformBucket>> {
    let frames = u64::from(reader.duration());
    if frames == 0 || buckets == 0 {
        return Ok(Vec::new());
    }
    let buckets = buckets.min(frames as usize);
    let mut out = vec![
        WaveformBucket {
            min: f32::INFINITY,
            max: f32::NEG_INFINITY,
        };
        buckets
    ];
    scan_reader(reader, path, 4096, |first, chunk| {
        for (i, &s) in chunk.iter().enumerate() {
            let b = (((first + i as u64) * buckets as u64) / frames) as usize;
            if let Some(bucket) = out.get_mut(b) {
                bucket.min = bucket.min.min(s);
                bucket.max = bucket.max.max(s);
            }
        }
    })?;
    Ok(out)
}
