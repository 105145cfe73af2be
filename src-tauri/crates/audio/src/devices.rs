//! Input and output devices: listing with stable ids, checking by opening a config, the saved choice.

use std::path::Path;
use std::str::FromStr;

use cpal::traits::{DeviceTrait, HostTrait};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    error::{AudioError, Result},
    names,
};

/// Which way a device carries sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Input,
    Output,
}

/// A device as the technician sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeviceInfo {
    /// Stable id (`host:device`, e.g. `alsa:pulse`): persist this one.
    pub id: String,
    /// A human name.
    pub name: String,
    pub direction: Direction,
    /// The system's default device for this direction.
    pub is_default: bool,
}

/// What a device check found: the device opens and this is the format it will use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeviceCheck {
    pub id: String,
    pub name: String,
    pub sample_rate: u32,
    pub channels: u16,
    pub sample_format: String,
}

/// The devices chosen for this station (saved next to the station's settings).
///
/// No `Default`: "not set up yet" is [`AudioSettings::read`] returning
/// `None`, and the stand-in for it is [`AudioSettings::system_defaults`]
/// (full volume), never a zero volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AudioSettings {
    /// Input device id; `None` = the system default.
    pub input: Option<String>,
    /// Output device id; `None` = the system default.
    pub output: Option<String>,
    /// Station volume for listening tracks, 0.0..=1.0.
    #[serde(default = "full_volume")]
    pub volume: f32,
}

fn full_volume() -> f32 {
    1.0
}

/// `audio.json` is at most this long (a few device ids and a number).
const MAX_SETTINGS_BYTES: u64 = 64 * 1024;

impl AudioSettings {
    /// The system's default devices at full volume.
    pub fn system_defaults() -> Self {
        Self {
            input: None,
            output: None,
            volume: full_volume(),
        }
    }

    /// Read the saved choice: `Ok(None)` when nothing was saved yet (no
    /// file); an error when the file exists but cannot be read, is not
    /// valid JSON or holds a volume outside 0..=1.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        use serde::de::Error as _;
        let bytes = match std::fs::File::open(path) {
            Ok(f) => {
                use std::io::Read;
                let mut bytes = Vec::new();
                f.take(MAX_SETTINGS_BYTES + 1).read_to_end(&mut bytes)?;
                if bytes.len() as u64 > MAX_SETTINGS_BYTES {
                    return Err(AudioError::Settings(serde_json::Error::custom(format!(
                        "{} is longer than {MAX_SETTINGS_BYTES} bytes",
                        path.display()
                    ))));
                }
                bytes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let settings: Self = serde_json::from_slice(&bytes)?;
        if !(0.0..=1.0).contains(&settings.volume) {
            return Err(AudioError::Settings(serde_json::Error::custom(format!(
                "volume {} outside 0..=1",
                settings.volume
            ))));
        }
        Ok(Some(settings))
    }

    /// The saved choice, or the system defaults when nothing was saved yet;
    /// an unreadable file is an error, never a silent default.
    pub fn load(path: &Path) -> Result<Self> {
        Ok(Self::read(path)?.unwrap_or_else(Self::system_defaults))
    }

    /// Save atomically (temporary file, fsync, rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let tmp = path.with_extension("json.tmp");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(self)?)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

/// ALSA's `null` device swallows everything: never offer it, never fall back to it.
fn is_null(id: &str) -> bool {
    id.rsplit_once(':').map_or(id, |(_, d)| d) == "null" || id == "alsa:null"
}

fn device_id(d: &cpal::Device) -> Option<String> {
    d.id().ok().map(|id| id.to_string())
}

fn device_name(d: &cpal::Device) -> String {
    d.description()
        .map(|desc| desc.name().to_owned())
        .unwrap_or_else(|_| d.to_string())
}

/// Every input and output device the system offers (without opening them).
pub fn list_devices() -> Result<Vec<DeviceInfo>> {
    let host = cpal::default_host();
    let default_in = host.default_input_device().as_ref().and_then(device_id);
    let default_out = host.default_output_device().as_ref().and_then(device_id);
    let server_in = names::server_default_description(Direction::Input);
    let server_out = names::server_default_description(Direction::Output);
    let mut out = Vec::new();
    for d in host.devices().map_err(AudioError::Backend)? {
        let Some(id) = device_id(&d) else { continue };
        let pcm = names::pcm_of(&id).to_string();
        let pcm = pcm.as_str();
        if is_null(&id) || names::is_plugin(pcm) {
            continue;
        }
        let alsa_name = device_name(&d);
        let server = |s: &Option<String>| s.clone().filter(|_| names::is_sound_server(pcm));
        if d.supports_input() {
            out.push(DeviceInfo {
                is_default: default_in.as_deref() == Some(id.as_str()),
                id: id.clone(),
                name: names::human_name(pcm, &alsa_name, server(&server_in).as_deref()),
                direction: Direction::Input,
            });
        }
        if d.supports_output() {
            out.push(DeviceInfo {
                is_default: default_out.as_deref() == Some(id.as_str()),
                id,
                name: names::human_name(pcm, &alsa_name, server(&server_out).as_deref()),
                direction: Direction::Output,
            });
        }
    }
    // The default first, then by name.
    out.sort_by(|a, b| {
        b.is_default
            .cmp(&a.is_default)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(out)
}

/// Find a device by its id, or the default one; its config is opened, so a device that merely
/// exists but cannot work (no sound server, no card) is reported as missing.
pub(crate) fn open(
    id: Option<&str>,
    dir: Direction,
) -> Result<(cpal::Device, cpal::SupportedStreamConfig)> {
    let missing = |e: Option<cpal::Error>| match dir {
        Direction::Input => AudioError::NoInputDevice(e),
        Direction::Output => AudioError::NoOutputDevice(e),
    };
    let host = cpal::default_host();
    let device = match id {
        Some(id) => {
            if is_null(id) {
                return Err(AudioError::UnknownDevice(id.to_owned()));
            }
            let parsed = cpal::DeviceId::from_str(id)
                .map_err(|_| AudioError::UnknownDevice(id.to_owned()))?;
            host.device_by_id(&parsed)
                .ok_or_else(|| AudioError::UnknownDevice(id.to_owned()))?
        }
        None => {
            let d = match dir {
                Direction::Input => host.default_input_device(),
                Direction::Output => host.default_output_device(),
            };
            let d = d.ok_or_else(|| missing(None))?;
            if device_id(&d).is_some_and(|i| is_null(&i)) {
                return Err(missing(None));
            }
            d
        }
    };
    let config = match dir {
        Direction::Input => device.default_input_config(),
        Direction::Output => device.default_output_config(),
    };
    let config = config.map_err(|e| match (id, e.kind()) {
        (_, cpal::ErrorKind::DeviceBusy) => AudioError::DeviceBusy(e),
        // The default device exists on paper but does not open: there is none in practice.
        (None, _) => missing(Some(e)),
        (Some(_), _) => match dir {
            Direction::Input => AudioError::from_input(e),
            Direction::Output => AudioError::from_output(e),
        },
    })?;
    Ok((device, config))
}

/// Check a device (`None` = the default) by opening its configuration.
pub fn check_device(id: Option<&str>, dir: Direction) -> Result<DeviceCheck> {
    let (device, config) = open(id, dir)?;
    Ok(DeviceCheck {
        id: device_id(&device).unwrap_or_default(),
        name: device_name(&device),
        sample_rate: config.sample_rate(),
        channels: config.channels(),
        sample_format: config.sample_format().to_string(),
    })
}
