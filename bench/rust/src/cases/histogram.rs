//! `histogram`: 256 bins of `key & 255` with workgroup-private atomics.

use super::*;
use crate::check;
use crate::reference;

const MAX_GROUPS: u32 = 2048;

pub struct Histogram {
    n: u32,
    inner: u32,
    keys: wgpu::Buffer,
    bins: wgpu::Buffer,
    program: Program,
}

impl Histogram {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        check_buffer_size(gpu, "histogram keys", n as u64 * 4, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let keys = gpu.storage("keys", n as u64 * 4);
        let bins = gpu.storage("bins", 256 * 4);
        let params = gpu.params("params", &[n]);
        let entry = kernel.entry("histogram")?;
        let bind_group = entry.bind(gpu, &[(0, &keys), (1, &bins), (2, &params)])?;
        let groups = n.div_ceil(256).min(MAX_GROUPS);
        let program = Program::default().step(entry, bind_group, [groups, 1, 1]);
        Ok(Histogram {
            n,
            inner: spec.inner,
            keys,
            bins,
            program,
        })
    }
}

impl Case for Histogram {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let keys = rng.vec_u32(self.n as usize);
        gpu.write(&self.keys, bytes_u32(&keys));
        // Bins accumulate, so they start from zero rather than poison.
        gpu.write(&self.bins, &[0u8; 256 * 4]);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_u32(&self.bins).await?;
        Ok(check::exact_u32(
            "bins",
            &got,
            &reference::histogram256(&keys),
        ))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
