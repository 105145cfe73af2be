//! The command table's shape: one [`CommandSpec`] per `#[tauri::command]`,
//! one [`EventSpec`] per event, their argument and result types as Rust
//! types (their TypeScript names come from `ts_rs::TS`, so renaming a Rust
//! type changes the table and the generated `commands.ts`).

use std::path::PathBuf;

use ts_rs::{Config, TypeVisitor, TS};

use crate::WindowMode;

/// A Rust type as the UI sees it, through `ts_rs::TS`.
#[derive(Clone, Copy)]
pub struct TsType {
    name: fn(&Config) -> String,
    imports: fn(&Config, &mut Vec<Import>),
    export: fn(&Config) -> Result<(), ts_rs::ExportError>,
}

/// A declaration `commands.ts` imports: its TypeScript name and file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    pub name: String,
    /// Relative to the bindings folder, e.g. `PackageFile.ts`.
    pub file: PathBuf,
}

impl std::fmt::Debug for TsType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.name)(&Config::new()))
    }
}

impl TsType {
    /// The TypeScript view of `T`.
    pub const fn of<T: TS + 'static + ?Sized>() -> Self {
        Self {
            name: <T as TS>::name,
            imports: imports_of::<T>,
            export: export_of::<T>,
        }
    }

    /// The type's TypeScript name, e.g. `Array<PackageFile>`, `string | null`.
    pub fn name(&self, cfg: &Config) -> String {
        (self.name)(cfg)
    }

    /// The exported declarations the name refers to (for `import type`).
    pub fn imports(&self, cfg: &Config) -> Vec<Import> {
        let mut out = Vec::new();
        (self.imports)(cfg, &mut out);
        out
    }

    /// Writes the declarations the name refers to, and theirs, under `cfg`'s
    /// output folder.
    pub fn export(&self, cfg: &Config) -> Result<(), ts_rs::ExportError> {
        (self.export)(cfg)
    }
}

/// `T` itself if it has its own declaration, and every type parameter of
/// it that has (the `PackageFile` of `Vec<PackageFile>`).
fn imports_of<T: TS + 'static + ?Sized>(cfg: &Config, out: &mut Vec<Import>) {
    struct Visit<'a>(&'a Config, &'a mut Vec<Import>);
    impl TypeVisitor for Visit<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if let Some(file) = U::output_path() {
                self.1.push(Import {
                    name: U::ident(self.0),
                    file,
                });
            }
        }
    }
    let mut v = Visit(cfg, out);
    v.visit::<T>();
    T::visit_generics(&mut v);
}

fn export_of<T: TS + 'static + ?Sized>(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    struct Visit<'a>(&'a Config, Result<(), ts_rs::ExportError>);
    impl TypeVisitor for Visit<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if self.1.is_ok() && U::output_path().is_some() {
                self.1 = U::export_all(self.0);
            }
        }
    }
    let mut v = Visit(cfg, Ok(()));
    v.visit::<T>();
    T::visit_generics(&mut v);
    v.1
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The Rust parameter name (snake_case); IPC uses its camelCase form.
    pub name: &'static str,
    pub ty: TsType,
}

impl Arg {
    /// The name the UI passes over IPC (Tauri's default camelCase).
    pub fn ipc_name(&self) -> String {
        camel_case(self.name)
    }
}

/// One `#[tauri::command]` as the UI sees it.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Rust/IPC name, e.g. `station_act`; the handler is
    /// `commands::<mode>::<name>` in the shell.
    pub name: &'static str,
    /// The only window mode allowed to call it.
    pub mode: WindowMode,
    /// Arguments in order (the Tauri `State`/`AppHandle` parameters are not
    /// the UI's and are not listed).
    pub args: &'static [Arg],
    /// The success value (`()` is `null`).
    pub returns: TsType,
}

/// One event the shell emits to a window.
#[derive(Debug, Clone, Copy)]
pub struct EventSpec {
    pub name: &'static str,
    /// The window it is sent to.
    pub mode: WindowMode,
    pub payload: TsType,
}

pub(crate) fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Turns the table (see [`crate::command_table`]) into `COMMANDS`.
macro_rules! command_specs {
    ($($module:ident = $mode:ident [
        $( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ),* $(,)?
    ])*) => {
        /// Every command of every mode, in table order.
        pub const COMMANDS: &[CommandSpec] = &[$($(CommandSpec {
            name: stringify!($name),
            mode: WindowMode::$mode,
            args: &[$(Arg { name: stringify!($arg), ty: TsType::of::<$ty>() }),*],
            returns: TsType::of::<$ret>(),
        },)*)*];
    };
}

mod specs {
    // The table names types as the crate root exports them.
    #[allow(clippy::wildcard_imports, unused_imports)]
    use crate::*;

    crate::command_table!(command_specs);
}

pub use specs::COMMANDS;

/// Every command of every mode.
pub fn all_commands() -> Vec<CommandSpec> {
    COMMANDS.to_vec()
}
