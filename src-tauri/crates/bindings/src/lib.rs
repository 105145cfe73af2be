//! The bindings drift test (`tests/bindings.rs`) and what it needs: every
//! error code of the workspace, read from the `Coded` impls' `fn code`.
//!
//! Codes are gathered from the source rather than from a list each crate
//! keeps, so a new error variant cannot be forgotten: whatever string a
//! `fn code` returns is in the UI's `ErrorCode` union.

use std::{
    collections::BTreeSet,
    fs, io,
    path::{Path, PathBuf},
};

/// Every `.rs` file under `root`, skipping `target` and hidden folders.
fn rust_files(root: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for e in fs::read_dir(root)? {
        let e = e?;
        let path = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if e.file_type()?.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                rust_files(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The text from `open` (a `{`) to its matching `}` (strings and comments
/// are not special: the bodies scanned here have no braces in strings).
fn block(text: &str, open: usize) -> &str {
    let mut depth = 0usize;
    for (i, ch) in text[open..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[open..=open + i];
                }
            }
            _ => {}
        }
    }
    &text[open..]
}

/// The string literals that look like codes (`snake_case`) in `body`.
fn literals(body: &str, out: &mut BTreeSet<String>) {
    let mut rest = body;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let lit = &after[..end];
        if !lit.is_empty()
            && lit.starts_with(|c: char| c.is_ascii_lowercase())
            && lit
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            out.insert(lit.to_owned());
        }
        rest = &after[end + 1..];
    }
}

/// The codes the `fn code` of every `impl … Coded for …` in `text` returns.
pub fn codes_in(text: &str, out: &mut BTreeSet<String>) {
    let mut from = 0;
    while let Some(at) = text[from..].find("Coded for ") {
        let at = from + at;
        from = at + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..at].trim_start().starts_with("impl") {
            continue;
        }
        let Some(open) = text[at..].find('{').map(|i| at + i) else {
            continue;
        };
        let imp = block(text, open);
        let Some(f) = imp.find("fn code(") else {
            continue;
        };
        let Some(body) = imp[f..].find('{').map(|i| f + i) else {
            continue;
        };
        literals(block(imp, body), out);
    }
}

/// Every error code under `root` (the `src-tauri` folder).
pub fn error_codes(root: &Path) -> io::Result<BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(root, &mut files)?;
    let mut out = BTreeSet::new();
    for f in files {
        codes_in(&fs::read_to_string(&f)?, &mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_codes_of_fn_code_only() {
        let src = r#"
impl Coded for E {
    fn code(&self) -> &'static str {
        match self {
            Self::A => "pin_wrong",
            Self::B { .. } => "exam_bad_code",
            Self::Inner(e) => e.code(),
        }
    }
    fn severity(&self) -> Severity { let _ = "not_a_code"; Severity::Blocking }
}
// Coded for nothing: not an impl line
const X: &str = "elsewhere";
impl vpr_error::Coded for F { fn code(&self) -> &'static str { "f_code" } }
"#;
        let mut out = BTreeSet::new();
        codes_in(src, &mut out);
        let got: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(got, ["exam_bad_code", "f_code", "pin_wrong"]);
    }
}
