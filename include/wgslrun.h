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

/* Reads a little-endian, C-order .npy file of f16/f32/f64/i32/u32 (format 1.0, 2.0 or 3.0).
 * On success *out owns malloc'd data: release it with wr_array_free. */
wr_status wr_npy_read(const char* path, wr_array* out, wr_error* err);
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

typedef enum wr_impl_kind {
    WR_IMPL_UNKNOWN = 0,
    WR_IMPL_DAWN,
    WR_IMPL_WGPU_NATIVE,
} wr_impl_kind;

typedef struct wr_context_desc {
    /* "dawn", "wgpu", or a path to a shared library exporting the webgpu.h functions.
     * NULL: $WGSLRUN_IMPL, else "dawn". */
    const char* impl;
    /* Adapter index ("0", "1", ...) or a case-insensitive substring of its name/description.
     * NULL: the high-performance default. */
    const char* adapter;
    /* Directory holding dawn/ and wgpu/ as scripts/setup.sh lays them out.
     * NULL: $WGSLRUN_DEPS, else the deps/ of the source tree wgslrun was built from. */
    const char* deps_dir;
    /* Request the WebGPU default limits instead of the adapter's full limits. */
    bool default_limits;
    /* Do not request timestamp queries even when the adapter has them. */
    bool no_timestamps;
} wr_context_desc;

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
    bool has_shader_f16;
    wr_limits limits;          /* the limits of the device this context created */
    wr_limits adapter_limits;  /* what the adapter supports */
    char features[1024];       /* the adapter's features, comma-separated */
} wr_adapter_info;

wr_status wr_context_create(const wr_context_desc* desc, wr_context** out, wr_error* err);
void wr_context_destroy(wr_context* ctx);
const char* wr_context_error(const wr_context* ctx);
const wr_adapter_info* wr_context_info(const wr_context* ctx);

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
