//! Typed edits both hosts use: a field set by the same path the problems name, variants and
//! tasks added and removed (tasks renumbered, with their keys, item ids and eye breaks).

use serde_json::Value;
use vpr_exam::{
    keys::TaskKeys,
    load::{parse, KEYS_FILE, PACKAGE_FILE},
    Keys, Package, TaskContent, TaskKind,
};

use crate::{
    error::Result, problems::AuthorProblem, problems::KEYS_PREFIX, work::to_json, AuthorError, Work,
};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `variants[0].tasks[2].content.answer_s` → steps; refused when malformed.
fn steps(path: &str) -> Result<Vec<Step>> {
    let bad = |reason: &str| AuthorError::BadPath {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let mut out = Vec::new();
    if path.len() > 1000 {
        return Err(bad("слишком длинный путь"));
    }
    for segment in path.split('.') {
        let (key, rest) = segment.split_once('[').unwrap_or((segment, ""));
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(bad("ожидается имя поля из строчных латинских букв и «_»"));
        }
        out.push(Step::Key(key.to_owned()));
        if !rest.is_empty() {
            for index in format!("[{rest}").split('[').skip(1) {
                let digits = index
                    .strip_suffix(']')
                    .ok_or_else(|| bad("номер в квадратных скобках не закрыт"))?;
                let n = digits
                    .parse::<usize>()
                    .map_err(|_| bad("в квадратных скобках ожидается номер"))?;
                out.push(Step::Index(n));
            }
        }
    }
    Ok(out)
}

/// Put `value` at `path` inside `root`: the parent must exist; a list may grow by one
/// (`items[len]`), an object may gain a field (the model then says whether it knows it).
fn put(root: &mut Value, path: &str, value: Value) -> Result<()> {
    let steps = steps(path)?;
    let not_found = |reason: String| AuthorError::BadPath {
        path: path.to_owned(),
        reason,
    };
    let Some((last, parents)) = steps.split_last() else {
        return Err(not_found("пустой путь".to_owned()));
    };
    let mut node = root;
    for step in parents {
        node = match step {
            Step::Key(k) => node
                .get_mut(k.as_str())
                .ok_or_else(|| not_found(format!("нет поля «{k}»")))?,
            Step::Index(i) => node
                .get_mut(*i)
                .ok_or_else(|| not_found(format!("нет элемента номер {i}")))?,
        };
    }
    match (last, node) {
        (Step::Key(k), Value::Object(map)) => {
            map.insert(k.clone(), value);
        }
        (Step::Index(i), Value::Array(items)) if *i < items.len() => {
            if let Some(slot) = items.get_mut(*i) {
                *slot = value;
            }
        }
        (Step::Index(i), Value::Array(items)) if *i == items.len() => items.push(value),
        (Step::Index(i), Value::Array(items)) => {
            return Err(not_found(format!(
                "в списке {} элементов, номер {i} — не следующий",
                items.len()
            )))
        }
        _ => return Err(not_found("это поле не список и не объект".to_owned())),
    }
    Ok(())
}

/// Set one field of a value of type `T` and read it back as `T`, naming `shown` on refusal.
fn edited<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    file: &str,
    path: &str,
    shown: &str,
    value: Value,
) -> Result<T> {
    let mut root = serde_json::to_value(current).map_err(|e| AuthorError::BadValue {
        path: shown.to_owned(),
        message: e.to_string(),
    })?;
    put(&mut root, path, value).map_err(|e| match e {
        AuthorError::BadPath { reason, .. } => AuthorError::BadPath {
            path: shown.to_owned(),
            reason,
        },
        other => other,
    })?;
    let bytes = to_json(&root, file)?;
    parse::<T>(file, &bytes).map_err(|e| AuthorError::BadValue {
        path: shown.to_owned(),
        message: match e {
            vpr_exam::ExamError::Syntax { path, message, .. } if path != shown => {
                format!("{message} (в поле {path})")
            }
            vpr_exam::ExamError::Syntax { message, .. } => message,
            other => other.to_string(),
        },
    })
}

impl Work {
    /// Set a field by its path (`title`, `variants[0].tasks[2].content.answer_s`,
    /// `keys.variants[0].tasks[0].items[1].accepted`) to a JSON value. A value that does not
    /// fit the model is refused naming the path and nothing is written; a value that fits but
    /// breaks a rule is saved, and the work's problems are returned.
    pub fn set_field(&mut self, path: &str, value: Value) -> Result<Vec<AuthorProblem>> {
        if let Some(inner) = path.strip_prefix(KEYS_PREFIX) {
            self.keys = edited::<Keys>(&self.keys, KEYS_FILE, inner, path, value)?;
        } else {
            let package = edited::<Package>(&self.package, PACKAGE_FILE, path, path, value)?;
            if package.id != self.package.id {
                self.keys.package_id = package.id.clone();
            }
            self.package = package;
        }
        self.save()?;
        Ok(self.problems())
    }

    fn variant_index(&self, number: u32) -> Result<usize> {
        self.package
            .variants
            .iter()
            .position(|v| v.number == number)
            .ok_or(AuthorError::NoVariant(number))
    }

    /// A new variant, a copy of `copy_of` (or of the last one) with its keys; its number.
    pub fn add_variant(&mut self, copy_of: Option<u32>) -> Result<u32> {
        let source = match copy_of {
            Some(n) => self.variant_index(n)?,
            None => self
                .package
                .variants
                .len()
                .checked_sub(1)
                .ok_or(AuthorError::NoVariant(1))?,
        };
        let mut variant = self.package.variants[source].clone();
        let old = variant.number;
        let number = self
            .package
            .variants
            .iter()
            .map(|v| v.number)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        variant.number = number;
        self.package.variants.push(variant);
        if let Some(k) = self.keys.variants.iter().find(|k| k.number == old) {
            let mut k = k.clone();
            k.number = number;
            self.keys.variants.push(k);
        }
        self.save()?;
        Ok(number)
    }

    /// Insert a new task of `kind` after task `after` (0: first) of a variant; the tasks
    /// after it are renumbered. Returns the new task's number.
    pub fn add_task(&mut self, variant: u32, kind: TaskKind, after: u32) -> Result<u32> {
        let vi = self.variant_index(variant)?;
        let len = self.package.variants[vi].tasks.len();
        let at = usize::try_from(after).unwrap_or(usize::MAX);
        if at > len {
            return Err(AuthorError::NoTask(after));
        }
        let number = after.saturating_add(1);
        let (task, keys) = crate::new_task::new_task(kind, number, self.package.language);
        let tasks = &mut self.package.variants[vi].tasks;
        let mut order: Vec<Option<u32>> = tasks.iter().map(|t| Some(t.number)).collect();
        order.insert(at, None);
        tasks.insert(at, task);
        self.renumber(vi, &order, Some(keys));
        for b in &mut self.package.timing.eye_breaks {
            if b.after_task > after {
                b.after_task = b.after_task.saturating_add(1);
            }
        }
        self.save()?;
        Ok(number)
    }

    /// Remove task `number` of a variant (not the last one left); the tasks after it are
    /// renumbered, eye breaks after it dropped.
    pub fn remove_task(&mut self, variant: u32, number: u32) -> Result<()> {
        let vi = self.variant_index(variant)?;
        let tasks = &mut self.package.variants[vi].tasks;
        let at = tasks
            .iter()
            .position(|t| t.number == number)
            .ok_or(AuthorError::NoTask(number))?;
        if tasks.len() == 1 {
            return Err(AuthorError::LastTask);
        }
        let mut order: Vec<Option<u32>> = tasks.iter().map(|t| Some(t.number)).collect();
        tasks.remove(at);
        order.remove(at);
        if let Some(k) = self.keys.variants.iter_mut().find(|k| k.number == variant) {
            k.tasks.retain(|t| t.number != number);
        }
        self.renumber(vi, &order, None);
        self.package
            .timing
            .eye_breaks
            .retain(|b| b.after_task != number);
        for b in &mut self.package.timing.eye_breaks {
            if b.after_task > number {
                b.after_task -= 1;
            }
        }
        self.save()?;
        Ok(())
    }

    /// Number the tasks of variant `vi` 1, 2, … ; `order[i]` is the old number of the task
    /// now at `i` (None: the new one, whose keys are `new_keys`). Item and criterion ids
    /// `old.x` become `new.x`.
    fn renumber(&mut self, vi: usize, order: &[Option<u32>], new_keys: Option<TaskKeys>) {
        let variant_number = self.package.variants[vi].number;
        let old_keys: Vec<TaskKeys> = self
            .keys
            .variants
            .iter()
            .find(|k| k.number == variant_number)
            .map(|k| k.tasks.clone())
            .unwrap_or_default();
        let mut keys_out = Vec::new();
        let mut new_keys = new_keys;
        for (i, (task, old)) in self.package.variants[vi]
            .tasks
            .iter_mut()
            .zip(order)
            .enumerate()
        {
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            task.number = n;
            task.title = retitle(&task.title, *old, n);
            let mut tk = match old {
                Some(o) => old_keys.iter().find(|k| k.number == *o).cloned(),
                None => new_keys.take(),
            };
            if let Some(o) = old.filter(|o| *o != n) {
                rename_ids(&mut task.content, o, n);
                if let Some(tk) = &mut tk {
                    for item in &mut tk.items {
                        item.id = renamed(&item.id, o, n);
                    }
                    for c in &mut tk.criteria {
                        c.id = renamed(&c.id, o, n);
                    }
                }
            }
            if let Some(mut tk) = tk {
                tk.number = n;
                keys_out.push(tk);
            }
        }
        match self
            .keys
            .variants
            .iter_mut()
            .find(|k| k.number == variant_number)
        {
            Some(k) => k.tasks = keys_out,
            None => self.keys.variants.push(vpr_exam::keys::VariantKeys {
                number: variant_number,
                tasks: keys_out,
            }),
        }
    }
}

/// «Задание 3. …» → «Задание 4. …» when the number moved.
fn retitle(title: &str, old: Option<u32>, new: u32) -> String {
    match old {
        Some(o) if o != new => match title.strip_prefix(&format!("Задание {o}.")) {
            Some(rest) => format!("Задание {new}.{rest}"),
            None => title.to_owned(),
        },
        _ => title.to_owned(),
    }
}

fn renamed(id: &str, old: u32, new: u32) -> String {
    match id.strip_prefix(&format!("{old}.")) {
        Some(rest) => format!("{new}.{rest}"),
        None => id.to_owned(),
    }
}

fn rename_ids(content: &mut TaskContent, old: u32, new: u32) {
    match content {
        TaskContent::Listening(l) => l
            .items
            .iter_mut()
            .for_each(|i| i.id = renamed(&i.id, old, new)),
        TaskContent::Reading(r) => r
            .items
            .iter_mut()
            .for_each(|i| i.id = renamed(&i.id, old, new)),
        TaskContent::Grammar(g) | TaskContent::Vocabulary(g) => g
            .items
            .iter_mut()
            .for_each(|i| i.id = renamed(&i.id, old, new)),
        TaskContent::Written(w) => w.id = renamed(&w.id, old, new),
        _ => {}
    }
}

/// `listening`, `reading_aloud`, … (the model's names) → a kind.
pub fn parse_kind(name: &str) -> Result<TaskKind> {
    serde_json::from_value(Value::String(name.to_owned()))
        .map_err(|_| AuthorError::UnknownKind(name.to_owned()))
}
