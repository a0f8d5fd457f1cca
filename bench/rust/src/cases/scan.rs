//! `scan`: three-kernel inclusive prefix sum of u32.

use super::*;
use crate::check;
use crate::gpu::fold_1d;
use crate::reference;

const BLOCK: u32 = 4096;
const MAX_BLOCKS: u32 = 16384;

pub struct Scan {
    n: u32,
    inner: u32,
    input: wgpu::Buffer,
    output: wgpu::Buffer,
    sums: wgpu::Buffer,
    program: Program,
}

impl Scan {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        let blocks = n / BLOCK;
        if n % BLOCK != 0 || blocks == 0 || blocks > MAX_BLOCKS {
            return Err(BuildError::Failed(format!(
                "scan: n = {n} must be k * {BLOCK} with 1 <= k <= {MAX_BLOCKS}"
            )));
        }
        check_buffer_size(gpu, "scan input", n as u64 * 4, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let input = gpu.storage("input", n as u64 * 4);
        let output = gpu.storage("output", n as u64 * 4);
        let sums = gpu.storage("sums", blocks as u64 * 4);
        let params = gpu.params("params", &[n]);
        let buffers = [(0, &input), (1, &output), (2, &sums), (3, &params)];
        let mut program = Program::default();
        for (name, groups) in [
            ("block_sums", fold_1d(blocks)),
            ("scan_sums", [1, 1, 1]),
            ("scan_blocks", fold_1d(blocks)),
        ] {
            let entry = kernel.entry(name)?;
            program = program.step(entry, entry.bind(gpu, &buffers)?, groups);
        }
        Ok(Scan {
            n,
            inner: spec.inner,
            input,
            output,
            sums,
            program,
        })
    }
}

impl Case for Scan {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let values = rng.vec_u32_below(self.n as usize, 256);
        gpu.write(&self.input, bytes_u32(&values));
        gpu.poison(&self.output);
        gpu.poison(&self.sums);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_u32(&self.output).await?;
        Ok(check::exact_u32(
            "output",
            &got,
            &reference::inclusive_scan(&values),
        ))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
