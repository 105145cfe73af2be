//! The writer thread: ring buffer → mono → resampler → WAV, written and synced promptly.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ring::digest;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::{
    CaptureStats, RecordOptions, RecordingResult, Shared, StopReason, StreamFormat,
    RESAMPLER_CHUNK, STALL_TIMEOUT, SYNC_INTERVAL, SYNC_SPACING, WRITER_TICK,
};
use crate::devices::Direction;
use crate::error::{AudioError, Result};
use crate::levels::{dbfs, LevelMeter};
use crate::{AudioEvent, RECORD_RATE};

pub(super) type Wav = hound::WavWriter<BufWriter<File>>;

pub(super) struct Writer {
    options: RecordOptions,
    format: StreamFormat,
    wav: Option<Wav>,
    sync_handle: File,
    shared: Arc<Shared>,
    consumer: rtrb::Consumer<f32>,
    resampler: Option<Fft<f32>>,
    /// Mono input waiting for a full resampler chunk.
    pending: Vec<f32>,
    /// The resampler's input chunk, in device frames.
    chunk: usize,
    /// Frames written since the last sync.
    unsynced: bool,
    /// Resampler output buffer.
    out: Vec<f32>,
    /// Output frames still to drop at the start (the resampler's delay).
    skip: usize,
    mono_in: u64,
    written: u64,
    target: Option<u64>,
    hash: digest::Context,
    meter: LevelMeter,
    started: Instant,
    last_sync: Instant,
    max_gap: Duration,
    syncs: u32,
    bytes: Vec<u8>,
}

impl Writer {
    pub(super) fn new(
        options: RecordOptions,
        format: StreamFormat,
        wav: Wav,
        sync_handle: File,
        shared: Arc<Shared>,
        consumer: rtrb::Consumer<f32>,
    ) -> Result<Self> {
        let resampler = if format.rate == RECORD_RATE {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    format.rate as usize,
                    RECORD_RATE as usize,
                    RESAMPLER_CHUNK,
                    1,
                    FixedSync::Input,
                )
                .map_err(|e| {
                    AudioError::UnsupportedFormat(cpal::Error::with_message(
                        cpal::ErrorKind::UnsupportedConfig,
                        e.to_string(),
                    ))
                })?,
            )
        };
        let chunk = resampler
            .as_ref()
            .map_or(RESAMPLER_CHUNK, |r| r.input_frames_next());
        let out_max = resampler
            .as_ref()
            .map_or(RESAMPLER_CHUNK, |r| r.output_frames_max());
        let skip = resampler.as_ref().map_or(0, |r| r.output_delay());
        let target = options
            .duration
            .map(|d| (d.as_secs_f64() * f64::from(RECORD_RATE)).round() as u64);
        let now = Instant::now();
        Ok(Self {
            format,
            wav: Some(wav),
            sync_handle,
            shared,
            consumer,
            resampler,
            pending: Vec::with_capacity(chunk * 2),
            chunk,
            unsynced: false,
            out: vec![0.0; out_max],
            skip,
            mono_in: 0,
            written: 0,
            target,
            hash: digest::Context::new(&digest::SHA256),
            meter: LevelMeter::new(RECORD_RATE),
            started: now,
            last_sync: now,
            max_gap: Duration::ZERO,
            syncs: 0,
            bytes: Vec::with_capacity(out_max * 2),
            options,
        })
    }

    fn reached(&self) -> bool {
        self.target.is_some_and(|t| self.written >= t)
    }

    /// The main loop: returns why it ended (or the first write error).
    pub(super) fn run(&mut self) -> Result<StopReason> {
        let mut interleaved =
            vec![0.0f32; (self.format.rate * u32::from(self.format.channels)) as usize / 10];
        let mut last_data = Instant::now();
        let mut had_data = false;
        loop {
            let got = self.drain(&mut interleaved)?;
            if got > 0 {
                last_data = Instant::now();
                had_data = true;
                // Into the kernel now (a kill loses nothing written), header included…
                self.flush()?;
            }
            if self.reached() {
                return Ok(StopReason::Duration);
            }
            if self.shared.stop.load(Ordering::Acquire) {
                // Keep what was said up to the stop: wait for the period in flight, then take it.
                let captured = self.shared.frames_captured.load(Ordering::Acquire);
                let period = Duration::from_secs_f64(
                    f64::from(self.format.period) / f64::from(self.format.rate),
                );
                let deadline = Instant::now() + period + WRITER_TICK * 2;
                while Instant::now() < deadline
                    && self.shared.frames_captured.load(Ordering::Acquire) == captured
                    && !self.shared.device_lost.load(Ordering::Acquire)
                {
                    thread::sleep(Duration::from_millis(5));
                }
                self.drain(&mut interleaved)?;
                return Ok(StopReason::Request);
            }
            let stalled = last_data.elapsed()
                > if had_data {
                    STALL_TIMEOUT
                } else {
                    STALL_TIMEOUT * 2
                };
            if self.shared.device_lost.load(Ordering::Acquire) || stalled {
                self.drain(&mut interleaved)?;
                return Ok(StopReason::DeviceLost);
            }
            // …and onto the disk right after each burst (a power cut loses only what came after).
            let since = self.last_sync.elapsed();
            if (self.unsynced && since >= SYNC_SPACING) || since >= SYNC_INTERVAL {
                self.sync()?;
            }
            thread::sleep(WRITER_TICK);
        }
    }

    /// Move everything in the ring into the file; returns the device samples taken.
    fn drain(&mut self, buf: &mut [f32]) -> Result<usize> {
        let ch = usize::from(self.format.channels.max(1));
        let mut total = 0;
        loop {
            let avail = self.consumer.slots().min(buf.len());
            let avail = avail - avail % ch;
            if avail == 0 {
                return Ok(total);
            }
            let chunk = self
                .consumer
                .read_chunk(avail)
                .map_err(|_| AudioError::Timeout)?;
            let (a, b) = chunk.as_slices();
            buf[..a.len()].copy_from_slice(a);
            buf[a.len()..a.len() + b.len()].copy_from_slice(b);
            chunk.commit_all();
            total += avail;
            for frame in buf[..avail].chunks_exact(ch) {
                self.pending.push(frame.iter().sum::<f32>() / ch as f32);
                self.mono_in += 1;
                if self.pending.len() == self.chunk {
                    self.resample_pending(None)?;
                }
            }
            if self.reached() {
                return Ok(total);
            }
        }
    }

    /// Resample the pending chunk (`partial` = how many of it are real at the end) and write.
    fn resample_pending(&mut self, partial: Option<usize>) -> Result<()> {
        let Some(rs) = self.resampler.as_mut() else {
            let samples = std::mem::take(&mut self.pending);
            self.write_out(&samples)?;
            self.pending = samples;
            self.pending.clear();
            return Ok(());
        };
        let frames = self.pending.len();
        self.pending.resize(self.chunk, 0.0);
        let out_len = self.out.len();
        let produced = {
            let input = InterleavedSlice::new(&self.pending[..], 1, self.chunk).map_err(backend)?;
            let mut output =
                InterleavedSlice::new_mut(&mut self.out[..], 1, out_len).map_err(backend)?;
            let indexing = Indexing {
                input_offset: 0,
                output_offset: 0,
                partial_len: partial.map(|p| p.min(frames)),
                active_channels_mask: None,
            };
            rs.process_into_buffer(&input, &mut output, Some(&indexing))
                .map_err(backend)?
                .1
        };
        self.pending.clear();
        let skip = self.skip.min(produced);
        self.skip -= skip;
        let out = std::mem::take(&mut self.out);
        let r = self.write_out(&out[skip..produced]);
        self.out = out;
        r
    }

    fn write_out(&mut self, samples: &[f32]) -> Result<()> {
        let room = self
            .target
            .map_or(samples.len() as u64, |t| t.saturating_sub(self.written));
        let samples = &samples[..samples.len().min(room as usize)];
        if samples.is_empty() {
            return Ok(());
        }
        let Some(wav) = self.wav.as_mut() else {
            return Ok(());
        };
        self.bytes.clear();
        {
            let mut w = wav.get_i16_writer(samples.len() as u32);
            for &s in samples {
                let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                w.write_sample(v);
                self.bytes.extend_from_slice(&v.to_le_bytes());
            }
            w.flush()?;
        }
        self.hash.update(&self.bytes);
        self.written += samples.len() as u64;
        self.unsynced = true;
        let events = self.options.events.clone();
        self.meter.push(samples, |rms, peak| {
            if let Some(tx) = &events {
                let _ = tx.send(AudioEvent::Level {
                    rms_dbfs: dbfs(rms),
                    peak,
                });
            }
        });
        Ok(())
    }

    /// Update the header and hand everything written to the kernel.
    fn flush(&mut self) -> Result<()> {
        if let Some(wav) = self.wav.as_mut() {
            wav.flush()?;
        }
        self.shared.written.store(self.written, Ordering::Release);
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        self.flush()?;
        if self.wav.is_some() {
            self.sync_handle.sync_data()?;
        }
        self.unsynced = false;
        self.shared.synced.store(self.written, Ordering::Release);
        let gap = self.last_sync.elapsed();
        self.max_gap = self.max_gap.max(gap);
        self.last_sync = Instant::now();
        self.syncs += 1;
        Ok(())
    }

    /// Flush the resampler's tail, finalise the header, sync, hash; report.
    pub(super) fn finish(&mut self, outcome: Result<StopReason>) -> Result<RecordingResult> {
        self.shared.done.store(true, Ordering::Release);
        let reason = match outcome {
            Ok(r) => r,
            Err(e) => {
                // Keep what was written valid before reporting the failure.
                if let Some(wav) = self.wav.take() {
                    let _ = wav.finalize();
                    let _ = self.sync_handle.sync_all();
                }
                return Err(e);
            }
        };
        if reason != StopReason::Duration && self.resampler.is_some() {
            // The audio still inside the resampler: what the device gave, at the output rate.
            let expected = self.mono_in * u64::from(RECORD_RATE) / u64::from(self.format.rate);
            let limit = self.target.map_or(expected, |t| t.min(expected));
            self.target = Some(limit);
            let mut rounds = 0;
            while self.written < limit && rounds < 8 {
                let real = self.pending.len();
                self.resample_pending(Some(real))?;
                rounds += 1;
            }
        } else if self.resampler.is_none() && !self.pending.is_empty() {
            self.resample_pending(None)?;
        }
        if let Some(wav) = self.wav.take() {
            wav.finalize()?;
        }
        let gap = self.last_sync.elapsed();
        self.max_gap = self.max_gap.max(gap);
        self.syncs += 1;
        self.sync_handle.sync_all()?;
        self.shared.written.store(self.written, Ordering::Release);
        self.shared.synced.store(self.written, Ordering::Release);
        let wall = self.started.elapsed();

        let data_hash =
            std::mem::replace(&mut self.hash, digest::Context::new(&digest::SHA256)).finish();
        let sha256 = verify_and_hash(&self.options.path, self.written * 2, data_hash.as_ref())?;
        let result = RecordingResult {
            path: self.options.path.clone(),
            sha256,
            duration_ms: self.written * 1000 / u64::from(RECORD_RATE),
            samples: self.written,
            levels: self.meter.stats(),
            stopped_by: reason,
            capture: CaptureStats {
                device_rate: self.format.rate,
                device_channels: self.format.channels,
                device_format: self.format.format.to_string(),
                period_frames: self.format.period,
                frames_captured: self.shared.frames_captured.load(Ordering::Relaxed),
                lost_samples: self.shared.lost_samples.load(Ordering::Relaxed),
                stream_errors: u32::try_from(self.shared.stream_errors.load(Ordering::Relaxed))
                    .unwrap_or(u32::MAX),
                syncs: self.syncs,
                max_sync_gap_ms: self.max_gap.as_millis() as u64,
                wall_ms: wall.as_millis() as u64,
            },
        };
        if reason == StopReason::DeviceLost {
            if let Some(tx) = &self.options.events {
                let _ = tx.send(AudioEvent::DeviceLost {
                    direction: Direction::Input,
                });
            }
            return Err(AudioError::DeviceLost {
                partial: Some(Box::new(result)),
            });
        }
        Ok(result)
    }
}

fn backend(e: impl std::fmt::Display) -> AudioError {
    AudioError::Backend(cpal::Error::with_message(
        cpal::ErrorKind::Other,
        e.to_string(),
    ))
}

/// Hash the finished file and check that its data part is what the writer hashed on the way.
fn verify_and_hash(path: &Path, data_bytes: u64, data_hash: &[u8]) -> Result<String> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let header = len
        .checked_sub(data_bytes)
        .ok_or_else(|| AudioError::HashMismatch(path.to_path_buf()))?;
    let mut whole = digest::Context::new(&digest::SHA256);
    let mut data = digest::Context::new(&digest::SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    let mut pos = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        whole.update(&buf[..n]);
        let start = header.saturating_sub(pos).min(n as u64) as usize;
        data.update(&buf[start..n]);
        pos += n as u64;
    }
    if data.finish().as_ref() != data_hash {
        return Err(AudioError::HashMismatch(path.to_path_buf()));
    }
    Ok(hex::encode(whole.finish().as_ref()))
}
