//! Crash-safe microphone recording.
//!
//! cpal callback → lock-free ring buffer (rtrb) → writer thread: downmix to mono, resample
//! (rubato) to [`RECORD_RATE`] Hz, 16-bit PCM through hound; every [`SYNC_INTERVAL`] the header
//! is updated (`flush`) and the data synced (`sync_data`), so at most that much audio is at risk
//! on power loss. The callback never locks, allocates or touches a file.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};
use ring::digest;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};
use serde::Serialize;
use ts_rs::TS;

use crate::devices::{self, Direction};
use crate::error::{AudioError, Result};
use crate::levels::{dbfs, LevelMeter, LevelStats};
use crate::{AudioEvent, RECORD_BITS, RECORD_CHANNELS, RECORD_RATE};

/// The header is updated and the data synced at least this often.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(500);
/// No samples for this long while recording means the device is gone.
pub const STALL_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long to wait for a stream to close before leaving it behind on its thread.
pub const DROP_TIMEOUT: Duration = Duration::from_secs(2);
/// Seconds of device audio the ring buffer holds.
const RING_SECONDS: u32 = 2;
const RESAMPLER_CHUNK: usize = 1024;
const WRITER_TICK: Duration = Duration::from_millis(50);

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// What to record and how.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The WAV file to write (created or replaced).
    pub path: PathBuf,
    /// Input device id; `None` = the system default.
    pub device: Option<String>,
    /// Stop after exactly this much audio; `None` = until [`Recording::stop`].
    pub duration: Option<Duration>,
    /// Level and device events (for the meter and the organizer's alerts).
    pub events: Option<Sender<AudioEvent>>,
    /// The device period requested, in frames; `None` = 300 ms at the device's rate (PulseAudio's
    /// ALSA plugin grants about two thirds: 200 ms). cpal keeps two periods in the device buffer.
    /// Short periods cost CPU: cpal's ALSA loop spins on the pulse plugin's poll descriptor until a
    /// whole period is there (measured here: 13 ms → 34 % of a core, 44 ms → 15 %, 133 ms → 6 %,
    /// 200 ms → 2 %), and with a tiny buffer the server drops audio when the machine is busy.
    pub period_frames: Option<u32>,
}

impl RecordOptions {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            device: None,
            duration: None,
            events: None,
            period_frames: None,
        }
    }
}

/// Why a recording ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The requested duration was reached.
    Duration,
    /// [`Recording::stop`] was called.
    Request,
    /// The device went away; the file holds everything up to that moment.
    DeviceLost,
}

/// Figures about the capture itself (for the benchmark and the log).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaptureStats {
    pub device_rate: u32,
    pub device_channels: u16,
    pub device_format: String,
    /// Device period in frames, as the driver granted it.
    pub period_frames: u32,
    /// Device frames the callback delivered.
    #[ts(type = "number")]
    pub frames_captured: u64,
    /// Device samples dropped because the ring buffer was full (goal: 0).
    #[ts(type = "number")]
    pub lost_samples: u64,
    /// Overruns and other non-fatal stream errors reported by the driver.
    pub stream_errors: u32,
    /// Header updates + `sync_data` calls.
    pub syncs: u32,
    /// The largest time between two syncs (or the start and the first sync), in ms.
    #[ts(type = "number")]
    pub max_sync_gap_ms: u64,
    /// Wall time from the stream start to the end, in ms.
    #[ts(type = "number")]
    pub wall_ms: u64,
}

/// A finished recording.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RecordingResult {
    #[ts(type = "string")]
    pub path: PathBuf,
    /// SHA-256 of the whole WAV file, lowercase hex.
    pub sha256: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Mono frames (= samples) written at [`RECORD_RATE`].
    #[ts(type = "number")]
    pub samples: u64,
    pub levels: LevelStats,
    pub stopped_by: StopReason,
    pub capture: CaptureStats,
}

impl RecordingResult {
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.duration_ms)
    }
}

struct Shared {
    stop: AtomicBool,
    done: AtomicBool,
    device_lost: AtomicBool,
    stream_errors: AtomicU64,
    lost_samples: AtomicU64,
    frames_captured: AtomicU64,
    written: AtomicU64,
}

/// A recording in progress. Dropping it stops the recording and keeps the file.
pub struct Recording {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<Result<RecordingResult>>>,
}

struct ActiveGuard;

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        ACTIVE.store(false, Ordering::Release);
    }
}

struct StreamFormat {
    rate: u32,
    channels: u16,
    format: cpal::SampleFormat,
    period: u32,
}

impl Recording {
    /// Open the input device and start writing `options.path`.
    pub fn start(options: RecordOptions) -> Result<Recording> {
        if ACTIVE
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(AudioError::AlreadyRecording);
        }
        let guard = ActiveGuard;
        let (device, config) = devices::open(options.device.as_deref(), Direction::Input)?;
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            done: AtomicBool::new(false),
            device_lost: AtomicBool::new(false),
            stream_errors: AtomicU64::new(0),
            lost_samples: AtomicU64::new(0),
            frames_captured: AtomicU64::new(0),
            written: AtomicU64::new(0),
        });
        let rate = config.sample_rate();
        let channels = config.channels();
        let period = options.period_frames.unwrap_or(rate * 3 / 10).max(64);
        let capacity = (rate * u32::from(channels) * RING_SECONDS) as usize;
        let (producer, consumer) = rtrb::RingBuffer::<f32>::new(capacity);

        // Open the WAV before the device so a bad path fails without touching the sound system.
        let file = File::create(&options.path)?;
        let sync_handle = file.try_clone()?;
        let spec = hound::WavSpec {
            channels: RECORD_CHANNELS,
            sample_rate: RECORD_RATE,
            bits_per_sample: RECORD_BITS,
            sample_format: hound::SampleFormat::Int,
        };
        let wav = hound::WavWriter::new(BufWriter::with_capacity(64 * 1024, file), spec)?;
        sync_handle.sync_all()?;

        // The stream thread: builds the stream, plays it, and drops it when told to.
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<StreamFormat>>(1);
        let (close_tx, close_rx) = mpsc::channel::<()>();
        let (closed_tx, closed_rx) = mpsc::channel::<()>();
        let stream_shared = shared.clone();
        thread::Builder::new()
            .name("vpr-audio-in".into())
            .spawn(move || {
                stream_thread(
                    device,
                    config,
                    period,
                    producer,
                    stream_shared,
                    ready_tx,
                    close_rx,
                    closed_tx,
                )
            })?;
        let format = match ready_rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(f)) => f,
            Ok(Err(e)) => {
                drop(wav);
                let _ = std::fs::remove_file(&options.path);
                return Err(e);
            }
            Err(_) => {
                drop(wav);
                let _ = std::fs::remove_file(&options.path);
                return Err(AudioError::Timeout);
            }
        };

        let writer_shared = shared.clone();
        let writer = thread::Builder::new()
            .name("vpr-wav-writer".into())
            .spawn(move || {
                let _guard = guard;
                let mut w =
                    Writer::new(options, format, wav, sync_handle, writer_shared, consumer)?;
                let outcome = w.run();
                let _ = close_tx.send(());
                let finished = w.finish(outcome);
                if closed_rx.recv_timeout(DROP_TIMEOUT).is_err() {
                    tracing::warn!(
                        "входной поток не закрылся за {DROP_TIMEOUT:?}: оставлен в своём потоке"
                    );
                }
                finished
            })?;
        Ok(Recording {
            shared,
            writer: Some(writer),
        })
    }

    /// Seconds of audio written so far.
    pub fn elapsed(&self) -> Duration {
        Duration::from_secs_f64(
            self.shared.written.load(Ordering::Relaxed) as f64 / f64::from(RECORD_RATE),
        )
    }

    /// The recording has ended on its own (duration reached or device lost).
    pub fn is_finished(&self) -> bool {
        self.shared.done.load(Ordering::Acquire)
    }

    /// Stop now and return the finished recording.
    pub fn stop(mut self) -> Result<RecordingResult> {
        self.shared.stop.store(true, Ordering::Release);
        self.join()
    }

    /// Wait until the requested duration is reached (or the device is lost). For a recording
    /// without a duration this returns only on a device loss: end it with [`Recording::stop`].
    pub fn wait(mut self) -> Result<RecordingResult> {
        self.join()
    }

    fn join(&mut self) -> Result<RecordingResult> {
        match self.writer.take() {
            Some(h) => h.join().unwrap_or_else(|_| Err(AudioError::Timeout)),
            None => Err(AudioError::Timeout),
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if let Some(h) = self.writer.take() {
            self.shared.stop.store(true, Ordering::Release);
            let _ = h.join();
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn stream_thread(
    device: cpal::Device,
    supported: cpal::SupportedStreamConfig,
    period: u32,
    producer: rtrb::Producer<f32>,
    shared: Arc<Shared>,
    ready: SyncSender<Result<StreamFormat>>,
    close: Receiver<()>,
    closed: Sender<()>,
) {
    let format = supported.sample_format();
    let mut config = supported.config();
    config.buffer_size = match supported.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } if (*min..=*max).contains(&period) => {
            cpal::BufferSize::Fixed(period)
        }
        _ => cpal::BufferSize::Default,
    };
    let built = match format {
        cpal::SampleFormat::F32 => build::<f32>(&device, &config, producer, &shared),
        cpal::SampleFormat::I16 => build::<i16>(&device, &config, producer, &shared),
        cpal::SampleFormat::I32 => build::<i32>(&device, &config, producer, &shared),
        cpal::SampleFormat::U16 => build::<u16>(&device, &config, producer, &shared),
        cpal::SampleFormat::U8 => build::<u8>(&device, &config, producer, &shared),
        cpal::SampleFormat::I8 => build::<i8>(&device, &config, producer, &shared),
        other => Err(AudioError::UnsupportedFormat(cpal::Error::with_message(
            cpal::ErrorKind::UnsupportedConfig,
            format!("sample format {other}"),
        ))),
    };
    let stream = match built.and_then(|s| s.play().map(|()| s).map_err(AudioError::from_input)) {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let granted = stream.buffer_size().unwrap_or(period);
    let _ = ready.send(Ok(StreamFormat {
        rate: config.sample_rate,
        channels: config.channels,
        format,
        period: granted,
    }));
    // Wait for the writer to finish (or to vanish), then close the stream. With a dead sound
    // server this drop may block: the writer does not wait for it longer than DROP_TIMEOUT.
    let _ = close.recv();
    drop(stream);
    drop(shared);
    let _ = closed.send(());
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut producer: rtrb::Producer<f32>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream>
where
    T: cpal::SizedSample,
    f32: cpal::FromSample<T>,
{
    let data_shared = shared.clone();
    let err_shared = shared.clone();
    let channels = u64::from(config.channels.max(1));
    device
        .build_input_stream::<T, _, _>(
            *config,
            move |data: &[T], _: &cpal::InputCallbackInfo| {
                // Real-time path: no locks, no allocation, no I/O.
                let n = data.len().min(producer.slots());
                if let Ok(chunk) = producer.write_chunk_uninit(n) {
                    chunk.fill_from_iter(data.iter().map(|s| cpal::Sample::to_sample::<f32>(*s)));
                }
                if n < data.len() {
                    data_shared
                        .lost_samples
                        .fetch_add((data.len() - n) as u64, Ordering::Relaxed);
                }
                data_shared
                    .frames_captured
                    .fetch_add(data.len() as u64 / channels, Ordering::Relaxed);
            },
            move |e: cpal::Error| match e.kind() {
                cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated => {
                    tracing::warn!("входное устройство потеряно: {e}");
                    err_shared.device_lost.store(true, Ordering::Release);
                }
                _ => {
                    tracing::debug!("ошибка входного потока (запись продолжается): {e}");
                    err_shared.stream_errors.fetch_add(1, Ordering::Relaxed);
                }
            },
            Some(Duration::from_secs(5)),
        )
        .map_err(AudioError::from_input)
}

type Wav = hound::WavWriter<BufWriter<File>>;

struct Writer {
    options: RecordOptions,
    format: StreamFormat,
    wav: Option<Wav>,
    sync_handle: File,
    shared: Arc<Shared>,
    consumer: rtrb::Consumer<f32>,
    resampler: Option<Fft<f32>>,
    /// Mono input waiting for a full resampler chunk.
    pending: Vec<f32>,
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
    fn new(
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
            pending: Vec::with_capacity(RESAMPLER_CHUNK * 2),
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
    fn run(&mut self) -> Result<StopReason> {
        let mut interleaved =
            vec![0.0f32; (self.format.rate * u32::from(self.format.channels)) as usize / 10];
        let mut last_data = Instant::now();
        let mut had_data = false;
        loop {
            let got = self.drain(&mut interleaved)?;
            if got > 0 {
                last_data = Instant::now();
                had_data = true;
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
            if self.last_sync.elapsed() >= SYNC_INTERVAL {
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
                if self.pending.len() == RESAMPLER_CHUNK {
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
        self.pending.resize(RESAMPLER_CHUNK, 0.0);
        let out_len = self.out.len();
        let produced = {
            let input =
                InterleavedSlice::new(&self.pending[..], 1, RESAMPLER_CHUNK).map_err(backend)?;
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
        self.shared.written.store(self.written, Ordering::Relaxed);
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

    fn sync(&mut self) -> Result<()> {
        if let Some(wav) = self.wav.as_mut() {
            wav.flush()?;
            self.sync_handle.sync_data()?;
        }
        let gap = self.last_sync.elapsed();
        self.max_gap = self.max_gap.max(gap);
        self.last_sync = Instant::now();
        self.syncs += 1;
        Ok(())
    }

    /// Flush the resampler's tail, finalise the header, sync, hash; report.
    fn finish(&mut self, outcome: Result<StopReason>) -> Result<RecordingResult> {
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
