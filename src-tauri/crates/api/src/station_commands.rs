//! Commands of the student's (kiosk) window. See the crate docs for how to
//! add one.

/// The station's part of [`crate::command_table`] (passes on to the technician's).
#[doc(hidden)]
#[macro_export]
macro_rules! __station_commands {
    ($callback:ident; $($done:tt)*) => {
        $crate::__technician_commands! { $callback; $($done)*
            station = Station [
                station_status() -> StationStatus,
                station_view() -> SessionView,
                station_act(action: StudentAction) -> SessionView,
                station_organizer(pin: String, action: OrganizerAction) -> SessionView,
                station_rendered(screen: String) -> (),
                station_media(path: String) -> String,
                station_request_exit(pin: String) -> (),
            ]
        }
    };
}
