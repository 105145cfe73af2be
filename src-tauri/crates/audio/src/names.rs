//! Which devices a technician is shown, and by what name.
//!
//! ALSA offers every PCM it knows: rate converters, JACK, OSS, up- and
//! down-mixers, `dmix`/`dsnoop`, surround layouts. None of them is a device
//! a person plugs in. The list keeps the sound server (`default`, `pulse`,
//! `pipewire`) and the cards themselves (`sysdefault:CARD=…`, `hdmi:…`),
//! and names the sound server's entries after what the server itself calls
//! its default output and input (PulseAudio's or PipeWire's description, via
//! `pactl`, when one is running).

use std::{
    io::Read,
    process::{Command, Stdio},
};

use crate::Direction;

/// ALSA PCM names that are plugins or layouts, never a device: hidden.
pub(crate) fn is_plugin(pcm: &str) -> bool {
    let base = pcm.split(':').next().unwrap_or(pcm);
    matches!(
        base,
        "null"
            | "lavrate"
            | "samplerate"
            | "speexrate"
            | "speex"
            | "jack"
            | "oss"
            | "upmix"
            | "vdownmix"
            | "dmix"
            | "dsnoop"
            | "hw"
            | "plughw"
            | "front"
            | "iec958"
            | "spdif"
            | "usbstream"
            | "a52"
            | "dca"
    ) || base.starts_with("surround")
}

/// The ALSA PCM name of a cpal id (`alsa:pulse` → `pulse`).
pub(crate) fn pcm_of(id: &str) -> &str {
    id.split_once(':')
        .map_or(id, |(host, rest)| if host == "alsa" { rest } else { id })
}

/// Whether the PCM goes through the sound server rather than to one card.
pub(crate) fn is_sound_server(pcm: &str) -> bool {
    matches!(pcm, "default" | "pulse" | "pipewire")
}

/// `pactl` output is read up to this many bytes (a few dozen devices).
const MAX_PACTL_BYTES: u64 = 1 << 20;

fn pactl(args: &[&str]) -> Option<String> {
    let mut child = Command::new("pactl")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut out = String::new();
    let read = child
        .stdout
        .take()
        .map(|s| s.take(MAX_PACTL_BYTES).read_to_string(&mut out));
    let status = child.wait().ok()?;
    (status.success() && matches!(read, Some(Ok(_)))).then_some(out)
}

/// The sound server's description of its default output (sink) or input
/// (source), e.g. «Встроенное аудио Аналоговый стерео». `None` when no
/// server answers.
pub(crate) fn server_default_description(dir: Direction) -> Option<String> {
    let (get, list) = match dir {
        Direction::Output => ("get-default-sink", "sinks"),
        Direction::Input => ("get-default-source", "sources"),
    };
    let name = pactl(&[get])?.trim().to_string();
    if name.is_empty() {
        return None;
    }
    let json = pactl(&["-f", "json", "list", list])?;
    description_in(&json, &name)
}

/// The `description` of the entry called `name` in `pactl -f json list …`.
pub(crate) fn description_in(json: &str, name: &str) -> Option<String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).ok()?;
    list.iter()
        .find(|d| d.get("name").and_then(|n| n.as_str()) == Some(name))
        .and_then(|d| d.get("description").and_then(|s| s.as_str()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The name shown for a device: the sound server's entries after the
/// server's own device, the cards after ALSA's description (first line).
pub(crate) fn human_name(pcm: &str, alsa_name: &str, server: Option<&str>) -> String {
    let alsa = alsa_name.lines().next().unwrap_or(alsa_name).trim();
    match (pcm, server) {
        ("default", Some(s)) => format!("{s} (системное устройство)"),
        ("pulse", Some(s)) => format!("{s} (через PulseAudio)"),
        ("pipewire", Some(s)) => format!("{s} (через PipeWire)"),
        ("default", None) => "Системное устройство".to_string(),
        _ if alsa.is_empty() => pcm.to_string(),
        _ => alsa.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_are_hidden_and_devices_kept() {
        for p in [
            "null",
            "lavrate",
            "samplerate",
            "speexrate",
            "jack",
            "oss",
            "upmix",
            "vdownmix",
            "dmix:CARD=PCH,DEV=0",
            "surround51:CARD=PCH,DEV=0",
            "hw:CARD=PCH,DEV=0",
            "plughw:CARD=PCH,DEV=0",
            "front:CARD=PCH,DEV=0",
            "iec958:CARD=PCH,DEV=0",
        ] {
            assert!(is_plugin(p), "{p}");
        }
        for d in [
            "default",
            "pulse",
            "pipewire",
            "sysdefault:CARD=PCH",
            "hdmi:CARD=HDMI,DEV=0",
        ] {
            assert!(!is_plugin(d), "{d}");
        }
        assert_eq!(pcm_of("alsa:sysdefault:CARD=PCH"), "sysdefault:CARD=PCH");
    }

    #[test]
    fn names_come_from_the_server_or_the_card() {
        let json = r#"[{"name":"alsa_output.pci","description":"Встроенное аудио Аналоговый стерео"},
                       {"name":"vspeaker","description":"vspeaker"}]"#;
        assert_eq!(
            description_in(json, "alsa_output.pci").as_deref(),
            Some("Встроенное аудио Аналоговый стерео")
        );
        assert_eq!(description_in(json, "missing"), None);
        assert_eq!(description_in("not json", "vspeaker"), None);
        assert_eq!(
            human_name("default", "Default Audio Device", Some("USB Headset")),
            "USB Headset (системное устройство)"
        );
        assert_eq!(
            human_name(
                "sysdefault:CARD=PCH",
                "HDA Intel PCH, ALC892 Analog\nDefault Audio Device",
                None
            ),
            "HDA Intel PCH, ALC892 Analog"
        );
    }
}
