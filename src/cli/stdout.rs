//! A command's output on stdout. A reader that stops early (`| head -1`) has
//! taken all it wanted: the command ends there, quietly and successfully, as
//! kubectl's output does, instead of panicking the way `println!` does on a
//! closed pipe. Any other write error ends it with a message and exit 1.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` to stdout (see the module doc); used through the `out!`
/// and `outln!` macros.
pub fn write(args: fmt::Arguments) {
    let mut stdout = io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| stdout.flush());
    if let Err(error) = written {
        end_on(&error);
    }
}

/// Writes `bytes` to stdout (see the module doc).
pub fn write_bytes(bytes: &[u8]) {
    let mut stdout = io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    if let Err(error) = written {
        end_on(&error);
    }
}

fn end_on(error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write the output to stdout: {error}");
    std::process::exit(1);
}
