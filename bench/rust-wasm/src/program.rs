//! Recorded dispatch sequences and the timestamp queries that bracket samples.

use crate::gpu::{Gpu, now_ms};
use crate::kernel::Entry;

/// Query indices for the timestamps written at the beginning and end of one sample.
#[derive(Clone, Copy)]
pub struct Stamps<'a> {
    pub query_set: &'a wgpu::QuerySet,
    pub begin: u32,
}

impl<'a> Stamps<'a> {
    fn pass_writes(self) -> wgpu::ComputePassTimestampWrites<'a> {
        wgpu::ComputePassTimestampWrites {
            query_set: self.query_set,
            beginning_of_pass_write_index: Some(self.begin),
            end_of_pass_write_index: Some(self.begin + 1),
        }
    }
}

struct Step {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    groups: [u32; 3],
}

/// The dispatches of one run of a case.
#[derive(Default)]
pub struct Program {
    steps: Vec<Step>,
}

impl Program {
    pub fn step(mut self, entry: &Entry, bind_group: wgpu::BindGroup, groups: [u32; 3]) -> Self {
        self.steps.push(Step {
            pipeline: entry.pipeline.clone(),
            bind_group,
            groups,
        });
        self
    }

    /// `runs` back-to-back runs in one compute pass: WebGPU orders dependent dispatches within
    /// a pass, and one pass lets two timestamps bracket the whole sample.
    pub fn encode(&self, encoder: &mut wgpu::CommandEncoder, runs: u32, stamps: Option<Stamps>) {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: None,
            timestamp_writes: stamps.map(Stamps::pass_writes),
        });
        for _ in 0..runs {
            for s in &self.steps {
                pass.set_pipeline(&s.pipeline);
                pass.set_bind_group(0, &s.bind_group, &[]);
                pass.dispatch_workgroups(s.groups[0], s.groups[1], s.groups[2]);
            }
        }
    }

    /// Records (untimed), then returns the wall time in ms of submit + completion.
    pub async fn run(&self, gpu: &Gpu, runs: u32, stamps: Option<Stamps<'_>>) -> f64 {
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        self.encode(&mut encoder, runs, stamps);
        let commands = encoder.finish();
        let start = now_ms();
        gpu.submit_wait(commands).await;
        now_ms() - start
    }
}

/// Timestamp queries for a case's samples: queries 2k and 2k+1 bracket sample k, all resolved
/// once after the last sample so reading them costs nothing inside the samples.
pub struct Timer {
    query_set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    staging: wgpu::Buffer,
    count: u32,
    period_ns: f64,
}

impl Timer {
    pub fn new(gpu: &Gpu, samples: u32, period_ns: f64) -> Timer {
        let count = 2 * samples;
        let size = count as u64 * 8;
        Timer {
            query_set: gpu.device.create_query_set(&wgpu::QuerySetDescriptor {
                label: Some("sample timestamps"),
                ty: wgpu::QueryType::Timestamp,
                count,
            }),
            resolve: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("timestamp resolve"),
                size,
                usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
            staging: gpu.staging("timestamp readback", size),
            count,
            period_ns,
        }
    }

    pub fn stamps(&self, sample: u32) -> Stamps<'_> {
        Stamps {
            query_set: &self.query_set,
            begin: 2 * sample,
        }
    }

    /// Per-sample GPU durations in ns, or `None` when the timestamps are unusable (not
    /// increasing), in which case the case falls back to wall time as the spec allows.
    pub async fn read_ns(&self, gpu: &Gpu) -> Result<Option<Vec<f64>>, String> {
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        encoder.resolve_query_set(&self.query_set, 0..self.count, &self.resolve, 0);
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &self.staging, 0, self.resolve.size());
        gpu.queue.submit([encoder.finish()]);
        let mut bytes = vec![0u8; self.resolve.size() as usize];
        gpu.map_into(&self.staging, &mut bytes).await?;
        let ticks: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8-byte chunks")))
            .collect();
        if ticks.chunks_exact(2).any(|p| p[1] <= p[0]) {
            return Ok(None);
        }
        Ok(Some(
            ticks
                .chunks_exact(2)
                .map(|p| (p[1] - p[0]) as f64 * self.period_ns)
                .collect(),
        ))
    }
}
