//! `transfer`: ordinary host memory to a device buffer and back, each timed to completion.
//!
//! Upload uses `queue.write_buffer` (wgpu's documented fast path: it stages the data and the
//! copy runs with the next submission); readback copies into a MAP_READ staging buffer, maps it
//! and copies the mapped bytes into the host buffer.

use super::*;

/// wasm32 linear memory the transfer buffers may take: 4 GiB less room for everything else.
#[cfg(target_arch = "wasm32")]
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
    /// MAP_READ buffer the readback goes through (readback only: device memory for the
    /// largest sizes is scarce on software drivers).
    staging: Option<wgpu::Buffer>,
}

impl Transfer {
    pub fn build(gpu: &Gpu, inst: &Instance, variant: &str) -> Result<Self, BuildError> {
        let direction = match variant {
            "upload" => Direction::Upload,
            "readback" => Direction::Readback,
            other => unreachable!("cases::IMPLEMENTED lists transfer variant {other:?} without it"),
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
        // Verification holds three copies in linear memory at once (the host buffer, the bytes
        // read back or expected, and wgpu's copy of the mapped range); wasm32 memory ends at
        // 4 GiB, and running out of it aborts the whole instance rather than failing one case.
        #[cfg(target_arch = "wasm32")]
        if 3 * bytes > WASM_MEMORY_BUDGET {
            return Err(BuildError::Unsupported(format!(
                "verifying {bytes} bytes needs {} bytes of wasm32 linear memory (4 GiB at most)",
                3 * bytes
            )));
        }
        let device_buffer = gpu.storage("device", bytes);
        // write_buffer stages uploads internally, so only readback needs a staging buffer.
        let staging = (direction == Direction::Readback).then(|| gpu.staging("staging", bytes));
        Ok(Transfer {
            direction,
            bytes,
            host: vec![0; bytes as usize],
            device_buffer,
            staging,
        })
    }

    async fn upload(&self, gpu: &Gpu) -> Result<(), String> {
        gpu.queue.write_buffer(&self.device_buffer, 0, &self.host);
        gpu.wait(gpu.queue.submit([])).await
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
}

impl Case for Transfer {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let data = rng.vec_marked_bytes(self.bytes as usize);
        match self.direction {
            Direction::Upload => {
                // The host buffer is the expectation: a fourth 1 GiB copy (data kept beside
                // host, got and wgpu's mapped copy) trapped the wasm32 build on the H200.
                self.host.copy_from_slice(&data);
                drop(data);
                gpu.poison(&self.device_buffer);
                self.upload(gpu).await?;
                let got = gpu.read(&self.device_buffer).await?;
                Ok(compare(&got, &self.host))
            }
            Direction::Readback => {
                gpu.write(&self.device_buffer, &data);
                self.host.fill(0xFF);
                self.readback(gpu).await?;
                Ok(compare(&self.host, &data))
            }
        }
    }

    async fn sample(&mut self, gpu: &Gpu, _stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        let start = Stopwatch::start();
        match self.direction {
            Direction::Upload => self.upload(gpu).await?,
            Direction::Readback => self.readback(gpu).await?,
        }
        Ok(start.elapsed_ms())
    }

    fn runs_per_sample(&self) -> u32 {
        1
    }

    fn clock(&self) -> Clock {
        Clock::Wall
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
