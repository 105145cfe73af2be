//! The simulated station plays a listening track in any accepted format: the play lasts the
//! track's decoded length (it used to read the track as WAV and stopped on an MP3).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{path::Path, sync::Arc};

use serde_json::Value;
use vpr_station::{
    fixtures,
    simulate::{participant_codes, simulate_station, SimulationPlan},
};
use vpr_store::Store;

#[test]
fn a_simulated_participant_hears_an_mp3_or_ogg_track() {
    let root = fixtures::fixtures_dir(&[]).expect("audio-fixtures present");
    for track in ["phrase.mp3", "phrase.ogg"] {
        let tmp = tempfile::tempdir().unwrap();
        let src = root.join("packages/en-7");
        let dst = tmp.path().join("pkg");
        std::fs::create_dir_all(dst.join("media")).unwrap();
        for e in std::fs::read_dir(src.join("media")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dst.join("media").join(e.file_name())).unwrap();
        }
        std::fs::copy(
            root.join("media").join(track),
            dst.join("media").join(track),
        )
        .unwrap();
        let mut p: Value =
            serde_json::from_slice(&std::fs::read(src.join("package.json")).unwrap()).unwrap();
        p["demo"] = false.into();
        let l = &mut p["variants"][0]["tasks"][0]["content"];
        l["track"] = format!("media/{track}").into();
        l["duration_s"] = 3.into();
        std::fs::write(dst.join("package.json"), serde_json::to_vec(&p).unwrap()).unwrap();
        let package = vpr_exam::Package::load_dir(&dst).unwrap();

        let data = tmp.path().join("data");
        let store = Arc::new(Store::open(&vpr_store::exam_path(&data)).unwrap());
        let plan = SimulationPlan::new(3, participant_codes(&package, 3, 1));
        let works = simulate_station(Path::new(&dst), &data, store, &plan)
            .unwrap_or_else(|e| panic!("{track}: {e}"));
        assert_eq!(works.len(), 1, "{track}");
    }
}
