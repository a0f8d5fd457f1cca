//! Summaries of per-run times.

use serde_json::{Value, json};

use crate::suite::Timing;

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub count: usize,
}

impl Summary {
    /// `None` for an empty sample set, so a case with no samples reports null times.
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            0.5 * (v[mid - 1] + v[mid])
        };
        Some(Summary {
            min: v[0],
            median,
            max: v[v.len() - 1],
            count: v.len(),
        })
    }

    pub fn to_json(&self) -> Value {
        json!({"min": self.min, "median": self.median, "max": self.max, "count": self.count})
    }
}

/// Sample standard deviation over the mean; 0 for fewer than two values.
pub fn relative_sd(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    if mean > 0.0 { (squares / (n - 1.0)).sqrt() / mean } else { f64::INFINITY }
}

/// How a case's sampling ended: the result's "noise".
#[derive(Clone, Debug, PartialEq)]
pub struct Noise {
    pub samples: usize,
    pub rsd: f64,
    pub converged: bool,
    pub rsd_target: Option<f64>,
    pub stopped_by: &'static str,
}

impl Noise {
    /// `None` to take another sample after `times` (per-run times the metric uses) and
    /// `elapsed_s` seconds of timed samples; else how sampling ended.
    pub fn if_done(timing: &Timing, times: &[f64], elapsed_s: f64) -> Option<Noise> {
        let n = times.len();
        let rsd = relative_sd(times);
        let done = |converged, stopped_by| {
            Some(Noise { samples: n, rsd, converged, rsd_target: timing.rsd_target, stopped_by })
        };
        if n < timing.samples as usize {
            return None;
        }
        if timing.rsd_target.is_some_and(|target| rsd <= target) {
            return done(true, "rsd_target");
        }
        if n >= timing.max_samples.max(timing.samples) as usize {
            return done(false, if timing.rsd_target.is_some() { "max_samples" } else { "fixed" });
        }
        if timing.max_seconds.is_some_and(|cap| elapsed_s >= cap) {
            return done(false, "max_seconds");
        }
        None
    }

    pub fn to_json(&self) -> Value {
        json!({"samples": self.samples, "rsd": self.rsd, "converged": self.converged,
               "rsd_target": self.rsd_target, "stopped_by": self.stopped_by})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Timing = Timing {
        warmup: 1,
        warmup_seconds: None,
        samples: 3,
        max_samples: 6,
        rsd_target: Some(0.01),
        max_seconds: Some(1.0),
    };

    #[test]
    fn steady_samples_stop_at_the_minimum_converged() {
        assert_eq!(Noise::if_done(&RULE, &[1.0, 1.001], 0.0), None);
        let noise = Noise::if_done(&RULE, &[1.0, 1.001, 0.999], 0.0).unwrap();
        assert_eq!((noise.samples, noise.converged, noise.stopped_by), (3, true, "rsd_target"));
    }

    #[test]
    fn noisy_samples_stop_at_a_cap_not_converged() {
        assert_eq!(Noise::if_done(&RULE, &[1.0, 2.0, 3.0], 0.5), None);
        let timed_out = Noise::if_done(&RULE, &[1.0, 2.0, 3.0], 1.0).unwrap();
        assert_eq!((timed_out.converged, timed_out.stopped_by), (false, "max_seconds"));
        let counted = Noise::if_done(&RULE, &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0], 0.0).unwrap();
        assert_eq!((counted.samples, counted.stopped_by), (6, "max_samples"));
        let fixed = Timing { max_samples: 2, samples: 2, rsd_target: None, max_seconds: None, warmup: 0, warmup_seconds: None };
        assert_eq!(Noise::if_done(&fixed, &[1.0, 3.0], 0.0).unwrap().stopped_by, "fixed");
        assert!((relative_sd(&[1.0, 2.0, 3.0]) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn median_odd_and_even() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.min, s.median, s.max, s.count), (1.0, 2.0, 3.0, 3));
        let s = Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 2.5);
        assert!(Summary::of(&[]).is_none());
    }
}
