//! The `multigrade` command line. See `cli` for the commands and README.md for the exit codes.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
