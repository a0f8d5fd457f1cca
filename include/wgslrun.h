/*
 * wgslrun: run WGSL compute shaders natively through the standard WebGPU C API,
 * on Dawn or wgpu-native, chosen at run time.
 *
 * Conventions (after sokol and webgpu.h):
 *   - one prefix, `wr_`; descriptor structs whose zero value means "the default";
 *   - every fallible function returns a wr_status; the message of the last failure is
 *     wr_context_error(ctx) for context functions and err->message for the rest;
 *   - ownership is explicit: every wr_*_create has a wr_*_destroy, and arrays the library
 *     fills are released with the matching wr_*_free.
 *
 * Three calls from WGSL to a result:
 *   wr_context_create(&(wr_context_desc){ .impl = "dawn" }, &ctx, &err);
 *   wr_kernel_create(ctx, &(wr_kernel_desc){ .source = wgsl }, &kernel);
 *   wr_dispatch(ctx, &(wr_dispatch_desc){ .kernel = kernel, .bindings = b, .binding_count = 2,
 *                                          .problem_size = { n } });
 */
#ifndef WGSLRUN_H
#define WGSLRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WR_VERSION "0.1.0"

/* ---------------------------------------------------------------- status and errors */

typedef enum wr_status {
    WR_OK = 0,
    WR_ERROR_INVALID_ARGUMENT, /* a caller's value is out of range or inconsistent */
    WR_ERROR_IO,               /* a file could not be read or written */
    WR_ERROR_FORMAT,           /* a file's content is malformed or unsupported */
    WR_ERROR_LOAD,             /* the WebGPU implementation could not be loaded */
    WR_ERROR_ADAPTER,          /* no adapter, or none matching the request */
    WR_ERROR_DEVICE,           /* the device could not be created */
    WR_ERROR_COMPILE,          /* WGSL did not compile, or the entry point is missing */
    WR_ERROR_BINDING,          /* a binding is missing, unknown, too small or of the wrong type */
    WR_ERROR_LIMIT,            /* the request exceeds a device limit */
    WR_ERROR_VALIDATION,       /* WebGPU reported a validation error */
    WR_ERROR_OUT_OF_MEMORY,    /* WebGPU or the host ran out of memory */
    WR_ERROR_DEVICE_LOST,      /* the device was lost; the context must be destroyed */
    WR_ERROR_UNSUPPORTED,      /* the adapter or implementation lacks the feature */
    WR_ERROR_TIMEOUT,          /* a wait on the GPU did not finish in time */
    WR_ERROR_INTERNAL,         /* a bug in wgslrun or the implementation */
} wr_status;

#define WR_ERROR_MESSAGE_MAX 1024

/* Filled by functions that have no context to keep their message in. */
typedef struct wr_error {
    wr_status status;
    char message[WR_ERROR_MESSAGE_MAX];
} wr_error;

const char* wr_status_name(wr_status status);

/* ---------------------------------------------------------------- element types */

typedef enum wr_dtype {
    WR_DTYPE_INVALID = 0,
    WR_DTYPE_F16,
    WR_DTYPE_F32,
    WR_DTYPE_F64,
    WR_DTYPE_I32,
    WR_DTYPE_U32,
    WR_DTYPE_U8,     /* host data only (.npy, PNG, rgba8unorm texels); no WGSL type */
} wr_dtype;

size_t wr_dtype_size(wr_dtype dtype);        /* bytes per element; 0 for WR_DTYPE_INVALID */
const char* wr_dtype_name(wr_dtype dtype);   /* "f32", ...; "invalid" */
wr_dtype wr_dtype_parse(const char* name);   /* "f32" -> WR_DTYPE_F32; WR_DTYPE_INVALID if unknown */

/* ---------------------------------------------------------------- host arrays and .npy */

#define WR_ARRAY_MAX_DIMS 8

/* A dense C-order host array. `data` is owned by whoever created the array. */
typedef struct wr_array {
    wr_dtype dtype;
    uint32_t ndim;
    size_t shape[WR_ARRAY_MAX_DIMS];
    size_t count;      /* product of shape; 1 for ndim == 0 */
    size_t byte_size;  /* count * wr_dtype_size(dtype) */
    void* data;
} wr_array;

/* Reads a little-endian, C-order .npy file of f16/f32/f64/i32/u32/u8 (format 1.0, 2.0 or 3.0).
 * On success *out owns malloc'd data: release it with wr_array_free. */
wr_status wr_npy_read(const char* path, wr_array* out, wr_error* err);
/* Where wr_npy_read_into puts the data: given `layout` (everything but data filled in), sets
 * *data to at least layout->byte_size writable bytes, or returns an error set in err. */
typedef wr_status (*wr_array_place_fn)(void* user, const wr_array* layout, void** data, wr_error* err);
/* Reads the header of a .npy file, asks `place` for memory (e.g. mapped staging from
 * wr_buffer_map_upload) and reads the data straight into it: no intermediate host copy. On
 * success out->data is that memory, owned by whoever `place` took it from; on failure *out is
 * empty and memory `place` gave stays its owner's. */
wr_status wr_npy_read_into(const char* path, wr_array_place_fn place, void* user, wr_array* out,
                           wr_error* err);
/* Parses an in-memory .npy image; `name` is used in messages only. */
wr_status wr_npy_parse(const void* bytes, size_t size, const char* name, wr_array* out, wr_error* err);
/* Writes `array` as .npy format 1.0. Writes to a temporary file beside `path` and renames it,
 * so a failure never leaves a partial file at `path`. */
wr_status wr_npy_write(const char* path, const wr_array* array, wr_error* err);
void wr_array_free(wr_array* array);

/* ---------------------------------------------------------------- WGSL declaration scanner */

typedef enum wr_address_space {
    WR_SPACE_OTHER = 0,  /* textures, samplers, anything this scanner does not bind */
    WR_SPACE_STORAGE,
    WR_SPACE_UNIFORM,
} wr_address_space;

typedef enum wr_access {
    WR_ACCESS_READ = 0,   /* storage default; uniform */
    WR_ACCESS_READ_WRITE,
    WR_ACCESS_WRITE,
} wr_access;

/* What a binding holds. Buffers are the zero value, so code that predates textures keeps
 * working; texture and sampler bindings have space WR_SPACE_OTHER. */
typedef enum wr_resource_kind {
    WR_RESOURCE_BUFFER = 0,
    WR_RESOURCE_STORAGE_TEXTURE,  /* texture_storage_2d<FORMAT, ACCESS> */
    WR_RESOURCE_SAMPLED_TEXTURE,  /* texture_2d<T> */
    WR_RESOURCE_SAMPLER,          /* sampler */
    WR_RESOURCE_OTHER,            /* other textures (3d, arrays, depth, ...), sampler_comparison */
} wr_resource_kind;

/* The texel formats wgslrun creates textures in. */
typedef enum wr_texture_format {
    WR_TEXTURE_FORMAT_INVALID = 0,
    WR_TEXTURE_FORMAT_R32FLOAT,
    WR_TEXTURE_FORMAT_R32UINT,
    WR_TEXTURE_FORMAT_R32SINT,
    WR_TEXTURE_FORMAT_RGBA8UNORM,
    WR_TEXTURE_FORMAT_RGBA16FLOAT,
    WR_TEXTURE_FORMAT_RGBA32FLOAT,
    WR_TEXTURE_FORMAT_RGBA32UINT,
} wr_texture_format;

const char* wr_texture_format_name(wr_texture_format format);    /* "rgba8unorm"; "invalid" */
wr_texture_format wr_texture_format_parse(const char* name);     /* INVALID if unknown */
uint32_t wr_texture_format_channels(wr_texture_format format);   /* 1 or 4; 0 for INVALID */
/* The host element type of one channel: u8 for rgba8unorm, f16, f32, u32 or i32. */
wr_dtype wr_texture_format_dtype(wr_texture_format format);
/* The type a shader reads from it: f32 for float and unorm formats, else u32 or i32. */
wr_dtype wr_texture_format_sample_type(wr_texture_format format);

#define WR_NAME_MAX 64

/* One `@group(g) @binding(b) var<space, access> name : type;` declaration. */
typedef struct wr_binding_info {
    uint32_t group;
    uint32_t binding;
    char name[WR_NAME_MAX];
    char type_text[128];      /* the declared type as written, whitespace-normalised */
    wr_address_space space;
    wr_access access;
    wr_dtype scalar_type;     /* scalar under vectors/arrays/atomics; INVALID for structs etc. */
    uint32_t components;      /* 1 for scalars, N for vecN, 0 when unknown */
    bool runtime_array;       /* the type is, or ends in, array<T> without a count */
    size_t min_size;          /* bytes the binding needs: the fixed part (+ one element if runtime
                                 array); 0 when the scanner could not compute the layout */
    size_t element_stride;    /* bytes per runtime-array element; 0 if not a runtime array */
    size_t runtime_offset;    /* byte offset of the runtime array in the type (0 for array<T>) */
    /* The values the buffer holds, for reading them back without padding: `value_size` bytes
     * of data every `value_stride` bytes (vec3<f32>: 12 of every 16; array<mat3x3<f32>>: 44 of
     * every 48), each value `columns` columns (1 unless a matrix) of components / columns
     * scalars, `column_stride` bytes apart. All 0 for structs and types the scanner cannot lay
     * out. */
    uint32_t columns;
    size_t column_stride;
    size_t value_size, value_stride;
    uint32_t line;            /* 1-based line of the `var` */
    /* Textures and samplers (resource != WR_RESOURCE_BUFFER): for a storage texture, its
     * format, `access` and (`scalar_type`) the type it reads as; for a sampled texture,
     * `scalar_type` is the T of texture_2d<T>. `components` stays 0. */
    wr_resource_kind resource;
    wr_texture_format texture_format;
} wr_binding_info;

/* An `[@id(n)] override NAME [: T] [= literal];` declaration. WebGPU keys a pipeline constant
 * by the id (its decimal string) when the override has one, else by the name. */
typedef struct wr_override_info {
    char name[WR_NAME_MAX];
    bool has_id;
    uint32_t id;
    wr_dtype type;            /* INVALID when written without a type and not inferable */
    bool has_default;
    double default_value;     /* meaningful when has_default */
    uint32_t line;
} wr_override_info;

/* An `@compute @workgroup_size(...) fn NAME(...)` entry point. Each dimension is either a
 * literal (size[i] > 0, size_name[i] empty) or the name of an override/const (size_name[i]). */
typedef struct wr_entry_info {
    char name[WR_NAME_MAX];
    uint32_t workgroup_size[3];   /* 1 for dimensions not written; 0 when named */
    char workgroup_size_name[3][WR_NAME_MAX];
    uint32_t line;
} wr_entry_info;

/* A module-scope `const NAME [: T] = literal;` (used to resolve workgroup sizes). */
typedef struct wr_const_info {
    char name[WR_NAME_MAX];
    double value;
    uint32_t line;
} wr_const_info;

typedef struct wr_shader_info {
    wr_binding_info* bindings;   size_t binding_count;
    wr_override_info* overrides; size_t override_count;
    wr_entry_info* entries;      size_t entry_count;
    wr_const_info* consts;       size_t const_count;
} wr_shader_info;

/* Scans WGSL source for module-scope declarations (no full parse: WebGPU validates the rest).
 * `name` (a file name) prefixes messages as `name:line:col: error: ...`. */
wr_status wr_wgsl_scan(const char* source, size_t length, const char* name, wr_shader_info* out,
                       wr_error* err);
void wr_shader_info_free(wr_shader_info* info);
const wr_binding_info* wr_shader_find_binding(const wr_shader_info* info, const char* name_or_index);
const wr_entry_info* wr_shader_find_entry(const wr_shader_info* info, const char* name);

/* ---------------------------------------------------------------- context */

typedef struct wr_context wr_context;
typedef struct wr_buffer wr_buffer;
typedef struct wr_kernel wr_kernel;
typedef struct wr_texture wr_texture;
typedef struct wr_sampler wr_sampler;

typedef enum wr_impl_kind {
    WR_IMPL_UNKNOWN = 0,
    WR_IMPL_DAWN,
    WR_IMPL_WGPU_NATIVE,
} wr_impl_kind;

/* How a wait on GPU work blocks. Every mode honours wait_timeout_s except WR_WAIT_BLOCK on
 * wgpu-native, whose blocking poll cannot be interrupted (it is kept for measurement). */
typedef enum wr_wait_mode {
    WR_WAIT_DEFAULT = 0, /* spin briefly, then block (Dawn) or poll with short sleeps (wgpu) */
    WR_WAIT_SPIN,        /* non-blocking polls only: lowest latency, one core busy */
    WR_WAIT_BLOCK,       /* block at once: WaitAny with the timeout (Dawn), DevicePoll(wait) (wgpu) */
    WR_WAIT_SLEEP,       /* non-blocking polls separated by short sleeps, no spin */
} wr_wait_mode;

/* "default", "spin", "block", "sleep" -> the mode; -1 when unknown. */
int wr_wait_mode_parse(const char* name);

/* How to open a context. Every setting is a field here: the library reads no environment
 * variables (the wgslrun CLI maps its own, such as WGSLRUN_IMPL, onto these fields). Zero
 * means the default; wr_context_desc_defaults says what each default resolves to. */
typedef struct wr_context_desc {
    /* "dawn", "wgpu", or a path to a shared library exporting the webgpu.h functions.
     * 0: "dawn" ("browser", the host's WebGPU, in the wasm32 build). */
    const char* impl;
    /* Adapter index ("0", "1", ...) or a case-insensitive substring of its name/description.
     * 0: the high-performance default. */
    const char* adapter;
    /* Directory holding dawn/ and wgpu/ as scripts/setup.sh lays them out.
     * 0: the deps/ of the source tree wgslrun was built from while it has the implementation,
     * else where `make install` put them (<libdir>/wgslrun). Unused for a library path. */
    const char* deps_dir;
    /* Request the WebGPU default limits instead of the adapter's full limits. */
    bool default_limits;
    /* Do not request timestamp queries even when the adapter has them. */
    bool no_timestamps;
    /* The longest one wait on the GPU may take, in seconds; 0: 120. A wait that runs past it
     * fails with WR_ERROR_TIMEOUT and marks the context lost: every later call fails at once,
     * and wr_context_destroy does not wait for the GPU work still running (it cannot be
     * cancelled through webgpu.h), so the caller may have to end the process to stop it. */
    double wait_timeout_s;
    /* How waits block (wr_wait_mode); WR_WAIT_DEFAULT suits both implementations. */
    wr_wait_mode wait_mode;
    /* Bytes per staging chunk of wr_buffer_upload/download; 0: 32 MiB. Rounded up to a
     * multiple of 4, and to at least 4 KiB. */
    size_t staging_chunk_bytes;
    /* Host threads that copy into and out of mapped staging memory; 0: 8 in native builds, at
     * most 16; always 1 in the wasm32 build, which has no threads. */
    uint32_t copy_threads;
    /* Dawn toggles to enable on the device, e.g. "disable_robustness" to measure what bounds
     * checks cost; other implementations ignore them. 0: none. Whatever is given, Dawn's
     * "timestamp_quantization" stays disabled, since its 64 us rounding would make GPU times
     * of short kernels meaningless. The strings need only live until wr_context_create
     * returns. */
    const char* const* dawn_toggles;
    size_t dawn_toggle_count;
    /* Called with each message the implementation logs about the device, NUL-terminated and
     * valid during the call: Dawn's device log, where its "dump_shaders" toggle writes every
     * shader as Tint compiles it (SPIR-V on Vulkan). wgpu-native has no per-device log, so it
     * is not called there. NULL: the messages are not asked for. */
    void (*log)(void* user, const char* message);
    void* log_user;
} wr_context_desc;

/* The settings wr_context_create and wr_list_adapters use for `desc` (NULL: all zero): a copy
 * with each zero field that has a default replaced by it (impl, deps_dir, wait_timeout_s,
 * staging_chunk_bytes, copy_threads). Finding deps_dir's default looks for the
 * implementation's library on disk; the strings returned are the caller's or static. */
wr_context_desc wr_context_desc_defaults(const wr_context_desc* desc);


typedef struct wr_limits {
    uint64_t max_buffer_size;
    uint64_t max_storage_buffer_binding_size;
    uint64_t max_uniform_buffer_binding_size;
    uint32_t max_storage_buffers_per_shader_stage;
    uint32_t max_bind_groups;
    uint32_t max_compute_workgroup_storage_size;
    uint32_t max_compute_invocations_per_workgroup;
    uint32_t max_compute_workgroup_size[3];
    uint32_t max_compute_workgroups_per_dimension;
    uint32_t min_storage_buffer_offset_alignment;
} wr_limits;

typedef struct wr_adapter_info {
    char impl_name[32];        /* "dawn" or "wgpu" */
    char impl_path[512];       /* the shared library loaded */
    char vendor[128];
    char architecture[128];
    char device[256];
    char description[256];
    char backend[32];          /* "vulkan", "metal", ... */
    char adapter_type[32];     /* "discrete-gpu", "cpu", ... */
    uint32_t vendor_id, device_id;
    bool has_timestamps;       /* timestamp queries are enabled on this context's device */
    /* Shader features enabled on this context's device (requested whenever the adapter has
     * them): a shader may `enable f16;` / `enable subgroups;` exactly when these are true. */
    bool has_shader_f16;
    bool has_subgroups;        /* subgroupAdd etc., @builtin(subgroup_size/_invocation_id) */
    wr_limits limits;          /* the limits of the device this context created */
    wr_limits adapter_limits;  /* what the adapter supports */
    char features[1024];       /* the adapter's features, comma-separated */
} wr_adapter_info;

wr_status wr_context_create(const wr_context_desc* desc, wr_context** out, wr_error* err);
void wr_context_destroy(wr_context* ctx);
const char* wr_context_error(const wr_context* ctx);
const wr_adapter_info* wr_context_info(const wr_context* ctx);
/* True once a wait ran past wait_timeout_s: the context is lost and its GPU work may still be
 * running; destroy it (which then skips waiting for the GPU) and, to stop that work on a CPU
 * driver such as SwiftShader, end the process. */
bool wr_context_timed_out(const wr_context* ctx);

/* Lists the adapters an implementation offers (for `wgslrun info`). *out is malloc'd;
 * release with wr_adapter_list_free. */
wr_status wr_list_adapters(const wr_context_desc* desc, wr_adapter_info** out, size_t* count,
                           wr_error* err);
void wr_adapter_list_free(wr_adapter_info* list);

/* ---------------------------------------------------------------- buffers */

typedef enum wr_buffer_kind {
    WR_BUFFER_STORAGE = 0,
    WR_BUFFER_UNIFORM,
} wr_buffer_kind;

typedef struct wr_buffer_desc {
    size_t size;            /* bytes; rounded up to a multiple of 4 internally */
    wr_buffer_kind kind;
    const char* label;      /* for messages; may be NULL */
} wr_buffer_desc;

wr_status wr_buffer_create(wr_context* ctx, const wr_buffer_desc* desc, wr_buffer** out);
void wr_buffer_destroy(wr_buffer* buffer);
size_t wr_buffer_size(const wr_buffer* buffer);
/* Copies host memory into the buffer at `offset` (multiples of 4). */
wr_status wr_buffer_upload(wr_context* ctx, wr_buffer* buffer, size_t offset, const void* data,
                           size_t size);
/* Copies `size` bytes from `offset` into host memory; waits for all submitted work first.
 * Uses the context's reusable staging buffer, in chunks for large reads. */
wr_status wr_buffer_download(wr_context* ctx, wr_buffer* buffer, size_t offset, void* data,
                             size_t size);

/* Zero-copy transfers: the caller writes or reads the host-visible staging memory itself, so
 * a transfer costs one GPU copy and no host memcpy.
 *
 * Upload: wr_buffer_map_upload returns in *ptr `size` writable bytes (at least 4-aligned) that
 * will land at `offset` in the buffer; wr_buffer_commit_upload queues their copy and ends the
 * mapping. The pointer is valid from a successful map until commit (or wr_buffer_destroy);
 * writing through it after either is undefined and cannot be detected: natively the memory is
 * unmapped (the write may fault) or belongs to the next mapping, in wasm32 the write is lost.
 * Take the pointer afresh from each map. Its initial contents are unspecified.
 * Work submitted after the commit (dispatches, downloads) sees the data; work submitted
 * between map and commit does not.
 *
 * Download: wr_buffer_map_download waits for all submitted work, copies [offset, offset+size)
 * into staging memory and returns it read-only in *ptr, valid until
 * wr_buffer_release_download (or wr_buffer_destroy).
 *
 * One mapping per buffer at a time. Mapping a mapped buffer, committing or releasing one that
 * is not mapped that way, and wr_buffer_upload/download on a mapped buffer fail with
 * WR_ERROR_INVALID_ARGUMENT and leave the mapping as it was. wr_buffer_destroy on a mapped
 * buffer ends the mapping (an upload that was not committed is dropped). The staging memory
 * belongs to the buffer and is reused by its next mapping of the same or a smaller size.
 * offset and size are multiples of 4, size > 0. In the wasm32 build, where WebGPU cannot
 * expose GPU memory to wasm, the pointer is ordinary host memory and commit/map copy it. */
wr_status wr_buffer_map_upload(wr_context* ctx, wr_buffer* buffer, size_t offset, size_t size,
                               void** ptr);
wr_status wr_buffer_commit_upload(wr_context* ctx, wr_buffer* buffer);
wr_status wr_buffer_map_download(wr_context* ctx, wr_buffer* buffer, size_t offset, size_t size,
                                 const void** ptr);
wr_status wr_buffer_release_download(wr_context* ctx, wr_buffer* buffer);

/* Where the context's transfers spent their time since the last reset, for finding the
 * bottleneck of a host path. Times are host milliseconds, summed over chunks. */
typedef struct wr_transfer_stats {
    double host_copy_ms;   /* memcpy into/out of mapped staging (all copy threads, wall) */
    double map_wait_ms;    /* waiting for a staging buffer to map (GPU copy still running) */
    double submit_ms;      /* encoding and submitting the GPU copies */
    double upload_bytes, download_bytes;
    uint64_t chunks;
} wr_transfer_stats;

void wr_context_transfer_stats(const wr_context* ctx, wr_transfer_stats* out);
void wr_context_reset_transfer_stats(wr_context* ctx);

/* ---------------------------------------------------------------- textures and samplers */

/* A 2D texture with one mip level, usable as a sampled and (where its format allows) a storage
 * texture. Not available in the wasm32 build (WR_ERROR_UNSUPPORTED). */
typedef struct wr_texture_desc {
    uint32_t width, height;
    wr_texture_format format;
    const char* label;      /* for messages; may be NULL */
} wr_texture_desc;

wr_status wr_texture_create(wr_context* ctx, const wr_texture_desc* desc, wr_texture** out);
void wr_texture_destroy(wr_texture* texture);
const wr_texture_desc* wr_texture_info(const wr_texture* texture);  /* label is the texture's copy */
/* Bytes of the whole texture as tightly packed host rows: width * height * texel size. */
size_t wr_texture_byte_size(const wr_texture* texture);
/* Copies the whole texture from or to tightly packed rows (row r at r * width * texel size);
 * `size` must be wr_texture_byte_size. WebGPU's 256-byte row alignment is handled inside. */
wr_status wr_texture_upload(wr_context* ctx, wr_texture* texture, const void* data, size_t size);
wr_status wr_texture_download(wr_context* ctx, wr_texture* texture, void* data, size_t size);

typedef enum wr_filter {
    WR_FILTER_NEAREST = 0,
    WR_FILTER_LINEAR,
} wr_filter;

typedef enum wr_address_mode {
    WR_ADDRESS_CLAMP = 0,   /* clamp to edge */
    WR_ADDRESS_REPEAT,
} wr_address_mode;

typedef struct wr_sampler_desc {
    wr_filter filter;           /* magnification and minification */
    wr_address_mode address;    /* u and v */
} wr_sampler_desc;

wr_status wr_sampler_create(wr_context* ctx, const wr_sampler_desc* desc, wr_sampler** out);
void wr_sampler_destroy(wr_sampler* sampler);

/* ---------------------------------------------------------------- kernels */

typedef struct wr_constant {
    const char* name;     /* an `override` declared in the shader: its name, or its @id as "7" */
    double value;
} wr_constant;

typedef struct wr_kernel_desc {
    const char* source;        /* WGSL text (NUL-terminated) */
    const char* source_name;   /* file name for diagnostics; NULL: "<input>" */
    const char* entry;         /* NULL: the only @compute entry point */
    const wr_constant* constants;
    size_t constant_count;
} wr_kernel_desc;

/* Compiles WGSL and creates the compute pipeline. Compile errors come back as
 * WR_ERROR_COMPILE with `name:line:col: error: message` lines in wr_context_error.
 * Kernels are cached in the context by (source, entry, constants): creating the same kernel
 * twice returns a new handle to the same pipeline. */
wr_status wr_kernel_create(wr_context* ctx, const wr_kernel_desc* desc, wr_kernel** out);
void wr_kernel_destroy(wr_kernel* kernel);
const wr_shader_info* wr_kernel_shader_info(const wr_kernel* kernel);
const wr_entry_info* wr_kernel_entry(const wr_kernel* kernel);
/* Like wr_shader_find_binding, but a @binding index that several resources share (each used by
 * a different entry point) finds the one this kernel's entry point uses. */
const wr_binding_info* wr_kernel_find_binding(const wr_kernel* kernel, const char* name_or_index);
/* The resolved @workgroup_size (overrides and consts applied). */
void wr_kernel_workgroup_size(const wr_kernel* kernel, uint32_t size[3]);

/* ---------------------------------------------------------------- dispatch */

typedef struct wr_binding {
    const char* name;      /* a variable name from the shader, or NULL to use `index` */
    uint32_t index;        /* @binding index in `group` when name is NULL */
    uint32_t group;
    wr_buffer* buffer;
    size_t offset;         /* bytes */
    size_t size;           /* bytes; 0 means the rest of the buffer */
    wr_texture* texture;   /* for texture bindings, instead of buffer */
    wr_sampler* sampler;   /* for sampler bindings */
} wr_binding;

typedef struct wr_dispatch_desc {
    const wr_kernel* kernel;
    const wr_binding* bindings;
    size_t binding_count;
    /* Either explicit workgroup counts, or a problem size (invocations per dimension) that is
     * divided by the workgroup size; a 1D problem larger than the per-dimension limit is split
     * over y and z (the kernel must then linearise global_invocation_id with num_workgroups). */
    uint32_t workgroups[3];
    uint64_t problem_size[3];
} wr_dispatch_desc;

/* Resolves a dispatch's workgroup counts without running it (validation included). */
wr_status wr_dispatch_resolve(wr_context* ctx, const wr_dispatch_desc* desc, uint32_t out[3]);

/* A batch records several dispatches (of one or several kernels) into one submission.
 * Bind groups are created once at record time, so a batch can be submitted many times. */
typedef struct wr_batch wr_batch;

typedef struct wr_batch_desc {
    /* Put every dispatch in its own compute pass (a pass boundary orders storage writes on
     * every implementation); otherwise all dispatches share one pass. */
    bool pass_per_dispatch;
    /* Measure GPU time with timestamp queries when the device has them. */
    bool gpu_timing;
} wr_batch_desc;

wr_status wr_batch_create(wr_context* ctx, const wr_batch_desc* desc, wr_batch** out);
void wr_batch_destroy(wr_batch* batch);
wr_status wr_batch_add(wr_context* ctx, wr_batch* batch, const wr_dispatch_desc* dispatch);

typedef struct wr_timing {
    double wall_ms;        /* host time from submit to completion */
    double gpu_ms;         /* timestamp-query time of all passes; < 0 when unavailable */
} wr_timing;

/* Submits the batch `repeat` times (>= 1) in one command buffer and waits for completion. */
wr_status wr_batch_run(wr_context* ctx, wr_batch* batch, uint32_t repeat, wr_timing* timing);

/* Submits without waiting; wr_context_wait_idle waits for all submitted work. */
wr_status wr_batch_submit(wr_context* ctx, wr_batch* batch, uint32_t repeat);
wr_status wr_context_wait_idle(wr_context* ctx);

/* One dispatch, submitted and waited for: a batch of one. */
wr_status wr_dispatch(wr_context* ctx, const wr_dispatch_desc* desc, wr_timing* timing);

/* A monotonic clock in milliseconds, for callers that time around several calls. */
double wr_now_ms(void);

#ifdef __cplusplus
}
#endif
#endif /* WGSLRUN_H */
