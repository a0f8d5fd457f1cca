//! `sgemm_naive` and `sgemm_tiled`: C = A B for row-major n×n f32 matrices.

use super::*;
use crate::reference;

/// Outputs compared with the f64 reference (all of them when n ≤ 256).

pub struct Sgemm {
    n: u32,
    inner: u32,
    verify: VerifySpec,
    a: wgpu::Buffer,
    b: wgpu::Buffer,
    c: wgpu::Buffer,
    program: Program,
}

impl Sgemm {
    pub fn build(
        gpu: &Gpu,
        sources: &Sources,
        spec: &CaseSpec,
        tiled: bool,
    ) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        // The tile of c one workgroup computes (rows, columns) is the suite's, like the kernel.
        let (rows, cols) = (spec.param_u32("tile_rows")?, spec.param_u32("tile_cols")?);
        if rows == 0 || cols == 0 || n % rows != 0 || n % cols != 0 {
            return Err(BuildError::Failed(format!(
                "{}: n = {n} is not a multiple of the tile {rows} x {cols}",
                spec.id
            )));
        }
        let bytes = n as u64 * n as u64 * 4;
        check_buffer_size(gpu, "a matrix", bytes, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry(if tiled { "sgemm_tiled" } else { "sgemm_naive" })?;
        let (a, b, c) = (
            gpu.storage("a", bytes),
            gpu.storage("b", bytes),
            gpu.storage("c", bytes),
        );
        let params = gpu.params("params", &[n]);
        let bind_group = entry.bind(gpu, &[(0, &a), (1, &b), (2, &c), (3, &params)])?;
        let program = Program::default().step(entry, bind_group, [n / cols, n / rows, 1]);
        Ok(Sgemm {
            n,
            inner: spec.inner,
            verify: spec.verify.clone(),
            a,
            b,
            c,
            program,
        })
    }
}

impl Case for Sgemm {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let n = self.n as usize;
        let a = rng.vec_f32(n * n, -1.0, 1.0);
        let b = rng.vec_f32(n * n, -1.0, 1.0);
        gpu.write(&self.a, bytes_f32(&a));
        gpu.write(&self.b, bytes_f32(&b));
        gpu.poison(&self.c);
        self.program.run(gpu, 1, None).await?;
        let c = gpu.read_f32(&self.c).await?;
        let count = if n <= self.verify.check_all_up_to_n {
            n * n
        } else {
            self.verify.samples
        };
        let picks = sample_indices(rng, n * n, count);
        let want: Vec<f64> = picks
            .iter()
            .map(|&i| reference::gemm_element(&a, &b, n, i / n, i % n))
            .collect();
        let max_ref = want.iter().fold(0.0f64, |m, w| m.max(w.abs()));
        let err = |k: usize| (c[picks[k]] as f64 - want[k]).abs();
        let max_err = crate::check::max_by_element(picks.len(), err);
        let worst = (0..picks.len())
            .max_by(|&x, &y| err(x).total_cmp(&err(y)))
            .unwrap_or(0);
        Ok(Check::against(max_err / (max_ref + 1.0), self.verify.tolerance, || {
            let i = picks[worst];
            format!(
                "c[{}][{}] = {} expected {}",
                i / n,
                i % n,
                c[i],
                want[worst]
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
