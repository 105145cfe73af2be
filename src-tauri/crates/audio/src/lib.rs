//! Listening playback, crash-safe microphone recording, levels, devices, headset check
