//! Rust + wgpu row of the wgslrun benchmark suite (see `bench/README.md`).
//!
//! The binary is a thin shell around [`runner::run_suite`], so the integration test can run the
//! whole suite in-process.

pub mod cases;
pub mod check;
pub mod cli;
pub mod execute;
pub mod gpu;
pub mod kernel;
pub mod reference;
pub mod report;
pub mod rng;
pub mod runner;
pub mod stats;
pub mod suite;

/// Version of the `wgpu` crate this runner is built against (kept in sync with Cargo.lock by a
/// unit test, since Cargo offers no build-time access to dependency versions).
pub const WGPU_VERSION: &str = "30.0.2";

/// `method` field of the result file.
pub const METHOD: &str = "rust-wgpu";

#[cfg(test)]
mod tests {
    #[test]
    fn wgpu_version_matches_lockfile() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
            .expect("Cargo.lock next to Cargo.toml");
        let entry = format!("name = \"wgpu\"\nversion = \"{}\"", super::WGPU_VERSION);
        assert!(
            lock.contains(&entry),
            "WGPU_VERSION differs from the wgpu version in Cargo.lock"
        );
    }
}
