//! From the exam package (`vpr-exam`) to the coordinator's work model.

use std::collections::BTreeMap;

use crate::{ClosedItem, Coordinator, Criterion, Keys, MarkBand, Result, TaskSpec, WorkSpec};

impl WorkSpec {
    /// The work's tasks, maxima and mark conversion from a package (variant 1
    /// gives the structure; every variant has the same tasks). With the keys,
    /// item points and the experts' criteria come from them; before the keys
    /// are released an oral task has one criterion worth its maximum.
    pub fn from_package(
        package: &vpr_exam::Package,
        keys: Option<&vpr_exam::Keys>,
        stations_per_room: u32,
    ) -> Self {
        let variant = package.variants.iter().min_by_key(|v| v.number);
        let tasks = variant
            .map(|v| {
                v.tasks
                    .iter()
                    .map(|t| {
                        let tk = keys.and_then(|k| k.task(v.number, t.number));
                        if t.is_oral() {
                            let criteria = match tk {
                                Some(tk) if !tk.criteria.is_empty() => tk
                                    .criteria
                                    .iter()
                                    .map(|c| Criterion {
                                        id: c.id.clone(),
                                        text: c.name.clone(),
                                        max: c.max_points,
                                    })
                                    .collect(),
                                _ => vec![Criterion {
                                    id: format!("{}.score", t.number),
                                    text: t.title.clone(),
                                    max: t.max_score,
                                }],
                            };
                            TaskSpec {
                                number: t.number,
                                title: t.title.clone(),
                                oral: true,
                                items: Vec::new(),
                                criteria,
                            }
                        } else {
                            let items = t
                                .item_ids()
                                .into_iter()
                                .map(|id| ClosedItem {
                                    id: id.to_string(),
                                    points: tk
                                        .and_then(|tk| tk.items.iter().find(|k| k.id == id))
                                        .map_or(1, |k| k.points),
                                })
                                .collect();
                            TaskSpec {
                                number: t.number,
                                title: t.title.clone(),
                                oral: false,
                                items,
                                criteria: Vec::new(),
                            }
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        WorkSpec {
            tasks,
            marks: package
                .conversion
                .iter()
                .map(|b| MarkBand {
                    min_total: b.min,
                    mark: b.mark.min(5) as u8,
                })
                .collect(),
            second_scoring: None,
            stations_per_room,
        }
    }
}

impl Keys {
    /// The closed items' keys of every variant.
    pub fn from_exam(keys: &vpr_exam::Keys) -> Self {
        let mut out = Keys::default();
        for v in &keys.variants {
            let mut items = BTreeMap::new();
            for t in &v.tasks {
                for k in &t.items {
                    items.insert(k.id.clone(), k.accepted.clone());
                    if k.case == vpr_exam::CaseRule::Sensitive
                        && !out.case_sensitive.contains(&k.id)
                    {
                        out.case_sensitive.push(k.id.clone());
                    }
                }
            }
            out.variants.insert(v.number, items);
        }
        out
    }
}

impl Coordinator {
    /// Release the package's keys for a work: the closed items' keys and the
    /// experts' criteria (which arrive with them) replace the placeholders.
    pub fn release_exam_keys(
        &self,
        work_id: i64,
        package: &vpr_exam::Package,
        keys: &vpr_exam::Keys,
    ) -> Result<()> {
        let work = self.work(work_id)?;
        let mut spec = WorkSpec::from_package(package, Some(keys), work.spec.stations_per_room);
        spec.second_scoring = work.spec.second_scoring.clone();
        self.conn.execute(
            "UPDATE works SET spec = ?1 WHERE id = ?2",
            rusqlite::params![
                serde_json::to_string(&spec)
                    .map_err(|e| crate::CoordinatorError::Corrupt(e.to_string()))?,
                work_id
            ],
        )?;
        self.release_keys(work_id, &Keys::from_exam(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_package_maps_to_a_work() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/packages/en-7");
        let package = vpr_exam::Package::load_dir(&dir).unwrap();
        let keys = vpr_exam::Keys::load_dir(&dir, &package).unwrap().unwrap();
        let before = WorkSpec::from_package(&package, None, 4);
        let after = WorkSpec::from_package(&package, Some(&keys), 4);
        assert_eq!(before.max_total(), after.max_total());
        assert_eq!(after.tasks.len(), package.variants[0].tasks.len());
        let oral = after.tasks.iter().find(|t| t.oral).unwrap();
        assert!(!oral.criteria.is_empty());
        assert!(after.mark_for(after.max_total()).is_some());
        let k = Keys::from_exam(&keys);
        assert!(k.accepts(1, "1.1", " 2 "));
        assert!(!k.accepts(1, "1.1", "3"));
    }
}
