//! Harness for the end-to-end tests: Xvfb, tauri-driver and the app under test.
