//! `reduce`: two-pass f32 sum.

use super::*;
use crate::reference;

const PARTIALS: u64 = 1024;

pub struct Reduce {
    n: u32,
    inner: u32,
    tolerance: f64,
    input: wgpu::Buffer,
    partials: wgpu::Buffer,
    result: wgpu::Buffer,
    program: Program,
}

impl Reduce {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        if n % 4 != 0 {
            return Err(BuildError::Failed(format!(
                "reduce: n = {n} is not a multiple of 4"
            )));
        }
        check_buffer_size(gpu, "reduce input", n as u64 * 4, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let input = gpu.storage("input", n as u64 * 4);
        let partials = gpu.storage("partials", PARTIALS * 4);
        let result = gpu.storage("result", 4);
        let params = gpu.params("params", &[n]);
        let buffers = [(0, &input), (1, &partials), (2, &result), (3, &params)];
        let (first, last) = (kernel.entry("partial_sums")?, kernel.entry("final_sum")?);
        let program = Program::default()
            .step(first, first.bind(gpu, &buffers)?, [PARTIALS as u32, 1, 1])
            .step(last, last.bind(gpu, &buffers)?, [1, 1, 1]);
        Ok(Reduce {
            n,
            inner: spec.inner,
            tolerance: spec.verify.tolerance,
            input,
            partials,
            result,
            program,
        })
    }
}

impl Case for Reduce {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let values = rng.vec_f32(self.n as usize, 0.0, 1.0);
        gpu.write(&self.input, bytes_f32(&values));
        gpu.poison(&self.partials);
        gpu.poison(&self.result);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_f32(&self.result).await?[0];
        let want = reference::sum(&values);
        let rel = (got as f64 - want).abs() / want;
        Ok(Check::against(rel, self.tolerance, || {
            format!("sum = {got}, expected {want}")
        }))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
