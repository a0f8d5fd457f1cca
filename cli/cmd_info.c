/* `wgslrun info`: implementations, adapters, limits and features. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "context_options.h"
#include "json.h"
#include "wgslrun.h"

static const char info_usage[] =
    "usage: wgslrun info [--impl dawn|wgpu|all|PATH] [--adapter A] [--json]\n"
    "\n"
    "Lists each implementation's adapters, then the device wgslrun would create on the chosen\n"
    "(or default) adapter: its limits and features. Default: every implementation.\n"
    "\n"
    "examples:\n"
    "  wgslrun info --impl wgpu --json\n";

static void print_limits(const wr_limits* l) {
    printf("    maxBufferSize %llu, maxStorageBufferBindingSize %llu\n", (unsigned long long)l->max_buffer_size,
           (unsigned long long)l->max_storage_buffer_binding_size);
    printf("    maxComputeInvocationsPerWorkgroup %u, maxComputeWorkgroupSize (%u, %u, %u)\n",
           l->max_compute_invocations_per_workgroup, l->max_compute_workgroup_size[0], l->max_compute_workgroup_size[1],
           l->max_compute_workgroup_size[2]);
    printf("    maxComputeWorkgroupsPerDimension %u, maxComputeWorkgroupStorageSize %u, "
           "maxStorageBuffersPerShaderStage %u\n",
           l->max_compute_workgroups_per_dimension, l->max_compute_workgroup_storage_size,
           l->max_storage_buffers_per_shader_stage);
}

static void json_limits(json_writer* w, const char* key, const wr_limits* l) {
    json_key(w, key);
    json_begin_object(w);
    json_key(w, "maxBufferSize");
    json_number_value(w, (double)l->max_buffer_size);
    json_key(w, "maxStorageBufferBindingSize");
    json_number_value(w, (double)l->max_storage_buffer_binding_size);
    json_key(w, "maxUniformBufferBindingSize");
    json_number_value(w, (double)l->max_uniform_buffer_binding_size);
    json_key(w, "maxStorageBuffersPerShaderStage");
    json_int_value(w, l->max_storage_buffers_per_shader_stage);
    json_key(w, "maxComputeInvocationsPerWorkgroup");
    json_int_value(w, l->max_compute_invocations_per_workgroup);
    json_key(w, "maxComputeWorkgroupSize");
    json_begin_array_inline(w);
    for (int d = 0; d < 3; d++) json_int_value(w, l->max_compute_workgroup_size[d]);
    json_end_array(w);
    json_key(w, "maxComputeWorkgroupsPerDimension");
    json_int_value(w, l->max_compute_workgroups_per_dimension);
    json_key(w, "maxComputeWorkgroupStorageSize");
    json_int_value(w, l->max_compute_workgroup_storage_size);
    json_end_object(w);
}

static void json_adapter(json_writer* w, const wr_adapter_info* a) {
    json_begin_object(w);
    const char* keys[] = {"device", "description", "vendor", "architecture", "backend", "adapter_type", "features"};
    const char* values[] = {a->device, a->description, a->vendor, a->architecture, a->backend, a->adapter_type, a->features};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_key(w, keys[i]);
        json_string_value(w, values[i]);
    }
    json_key(w, "vendor_id");
    json_int_value(w, a->vendor_id);
    json_key(w, "device_id");
    json_int_value(w, a->device_id);
    json_limits(w, "limits", &a->adapter_limits);
    json_end_object(w);
}

/* Returns true when the implementation loaded and produced a device. */
static bool describe_impl(const wr_context_desc* settings, const char* impl, bool json, json_writer* w) {
    wr_context_desc desc = *settings;
    desc.impl = impl;
    wr_error err;
    wr_adapter_info* list = NULL;
    size_t count = 0;
    wr_status status = wr_list_adapters(&desc, &list, &count, &err);
    wr_context* ctx = NULL;
    if (status == WR_OK) status = wr_context_create(&desc, &ctx, &err);
    cli_name_settings(status, &err);
    if (json) {
        json_begin_object(w);
        json_key(w, "impl");
        json_string_value(w, impl);
    }
    if (status != WR_OK) {
        if (json) {
            json_key(w, "error");
            json_string_value(w, err.message);
            json_end_object(w);
        } else {
            printf("%s: unavailable: %s\n", impl, err.message);
        }
        wr_adapter_list_free(list);
        return false;
    }
    const wr_adapter_info* chosen = wr_context_info(ctx);
    if (json) {
        json_key(w, "library");
        json_string_value(w, chosen->impl_path);
        json_key(w, "adapters");
        json_begin_array(w);
        for (size_t i = 0; i < count; i++) json_adapter(w, &list[i]);
        json_end_array(w);
        json_key(w, "device");
        json_begin_object(w);
        json_key(w, "adapter");
        json_string_value(w, chosen->device);
        json_key(w, "timestamps");
        json_bool_value(w, chosen->has_timestamps);
        json_key(w, "shader_f16");
        json_bool_value(w, chosen->has_shader_f16);
        json_key(w, "subgroups");
        json_bool_value(w, chosen->has_subgroups);
        json_limits(w, "limits", &chosen->limits);
        json_end_object(w);
        json_end_object(w);
    } else {
        printf("%s: %s\n", impl, chosen->impl_path);
        for (size_t i = 0; i < count; i++)
            printf("  adapter %zu: %s (%s, %s, %s)\n", i, list[i].device, list[i].backend, list[i].adapter_type,
                   list[i].description);
        printf("  device on '%s': timestamps %s, shader-f16 %s, subgroups %s\n", chosen->device,
               chosen->has_timestamps ? "yes" : "no", chosen->has_shader_f16 ? "yes" : "no",
               chosen->has_subgroups ? "yes" : "no");
        printf("  features: %s\n", chosen->features[0] ? chosen->features : "(none)");
        print_limits(&chosen->limits);
    }
    wr_context_destroy(ctx);
    wr_adapter_list_free(list);
    return true;
}

int cmd_info(int argc, char** argv) {
    const char* impl = "all";
    wr_context_desc settings = {0};
    bool json = false;
    char error[256];
    for (int i = 0; i < argc; i++) {
        const char* v;
        int m = 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(info_usage, stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if ((m = cli_option_value(argc, argv, &i, "--impl", &v, error, sizeof error)) > 0) impl = v;
        else if (m == 0 && (m = cli_option_value(argc, argv, &i, "--adapter", &v, error, sizeof error)) > 0) settings.adapter = v;
        else {
            fprintf(stderr, "wgslrun info: error: %s\n(see wgslrun info --help)\n", m < 0 ? error : argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!cli_implementation_env(&settings, error, sizeof error)) {
        fprintf(stderr, "wgslrun info: error: %s\n(see wgslrun info --help)\n", error);
        return CLI_EXIT_USAGE;
    }
    const char* all[] = {"dawn", "wgpu"};
    const char** impls = strcmp(impl, "all") == 0 ? all : &impl;
    size_t impl_count = strcmp(impl, "all") == 0 ? 2 : 1;
    json_writer w;
    json_writer_init(&w, stdout);
    if (json) {
        json_begin_object(&w);
        json_key(&w, "version");
        json_string_value(&w, WR_VERSION);
        json_key(&w, "implementations");
        json_begin_array(&w);
    }
    size_t working = 0;
    for (size_t i = 0; i < impl_count; i++) working += describe_impl(&settings, impls[i], json, &w);
    if (json) {
        json_end_array(&w);
        json_end_object(&w);
        json_writer_finish(&w);
    }
    return working > 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
