//! Commands of the author's window. See the crate docs for how to add one.

/// The author's part of [`crate::command_table`] (the first: passes on to the station's).
#[doc(hidden)]
#[macro_export]
macro_rules! __author_commands {
    ($callback:ident; $($done:tt)*) => {
        $crate::__station_commands! { $callback; $($done)*
            author = Author [
                author_status() -> AuthorStatus,
                author_create(template: Template, language: Language, id: String, title: Option<String>)
                    -> WorkView,
                author_open(id: String) -> WorkView,
                // `value` is the field's new value as JSON text (the form writes it, never the author).
                author_set_field(id: String, path: String, value: String) -> WorkView,
                author_add_variant(id: String, copy_of: Option<u32>) -> WorkView,
                author_add_task(id: String, variant: u32, kind: TaskKind, after: u32) -> WorkView,
                author_remove_task(id: String, variant: u32, number: u32) -> WorkView,
                // The file's bytes are the raw request body; `x-work`, `x-file-name`
                // (URI-encoded) and `x-slot` headers name the rest (ui/src/author/upload.ts).
                author_add_media() -> MediaReceived,
                author_media(id: String, path: String) -> String,
                author_preview(id: String, variant: u32, number: u32) -> TaskPreview,
                author_play(id: String, variant: u32, number: u32) -> u32,
                author_stop() -> (),
                author_record_check(seconds: u32) -> RecorderCheck,
                author_play_check() -> (),
                author_create_key() -> SchoolKey,
                author_export_key(folder: String) -> String,
                author_build(id: String, school: String, exam_date: String) -> BuiltPackage,
            ]
        }
    };
}
