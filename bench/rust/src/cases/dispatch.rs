//! `dispatch`: host-side cost of issuing a one-invocation dispatch, three ways.
//!
//! Recording the commands is part of what a dispatch costs the host, so each sample times
//! encoding + submission + wait (with `submit_each` and `round_trip` a command buffer has to be
//! recorded per submission anyway; `one_pass` is timed the same way for comparability).

use super::*;

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
        sources: &Sources,
        spec: &CaseSpec,
        variant: &str,
    ) -> Result<Self, BuildError> {
        let mode = match variant {
            "one_pass" => Mode::OnePass,
            "submit_each" => Mode::SubmitEach,
            "round_trip" => Mode::RoundTrip,
            other => unreachable!("cases::IMPLEMENTED lists dispatch variant {other:?} without it"),
        };
        let dispatches = spec.param_u32("dispatches")?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let entry = kernel.entry("tick")?;
        let counter = gpu.storage("counter", 4);
        let bind_group = entry.bind(gpu, &[(0, &counter)])?;
        Ok(Dispatch {
            mode,
            dispatches,
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

    async fn run(&self, gpu: &Gpu) -> Result<f64, String> {
        let start = Stopwatch::start();
        match self.mode {
            Mode::OnePass => gpu.submit_wait(self.commands(gpu, self.dispatches)).await?,
            Mode::SubmitEach => {
                let mut last = None;
                for _ in 0..self.dispatches {
                    last = Some(gpu.queue.submit([self.commands(gpu, 1)]));
                }
                if let Some(index) = last {
                    gpu.wait(index).await?;
                }
            }
            Mode::RoundTrip => {
                for _ in 0..self.dispatches {
                    gpu.submit_wait(self.commands(gpu, 1)).await?;
                }
            }
        }
        Ok(start.elapsed_ms())
    }
}

impl Case for Dispatch {
    async fn verify(&mut self, gpu: &Gpu, _rng: &mut Rng) -> Result<Check, String> {
        gpu.write(&self.counter, &0u32.to_le_bytes());
        self.run(gpu).await?;
        let got = gpu.read_u32(&self.counter).await?[0];
        let want = self.dispatches;
        Ok(Check::against(
            (got as f64 - want as f64).abs(),
            0.0,
            || format!("counter = {got}, expected {want}"),
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
