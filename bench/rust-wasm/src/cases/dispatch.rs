//! `dispatch`: host-side cost of issuing a one-invocation dispatch, three ways.
//!
//! Recording the commands is part of what a dispatch costs the host (and in wasm, part of
//! what crosses into JavaScript), so each sample times recording + submission + completion.

use super::*;
use crate::gpu::now_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    OnePass,
    SubmitEach,
    RoundTrip,
}

pub struct Dispatch {
    mode: Mode,
    dispatches: u32,
    counter: wgpu::Buffer,
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
}

impl Dispatch {
    pub fn build(
        gpu: &Gpu,
        spec: &CaseSpec,
        kernel: &Kernel,
        variant: &str,
    ) -> Result<Self, BuildError> {
        let mode = match variant {
            "one_pass" => Mode::OnePass,
            "submit_each" => Mode::SubmitEach,
            "round_trip" => Mode::RoundTrip,
            other => {
                return Err(BuildError::Unsupported(format!(
                    "unknown dispatch variant {other:?}"
                )));
            }
        };
        let entry = kernel.entry("tick")?;
        let counter = gpu.storage("counter", 4);
        let bind_group = entry.bind(gpu, &[(0, &counter)])?;
        Ok(Dispatch {
            mode,
            dispatches: spec.param_u32("dispatches")?,
            counter,
            pipeline: entry.pipeline.clone(),
            bind_group,
        })
    }

    /// A command buffer with `count` one-workgroup dispatches in one pass.
    fn commands(&self, gpu: &Gpu, count: u32) -> wgpu::CommandBuffer {
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &self.bind_group, &[]);
            for _ in 0..count {
                pass.dispatch_workgroups(1, 1, 1);
            }
        }
        encoder.finish()
    }

    /// One sample: all `dispatches` dispatches, issued the variant's way; wall time in ms.
    pub async fn run(&self, gpu: &Gpu) -> f64 {
        let start = now_ms();
        match self.mode {
            Mode::OnePass => gpu.submit_wait(self.commands(gpu, self.dispatches)).await,
            Mode::SubmitEach => {
                for _ in 0..self.dispatches {
                    gpu.queue.submit([self.commands(gpu, 1)]);
                }
                gpu.idle().await;
            }
            Mode::RoundTrip => {
                for _ in 0..self.dispatches {
                    gpu.submit_wait(self.commands(gpu, 1)).await;
                }
            }
        }
        now_ms() - start
    }

    pub async fn verify(&mut self, gpu: &Gpu) -> Result<Check, String> {
        gpu.write(&self.counter, &0u32.to_le_bytes());
        self.run(gpu).await;
        let got = crate::gpu::u32s(&gpu.read(&self.counter).await?)[0];
        let want = self.dispatches;
        Ok(Check::against(
            (got as f64 - want as f64).abs(),
            0.0,
            || format!("counter = {got}, expected {want}"),
        ))
    }

    /// Microseconds per dispatch.
    pub fn metric(&self, seconds: f64) -> f64 {
        seconds * 1e6 / self.dispatches as f64
    }
}
