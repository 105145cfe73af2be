//! Standard output for the CLI's `println!` (see the macro in main.rs).

use std::io::{ErrorKind, Write};

/// Write one line to stdout. When the reader has closed the pipe, exit at
/// once with success: the reader asked for no more (`vpr … | head -1`). Any
/// other write error is reported on stderr and ends the command with 1.
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("vpr: не удалось вывести результат: {e}");
            std::process::exit(1);
        }
    }
}
