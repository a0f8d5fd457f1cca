//! Loading a WGSL file from the suite and building one compute pipeline per entry point.
//!
//! Pipelines use wgpu's automatic layout, which only contains the bindings the entry point
//! actually uses (two entries of one file may use different subsets, e.g. `copy` doesn't touch
//! `src_c`). naga reflection tells which bindings those are, so a case can hand over all its
//! buffers and each bind group gets exactly the ones its layout expects.

use crate::gpu::Gpu;
use std::collections::BTreeSet;
use std::path::Path;
use wgpu::naga;

pub struct Entry {
    pub name: String,
    pub pipeline: wgpu::ComputePipeline,
    /// `@group(0)` binding numbers the entry point uses.
    pub bindings: BTreeSet<u32>,
}

pub struct Kernel {
    pub entries: Vec<Entry>,
}

impl Kernel {
    /// Reads `path` at run time (kernels are never compiled into the runner) and creates the
    /// pipelines for `entry_names`.
    pub fn load(gpu: &Gpu, path: &Path, entry_names: &[String]) -> Result<Kernel, String> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read kernel {}: {e}", path.display()))?;
        let label = path.file_name().and_then(|n| n.to_str());
        Kernel::from_source(gpu, label.unwrap_or_default(), &source, entry_names)
            .map_err(|e| format!("kernel {}: {e}", path.display()))
    }

    /// Creates the pipelines for `entry_names` from WGSL text (the web runner gets the
    /// sources from its page). Errors are reflection's, about the source.
    pub fn from_source(
        gpu: &Gpu,
        label: &str,
        source: &str,
        entry_names: &[String],
    ) -> Result<Kernel, String> {
        let for_naga = without_subgroups_enable(source);
        let used = reflect(&for_naga, entry_names)?;
        // The browser's compiler (Tint) requires the directive that naga refuses.
        let compiled = if cfg!(target_arch = "wasm32") { source } else { &*for_naga };
        let module = gpu
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: (!label.is_empty()).then_some(label),
                source: wgpu::ShaderSource::Wgsl(compiled.into()),
            });
        let entries = entry_names
            .iter()
            .zip(used)
            .map(|(name, bindings)| Entry {
                pipeline: create_pipeline(gpu, &module, name),
                name: name.clone(),
                bindings,
            })
            .collect();
        Ok(Kernel { entries })
    }

    pub fn entry(&self, name: &str) -> Result<&Entry, String> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| format!("entry point {name} was not loaded"))
    }
}

fn create_pipeline(gpu: &Gpu, module: &wgpu::ShaderModule, entry: &str) -> wgpu::ComputePipeline {
    gpu.device
        .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: None,
            module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        })
}

impl Entry {
    /// A bind group for `@group(0)` from the case's `(binding, buffer)` list, keeping the
    /// bindings this entry uses.
    pub fn bind(
        &self,
        gpu: &Gpu,
        buffers: &[(u32, &wgpu::Buffer)],
    ) -> Result<wgpu::BindGroup, String> {
        let mut entries = Vec::new();
        for &binding in &self.bindings {
            let (_, buffer) = buffers.iter().find(|(b, _)| *b == binding).ok_or_else(|| {
                format!(
                    "entry {} uses @binding({binding}), which the spec does not define",
                    self.name
                )
            })?;
            entries.push(wgpu::BindGroupEntry {
                binding,
                resource: buffer.as_entire_binding(),
            });
        }
        Ok(gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(&self.name),
            layout: &self.pipeline.get_bind_group_layout(0),
            entries: &entries,
        }))
    }
}

/// naga rejects `enable subgroups;` as "not yet implemented" (gfx-rs/wgpu#5555) while it
/// compiles the subgroup built-ins wherever the device has the feature, so a line holding only
/// that directive is blanked for it (spaces keep every line and column of its diagnostics), as
/// the C library does for wgpu-native.
pub fn without_subgroups_enable(source: &str) -> std::borrow::Cow<'_, str> {
    const DIRECTIVE: &str = "enable subgroups;";
    if !source.lines().any(|line| line.trim() == DIRECTIVE) {
        return source.into();
    }
    source
        .split_inclusive('\n')
        .map(|line| match line.find(DIRECTIVE) {
            Some(at) if line.trim() == DIRECTIVE => {
                format!("{}{}{}", &line[..at], " ".repeat(DIRECTIVE.len()), &line[at + DIRECTIVE.len()..])
            }
            _ => line.to_owned(),
        })
        .collect::<String>()
        .into()
}

/// For each entry point, the `@group(0)` bindings it uses. Also turns WGSL errors into
/// readable messages before wgpu sees the source.
pub fn reflect(source: &str, entry_names: &[String]) -> Result<Vec<BTreeSet<u32>>, String> {
    let module = naga::front::wgsl::parse_str(source).map_err(|e| e.emit_to_string(source))?;
    let info = naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::all(),
    )
    .validate(&module)
    .map_err(|e| e.emit_to_string(source))?;
    entry_names
        .iter()
        .map(|name| {
            let index = module
                .entry_points
                .iter()
                .position(|ep| ep.name == *name && ep.stage == naga::ShaderStage::Compute)
                .ok_or_else(|| format!("no compute entry point {name}"))?;
            let uses = info.get_entry_point(index);
            let mut set = BTreeSet::new();
            for (handle, var) in module.global_variables.iter() {
                let Some(rb) = &var.binding else { continue };
                if uses[handle].is_empty() {
                    continue;
                }
                if rb.group != 0 {
                    return Err(format!(
                        "{name} uses @group({}); the spec uses only group 0",
                        rb.group
                    ));
                }
                set.insert(rb.binding);
            }
            Ok(set)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subgroups_directive_is_blanked_in_place() {
        let source = "// kernel\n  enable subgroups;  \nfn f() {}\nenable subgroups; // not alone\n";
        let blanked = without_subgroups_enable(source);
        assert_eq!(blanked, "// kernel\n                     \nfn f() {}\nenable subgroups; // not alone\n");
        assert!(matches!(without_subgroups_enable("fn f() {}"), std::borrow::Cow::Borrowed(_)));
    }

    const SRC: &str = "
        @group(0) @binding(0) var<storage, read> a: array<f32>;
        @group(0) @binding(1) var<storage, read> b: array<f32>;
        @group(0) @binding(2) var<storage, read_write> c: array<f32>;
        fn helper(i: u32) -> f32 { return b[i]; }
        @compute @workgroup_size(64) fn one(@builtin(global_invocation_id) id: vec3u) { c[id.x] = a[id.x]; }
        @compute @workgroup_size(64) fn two(@builtin(global_invocation_id) id: vec3u) { c[id.x] = a[id.x] + helper(id.x); }
    ";

    #[test]
    fn reflection_sees_direct_and_helper_uses() {
        let used = reflect(SRC, &["one".into(), "two".into()]).unwrap();
        assert_eq!(used[0].iter().copied().collect::<Vec<_>>(), [0, 2]);
        assert_eq!(used[1].iter().copied().collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn reflection_reports_missing_entry_and_bad_wgsl() {
        assert!(
            reflect(SRC, &["three".into()])
                .unwrap_err()
                .contains("three")
        );
        assert!(reflect("fn (", &[]).is_err());
    }
}
