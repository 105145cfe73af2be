//! Demo packages with their waiting times shortened, so a test walks a whole
//! work in a minute or two: a 3-second tone as the listening track, short
//! reading, preparation and answer windows. The tasks, texts and items are
//! the package's own.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{workspace_root, Result};

/// Copy the demo package `name` (`en-7`, `fixture-11-timing`, …) into `dir` with short timings.
pub fn quick_package(dir: &Path, name: &str) -> Result<PathBuf> {
    let fixtures = workspace_root().join("audio-fixtures");
    let dst = dir.join(name);
    copy_dir(&fixtures.join("packages").join(name), &dst)?;
    std::fs::copy(
        fixtures.join("tones/sine-1khz-3s.wav"),
        dst.join("media/tone.wav"),
    )?;
    let mut p: Value = serde_json::from_slice(&std::fs::read(dst.join("package.json"))?)?;
    // (`pointer_mut`, not `p["timing"]["eye_breaks"]`: indexing would add a null field.)
    if let Some(breaks) = p
        .pointer_mut("/timing/eye_breaks")
        .and_then(Value::as_array_mut)
    {
        for b in breaks {
            b["duration_s"] = 2.into();
        }
    }
    let variants = p["variants"].as_array_mut().ok_or("no variants")?;
    for t in variants
        .iter_mut()
        .filter_map(|v| v["tasks"].as_array_mut())
        .flatten()
    {
        let kind = t["content"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if t["fixed_s"].is_u64() {
            // Long enough for the shortened plays and windows below.
            let prompts = t["content"]["prompts"].as_array().map_or(0, Vec::len) as u64;
            t["fixed_s"] = match kind.as_str() {
                "listening" => 14,
                "ask_questions" => 2 + 5 * prompts + 3,
                _ => 10,
            }
            .into();
        }
        // An instruction read aloud: the tone instead (the questions keep their own voices).
        if t.get("instruction_track").is_some() {
            t["instruction_track"] = serde_json::json!({"file": "media/tone.wav", "duration_s": 3});
        }
        let c = &mut t["content"];
        match kind.as_str() {
            "listening" => {
                c["track"] = "media/tone.wav".into();
                c["duration_s"] = 3.into();
                c["read_first_s"] = 2.into();
                c["pause_between_s"] = 1.into();
            }
            "reading_aloud" | "monologue" | "ask_questions" => {
                c["prep_s"] = 2.into();
                c["answer_s"] = 5.into();
            }
            "interview" => {
                c["read_first_s"] = if c["read_first_s"].as_u64().unwrap_or(0) > 0 {
                    2
                } else {
                    0
                }
                .into();
                c["answer_s"] = 5.into();
            }
            _ => {}
        }
    }
    std::fs::write(dst.join("package.json"), serde_json::to_vec_pretty(&p)?)?;
    Ok(dst)
}

fn copy_dir(src: &Path, dst: &Path) -> Result<()> {
    std::fs::create_dir_all(dst)?;
    for e in std::fs::read_dir(src)? {
        let e = e?;
        let to = dst.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &to)?;
        } else {
            std::fs::copy(e.path(), to)?;
        }
    }
    Ok(())
}
