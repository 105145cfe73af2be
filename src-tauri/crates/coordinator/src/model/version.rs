//! The adapted versions of a work (ОВЗ: no listening, extended time): which
//! tasks a version leaves out and the mark conversion it is scored by, from
//! the package's `adaptations`. Part of the JSON in `works.spec`; no SQL.
//!
//! A participant's version travels from the station (session, bundle) into
//! the submission; the form and the statistics use that version's scale and
//! show a task it leaves out as not applicable («—»), never as 0.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MarkBand, TaskSpec, WorkSpec};

/// One adapted version of a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionSpec {
    /// The package's adaptation id, e.g. `no_listening`.
    pub id: String,
    /// Russian name, e.g. «Для слабослышащих участников».
    pub title: String,
    /// Tasks that are not part of this version.
    #[serde(default)]
    pub left_out: Vec<u32>,
    /// The version's own conversion; empty: the work's.
    #[serde(default)]
    pub marks: Vec<MarkBand>,
}

/// What the cell of a form shows for a task that is not part of a version.
pub const NOT_APPLICABLE: &str = "—";

impl VersionSpec {
    /// The versions of a package, as the coordinator scores them: a version
    /// without listening leaves out the listening tasks of the lowest variant
    /// (every variant has the same tasks).
    pub fn from_package(package: &vpr_exam::Package) -> Vec<Self> {
        let variant = package.variants.iter().min_by_key(|v| v.number);
        package
            .adaptations
            .iter()
            .map(|a| {
                let kept: Vec<u32> = variant
                    .map(|v| {
                        package
                            .tasks_for(v, Some(a))
                            .iter()
                            .map(|t| t.number)
                            .collect()
                    })
                    .unwrap_or_default();
                Self {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    left_out: variant
                        .map(|v| {
                            v.tasks
                                .iter()
                                .map(|t| t.number)
                                .filter(|n| !kept.contains(n))
                                .collect()
                        })
                        .unwrap_or_default(),
                    marks: a
                        .conversion
                        .iter()
                        .flatten()
                        .map(|b| MarkBand {
                            min_total: b.min,
                            mark: b.mark.min(5) as u8,
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

impl WorkSpec {
    /// The adapted version a participant sat (None: the standard one, or a
    /// version this work does not describe).
    pub fn version(&self, id: Option<&str>) -> Option<&VersionSpec> {
        let id = id?;
        self.versions.iter().find(|v| v.id == id)
    }

    /// Whether a task is part of the version.
    pub fn applies(&self, version: Option<&str>, task: u32) -> bool {
        self.version(version)
            .is_none_or(|v| !v.left_out.contains(&task))
    }

    /// The tasks of the version, in the work's order.
    pub fn tasks_of<'a>(&'a self, version: Option<&'a str>) -> impl Iterator<Item = &'a TaskSpec> {
        self.tasks
            .iter()
            .filter(move |t| self.applies(version, t.number))
    }

    /// The maximum total of the version.
    pub fn max_total_of(&self, version: Option<&str>) -> u32 {
        self.tasks_of(version).map(TaskSpec::max_score).sum()
    }

    /// The mark for a total under the version's conversion (the work's when
    /// the version has none of its own).
    pub fn mark_of(&self, total: u32, version: Option<&str>) -> Option<u8> {
        match self.version(version) {
            Some(v) if !v.marks.is_empty() => v
                .marks
                .iter()
                .filter(|b| total >= b.min_total)
                .max_by_key(|b| b.min_total)
                .map(|b| b.mark),
            _ => self.mark_for(total),
        }
    }

    /// The version's mark bands (the work's when it has none of its own).
    pub fn marks_of(&self, version: Option<&str>) -> &[MarkBand] {
        match self.version(version) {
            Some(v) if !v.marks.is_empty() => &v.marks,
            _ => &self.marks,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_demo_versions_leave_out_listening_and_bring_their_scale() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/packages/en-7");
        let package = vpr_exam::Package::load_dir(&dir).unwrap();
        let spec = WorkSpec::from_package(&package, 4);
        let deaf = spec.version(Some("no_listening")).unwrap();
        assert_eq!(deaf.left_out, vec![1]);
        assert!(!spec.applies(Some("no_listening"), 1));
        assert!(spec.applies(Some("no_listening"), 2));
        assert!(spec.applies(None, 1));
        assert!(spec.applies(Some("unknown"), 1));
        let max = spec.max_total_of(Some("no_listening"));
        assert_eq!(max, spec.max_total() - spec.task(1).unwrap().max_score());
        assert_eq!(spec.mark_of(max, Some("no_listening")), Some(5));
        assert_eq!(spec.mark_of(max, None), Some(4));
        let extended = spec.version(Some("extended_time")).unwrap();
        assert!(extended.left_out.is_empty() && extended.marks.is_empty());
        assert_eq!(
            spec.mark_of(spec.max_total(), Some("extended_time")),
            Some(5)
        );
    }
}
