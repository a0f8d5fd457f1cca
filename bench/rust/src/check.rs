//! Comparisons of a GPU output with its CPU reference.

/// Outcome of a verification: the largest error seen (in the case's own measure) and, when
/// the tolerance is exceeded, a message naming the first offending element.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub max_error: f64,
    pub error: Option<String>,
}

impl Check {
    pub fn passed(&self) -> bool {
        self.error.is_none()
    }

    /// Builds the outcome from an error measure and a tolerance; NaN always fails.
    pub fn against(max_error: f64, tolerance: f64, describe: impl FnOnce() -> String) -> Check {
        let ok = within(max_error, tolerance);
        Check {
            max_error,
            error: (!ok).then(|| format!("{} (tolerance {tolerance:e})", describe())),
        }
    }
}

/// Exact equality of u32 outputs; the error measure is the number of mismatches.
pub fn exact_u32(what: &str, got: &[u32], want: &[u32]) -> Check {
    let mismatches = got.iter().zip(want).filter(|(g, w)| g != w).count();
    let first = got.iter().zip(want).position(|(g, w)| g != w);
    Check::against(mismatches as f64, 0.0, || {
        let i = first.unwrap_or(0);
        format!(
            "{mismatches} of {} differ; first {what}[{i}] = {} expected {}",
            want.len(),
            got[i],
            want[i]
        )
    })
}

/// Bitwise equality of f32 outputs (copies); the error measure is the max absolute difference.
pub fn exact_f32(what: &str, got: &[f32], want: &[f32]) -> Check {
    let max_error = max_by_element(got.len(), |i| (got[i] as f64 - want[i] as f64).abs());
    let first = got
        .iter()
        .zip(want)
        .position(|(g, w)| g.to_bits() != w.to_bits());
    let error = first.map(|i| format!("{what}[{i}] = {} expected {}", got[i], want[i]));
    Check { max_error, error }
}

/// Largest per-element relative error |got − want| / |want|.
pub fn relative_f32(what: &str, got: &[f32], want: &[f64], tolerance: f64) -> Check {
    let rel =
        |i: usize| (got[i] as f64 - want[i]).abs() / want[i].abs().max(f32::MIN_POSITIVE as f64);
    let max = max_by_element(got.len(), rel);
    Check::against(max, tolerance, || {
        let i = (0..got.len())
            .find(|&i| !within(rel(i), tolerance))
            .unwrap_or(0);
        format!(
            "max rel. error {max:e}; first {what}[{i}] = {} expected {}",
            got[i], want[i]
        )
    })
}

/// Largest absolute error.
pub fn absolute_f32(what: &str, got: &[f32], want: &[f32], tolerance: f64) -> Check {
    let abs = |i: usize| (got[i] as f64 - want[i] as f64).abs();
    let max = max_by_element(got.len(), abs);
    Check::against(max, tolerance, || {
        let i = (0..got.len())
            .find(|&i| !within(abs(i), tolerance))
            .unwrap_or(0);
        format!(
            "max abs. error {max:e}; first {what}[{i}] = {} expected {}",
            got[i], want[i]
        )
    })
}

/// `error <= tolerance`, spelled out because a NaN error must count as out of tolerance.
pub fn within(error: f64, tolerance: f64) -> bool {
    error <= tolerance
}

/// Max of `f(i)` over `0..len`, propagating NaN (a NaN output must never look like a pass).
pub fn max_by_element(len: usize, f: impl Fn(usize) -> f64) -> f64 {
    let mut max = 0.0f64;
    for i in 0..len {
        let e = f(i);
        if e.is_nan() {
            return f64::NAN;
        }
        max = max.max(e);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_never_passes() {
        assert!(!relative_f32("x", &[f32::NAN], &[1.0], 1e-6).passed());
        assert!(!absolute_f32("x", &[f32::NAN], &[1.0], 1e-5).passed());
        assert!(!exact_f32("x", &[f32::NAN], &[1.0]).passed());
    }

    #[test]
    fn tolerances() {
        assert!(relative_f32("x", &[1.0], &[1.0 + 5e-7], 1e-6).passed());
        assert!(!relative_f32("x", &[1.0], &[1.0 + 5e-6], 1e-6).passed());
        assert!(exact_u32("x", &[1, 2], &[1, 2]).passed());
        let bad = exact_u32("x", &[1, 3], &[1, 2]);
        assert_eq!(bad.max_error, 1.0);
        assert!(bad.error.unwrap().contains("x[1] = 3 expected 2"));
        assert!(exact_f32("x", &[0.5], &[0.5]).passed());
    }
}
