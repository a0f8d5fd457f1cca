//! Runs the real suite in-process. CI sets VK_ICD_FILENAMES to SwiftShader, so this checks
//! every kernel in bench/kernels against the CPU references on a software Vulkan device.

use std::path::PathBuf;
use wgslrun_bench_rust::report::Report;
use wgslrun_bench_rust::runner::{Options, run_suite};
use wgslrun_bench_rust::suite::{Size, Suite};

fn repo_suite() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../suite.json"))
}

fn run(options: &Options) -> Report {
    run_suite(options, &mut |line| eprintln!("{line}")).expect("the suite runs")
}

#[test]
fn small_suite_verifies_every_case() {
    let options = Options::new(repo_suite(), Size::Small);
    let report = run(&options);
    eprint!("{}", report.table());

    let suite = Suite::load(&repo_suite(), Size::Small).unwrap();
    for case in &suite.cases {
        assert!(
            report.results.iter().any(|r| r.case == case.id),
            "no result for {}",
            case.id
        );
    }
    // Cases and variants this runner lacks (the mapped transfers are wgslrun's API) are
    // unsupported results by the rule, as are cases whose feature the adapter lacks (subgroups),
    // and nothing else is unsupported.
    let (unsupported, results): (Vec<_>, Vec<_>) =
        report.results.iter().partition(|r| r.unsupported.is_some());
    for r in &unsupported {
        let reason = r.unsupported.as_deref().unwrap();
        assert!(
            reason.starts_with("not implemented by the Rust runner: ")
                || reason.starts_with("the case requires the 'subgroups' feature"),
            "{}: {reason}",
            r.label()
        );
        assert_eq!(r.verified, None);
    }
    let mapped: Vec<String> = unsupported
        .iter()
        .filter(|r| r.case == "transfer")
        .map(|r| r.label())
        .collect();
    assert_eq!(
        mapped,
        [
            "transfer/upload_mapped",
            "transfer/upload_mapped",
            "transfer/readback_mapped",
            "transfer/readback_mapped"
        ]
    );
    let failures: Vec<String> = results
        .iter()
        .filter(|r| r.verified != Some(true) || r.error.is_some())
        .map(|r| {
            format!(
                "{}: verified {:?}, {}",
                r.label(),
                r.verified,
                r.error.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "cases failed:\n{}",
        failures.join("\n")
    );

    for r in &results {
        let t = r
            .time()
            .unwrap_or_else(|| panic!("{} has no time", r.label()));
        // As many samples as the suite's rule took, within its bounds, and said so in "noise".
        let noise = r
            .noise
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no noise", r.label()));
        assert_eq!(t.count, noise.samples, "{}", r.label());
        let timing = &suite.timing;
        assert!(
            t.count >= timing.samples as usize && t.count <= timing.max_samples as usize,
            "{}: {} samples",
            r.label(),
            t.count
        );
        assert_eq!(
            noise.converged,
            noise.stopped_by == "rsd_target",
            "{}",
            r.label()
        );
        assert_eq!(
            noise.converged,
            noise.rsd <= timing.rsd_target.unwrap(),
            "{}",
            r.label()
        );
        assert!(
            t.min > 0.0 && t.min <= t.median && t.median <= t.max,
            "{}: {t:?}",
            r.label()
        );
        let v = r.metric_value.unwrap_or(f64::NAN);
        assert!(v.is_finite() && v > 0.0, "{}: metric {v}", r.label());
    }

    let json = report.to_json();
    assert_eq!(json["schema"], "wgslrun-result/1");
    assert_eq!(json["method"], "rust-wgpu");
    let first = &json["results"][0]["noise"];
    assert!(
        first["samples"].as_u64().unwrap() >= 1 && first["converged"].is_boolean(),
        "{first}"
    );
    assert_eq!(
        json["results"].as_array().unwrap().len(),
        report.results.len()
    );
    assert!(json["results"][0]["time_ms"]["median"].is_number());
}

#[test]
fn a_broken_case_is_recorded_without_time() {
    let dir = std::env::temp_dir().join(format!("wgslrun-bench-rust-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let suite = dir.join("suite.json");
    std::fs::write(
        &suite,
        r#"{"schema": "wgslrun-suite/1", "timing": {"small": {"warmup": 0, "samples": 1}},
            "cases": [{"id": "copy", "class": "bandwidth", "kernel": "kernels/absent.wgsl",
                       "entries": ["copy"], "sizes": {"small": {"n": 1024}}, "inner": {"small": 1},
                       "verify": {"rule": "exact"},
                       "metric": {"name": "bandwidth", "unit": "GB/s", "better": "higher",
                                  "count": {"factor": 32, "params": ["n"]}, "rule": "giga_per_second"}}]}"#,
    )
    .unwrap();
    let report = run(&Options::new(suite, Size::Small));
    std::fs::remove_dir_all(&dir).ok();

    let r = &report.results[0];
    assert_eq!(r.verified, Some(false));
    assert!(
        r.error.as_deref().unwrap().contains("absent.wgsl"),
        "{:?}",
        r.error
    );
    let json = r.to_json();
    for key in ["time_ms", "wall_ms", "gpu_ms"] {
        assert!(json[key].is_null(), "{key} should be null");
    }
    assert!(json["metric"]["value"].is_null());
}

#[test]
fn filter_selects_variants() {
    let mut options = Options::new(repo_suite(), Size::Small);
    options.filter = Some("dispatch/one_pass|transfer/upload".into());
    let labels: Vec<String> = run(&options).results.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        [
            "dispatch/one_pass",
            "transfer/upload",
            "transfer/upload",
            "transfer/upload_mapped",
            "transfer/upload_mapped"
        ]
    );
}

/// suite.json plus a case no runner has, an unknown transfer variant and a variant given to a
/// case that takes none: each is an unsupported result naming it (bench/README.md).
#[test]
fn unknown_cases_and_variants_are_unsupported_results() {
    let mut suite: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_suite()).unwrap()).unwrap();
    let bench = repo_suite().parent().unwrap().to_path_buf();
    let cases = suite["cases"].as_array_mut().unwrap();
    for case in cases.iter_mut() {
        if let Some(kernel) = case["kernel"].as_str() {
            case["kernel"] = bench.join(kernel).to_str().unwrap().into();
        }
        match case["id"].as_str().unwrap() {
            "transfer" => case["variants"] = serde_json::json!(["upload", "teleport"]),
            "copy" => case["variants"] = serde_json::json!(["bogus"]),
            _ => {}
        }
    }
    let mut extra = cases.iter().find(|c| c["id"] == "triad").unwrap().clone();
    extra["id"] = "no_such_case".into();
    cases.push(extra);
    let dir =
        std::env::temp_dir().join(format!("wgslrun-bench-rust-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("suite.json");
    std::fs::write(&path, suite.to_string()).unwrap();
    let mut options = Options::new(path, Size::Small);
    options.filter = Some("copy|transfer/teleport|no_such_case".into());
    let report = run(&options);
    std::fs::remove_dir_all(&dir).ok();
    let got: Vec<(String, Option<String>, Option<bool>)> = report
        .results
        .iter()
        .map(|r| (r.label(), r.unsupported.clone(), r.verified))
        .collect();
    let row = |label: &str, what: &str| {
        let reason = format!("not implemented by the Rust runner: {what}");
        (label.to_string(), Some(reason), None)
    };
    assert_eq!(
        got,
        [
            row("copy/bogus", "variant 'copy/bogus'"),
            row("transfer/teleport", "variant 'transfer/teleport'"),
            row("transfer/teleport", "variant 'transfer/teleport'"),
            row("no_such_case", "case 'no_such_case'"),
        ]
    );
}

/// A case whose suite entry requires a feature the device lacks is an unsupported result naming
/// the feature, not a failure (bench/README.md; on SwiftShader, "subgroups" is present, so the
/// test asks for a feature no device has).
#[test]
fn a_missing_required_feature_is_an_unsupported_result() {
    let mut suite: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_suite()).unwrap()).unwrap();
    let bench = repo_suite().parent().unwrap().to_path_buf();
    let cases = suite["cases"].as_array_mut().unwrap();
    let mut needy = cases.iter().find(|c| c["id"] == "reduce").unwrap().clone();
    needy["kernel"] = bench.join(needy["kernel"].as_str().unwrap()).to_str().unwrap().into();
    needy["requires"] = serde_json::json!(["no_such_feature"]);
    *cases = vec![needy];
    let dir =
        std::env::temp_dir().join(format!("wgslrun-bench-rust-requires-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("suite.json");
    std::fs::write(&path, suite.to_string()).unwrap();
    let report = run(&Options::new(path, Size::Small));
    std::fs::remove_dir_all(&dir).ok();
    let [result] = report.results.as_slice() else {
        panic!("one result expected, got {}", report.results.len())
    };
    let reason = result.unsupported.as_deref().unwrap_or("");
    assert!(
        reason.starts_with("the case requires the 'no_such_feature' feature, which the Rust runner's device on '"),
        "{reason}"
    );
    assert_eq!((result.verified, result.error.as_deref()), (None, None));
}
