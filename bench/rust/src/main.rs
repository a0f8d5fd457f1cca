use std::process::ExitCode;
use wgslrun_bench_rust::cli::{self, Command};
use wgslrun_bench_rust::runner;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (options, json) = match cli::parse(&args[1..]) {
        Ok(Command::Run { options, json }) => (options, json),
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("wgslrun-bench-rust: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let options = runner::Options {
        command: args.join(" "),
        ..options
    };
    let report = match runner::run_suite(&options, &mut |line| eprintln!("{line}")) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("wgslrun-bench-rust: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report.table());
    if let Some(path) = json {
        if let Err(e) = report.write_json(&path) {
            eprintln!("wgslrun-bench-rust: {e}");
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {}", path.display());
    }
    // Failed verifications are data, not a failed run.
    ExitCode::SUCCESS
}
