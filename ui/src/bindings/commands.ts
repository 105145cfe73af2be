// Generated from vpr-api's command table by `cargo test -p vpr-bindings`. Do not edit.
export * from "./stationCommands";
export * from "./technicianCommands";
export * from "./coordinatorCommands";
export * from "./authorCommands";
