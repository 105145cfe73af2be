//! The command table: one source of truth for the shell's app manifest, the
//! per-mode permission sets and the generated TypeScript `commands.ts`.

use crate::WindowMode;

/// One `#[tauri::command]` as the UI sees it.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Rust/IPC name, e.g. `station_act`.
    pub name: &'static str,
    /// The only window mode allowed to call it.
    pub mode: WindowMode,
    /// Arguments in order: (camelCase IPC name, TypeScript type).
    pub args: &'static [(&'static str, &'static str)],
    /// TypeScript type of the success value.
    pub returns: &'static str,
}

/// The student's window.
pub const STATION_COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "station_status",
        mode: WindowMode::Station,
        args: &[],
        returns: "StationStatus",
    },
    CommandSpec {
        name: "station_view",
        mode: WindowMode::Station,
        args: &[],
        returns: "SessionView",
    },
    CommandSpec {
        name: "station_act",
        mode: WindowMode::Station,
        args: &[("action", "StudentAction")],
        returns: "SessionView",
    },
    CommandSpec {
        name: "station_organizer",
        mode: WindowMode::Station,
        args: &[("pin", "string"), ("action", "OrganizerAction")],
        returns: "SessionView",
    },
    CommandSpec {
        name: "station_rendered",
        mode: WindowMode::Station,
        args: &[("screen", "string")],
        returns: "null",
    },
    CommandSpec {
        name: "station_media",
        mode: WindowMode::Station,
        args: &[("path", "string")],
        returns: "string",
    },
    CommandSpec {
        name: "station_request_exit",
        mode: WindowMode::Station,
        args: &[("pin", "string")],
        returns: "null",
    },
];

/// Every command of every mode.
pub fn all_commands() -> Vec<CommandSpec> {
    [
        STATION_COMMANDS,
        crate::technician_commands::TECHNICIAN_COMMANDS,
        crate::coordinator_commands::COORDINATOR_COMMANDS,
    ]
    .concat()
}

impl WindowMode {
    /// The window label (and capability) of this mode.
    pub fn label(self) -> &'static str {
        match self {
            Self::Station => "station",
            Self::Technician => "technician",
            Self::Coordinator => "coordinator",
        }
    }

    pub const ALL: [WindowMode; 3] = [Self::Station, Self::Technician, Self::Coordinator];
}

/// Events the shell emits to windows: (name, TypeScript payload type).
pub const EVENTS: &[(&str, &str)] = &[
    ("station://view", "SessionView"),
    ("station://level", "LevelMeter"),
    ("station://alert", "StationAlert"),
    ("kiosk://close-refused", "null"),
];

/// `commands.ts`: a typed function per command over `invoke`.
pub fn typescript_commands() -> String {
    let mut types: Vec<&str> = Vec::new();
    let event_types = EVENTS.iter().map(|(_, t)| *t);
    let commands = all_commands();
    for c in &commands {
        for t in c
            .args
            .iter()
            .map(|(_, t)| *t)
            .chain([c.returns])
            .chain(event_types.clone())
        {
            for word in t.split(|ch: char| !ch.is_alphanumeric()) {
                if word
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_uppercase())
                    && !types.contains(&word)
                {
                    types.push(word);
                }
            }
        }
    }
    types.sort_unstable();
    let mut out = String::from(
        "// Generated from src-tauri/crates/api/src/commands.rs by `cargo test -p vpr-bindings`. Do not edit.\n",
    );
    out.push_str("import { invoke } from \"@tauri-apps/api/core\";\n");
    out.push_str("import { listen, type UnlistenFn } from \"@tauri-apps/api/event\";\n");
    for t in &types {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    for c in &commands {
        let camel = camel_case(c.name);
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let obj: Vec<&str> = c.args.iter().map(|(n, _)| *n).collect();
        out.push_str(&format!(
            "\n/** `{}` ({} window). Rejects with a `CommandError`. */\nexport function {camel}({}): Promise<{}> {{\n  return invoke(\"{}\"{});\n}}\n",
            c.name,
            c.mode.label(),
            params.join(", "),
            c.returns,
            c.name,
            if obj.is_empty() { String::new() } else { format!(", {{ {} }}", obj.join(", ")) },
        ));
    }
    for (event, payload) in EVENTS {
        let name = camel_case(&format!(
            "on_{}",
            event.replace("://", "_").replace('-', "_")
        ));
        out.push_str(&format!(
            "\n/** Event `{event}`. */\nexport function {name}(handler: (payload: {payload}) => void): Promise<UnlistenFn> {{\n  return listen<{payload}>(\"{event}\", (e) => handler(e.payload));\n}}\n"
        ));
    }
    out
}

fn camel_case(snake: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_prefixed_by_their_mode() {
        let mut seen = std::collections::HashSet::new();
        for c in all_commands() {
            assert!(seen.insert(c.name), "duplicate {}", c.name);
            assert!(
                c.name.starts_with(c.mode.label()),
                "{} not in its mode",
                c.name
            );
        }
    }

    #[test]
    fn typescript_has_a_function_per_command() {
        let ts = typescript_commands();
        assert!(
            ts.contains("export function stationAct(action: StudentAction): Promise<SessionView>")
        );
        assert!(ts.contains("import type { StationStatus } from \"./StationStatus\";"));
        assert_eq!(
            ts.matches("export function").count(),
            all_commands().len() + EVENTS.len()
        );
        assert!(
            ts.contains("export function onStationView(handler: (payload: SessionView) => void)")
        );
    }
}
