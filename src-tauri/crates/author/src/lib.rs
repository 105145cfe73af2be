//! The author's workspace, with no UI: a teacher's work from a template to a signed,
//! encrypted `.vprpkg`. Both hosts (the CLI's `vpr package new|edit|media|check|build`
//! and an author window) call these operations and nothing else.
//!
//! - [`Template`]: ВПР 7 computer form (2020–23 model), ВПР 4–8 written work, ОГЭ and ЕГЭ
//!   oral parts, an empty work — a valid skeleton whose texts say «Замените: …» and whose
//!   media are named (its only problems are the missing media);
//! - [`Work`]: the folder (`package.json`, `keys.json`, `media/`), opened however unfinished,
//!   edited by field path ([`Work::set_field`]) and by typed operations, saved atomically;
//! - [`Work::add_media`]: files validated by decoding before they are copied in;
//! - [`Work::problems`]: package, keys and media problems by field path;
//! - [`build()`]: refused while problems remain, then vpr-package's builder with generated
//!   passwords; [`create_issuer`] makes the school's key pair.

mod build;
mod edit;
mod error;
mod media;
mod new_task;
mod preview;
mod problems;
mod template;
mod template_oral;
mod template_vpr;
mod work;
mod workspace;

pub use build::{build, create_issuer, ready_to_build, BuildOptions, Built, IssuerFiles};
pub use edit::parse_kind;
pub use error::{AuthorError, Result};
pub use media::AddedMedia;
pub use preview::{upload_cap, TaskPreview, MAX_UPLOAD_BYTES};
pub use problems::{AuthorProblem, MediaKind, MediaSlot, ProblemSource, KEYS_PREFIX};
pub use template::{Template, PLACEHOLDER};
/// The error trait of [`AuthorError`] (stable codes for the UI).
pub use vpr_error::Coded;
pub use work::{valid_id, Work, MAX_JSON_BYTES, MEDIA_DIR};
pub use workspace::{BuiltPackage, SchoolKey, WorkSummary, WorkView, Workspace};
