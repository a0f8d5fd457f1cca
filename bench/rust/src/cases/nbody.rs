//! `nbody`: all-pairs gravitational accelerations with softening.

use super::*;
use crate::reference;


pub struct NBody {
    n: u32,
    inner: u32,
    eps2: f32,
    verify: VerifySpec,
    bodies: wgpu::Buffer,
    accel: wgpu::Buffer,
    program: Program,
}

impl NBody {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        if n % 256 != 0 {
            return Err(BuildError::Failed(format!(
                "nbody: n = {n} is not a multiple of 256"
            )));
        }
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry("nbody_forces")?;
        let bodies = gpu.storage("bodies", n as u64 * 16);
        let accel = gpu.storage("accel", n as u64 * 16);
        let eps2 = spec.constant("eps2")? as f32;
        let params = gpu.params("params", &[n, eps2.to_bits()]);
        let bind_group = entry.bind(gpu, &[(0, &bodies), (1, &accel), (2, &params)])?;
        let program = Program::default().step(entry, bind_group, [n / 256, 1, 1]);
        Ok(NBody {
            n,
            inner: spec.inner,
            eps2,
            verify: spec.verify.clone(),
            bodies,
            accel,
            program,
        })
    }
}

fn random_bodies(rng: &mut Rng, n: usize) -> Vec<f32> {
    let mut v = Vec::with_capacity(4 * n);
    for _ in 0..n {
        for _ in 0..3 {
            v.push(rng.range_f32(-1.0, 1.0));
        }
        v.push(rng.range_f32(0.5, 1.0));
    }
    v
}

impl Case for NBody {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let n = self.n as usize;
        let bodies = random_bodies(rng, n);
        gpu.write(&self.bodies, bytes_f32(&bodies));
        gpu.poison(&self.accel);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_f32(&self.accel).await?;
        let picks = sample_indices(rng, n, self.verify.samples);
        // Error of the whole vector relative to |a|: bounds the error of |a| and also catches
        // a wrong direction.
        let rel = |k: usize| {
            let i = picks[k];
            let want = reference::nbody_accel(&bodies, i, self.eps2);
            let g = &got[4 * i..4 * i + 4];
            if g[3] != 0.0 {
                return f64::NAN;
            }
            let d2: f64 = (0..3).map(|c| (g[c] as f64 - want[c]).powi(2)).sum();
            let w2: f64 = want.iter().map(|w| w * w).sum();
            (d2 / w2).sqrt()
        };
        let max = crate::check::max_by_element(picks.len(), rel);
        Ok(Check::against(max, self.verify.tolerance, || {
            let k = (0..picks.len())
                .find(|&k| !crate::check::within(rel(k), self.verify.tolerance))
                .unwrap_or(0);
            let i = picks[k];
            let want = reference::nbody_accel(&bodies, i, self.eps2);
            format!(
                "accel[{i}] = {:?} expected {want:?} (w must be 0)",
                &got[4 * i..4 * i + 4]
            )
        }))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
