//! Command-line parsing (hand-rolled: seven options don't justify an argument-parser crate).

use crate::gpu::parse_backends;
use crate::runner::Options;
use crate::suite::Size;
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: wgslrun-bench-rust [options]

Runs the wgslrun benchmark suite with Rust + wgpu.

options:
  --suite PATH        suite.json (default: $WGSLRUN_SUITE, else the bench/suite.json of the
                      checkout it was built from, else ./bench/suite.json)
  --size small|large  problem sizes (default: small)
  --filter REGEX      run cases whose id or id/variant matches REGEX (searched, not anchored,
                      as in every runner), e.g. 'copy|sgemm|dispatch/one_pass' or '^triad$'
  --json FILE         write the wgslrun-result/1 file
  --adapter TEXT      use the first adapter whose name contains TEXT (case-insensitive)
  --backend NAME      vulkan (default), gl, or all
  --seed N            seed for the random inputs (default: 1592598566)
  --round N           record \"round\": N in the result file (wgslrun report compares rounds)
  -h, --help          this text
";

pub enum Command {
    Run {
        options: Options,
        json: Option<PathBuf>,
    },
    Help,
}

/// The suite used when neither `--suite` nor `$WGSLRUN_SUITE` says otherwise: the checkout
/// this binary was built from, or, for a binary carried to another machine, `bench/suite.json`
/// under the current directory (the repository root).
pub fn default_suite() -> PathBuf {
    if let Some(path) = std::env::var_os("WGSLRUN_SUITE").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let built = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../suite.json"));
    let cwd = PathBuf::from("bench/suite.json");
    if !built.exists() && cwd.exists() {
        cwd
    } else {
        built
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut options = Options::new(default_suite(), Size::Small);
    let mut json = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "--suite" => options.suite = PathBuf::from(value()?),
            "--size" => {
                let v = value()?;
                options.size =
                    Size::parse(&v).ok_or(format!("--size must be small or large, not {v:?}"))?;
            }
            "--filter" => options.filter = Some(value()?),
            "--json" => json = Some(PathBuf::from(value()?)),
            "--adapter" => options.adapter = Some(value()?),
            "--backend" => {
                let v = value()?;
                options.backends = parse_backends(&v)
                    .ok_or(format!("--backend must be vulkan, gl or all, not {v:?}"))?;
            }
            "--seed" => {
                let v = value()?;
                options.seed = v
                    .parse()
                    .map_err(|_| format!("--seed must be an unsigned integer, not {v:?}"))?;
            }
            "--round" => {
                let v = value()?;
                options.round = Some(
                    v.parse()
                        .ok()
                        .filter(|&n: &u32| n >= 1)
                        .ok_or(format!("--round must be a whole number from 1, not {v:?}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Command::Run { options, json })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_all_options() {
        let Command::Run { options, json } = parse(&args(&[
            "--suite",
            "s.json",
            "--size=large",
            "--filter",
            "copy",
            "--json",
            "out.json",
            "--adapter",
            "nvidia",
            "--backend",
            "gl",
            "--seed",
            "7",
            "--round",
            "2",
        ]))
        .unwrap() else {
            panic!("expected a run");
        };
        assert_eq!(options.suite, PathBuf::from("s.json"));
        assert_eq!(options.size, Size::Large);
        assert_eq!(options.filter.as_deref(), Some("copy"));
        assert_eq!(json, Some(PathBuf::from("out.json")));
        assert_eq!(options.adapter.as_deref(), Some("nvidia"));
        assert_eq!(options.backends, wgpu::Backends::GL);
        assert_eq!(options.seed, 7);
        assert_eq!(options.round, Some(2));
    }

    #[test]
    fn rejects_bad_usage() {
        assert!(parse(&args(&["--size", "huge"])).is_err());
        assert!(parse(&args(&["--json"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
        for bad in ["0", "x", "-1"] {
            let Err(e) = parse(&args(&["--round", bad])) else { panic!("--round {bad} parsed") };
            assert!(e.contains("--round must be a whole number from 1"), "{e}");
        }
        assert!(matches!(parse(&args(&["-h"])), Ok(Command::Help)));
    }
}
