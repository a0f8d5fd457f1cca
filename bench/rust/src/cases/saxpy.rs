//! `e2e_saxpy`: upload x and y from host memory, y = a x + y, read y back into host memory.

use super::*;
use crate::check;
use crate::gpu::fold_1d;
use crate::reference;

pub struct Saxpy {
    n: u32,
    a: f32,
    tolerance: f64,
    x_host: Vec<f32>,
    y_host: Vec<f32>,
    out_host: Vec<u8>,
    x: wgpu::Buffer,
    y: wgpu::Buffer,
    staging: wgpu::Buffer,
    program: Program,
}

impl Saxpy {
    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        let a = spec.constant("a")? as f32;
        let bytes = n as u64 * 4;
        check_buffer_size(gpu, "saxpy vectors", bytes, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry("saxpy")?;
        let (x, y) = (gpu.storage("x", bytes), gpu.storage("y", bytes));
        let params = gpu.params("params", &[a.to_bits(), n]);
        let bind_group = entry.bind(gpu, &[(0, &x), (1, &y), (2, &params)])?;
        let program = Program::default().step(entry, bind_group, fold_1d(n.div_ceil(256)));
        Ok(Saxpy {
            a,
            tolerance: spec.verify.tolerance,
            n,
            x_host: vec![0.0; n as usize],
            y_host: vec![0.0; n as usize],
            out_host: vec![0; bytes as usize],
            staging: gpu.staging("y_readback", bytes),
            x,
            y,
            program,
        })
    }

    /// The whole end-to-end sample: both uploads, the kernel, and the readback of y, all
    /// completed before returning.
    async fn run(&mut self, gpu: &Gpu) -> Result<f64, String> {
        let start = Stopwatch::start();
        gpu.queue.write_buffer(&self.x, 0, bytes_f32(&self.x_host));
        gpu.queue.write_buffer(&self.y, 0, bytes_f32(&self.y_host));
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        self.program.encode(&mut encoder, 1, None);
        encoder.copy_buffer_to_buffer(&self.y, 0, &self.staging, 0, self.staging.size());
        gpu.queue.submit([encoder.finish()]);
        gpu.map_into(&self.staging, &mut self.out_host).await?;
        Ok(start.elapsed_ms())
    }
}

impl Case for Saxpy {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        self.x_host = rng.vec_f32(self.n as usize, 0.0, 1.0);
        self.y_host = rng.vec_f32(self.n as usize, 0.0, 1.0);
        // The host buffer is this case's output.
        self.out_host.fill(0xFF);
        self.run(gpu).await?;
        let got: Vec<f32> = crate::gpu::words(&self.out_host)
            .map(f32::from_bits)
            .collect();
        Ok(check::relative_f32(
            "y",
            &got,
            &reference::saxpy(self.a, &self.x_host, &self.y_host),
            self.tolerance,
        ))
    }

    async fn sample(&mut self, gpu: &Gpu, _stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.run(gpu).await
    }

    fn runs_per_sample(&self) -> u32 {
        1
    }

    fn clock(&self) -> Clock {
        Clock::Wall
    }
}
