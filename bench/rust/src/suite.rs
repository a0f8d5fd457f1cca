//! `suite.json`: the cases, their sizes and the timing policy.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Small,
    Large,
}

impl Size {
    pub fn parse(s: &str) -> Option<Size> {
        match s {
            "small" => Some(Size::Small),
            "large" => Some(Size::Large),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Large => "large",
        }
    }
}

/// The sampling rule (bench/README.md, rule 2): after `warmup` samples (and more until
/// `warmup_seconds` have passed), at least `samples` timed
/// samples, then more until their RSD is at most `rsd_target`, `max_seconds` have passed or
/// `max_samples` were taken. Without `rsd_target` the count is fixed at `samples`.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub warmup: u32,
    pub warmup_seconds: Option<f64>,
    pub samples: u32,
    pub max_samples: u32,
    pub rsd_target: Option<f64>,
    pub max_seconds: Option<f64>,
}

/// How a metric follows from the time of one run (suite.json `metric.rule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricRule {
    /// count / seconds / 1e9 (GB/s, GFLOP/s, ...).
    GigaPerSecond,
    /// The time in the metric's unit (ms or us) / count.
    TimePerCount,
}

#[derive(Clone, Debug)]
pub struct MetricSpec {
    pub name: String,
    pub unit: String,
    pub better: String,
    pub rule: MetricRule,
    /// count = factor * the named parameters (* the verification output's sum when output_sum).
    pub factor: f64,
    pub count_params: Vec<String>,
    pub output_sum: bool,
}

impl MetricSpec {
    /// The metric of one run that took `seconds`, for an instance with `params`.
    pub fn value(&self, params: &Map<String, Value>, seconds: f64, output_sum: f64) -> f64 {
        let mut count = self.factor;
        for p in &self.count_params {
            count *= params.get(p).and_then(Value::as_f64).unwrap_or(f64::NAN);
        }
        if self.output_sum {
            count *= output_sum;
        }
        match self.rule {
            MetricRule::GigaPerSecond => count / seconds / 1e9,
            MetricRule::TimePerCount => {
                seconds * if self.unit == "us" { 1e6 } else { 1e3 } / count
            }
        }
    }
}

/// suite.json `verify`: the comparison's tolerance and the sampling it names (0 where none).
#[derive(Clone, Debug, Default)]
pub struct VerifySpec {
    pub rule: String,
    pub tolerance: f64,
    pub samples: usize,
    pub check_all_up_to_n: usize,
    pub row_stride: u32,
}

/// One case of the suite, already narrowed to the chosen size.
#[derive(Clone, Debug)]
pub struct CaseSpec {
    pub id: String,
    pub class: String,
    pub title: String,
    /// Absolute path of the WGSL file, for cases that have one.
    pub kernel: Option<PathBuf>,
    pub entries: Vec<String>,
    pub variants: Vec<String>,
    /// suite.json `requires`: the WebGPU features ("subgroups") the case cannot run without.
    pub requires: Vec<String>,
    pub params: Map<String, Value>,
    pub inner: u32,
    /// suite.json `constants`: kernel uniforms and reference coefficients.
    pub constants: Map<String, Value>,
    pub verify: VerifySpec,
    pub metric: MetricSpec,
    pub extra_metric: Option<MetricSpec>,
}

impl CaseSpec {
    pub fn param_u32(&self, key: &str) -> Result<u32, String> {
        self.params
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| format!("case {}: params.{key} missing or not a u32", self.id))
    }

    pub fn constant(&self, key: &str) -> Result<f64, String> {
        self.constants
            .get(key)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("case {}: constants.{key} missing or not a number", self.id))
    }

    pub fn param_u64_list(&self, key: &str) -> Result<Vec<u64>, String> {
        let bad = || format!("case {}: params.{key} must be a list of integers", self.id);
        let list = self
            .params
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(bad)?;
        list.iter().map(|v| v.as_u64().ok_or_else(bad)).collect()
    }
}

#[derive(Clone, Debug)]
pub struct Suite {
    pub path: PathBuf,
    pub size: Size,
    pub timing: Timing,
    pub cases: Vec<CaseSpec>,
}

impl Suite {
    pub fn load(path: &Path, size: Size) -> Result<Suite, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read suite {}: {e}", path.display()))?;
        let root: Value = serde_json::from_str(&text)
            .map_err(|e| format!("suite {} is not valid JSON: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Self::from_json(&root, dir, size)
            .map(|s| Suite {
                path: path.to_path_buf(),
                ..s
            })
            .map_err(|e| format!("suite {}: {e}", path.display()))
    }

    /// Parses an already-read suite; kernel paths are resolved against `dir`.
    pub fn from_json(root: &Value, dir: &Path, size: Size) -> Result<Suite, String> {
        if root.get("schema").and_then(Value::as_str) != Some("wgslrun-suite/1") {
            return Err("schema is not wgslrun-suite/1".into());
        }
        let timing = parse_timing(root, size)?;
        let cases = root
            .get("cases")
            .and_then(Value::as_array)
            .ok_or("no cases array")?
            .iter()
            .map(|c| parse_case(c, dir, size))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Suite {
            path: PathBuf::new(),
            size,
            timing,
            cases,
        })
    }
}

fn parse_timing(root: &Value, size: Size) -> Result<Timing, String> {
    let t = root
        .get("timing")
        .and_then(|t| t.get(size.as_str()))
        .ok_or_else(|| format!("no timing.{}", size.as_str()))?;
    let field = |k: &str| {
        t.get(k)
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| format!("timing.{}.{k} missing", size.as_str()))
    };
    let positive = |k: &str| match t.get(k) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(x) if x > 0.0 => Ok(Some(x)),
            _ => Err(format!("timing.{}.{k} must be a number > 0", size.as_str())),
        },
    };
    let samples = field("samples")?;
    let max_samples = match t.get("max_samples") {
        None => samples,
        Some(_) => field("max_samples")?.max(samples),
    };
    Ok(Timing {
        warmup: field("warmup")?,
        warmup_seconds: positive("warmup_seconds")?,
        samples,
        max_samples,
        rsd_target: positive("rsd_target")?,
        max_seconds: positive("max_seconds")?,
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_case(c: &Value, dir: &Path, size: Size) -> Result<CaseSpec, String> {
    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let id = s("id");
    if id.is_empty() {
        return Err("a case has no id".into());
    }
    let params = c
        .get("sizes")
        .and_then(|v| v.get(size.as_str()))
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| format!("case {id}: no sizes.{}", size.as_str()))?;
    let inner = c
        .get("inner")
        .and_then(|v| v.get(size.as_str()))
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&v| v > 0)
        .ok_or_else(|| format!("case {id}: no positive inner.{}", size.as_str()))?;
    let metric = parse_metric(&id, "metric", c.get("metric"))?;
    let extra_metric = match c.get("extra_metric") {
        Some(m) => Some(parse_metric(&id, "extra_metric", Some(m))?),
        None => None,
    };
    Ok(CaseSpec {
        class: s("class"),
        title: s("title"),
        kernel: c.get("kernel").and_then(Value::as_str).map(|k| dir.join(k)),
        entries: strings(c.get("entries")),
        variants: strings(c.get("variants")),
        requires: strings(c.get("requires")),
        params,
        inner,
        constants: c
            .get("constants")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        verify: parse_verify(&id, c.get("verify"))?,
        metric,
        extra_metric,
        id,
    })
}

fn parse_metric(id: &str, key: &str, m: Option<&Value>) -> Result<MetricSpec, String> {
    let m = m.ok_or_else(|| format!("case {id}: no {key}"))?;
    let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let unit = text("unit");
    let rule = match m.get("rule").and_then(Value::as_str) {
        Some("giga_per_second") => MetricRule::GigaPerSecond,
        Some("time_per_count") if unit == "ms" || unit == "us" => MetricRule::TimePerCount,
        _ => {
            return Err(format!(
                "case {id}: {key}.rule must be giga_per_second, or time_per_count with unit ms or us"
            ));
        }
    };
    let count = m.get("count");
    let factor = count
        .and_then(|c| c.get("factor"))
        .and_then(Value::as_f64)
        .filter(|&f| f > 0.0)
        .ok_or_else(|| format!("case {id}: {key}.count.factor must be a number > 0"))?;
    let count_params = count
        .and_then(|c| c.get("params"))
        .and_then(Value::as_array)
        .ok_or_else(|| format!("case {id}: {key}.count.params must be a list"))?
        .iter()
        .map(|p| p.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("case {id}: {key}.count.params must name parameters"))?;
    Ok(MetricSpec {
        name: text("name"),
        better: text("better"),
        unit,
        rule,
        factor,
        count_params,
        output_sum: count
            .and_then(|c| c.get("output_sum"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

fn parse_verify(id: &str, v: Option<&Value>) -> Result<VerifySpec, String> {
    let v = v.ok_or_else(|| format!("case {id}: no verify"))?;
    let rule = v.get("rule").and_then(Value::as_str).unwrap_or("").to_owned();
    let tolerance = v.get("tolerance").and_then(Value::as_f64);
    if rule.is_empty() || (rule != "exact" && !tolerance.is_some_and(|t| t > 0.0)) {
        return Err(format!("case {id}: verify needs a rule and, unless exact, a tolerance > 0"));
    }
    let count = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    Ok(VerifySpec {
        rule,
        tolerance: tolerance.unwrap_or(0.0),
        samples: count("samples"),
        check_all_up_to_n: count("check_all_up_to_n"),
        row_stride: u32::try_from(count("row_stride")).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_suite_parses_for_both_sizes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../suite.json");
        for size in [Size::Small, Size::Large] {
            let suite = Suite::load(&path, size).unwrap();
            assert!(suite.timing.samples > 0);
            let copy = suite.cases.iter().find(|c| c.id == "copy").unwrap();
            assert!(copy.param_u32("n").unwrap() > 0);
            assert!(
                copy.kernel
                    .as_ref()
                    .unwrap()
                    .ends_with("kernels/stream.wgsl")
            );
            let transfer = suite.cases.iter().find(|c| c.id == "transfer").unwrap();
            assert!(!transfer.param_u64_list("bytes").unwrap().is_empty());
            assert_eq!(
                transfer.variants,
                ["upload", "readback", "upload_mapped", "readback_mapped"]
            );
        }
    }
}
