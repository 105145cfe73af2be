//! Crash-safe microphone recording.
//!
//! cpal callback → lock-free ring buffer (rtrb) → writer thread: downmix to mono, resample
//! (rubato) to [`RECORD_RATE`] Hz, 16-bit PCM through hound. The callback never locks,
//! allocates or touches a file.
//!
//! # Audio at risk (issue 15: ≤ 0.5 s on a kill and on a power cut)
//!
//! The writer hands every resampled chunk to the kernel (`write()`, header updated) as soon as
//! it has it, and syncs (`sync_data`) right after each new burst of data (bursts closer than
//! [`SYNC_SPACING`] share one), at least every [`SYNC_INTERVAL`]. The audio at risk, from the
//! moment sound enters the microphone, term by term (PulseAudio 16, null sink `vmic`, 48 kHz
//! stereo f32 in, 2 cores loaded by five parallel builds):
//!
//! | term | bound | measured |
//! |---|---|---|
//! | device/server buffering | one period: [`DEFAULT_PERIOD`] asked | 9600 frames @ 48 kHz = 200 ms granted |
//! | ring-buffer residence | one writer tick ([`WRITER_TICK`]) | ≤ 10 ms (+ scheduling) |
//! | resampler (rubato `Fft`) | one input chunk + its delay | 320 frames = 6.7 ms + 73 out frames = 3.3 ms |
//! | user-space buffer | none: `write()` after every drain | 0 |
//! | **on a kill** (page cache survives) | the sum: ≈ 220 ms | worst 264 ms, median 122 ms (200 kills) |
//! | unsynced data (power cut only) | one `sync_data` after the burst; a late burst | + a few ms; + one period when a burst is late |
//! | **on a power cut** | ≈ 220 ms + sync, ≤ 420 ms with a late burst | worst 360 ms, median 133 ms (200 kills) |
//!
//! Before (64 KiB buffer written only at each 500 ms sync, 50 ms tick, 1024-frame chunks),
//! same bench, same conditions: see `src-tauri/crates/cli/src/bench/crash_audio.rs`. Measured
//! with `vpr bench crash --audio --kills 200`; the cost with `vpr bench record --seconds 60`:
//! 0 lost samples, recording threads 2.86 % of a core (before: 2.66 %), 310 syncs a minute
//! (before: 117), the largest gap between syncs 274 ms (before: 559 ms).
//!
//! A shorter device period would cut the first term, but cpal's ALSA loop spins on the pulse
//! plugin's poll descriptor until a whole period is there: measured with `vpr bench record`,
//! recording threads at 200 ms granted → 2.7 % of a core, 67 ms → 8.7 %, 50 ms → 18.8 %
//! (goal ≤ 3 %). So the period stays at 200 ms and the rest of the path is made short.
//!
//! [`Recording::progress`] exposes the counters (when the first captured frame entered the
//! device, frames written, frames synced), so a crash bench or a test can tell how much was at
//! risk at any moment.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime};

use cpal::traits::{DeviceTrait, StreamTrait};
use serde::Serialize;
use ts_rs::TS;

use crate::devices::{self, Direction};
use crate::error::{AudioError, Result};
use crate::levels::LevelStats;
use crate::{AudioEvent, RECORD_BITS, RECORD_CHANNELS, RECORD_RATE};

mod writer;
use writer::Writer;

/// The header is updated and the data synced at least this often (and right after each new
/// burst of data from the device, see the module docs).
pub const SYNC_INTERVAL: Duration = Duration::from_millis(200);
/// Two syncs are at least this far apart (a burst of callbacks costs one `sync_data`).
pub const SYNC_SPACING: Duration = Duration::from_millis(80);
/// The device period asked for when [`RecordOptions::period_frames`] is `None`.
pub const DEFAULT_PERIOD: Duration = Duration::from_millis(300);
/// No samples for this long while recording means the device is gone.
pub const STALL_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long to wait for a stream to close before leaving it behind on its thread.
pub const DROP_TIMEOUT: Duration = Duration::from_secs(2);
/// Seconds of device audio the ring buffer holds.
const RING_SECONDS: u32 = 2;
/// Resampler input chunk, in device frames (the rubato `Fft` rounds it to its block size).
const RESAMPLER_CHUNK: usize = 320;
/// How often the writer looks into the ring buffer.
pub const WRITER_TICK: Duration = Duration::from_millis(10);

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
    /// The device period requested, in frames; `None` = [`DEFAULT_PERIOD`] at the device's rate
    /// (PulseAudio's ALSA plugin grants about two thirds: 200 ms). cpal keeps two periods in the
    /// device buffer. Short periods cost CPU: cpal's ALSA loop spins on the pulse plugin's poll
    /// descriptor until a whole period is there (measured with `vpr bench record`, recording
    /// threads: 50 ms granted → 18.8 % of a core, 67 ms → 8.7 %, 200 ms → 2.7 %), and with a tiny
    /// buffer the server drops audio when the machine is busy.
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
    synced: AtomicU64,
    /// Unix time (ns) the first captured frame entered the device, at the latest: the smallest
    /// `now − frames so far / rate` over the callbacks (`u64::MAX` before the first one).
    origin_ns: AtomicU64,
}

/// Where a recording stands (read from atomics: cheap, any thread, any time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// When the first captured frame entered the device (at the latest); `None` before the
    /// first callback.
    pub origin: Option<SystemTime>,
    /// Device frames the callback delivered.
    pub frames_captured: u64,
    /// Frames at [`RECORD_RATE`] handed to the kernel (`write()`): they survive a kill.
    pub written: u64,
    /// Frames at [`RECORD_RATE`] covered by a completed `sync_data`: they survive a power cut.
    pub synced: u64,
}

impl Progress {
    /// Audio that entered the device up to `now` but is not written / not synced yet:
    /// what a kill / a power cut at `now` would lose. `None` before the first callback.
    pub fn at_risk(&self, now: SystemTime) -> Option<(Duration, Duration)> {
        let heard = now.duration_since(self.origin?).unwrap_or_default();
        let secs = |frames: u64| Duration::from_secs_f64(frames as f64 / f64::from(RECORD_RATE));
        Some((
            heard.saturating_sub(secs(self.written)),
            heard.saturating_sub(secs(self.synced)),
        ))
    }
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
            synced: AtomicU64::new(0),
            origin_ns: AtomicU64::new(u64::MAX),
        });
        let rate = config.sample_rate();
        let channels = config.channels();
        let default_period = (f64::from(rate) * DEFAULT_PERIOD.as_secs_f64()) as u32;
        let period = options.period_frames.unwrap_or(default_period).max(64);
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

    /// The counters a crash bench needs: see [`Progress`].
    pub fn progress(&self) -> Progress {
        let origin = self.shared.origin_ns.load(Ordering::Acquire);
        Progress {
            origin: (origin != u64::MAX)
                .then(|| SystemTime::UNIX_EPOCH + Duration::from_nanos(origin)),
            frames_captured: self.shared.frames_captured.load(Ordering::Acquire),
            written: self.shared.written.load(Ordering::Acquire),
            synced: self.shared.synced.load(Ordering::Acquire),
        }
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
    let rate = u128::from(config.sample_rate.max(1));
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
                let frames = data.len() as u64 / channels;
                let total = data_shared
                    .frames_captured
                    .fetch_add(frames, Ordering::AcqRel)
                    + frames;
                // The frames just delivered entered the device no later than now: the first one
                // entered at most `total / rate` before (a vDSO clock read, no system call).
                if let Ok(now) = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
                    let span = u128::from(total) * 1_000_000_000 / rate;
                    let origin = now.as_nanos().saturating_sub(span);
                    data_shared
                        .origin_ns
                        .fetch_min(u64::try_from(origin).unwrap_or(u64::MAX), Ordering::AcqRel);
                }
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
