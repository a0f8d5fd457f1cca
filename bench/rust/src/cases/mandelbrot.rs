//! `mandelbrot`: escape-time iteration counts.

use super::*;
use crate::reference::MandelbrotView;


pub struct Mandelbrot {
    view: MandelbrotView,
    inner: u32,
    verify: VerifySpec,
    counts: wgpu::Buffer,
    program: Program,
    /// Σ counts of the verification output: the iterations one run performs.
    total_iterations: u64,
}

impl Mandelbrot {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let view = MandelbrotView::new(
            spec.param_u32("width")?,
            spec.param_u32("height")?,
            spec.param_u32("max_iter")?,
            [spec.constant("x0")? as f32, spec.constant("y0")? as f32],
            spec.constant("span")? as f32,
        );
        let bytes = view.width as u64 * view.height as u64 * 4;
        check_buffer_size(gpu, "counts", bytes, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry("mandelbrot")?;
        let counts = gpu.storage("counts", bytes);
        let v = &view;
        let params = gpu.params(
            "params",
            &[
                v.width,
                v.height,
                v.max_iter,
                v.x0.to_bits(),
                v.y0.to_bits(),
                v.dx.to_bits(),
                v.dy.to_bits(),
            ],
        );
        let bind_group = entry.bind(gpu, &[(0, &counts), (1, &params)])?;
        let groups = [view.width.div_ceil(16), view.height.div_ceil(16), 1];
        let program = Program::default().step(entry, bind_group, groups);
        Ok(Mandelbrot {
            view,
            inner: spec.inner,
            verify: spec.verify.clone(),
            counts,
            program,
            total_iterations: 0,
        })
    }
}

impl Case for Mandelbrot {
    async fn verify(&mut self, gpu: &Gpu, _rng: &mut Rng) -> Result<Check, String> {
        gpu.poison(&self.counts);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_u32(&self.counts).await?;
        self.total_iterations = got.iter().map(|&c| c as u64).sum();
        let (w, v) = (self.view.width as usize, &self.view);
        let mut checked = 0usize;
        let mut differ = Vec::new();
        for y in (0..v.height).step_by(self.verify.row_stride as usize) {
            for x in 0..v.width {
                checked += 1;
                let (g, want) = (got[y as usize * w + x as usize], v.count(x, y));
                if g != want {
                    differ.push((x, y, g, want));
                }
            }
        }
        let fraction = differ.len() as f64 / checked.max(1) as f64;
        // The tolerance allows for FMA contraction moving boundary pixels.
        Ok(Check::against(fraction, self.verify.tolerance, || {
            let (x, y, g, want) = differ[0];
            format!(
                "{} of {checked} sampled pixels differ; first ({x}, {y}) = {g} expected {want}",
                differ.len()
            )
        }))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }

    fn output_sum(&self) -> f64 {
        self.total_iterations as f64
    }
}
