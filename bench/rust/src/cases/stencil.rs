//! `stencil`: Jacobi iterations ping-ponging between two buffers in one submission.

use super::*;
use crate::check;
use crate::reference;

pub struct Stencil {
    width: u32,
    height: u32,
    iterations: u32,
    weight: f32,
    tolerance: f64,
    inner: u32,
    a: wgpu::Buffer,
    b: wgpu::Buffer,
    program: Program,
}

impl Stencil {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let (width, height) = (spec.param_u32("width")?, spec.param_u32("height")?);
        let iterations = spec.param_u32("iterations")?;
        let bytes = width as u64 * height as u64 * 4;
        check_buffer_size(gpu, "a stencil grid", bytes, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry("jacobi")?;
        let (a, b) = (gpu.storage("grid_a", bytes), gpu.storage("grid_b", bytes));
        let params = gpu.params("params", &[width, height]);
        let a_to_b = entry.bind(gpu, &[(0, &a), (1, &b), (2, &params)])?;
        let b_to_a = entry.bind(gpu, &[(0, &b), (1, &a), (2, &params)])?;
        let groups = [width.div_ceil(16), height.div_ceil(16), 1];
        let mut program = Program::default();
        for i in 0..iterations {
            let bind_group = if i % 2 == 0 {
                a_to_b.clone()
            } else {
                b_to_a.clone()
            };
            program = program.step(entry, bind_group, groups);
        }
        Ok(Stencil {
            width,
            height,
            iterations,
            weight: spec.constant("weight")? as f32,
            tolerance: spec.verify.tolerance,
            inner: spec.inner,
            a,
            b,
            program,
        })
    }
}

impl Case for Stencil {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let (w, h) = (self.width as usize, self.height as usize);
        let input = rng.vec_f32(w * h, 0.0, 1.0);
        gpu.write(&self.a, bytes_f32(&input));
        gpu.poison(&self.b);
        self.program.run(gpu, 1, None).await?;
        let last = if self.iterations % 2 == 1 {
            &self.b
        } else {
            &self.a
        };
        let got = gpu.read_f32(last).await?;
        let want = reference::jacobi(&input, w, h, self.iterations, self.weight);
        Ok(check::absolute_f32("grid", &got, &want, self.tolerance))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
