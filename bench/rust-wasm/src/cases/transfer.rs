//! `transfer`: ordinary host memory (here: wasm linear memory, a `Vec<u8>`) to a device buffer
//! and back, each timed to completion.
//!
//! Upload is `queue.write_buffer` (WebGPU's `writeBuffer`, which copies out of linear memory)
//! followed by waiting for the queue; readback copies into a MAP_READ staging buffer, maps it,
//! and copies the mapped bytes into the host buffer (wgpu's web backend copies the mapped
//! ArrayBuffer into linear memory, which is part of what this row measures).

use super::*;
use crate::gpu::now_ms;

/// Linear memory the transfer buffers may take: 4 GiB less room for everything else.
const WASM_MEMORY_BUDGET: u64 = (4 << 30) - (256 << 20);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Upload,
    Readback,
}

pub struct Transfer {
    direction: Direction,
    bytes: u64,
    host: Vec<u8>,
    device_buffer: wgpu::Buffer,
    /// Readback only: uploads need no mappable buffer.
    staging: Option<wgpu::Buffer>,
}

impl Transfer {
    pub fn build(gpu: &Gpu, inst: &Instance, variant: &str) -> Result<Self, BuildError> {
        let direction = match variant {
            "upload" => Direction::Upload,
            "readback" => Direction::Readback,
            other => {
                return Err(BuildError::Unsupported(format!(
                    "unknown transfer variant {other:?}"
                )));
            }
        };
        let bytes = inst
            .params
            .get("bytes")
            .and_then(Value::as_u64)
            .ok_or_else(|| "transfer: no bytes".to_string())?;
        if bytes % 4 != 0 {
            return Err(BuildError::Failed(format!(
                "transfer: {bytes} bytes is not a multiple of 4"
            )));
        }
        check_buffer_size(gpu, "the transfer buffer", bytes, false)?;
        // Verification holds three copies in linear memory at once (the host buffer, the
        // expected bytes, and wgpu's copy of the mapped range); wasm32 memory ends at 4 GiB,
        // and running out of it aborts the whole instance rather than failing one case.
        if 3 * bytes > WASM_MEMORY_BUDGET {
            return Err(BuildError::Unsupported(format!(
                "verifying {bytes} bytes needs {} bytes of wasm32 linear memory (4 GiB at most)",
                3 * bytes
            )));
        }
        let host_len = bytes as usize;
        Ok(Transfer {
            direction,
            bytes,
            host: vec![0; host_len],
            device_buffer: gpu.storage("device", bytes),
            staging: (direction == Direction::Readback).then(|| gpu.staging("staging", bytes)),
        })
    }

    async fn upload(&self, gpu: &Gpu) {
        gpu.queue.write_buffer(&self.device_buffer, 0, &self.host);
        gpu.queue.submit([]);
        gpu.idle().await
    }

    async fn readback(&mut self, gpu: &Gpu) -> Result<(), String> {
        let staging = self
            .staging
            .as_ref()
            .ok_or("readback without a staging buffer")?;
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        encoder.copy_buffer_to_buffer(&self.device_buffer, 0, staging, 0, self.bytes);
        gpu.queue.submit([encoder.finish()]);
        gpu.map_into(staging, &mut self.host).await
    }

    pub async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let data = rng.vec_marked_bytes(self.host.len());
        match self.direction {
            Direction::Upload => {
                gpu.poison(&self.device_buffer);
                self.host.copy_from_slice(&data);
                self.upload(gpu).await;
                Ok(compare(&gpu.read(&self.device_buffer).await?, &data))
            }
            Direction::Readback => {
                gpu.write(&self.device_buffer, &data);
                self.host.fill(0xFF);
                self.readback(gpu).await?;
                Ok(compare(&self.host, &data))
            }
        }
    }

    /// One transfer; wall time in ms.
    pub async fn sample(&mut self, gpu: &Gpu) -> Result<f64, String> {
        let start = now_ms();
        match self.direction {
            Direction::Upload => self.upload(gpu).await,
            Direction::Readback => self.readback(gpu).await?,
        }
        Ok(now_ms() - start)
    }

    pub fn metric(&self, seconds: f64) -> f64 {
        per_second_g(self.bytes as f64, seconds)
    }
}

fn compare(got: &[u8], want: &[u8]) -> Check {
    let mismatches = got.iter().zip(want).filter(|(g, w)| g != w).count();
    Check::against(mismatches as f64, 0.0, || {
        let i = got.iter().zip(want).position(|(g, w)| g != w).unwrap_or(0);
        format!(
            "{mismatches} bytes differ; first byte {i} = {} expected {}",
            got[i], want[i]
        )
    })
}
