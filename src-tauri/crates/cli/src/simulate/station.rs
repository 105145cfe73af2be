//! A whole simulated station, as a technician and the participants would
//! make it: the package source folder is built into a signed `.vprpkg`
//! (`vpr-package`, the demo issuer for a demo package, a throw-away issuer
//! otherwise), put on the station's shelf and unlocked after its release
//! time; the participants sit the unlocked materials through the real
//! session engine and store journal (`vpr_station::simulate`); the signed
//! bundle is written by the station's bundle writer.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use vpr_bundle::{write_bundle, WrittenBundle};
use vpr_error::{Coded, Severity};
use vpr_integrity::{sha256, StationKey};
use vpr_package::{
    generate_password,
    time::{Duration, OffsetDateTime},
    BuildRequest, FixedClock, Issuer, Limits, MaterialsHeader, PackageShelf, TrustedIssuers,
};
use vpr_station::simulate::{participant_codes, SimulatedWork, SimulationPlan};
use vpr_store::{StationInfo, Store};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub participants: u32,
    pub out: PathBuf,
    /// The package's source folder (`package.json`, media, `keys.json`).
    pub package: PathBuf,
    /// Seeds the station key, the participant codes and the answers.
    pub seed: u64,
    pub school_id: String,
    pub station_number: u32,
    /// Oral answers as long as the task allows (90 s, 120 s…).
    pub full_length: bool,
}

impl SimulateOptions {
    pub fn new(participants: u32, out: &Path) -> Self {
        Self {
            participants,
            out: out.to_path_buf(),
            package: default_package(),
            seed: 1,
            school_id: "770001".into(),
            station_number: 1,
            full_length: false,
        }
    }
}

/// The bundle and what went into it.
#[derive(Debug)]
pub struct Simulated {
    pub bundle: WrittenBundle,
    pub package_id: String,
    /// SHA-256 of the built `.vprpkg` the station unlocked.
    pub package_sha256: String,
    pub works: Vec<SimulatedWork>,
}

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Package(#[from] vpr_package::PackageError),
    #[error(transparent)]
    Exam(#[from] vpr_exam::ExamError),
    #[error(transparent)]
    Station(#[from] vpr_station::StationError),
    #[error(transparent)]
    Store(#[from] vpr_store::StoreError),
    #[error(transparent)]
    Bundle(#[from] vpr_bundle::BundleError),
    #[error(transparent)]
    Integrity(#[from] vpr_integrity::IntegrityError),
    #[error("Не удалось подготовить папку моделируемой станции {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Coded for SimulateError {
    fn code(&self) -> &'static str {
        match self {
            Self::Package(e) => e.code(),
            Self::Exam(e) => e.code(),
            Self::Station(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Bundle(e) => e.code(),
            Self::Integrity(e) => e.code(),
            Self::Io { .. } => "simulate_io",
        }
    }

    fn severity(&self) -> Severity {
        Severity::Blocking
    }
}

pub type Result<T> = std::result::Result<T, SimulateError>;

fn fixtures() -> PathBuf {
    std::env::var_os("VPR_FIXTURES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures"))
}

/// `audio-fixtures/packages/en-7` (under `VPR_FIXTURES_DIR` when set).
pub fn default_package() -> PathBuf {
    fixtures().join("packages/en-7")
}

/// The key a simulated station with `seed` signs with (deterministic).
pub fn station_key(seed: u64) -> Result<StationKey> {
    let mut material = b"vpr-simulated-station".to_vec();
    material.extend_from_slice(&seed.to_be_bytes());
    Ok(StationKey::from_seed(sha256(&material).as_bytes())?)
}

/// Simulate the station and write its signed bundle to `opts.out`.
pub fn simulate_station(opts: &SimulateOptions) -> Result<Simulated> {
    let parent = opts
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = parent.join(format!(
        ".vpr-sim-{}-{}-{}",
        std::process::id(),
        opts.seed,
        opts.station_number
    ));
    let _ = fs::remove_dir_all(&work);
    let result = run(opts, &work);
    let _ = fs::remove_dir_all(&work);
    result
}

/// The exam day of every simulated station: 2026-04-15 08:30 UTC.
fn exam_day() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_776_241_800).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn run(opts: &SimulateOptions, data: &Path) -> Result<Simulated> {
    let exam_day = exam_day();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SimulateError::Io { path, source }
    };
    fs::create_dir_all(data).map_err(io(data))?;
    let source = vpr_exam::Package::load_dir(&opts.package)?;
    let keys = vpr_exam::Keys::load_dir(&opts.package, &source)?;

    // The issuer's side: build and sign the package, its header taken
    // from the materials as `vpr package build` takes it.
    let header = MaterialsHeader::read_dir(&opts.package)?;
    let (issuer, trust) = if header.demo {
        let issuer = Issuer::read(&fixtures().join("issuer/demo-issuer.DEMO-ONLY.pk8"))?;
        (issuer, TrustedIssuers::demo())
    } else {
        let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8()?)?;
        let mut trust = TrustedIssuers::new();
        trust.add(vpr_package::IssuerKey::new(
            issuer.public_key(),
            "simulated issuer",
        ));
        (issuer, trust)
    };
    let password = generate_password()?.text;
    let meta = header.meta(
        &opts.school_id,
        exam_day.date(),
        exam_day - Duration::hours(1),
        exam_day + Duration::hours(3),
    );
    let file = data.join(format!("{}.{}", source.id, vpr_package::EXTENSION));
    let built = vpr_package::build_to_file(
        &BuildRequest {
            source: &opts.package,
            meta,
            password: &password,
            keys_password: &generate_password()?.text,
            issuer: &issuer,
            limits: Limits::default(),
            created: exam_day - Duration::days(7),
        },
        &file,
    )?;

    // The technician's side: shelf, unlock at the station's clock.
    let shelf = PackageShelf::new(data.join("packages"), trust, Limits::default());
    let at_station = FixedClock(exam_day);
    let view = shelf.load(&file, &at_station)?;
    let id = view.header.meta.package_id.clone();
    shelf.unlock(&id, &password, &at_station)?;
    fs::remove_file(&file).map_err(io(&file))?;

    let key = station_key(opts.seed)?;
    let start = exam_day + Duration::minutes(i64::from(opts.station_number % 60));
    let clock = Arc::new(vpr_store::FixedClock::new(start, Duration::seconds(1)));
    let store = Arc::new(Store::open_with_clock(&vpr_store::exam_path(data), clock)?);
    store.set_station(&StationInfo {
        station_id: format!("sim-{}-{}", opts.seed, opts.station_number),
        school_id: opts.school_id.clone(),
        room: format!("{}", 100 + opts.station_number / 4),
        number: opts.station_number,
        key_fingerprint: key.public_key().fingerprint(),
    })?;

    // The participants' side.
    let mut plan = SimulationPlan::new(
        opts.seed,
        participant_codes(&source, opts.seed, opts.participants),
    );
    plan.keys = keys;
    plan.full_length = opts.full_length;
    plan.start_wall_ms = i64::try_from((start - OffsetDateTime::UNIX_EPOCH).whole_milliseconds())
        .unwrap_or_default();
    let works = vpr_station::simulate::simulate_station(
        &shelf.materials_dir(&id),
        data,
        store.clone(),
        &plan,
    )?;

    let bundle = write_bundle(&store, data, &key, &opts.out, start + Duration::hours(4))?;
    Ok(Simulated {
        bundle,
        package_id: id,
        package_sha256: built.file_sha256,
        works,
    })
}
