//! Levels for the meter, silence and clipping flags, and a Goertzel tone detector.

use serde::Serialize;
use ts_rs::TS;

/// Below this loudest-window RMS (dBFS) a recording counts as silent: «микрофон не записывает звук».
pub const SILENCE_DBFS: f32 = -45.0;
/// A sample at or above this magnitude counts as clipped.
pub const CLIP_LEVEL: f32 = 0.995;
/// More than this share of clipped samples flags the recording as clipped.
pub const CLIP_SHARE: f64 = 0.001;
/// The meter window.
pub const WINDOW_MS: u32 = 50;

/// Level statistics of a recording (or of a WAV file analysed afterwards).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LevelStats {
    /// The highest sample magnitude, 0.0..=1.0.
    pub peak: f32,
    /// RMS over the whole recording, 0.0..=1.0.
    pub rms: f32,
    /// The loudest 50 ms window's RMS in dBFS (−∞ is reported as −120).
    pub max_window_dbfs: f32,
    #[ts(type = "number")]
    pub clipped_samples: u64,
    /// The level stayed near silence: the microphone probably records nothing.
    pub silent: bool,
    /// Too many samples hit full scale: the microphone gain is too high.
    pub clipped: bool,
}

/// dBFS of a linear level, floored at −120.
pub fn dbfs(level: f32) -> f32 {
    if level <= 1e-6 {
        -120.0
    } else {
        (20.0 * level.log10()).max(-120.0)
    }
}

/// Accumulates samples; yields a (rms, peak) pair every window and the statistics at the end.
#[derive(Debug, Clone)]
pub struct LevelMeter {
    window: usize,
    win_sum: f64,
    win_peak: f32,
    win_len: usize,
    total_sum: f64,
    total_len: u64,
    peak: f32,
    max_window_rms: f32,
    clipped: u64,
}

impl LevelMeter {
    pub fn new(sample_rate: u32) -> Self {
        Self {
            window: ((sample_rate * WINDOW_MS / 1000) as usize).max(1),
            win_sum: 0.0,
            win_peak: 0.0,
            win_len: 0,
            total_sum: 0.0,
            total_len: 0,
            peak: 0.0,
            max_window_rms: 0.0,
            clipped: 0,
        }
    }

    /// Feed samples; `on_window(rms, peak)` is called for each completed window.
    pub fn push(&mut self, samples: &[f32], mut on_window: impl FnMut(f32, f32)) {
        for &s in samples {
            let a = s.abs();
            let sq = f64::from(s) * f64::from(s);
            self.win_sum += sq;
            self.total_sum += sq;
            self.total_len += 1;
            self.win_len += 1;
            if a > self.win_peak {
                self.win_peak = a;
            }
            if a >= CLIP_LEVEL {
                self.clipped += 1;
            }
            if self.win_len == self.window {
                let rms = (self.win_sum / self.win_len as f64).sqrt() as f32;
                self.max_window_rms = self.max_window_rms.max(rms);
                self.peak = self.peak.max(self.win_peak);
                on_window(rms, self.win_peak);
                self.win_sum = 0.0;
                self.win_peak = 0.0;
                self.win_len = 0;
            }
        }
    }

    pub fn stats(&self) -> LevelStats {
        let mut max_window_rms = self.max_window_rms;
        let mut peak = self.peak.max(self.win_peak);
        if self.win_len > 0 {
            max_window_rms = max_window_rms.max((self.win_sum / self.win_len as f64).sqrt() as f32);
            peak = peak.max(self.win_peak);
        }
        let rms = if self.total_len == 0 {
            0.0
        } else {
            (self.total_sum / self.total_len as f64).sqrt() as f32
        };
        let max_window_dbfs = dbfs(max_window_rms);
        LevelStats {
            peak,
            rms,
            max_window_dbfs,
            clipped_samples: self.clipped,
            silent: max_window_dbfs < SILENCE_DBFS,
            clipped: self.total_len > 0 && self.clipped as f64 / self.total_len as f64 > CLIP_SHARE,
        }
    }
}

/// Level statistics of mono samples at `sample_rate`.
pub fn analyze(samples: &[f32], sample_rate: u32) -> LevelStats {
    let mut m = LevelMeter::new(sample_rate);
    m.push(samples, |_, _| {});
    m.stats()
}

/// Level statistics of a WAV file.
pub fn analyze_wav(path: &std::path::Path) -> crate::Result<LevelStats> {
    let (samples, rate) = crate::wav::read_mono(path)?;
    Ok(analyze(&samples, rate))
}

/// Goertzel: the amplitude of the `freq` component of `samples` (a full-scale sine gives ≈1.0).
pub fn tone_amplitude(samples: &[f32], sample_rate: u32, freq: f32) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let w = 2.0 * std::f64::consts::PI * f64::from(freq) / f64::from(sample_rate);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in samples {
        let s0 = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    (2.0 * power.max(0.0).sqrt() / samples.len() as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, secs: f32, amp: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| amp * (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn goertzel_finds_the_tone_and_not_its_neighbour() {
        let s = sine(1000.0, 22_050, 1.0, 0.5);
        let at = tone_amplitude(&s, 22_050, 1000.0);
        let off = tone_amplitude(&s, 22_050, 1500.0);
        assert!((at - 0.5).abs() < 0.02, "{at}");
        assert!(off < 0.01, "{off}");
    }

    #[test]
    fn silence_and_clipping_flags() {
        let quiet = analyze(&vec![0.0; 22_050], 22_050);
        assert!(quiet.silent && !quiet.clipped);
        let loud = analyze(&sine(440.0, 22_050, 1.0, 0.3), 22_050);
        assert!(!loud.silent && !loud.clipped, "{loud:?}");
        let clipped: Vec<f32> = sine(440.0, 22_050, 1.0, 3.0)
            .iter()
            .map(|s| s.clamp(-1.0, 1.0))
            .collect();
        let c = analyze(&clipped, 22_050);
        assert!(c.clipped && !c.silent, "{c:?}");
    }
}
