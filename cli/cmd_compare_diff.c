/* `wgslrun compare`: outputs compared across methods. Integers must be bit-identical; floats
 * agree element by element within the tolerance (ULPs, relative or absolute, any one). The
 * methods fall into groups that agree with each other; the largest group (ties: the one of the
 * earliest method in the table) is the answer, and every other method is named with its first
 * differing element. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd_compare.h"

bool cmp_parse_tolerance(const char* text, cmp_tolerance* out) {
    *out = (cmp_tolerance){-1, -1, -1};
    char buffer[256];
    if (text == NULL || text[0] == '\0' || strlen(text) >= sizeof buffer) return false;
    snprintf(buffer, sizeof buffer, "%s", text);
    for (char *item = buffer, *comma; item != NULL; item = comma ? comma + 1 : NULL) {
        comma = strchr(item, ',');
        if (comma) *comma = '\0';
        char* colon = strchr(item, ':');
        double value;
        if (colon == NULL || !cli_parse_double(colon + 1, &value) || value < 0 || isinf(value)) return false;
        *colon = '\0';
        if (strcmp(item, "ulp") == 0 && value == floor(value)) out->ulp = value;
        else if (strcmp(item, "rel") == 0) out->rel = value;
        else if (strcmp(item, "abs") == 0) out->abs = value;
        else return false;
    }
    return true;
}

/* Float bits mapped to integers that are ordered like the values, so that their difference
 * counts the representable values between two floats (ULPs). */
static int64_t ordered_bits(const wr_array* a, size_t i) {
    int64_t bits, sign_bit;
    switch (a->dtype) {
    case WR_DTYPE_F16: bits = ((const uint16_t*)a->data)[i]; sign_bit = 0x8000; break;
    case WR_DTYPE_F32: bits = ((const uint32_t*)a->data)[i]; sign_bit = 0x80000000LL; break;
    default: {
        uint64_t u;
        memcpy(&u, (const char*)a->data + 8 * i, 8);
        /* Halved so that the difference of two cannot overflow; f64 ULP counts are then in 2s. */
        int64_t half = (int64_t)(u >> 1);
        return (u >> 63) ? -(half & 0x3fffffffffffffffLL) : half;
    }
    }
    return bits & sign_bit ? -(bits & (sign_bit - 1)) : bits;
}

static double ulp_distance(const wr_array* a, const wr_array* b, size_t i) {
    double d = fabs((double)(ordered_bits(a, i) - ordered_bits(b, i)));
    return a->dtype == WR_DTYPE_F64 ? 2 * d : d;
}

static bool floats_agree(const wr_array* a, const wr_array* b, size_t i, const cmp_tolerance* t) {
    double x = cli_array_get(a, i), y = cli_array_get(b, i);
    if (isnan(x) || isnan(y)) return isnan(x) && isnan(y);
    if (x == y) return true;
    if (isinf(x) || isinf(y)) return false;
    double diff = fabs(x - y);
    return (t->abs >= 0 && diff <= t->abs) || (t->rel >= 0 && diff <= t->rel * fmax(fabs(x), fabs(y))) ||
           (t->ulp >= 0 && ulp_distance(a, b, i) <= t->ulp);
}

static bool elements_agree(const wr_array* a, const wr_array* b, size_t i, const cmp_tolerance* t) {
    if (a->dtype == WR_DTYPE_I32 || a->dtype == WR_DTYPE_U32)
        return ((const uint32_t*)a->data)[i] == ((const uint32_t*)b->data)[i];
    return floats_agree(a, b, i, t);
}

static void describe_shape(const wr_array* a, char* out, size_t size) {
    size_t used = (size_t)snprintf(out, size, "%s[", wr_dtype_name(a->dtype));
    for (uint32_t d = 0; d < a->ndim && used < size; d++)
        used += (size_t)snprintf(out + used, size - used, "%s%zu", d ? ", " : "", a->shape[d]);
    if (used < size) snprintf(out + used, size - used, "]");
}

bool cmp_arrays_agree(const char* name, const wr_array* a, const wr_array* b, const cmp_tolerance* tol,
                      const char* a_name, const char* b_name, char* out, size_t out_size) {
    if (a->dtype != b->dtype || a->count != b->count) {
        char sa[96], sb[96];
        describe_shape(a, sa, sizeof sa);
        describe_shape(b, sb, sizeof sb);
        snprintf(out, out_size, "%s is %s in %s but %s in %s", name, sa, a_name, sb, b_name);
        return false;
    }
    size_t first = SIZE_MAX, differing = 0;
    for (size_t i = 0; i < a->count; i++)
        if (!elements_agree(a, b, i, tol)) {
            if (first == SIZE_MAX) first = i;
            differing++;
        }
    if (differing == 0) return true;
    bool integer = a->dtype == WR_DTYPE_I32 || a->dtype == WR_DTYPE_U32;
    int digits = a->dtype == WR_DTYPE_F64 ? 17 : 9; /* enough to tell neighbouring values apart */
    snprintf(out, out_size, "%s[%zu]: %.*g in %s, %.*g in %s (%zu of %zu elements differ%s)", name, first, digits,
             cli_array_get(a, first), a_name, digits, cli_array_get(b, first), b_name, differing, a->count,
             integer ? "" : " beyond the tolerance");
    return false;
}

/* True when every output of `a` agrees with `b`'s; else the first difference in `out`. */
static bool runs_agree(const cmp_plan* plan, const cmp_run* a, const cmp_run* b, char* out, size_t size) {
    for (size_t i = 0; i < plan->options->bind_count; i++) {
        const cmp_bind* bind = &plan->options->binds[i];
        if (!bind->is_output) continue;
        if (!cmp_arrays_agree(bind->info->name, &b->outputs[i], &a->outputs[i], &plan->options->tolerance,
                              cmp_methods[b->id].name, cmp_methods[a->id].name, out, size))
            return false;
    }
    return true;
}

void cmp_compare_runs(cmp_plan* plan) {
    int leaders[CMP_METHOD_COUNT], sizes[CMP_METHOD_COUNT] = {0}, group_count = 0;
    char scratch[CMP_REASON_MAX];
    for (size_t i = 0; i < plan->run_count; i++) {
        cmp_run* r = &plan->runs[i];
        r->group = -1;
        if (r->state != CMP_DONE) continue;
        for (int g = 0; g < group_count && r->group < 0; g++)
            if (runs_agree(plan, r, &plan->runs[leaders[g]], scratch, sizeof scratch)) r->group = g;
        if (r->group < 0) leaders[r->group = group_count++] = (int)i;
        sizes[r->group]++;
    }
    int best = 0;
    for (int g = 1; g < group_count; g++)
        if (sizes[g] > sizes[best]) best = g;
    for (size_t i = 0; i < plan->run_count; i++) {
        cmp_run* r = &plan->runs[i];
        if (r->state != CMP_DONE) continue;
        r->agrees = r->group == best;
        r->reference = (int)i == leaders[best] ? -1 : leaders[best];
        if (!r->agrees) runs_agree(plan, r, &plan->runs[leaders[best]], r->difference, sizeof r->difference);
    }
}
