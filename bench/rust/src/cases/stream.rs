//! `copy` and `triad`: streaming vec4<f32> kernels.

use super::*;
use crate::check;
use crate::gpu::fold_1d;
use crate::reference;

pub struct Stream {
    triad: bool,
    n: u32,
    scalar: f32,
    tolerance: f64,
    inner: u32,
    src_b: wgpu::Buffer,
    src_c: Option<wgpu::Buffer>,
    dst: wgpu::Buffer,
    program: Program,
}

impl Stream {
    pub fn build(
        gpu: &Gpu,
        sources: &Sources,
        spec: &CaseSpec,
        triad: bool,
    ) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        // copy binds the same uniform; its scalar is unused.
        let scalar = if triad { spec.constant("scalar")? as f32 } else { 0.0 };
        let bytes = n as u64 * 16;
        check_buffer_size(gpu, "a vec4 stream", bytes, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry(if triad { "triad" } else { "copy" })?;
        let src_b = gpu.storage("src_b", bytes);
        let src_c = triad.then(|| gpu.storage("src_c", bytes));
        let dst = gpu.storage("dst", bytes);
        let params = gpu.params("params", &[scalar.to_bits(), n]);
        let mut buffers = vec![(0, &src_b), (2, &dst), (3, &params)];
        if let Some(c) = &src_c {
            buffers.push((1, c));
        }
        let bind_group = entry.bind(gpu, &buffers)?;
        let program = Program::default().step(entry, bind_group, fold_1d(n.div_ceil(256)));
        Ok(Stream {
            triad,
            n,
            scalar,
            tolerance: spec.verify.tolerance,
            inner: spec.inner,
            src_b,
            src_c,
            dst,
            program,
        })
    }
}

impl Case for Stream {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let len = self.n as usize * 4;
        let b = rng.vec_f32(len, 0.0, 1.0);
        gpu.write(&self.src_b, bytes_f32(&b));
        let c = rng.vec_f32(len, 0.0, 1.0);
        if let Some(src_c) = &self.src_c {
            gpu.write(src_c, bytes_f32(&c));
        }
        gpu.poison(&self.dst);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_f32(&self.dst).await?;
        Ok(if self.triad {
            check::relative_f32("dst", &got, &reference::triad(&b, &c, self.scalar), self.tolerance)
        } else {
            check::exact_f32("dst", &got, &b)
        })
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
