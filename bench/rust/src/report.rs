//! Results: one row per case instance, the `wgslrun-result/1` file, and the stdout table.

use crate::cases::Instance;
use crate::gpu::Gpu;
use crate::stats::{Noise, Summary};
use crate::suite::{CaseSpec, MetricSpec, Size};
use serde_json::{Map, Value, json};

#[derive(Clone, Debug)]
pub struct CaseResult {
    pub case: String,
    pub class: String,
    pub variant: Option<String>,
    pub params: Map<String, Value>,
    /// `None` when the case is unsupported on this device.
    pub verified: Option<bool>,
    pub max_error: Option<f64>,
    pub error: Option<String>,
    pub unsupported: Option<String>,
    /// Per-run times in milliseconds.
    pub wall: Option<Summary>,
    pub gpu: Option<Summary>,
    pub metric: MetricSpec,
    pub metric_value: Option<f64>,
    pub extra_metrics: Vec<Value>,
    /// How sampling ended, once the case was timed.
    pub noise: Option<Noise>,
}

impl CaseResult {
    pub fn new(spec: &CaseSpec, inst: &Instance) -> Self {
        CaseResult {
            case: spec.id.clone(),
            class: spec.class.clone(),
            variant: inst.variant.clone(),
            params: inst.params.clone(),
            verified: Some(false),
            max_error: None,
            error: None,
            unsupported: None,
            wall: None,
            gpu: None,
            metric: spec.metric.clone(),
            metric_value: None,
            extra_metrics: Vec::new(),
            noise: None,
        }
    }

    /// Marks a case the device cannot run (`verified: null` with the reason).
    pub fn set_unsupported(&mut self, reason: String) {
        self.verified = None;
        self.max_error = None;
        self.unsupported = Some(reason);
    }

    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.case),
            None => self.case.clone(),
        }
    }

    /// The clock the metric uses: GPU timestamps when the case has them.
    pub fn timing(&self) -> Option<&'static str> {
        if self.gpu.is_some() {
            Some("gpu")
        } else if self.wall.is_some() {
            Some("wall")
        } else {
            None
        }
    }

    pub fn time(&self) -> Option<&Summary> {
        self.gpu.as_ref().or(self.wall.as_ref())
    }

    pub fn params_text(&self) -> String {
        self.params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn status_text(&self) -> &'static str {
        match self.verified {
            Some(true) if self.error.is_none() => "yes",
            Some(true) => "yes*",
            Some(false) => "NO",
            None => "unsupported",
        }
    }

    pub fn to_json(&self) -> Value {
        let summary = |s: &Option<Summary>| s.as_ref().map_or(Value::Null, Summary::to_json);
        let mut v = json!({
            "case": self.case,
            "class": self.class,
            "variant": self.variant,
            "params": self.params,
            "verified": self.verified,
            "max_error": self.max_error,
            "error": self.error,
            "timing": self.timing(),
            "time_ms": self.time().map_or(Value::Null, Summary::to_json),
            "wall_ms": summary(&self.wall),
            "gpu_ms": summary(&self.gpu),
            "metric": {
                "name": self.metric.name,
                "unit": self.metric.unit,
                "value": self.metric_value,
                "better": self.metric.better,
            },
        });
        if let Some(reason) = &self.unsupported {
            v["unsupported"] = json!(reason);
        }
        if !self.extra_metrics.is_empty() {
            v["extra_metrics"] = json!(self.extra_metrics);
        }
        if let Some(noise) = &self.noise {
            v["noise"] = noise.to_json();
        }
        v
    }
}

/// Everything the result file says about where and how the suite ran.
#[derive(Clone, Debug)]
pub struct Report {
    pub adapter: String,
    pub backend: String,
    pub driver: String,
    pub device_class: &'static str,
    pub adapter_info: Value,
    pub timestamps: bool,
    pub command: String,
    pub size: Size,
    pub suite: String,
    pub date: String,
    /// `--round N`: which round of a repeated measurement this is.
    pub round: Option<u32>,
    pub results: Vec<CaseResult>,
}

impl Report {
    pub fn new(
        gpu: &Gpu,
        command: &str,
        suite: &str,
        size: Size,
        results: Vec<CaseResult>,
    ) -> Self {
        let info = &gpu.info;
        // Vulkan drivers report the version in driver_info (e.g. "580.159.04") and the name
        // in driver; the version is what the result format wants.
        let driver = if info.driver_info.is_empty() {
            info.driver.clone()
        } else {
            info.driver_info.clone()
        };
        Report {
            adapter: info.name.clone(),
            backend: info.backend.to_str().to_string(),
            driver,
            device_class: if info.device_type == wgpu::DeviceType::Cpu {
                "cpu"
            } else {
                "gpu"
            },
            adapter_info: json!({
                "vendor": info.vendor,
                "device": info.device,
                "device_type": format!("{:?}", info.device_type),
                "driver": info.driver,
                "driver_info": info.driver_info,
            }),
            timestamps: gpu.timestamp_period.is_some(),
            command: command.to_string(),
            size,
            suite: suite.to_string(),
            date: utc_now_iso8601(),
            round: None,
            results,
        }
    }

    pub fn to_json(&self) -> Value {
        let mut v = self.header_json();
        if let Some(round) = self.round {
            v["round"] = json!(round);
        }
        v
    }

    fn header_json(&self) -> Value {
        json!({
            "schema": "wgslrun-result/1",
            "method": crate::METHOD,
            "implementation": format!("wgpu-rs {}", crate::WGPU_VERSION),
            "adapter": self.adapter,
            "backend": self.backend,
            "driver": self.driver,
            "device_class": self.device_class,
            "adapter_info": self.adapter_info,
            "timestamp_queries": self.timestamps,
            "machine": machine(),
            "versions": {
                "wgslrun-bench-rust": env!("CARGO_PKG_VERSION"),
                "wgpu": crate::WGPU_VERSION,
            },
            "date": self.date,
            "command": self.command,
            "suite": self.suite,
            "size": self.size.as_str(),
            "results": self.results.iter().map(CaseResult::to_json).collect::<Vec<_>>(),
        })
    }

    pub fn write_json(&self, path: &std::path::Path) -> Result<(), String> {
        let mut text =
            serde_json::to_string_pretty(&self.to_json()).expect("JSON values serialize");
        text.push('\n');
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Fixed-width table for humans.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} ({}, driver {}, {}), size {}\n",
            self.adapter,
            self.backend,
            self.driver,
            self.device_class,
            self.size.as_str()
        );
        out += &format!(
            "{:<22} {:<34} {:<11} {:<6} {:>12} {:>14} {}\n",
            "case", "params", "verified", "timing", "median ms", "metric", "unit"
        );
        for r in &self.results {
            let median = r
                .time()
                .map_or("-".to_string(), |t| format!("{:.4}", t.median));
            let value = r
                .metric_value
                .map_or("-".to_string(), |v| format!("{v:.3}"));
            out += &format!(
                "{:<22} {:<34} {:<11} {:<6} {:>12} {:>14} {}\n",
                r.label(),
                r.params_text(),
                r.status_text(),
                r.timing().unwrap_or("-"),
                median,
                value,
                r.metric.unit
            );
        }
        out
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        });
    let os = match read_trimmed("/proc/sys/kernel/osrelease") {
        Some(release) => format!("Linux {release}"),
        None => std::env::consts::OS.to_string(),
    };
    json!({
        "hostname": read_trimmed("/proc/sys/kernel/hostname").or_else(|| read_trimmed("/etc/hostname")),
        "cpu": cpu,
        "os": os,
        "arch": std::env::consts::ARCH,
    })
}

/// Current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (no date crate for one timestamp).
pub fn utc_now_iso8601() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    iso8601(secs)
}

fn iso8601(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_525_200), "2026-11-24T13:00:00Z");
    }
}
