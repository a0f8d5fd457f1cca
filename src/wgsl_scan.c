/* WGSL declaration scanner: finds module-scope bindings, overrides, consts and compute entry
 * points, and lays out binding types with WGSL's host-shareable alignment and size rules.
 *
 * This is deliberately not a parser. WebGPU's own compiler validates the shader; the scanner
 * only needs enough to size buffers and pick workgroup sizes before pipeline creation, so
 * anything it does not understand is skipped rather than reported.
 *
 * It works in three steps: tokenize the whole input (so that look-ahead is bounded by a token
 * count, never by the source length), collect the declarations that others refer to (const,
 * struct, alias; WGSL lets them appear after their use), then collect bindings, overrides and
 * entry points with those names resolvable. */
#include "error.h"
#include "wgslrun.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- scanner state */

enum { TOK_IDENT, TOK_NUMBER, TOK_PUNCT };

typedef struct tok {
    size_t off, len;
    uint32_t line, col;
    int kind;
} tok;

typedef enum memo_state { MEMO_NEW, MEMO_BUSY, MEMO_DONE } memo_state;

typedef enum lay_kind { LAY_SCALAR, LAY_VEC, LAY_MAT, LAY_ATOMIC, LAY_ARRAY, LAY_STRUCT } lay_kind;

/* The innermost value (scalar, vector, matrix, atomic) that arrays of a type repeat: `size`
 * bytes of data every `stride` bytes, in `columns` columns `column_stride` bytes apart. */
typedef struct value_layout {
    uint32_t columns;
    size_t column_stride, size, stride;
} value_layout;

/* The host-shareable layout of a type. For types holding a runtime-sized array, `size` is the
 * minimum binding size: SizeOf the type with one element in the array. */
typedef struct layout {
    lay_kind kind;
    size_t align, size;
    size_t stride;          /* the runtime array's element stride when `runtime` */
    size_t runtime_offset;  /* where the runtime array starts when `runtime` */
    wr_dtype scalar;
    uint32_t components;
    bool runtime;
    value_layout value;     /* all 0 for structs */
} layout;

/* Structs and aliases are laid out on demand and memoised: a chain of structs that each use
 * the next several times would otherwise cost exponential time, and cycles must end. */
typedef struct named_type {
    size_t name;            /* token index of the declared name */
    size_t start, end;      /* token range of the struct body or the aliased type */
    bool is_struct;
    memo_state state;
    bool ok;
    layout lay;
} named_type;

typedef struct scanner {
    const unsigned char* src;
    size_t length;
    const char* name;
    wr_error* err;
    tok* toks;
    size_t ntok, tok_cap;
    uint32_t end_line, end_col;
    named_type* types;
    size_t ntypes, types_cap;
    wr_shader_info* out;
    size_t bindings_cap, overrides_cap, entries_cap, consts_cap;
} scanner;

/* Attributes seen since the last declaration; each records where its arguments are. */
typedef struct attr_ref {
    bool present;
    size_t at;              /* token index of '@' */
    size_t args, args_end;  /* token range inside the parentheses */
} attr_ref;

typedef struct attrs {
    attr_ref group, binding, compute, workgroup_size, id;
    uint32_t group_value, binding_value;
} attrs;

/* Nesting deeper than this is not a real shader; the limit keeps the recursion off the end of
 * the stack on fuzzed input. */
#define MAX_TYPE_DEPTH 32
/* Sizes past this fail the layout instead of overflowing size_t arithmetic. */
#define MAX_LAYOUT_SIZE (SIZE_MAX / 4)

/* ---------------------------------------------------------------- errors and growth */

static wr_status fail_at(scanner* s, uint32_t line, uint32_t col, const char* fmt, ...)
    WR_PRINTF(4, 5);

static wr_status fail_at(scanner* s, uint32_t line, uint32_t col, const char* fmt, ...) {
    char message[WR_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    return wr_error_set(s->err, WR_ERROR_COMPILE, "%s:%u:%u: error: %s", s->name, (unsigned)line,
                        (unsigned)col, message);
}

/* Token i's position, or the end of input when i is past the last token. */
static void tok_pos(const scanner* s, size_t i, uint32_t* line, uint32_t* col) {
    if (i < s->ntok) {
        *line = s->toks[i].line;
        *col = s->toks[i].col;
    } else {
        *line = s->end_line;
        *col = s->end_col;
    }
}

static wr_status out_of_memory(scanner* s) {
    return wr_error_set(s->err, WR_ERROR_OUT_OF_MEMORY, "%s: out of memory scanning WGSL",
                        s->name);
}

/* Returns `items` itself, or a larger block holding count + 1 items; NULL (with `items` still
 * valid) when memory runs out. */
static void* grow(void* items, size_t* cap, size_t count, size_t item_size) {
    if (count < *cap) return items;
    size_t new_cap = *cap ? *cap * 2 : 8;
    if (new_cap < *cap || new_cap > SIZE_MAX / item_size) return NULL;
    void* grown = realloc(items, new_cap * item_size);
    if (grown != NULL) *cap = new_cap;
    return grown;
}

/* ---------------------------------------------------------------- tokenizer */

typedef struct cursor {
    size_t pos;
    uint32_t line, col;
} cursor;

/* Length of the blankspace at p (0 if none), per WGSL: ASCII blanks plus U+0085, U+200E,
 * U+200F, U+2028 and U+2029. CR counts as a line break only when no LF follows it. */
static size_t blank_len(const unsigned char* p, size_t left, bool* line_break) {
    *line_break = false;
    switch (p[0]) {
    case ' ': case '\t': return 1;
    case '\n': case '\v': case '\f': *line_break = true; return 1;
    case '\r': *line_break = !(left > 1 && p[1] == '\n'); return 1;
    default: break;
    }
    if (left >= 2 && p[0] == 0xC2 && p[1] == 0x85) {
        *line_break = true;
        return 2;
    }
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80) {
        if (p[2] == 0x8E || p[2] == 0x8F) return 3;
        if (p[2] == 0xA8 || p[2] == 0xA9) {
            *line_break = true;
            return 3;
        }
    }
    return 0;
}

/* Columns count code points, as compilers report them, so UTF-8 continuation bytes do not
 * advance the column. */
static void cursor_step(cursor* c, const unsigned char* src, size_t nbytes) {
    for (size_t k = 0; k < nbytes; k++)
        if ((src[c->pos + k] & 0xC0) != 0x80) c->col++;
    c->pos += nbytes;
}

/* Consumes blankspace at the cursor; false when there is none. */
static bool skip_blank(const scanner* s, cursor* c) {
    bool line_break;
    size_t n = blank_len(s->src + c->pos, s->length - c->pos, &line_break);
    if (n == 0) return false;
    if (line_break) {
        c->pos += n;
        c->line++;
        c->col = 1;
    } else {
        cursor_step(c, s->src, n);
    }
    return true;
}

static void skip_line_comment(const scanner* s, cursor* c) {
    bool line_break = false;
    while (c->pos < s->length) {
        size_t n = blank_len(s->src + c->pos, s->length - c->pos, &line_break);
        if (line_break) return;
        cursor_step(c, s->src, n ? n : 1);
    }
}

/* Block comments nest in WGSL, so a depth count, not the first closing marker, ends one. */
static wr_status skip_block_comment(scanner* s, cursor* c) {
    cursor start = *c;
    size_t depth = 0;
    do {
        const unsigned char* p = s->src + c->pos;
        size_t left = s->length - c->pos;
        if (left >= 2 && p[0] == '/' && p[1] == '*') {
            depth++;
            cursor_step(c, s->src, 2);
        } else if (left >= 2 && p[0] == '*' && p[1] == '/') {
            depth--;
            cursor_step(c, s->src, 2);
        } else if (!skip_blank(s, c)) {
            cursor_step(c, s->src, 1);
        }
    } while (depth > 0 && c->pos < s->length);
    if (depth > 0) return fail_at(s, start.line, start.col, "unterminated block comment");
    return WR_OK;
}

static bool is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }

static bool is_alpha(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Non-ASCII bytes are taken as identifier characters: WGSL allows Unicode identifiers, and
 * the scanner has no need to tell XID classes apart. */
static bool is_ident_char(unsigned char ch) {
    return is_alpha(ch) || is_digit(ch) || ch == '_' || ch >= 0x80;
}

static size_t ident_len(const scanner* s, size_t pos) {
    size_t end = pos;
    bool line_break;
    while (end < s->length && is_ident_char(s->src[end]) &&
           blank_len(s->src + end, s->length - end, &line_break) == 0)
        end++;
    return end - pos;
}

/* A numeric literal's extent; its validity is checked only where its value is needed. The
 * sign after an exponent belongs to the literal (1e-3, 0x1p+4), but not after a hex digit e. */
static size_t number_len(const scanner* s, size_t pos) {
    const unsigned char* p = s->src;
    bool hex = pos + 1 < s->length && p[pos] == '0' && (p[pos + 1] == 'x' || p[pos + 1] == 'X');
    size_t end = pos;
    while (end < s->length) {
        unsigned char ch = p[end];
        if (is_alpha(ch) || is_digit(ch) || ch == '.') {
            end++;
            continue;
        }
        unsigned char prev = end > pos ? p[end - 1] : 0;
        bool exponent = hex ? (prev == 'p' || prev == 'P') : (prev == 'e' || prev == 'E');
        if ((ch == '+' || ch == '-') && exponent) {
            end++;
            continue;
        }
        break;
    }
    return end - pos;
}

static wr_status push_token(scanner* s, const cursor* at, size_t len, int kind) {
    tok* grown = grow(s->toks, &s->tok_cap, s->ntok, sizeof *s->toks);
    if (grown == NULL) return out_of_memory(s);
    s->toks = grown;
    s->toks[s->ntok++] = (tok){.off = at->pos, .len = len, .line = at->line, .col = at->col,
                               .kind = kind};
    return WR_OK;
}

/* Reads one token, comment or blank at the cursor. */
static wr_status lex_one(scanner* s, cursor* c) {
    const unsigned char* p = s->src + c->pos;
    size_t left = s->length - c->pos;
    if (skip_blank(s, c)) return WR_OK;
    if (left >= 2 && p[0] == '/' && p[1] == '/') {
        skip_line_comment(s, c);
        return WR_OK;
    }
    if (left >= 2 && p[0] == '/' && p[1] == '*') return skip_block_comment(s, c);
    size_t len = 1;
    int kind = TOK_PUNCT;
    if (is_digit(p[0]) || (p[0] == '.' && left >= 2 && is_digit(p[1]))) {
        kind = TOK_NUMBER;
        len = number_len(s, c->pos);
    } else if (is_ident_char(p[0])) {
        kind = TOK_IDENT;
        len = ident_len(s, c->pos);
    }
    wr_status status = push_token(s, c, len, kind);
    cursor_step(c, s->src, len);
    return status;
}

static wr_status tokenize(scanner* s) {
    cursor c = {.pos = 0, .line = 1, .col = 1};
    while (c.pos < s->length) {
        wr_status status = lex_one(s, &c);
        if (status != WR_OK) return status;
    }
    s->end_line = c.line;
    s->end_col = c.col;
    return WR_OK;
}

/* ---------------------------------------------------------------- token helpers */

static bool is_punct(const scanner* s, size_t i, char ch) {
    return i < s->ntok && s->toks[i].kind == TOK_PUNCT && s->src[s->toks[i].off] == (unsigned char)ch;
}

static bool is_ident(const scanner* s, size_t i) {
    return i < s->ntok && s->toks[i].kind == TOK_IDENT;
}

static bool is_word(const scanner* s, size_t i, const char* word) {
    size_t n = strlen(word);
    return is_ident(s, i) && s->toks[i].len == n && memcmp(s->src + s->toks[i].off, word, n) == 0;
}

static bool same_text(const scanner* s, size_t a, size_t b) {
    return s->toks[a].len == s->toks[b].len &&
           memcmp(s->src + s->toks[a].off, s->src + s->toks[b].off, s->toks[a].len) == 0;
}

static bool text_is(const scanner* s, size_t i, const char* text) {
    size_t n = strlen(text);
    return s->toks[i].len == n && memcmp(s->src + s->toks[i].off, text, n) == 0;
}

/* Index just past the bracket that closes the one at `i`, or ntok when it never closes. */
static size_t skip_balanced(const scanner* s, size_t i, char open, char close) {
    size_t depth = 0;
    for (; i < s->ntok; i++) {
        if (is_punct(s, i, open)) {
            depth++;
        } else if (is_punct(s, i, close)) {
            if (--depth == 0) return i + 1;
        }
    }
    return s->ntok;
}

/* Copies identifier i into a WR_NAME_MAX buffer; a longer name is an error because a
 * truncated one would silently match the wrong declaration. */
static wr_status copy_name(scanner* s, size_t i, char dst[WR_NAME_MAX]) {
    const tok* t = &s->toks[i];
    if (t->len >= WR_NAME_MAX) {
        return fail_at(s, t->line, t->col, "name '%.*s...' is longer than %d characters",
                       WR_NAME_MAX, (const char*)s->src + t->off, WR_NAME_MAX - 1);
    }
    memcpy(dst, s->src + t->off, t->len);
    dst[t->len] = '\0';
    return WR_OK;
}

/* ---------------------------------------------------------------- numeric literals */

typedef struct number {
    bool ok, is_float;
    wr_dtype suffix;        /* INVALID for abstract literals */
    double value;
    uint64_t integer;       /* meaningful when !is_float */
} number;

static int hex_value(unsigned char ch) {
    if (is_digit(ch)) return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static bool parse_integer(const char* p, size_t n, unsigned base, uint64_t* out) {
    uint64_t value = 0;
    if (n == 0) return false;
    for (size_t k = 0; k < n; k++) {
        int digit = hex_value((unsigned char)p[k]);
        if (digit < 0 || (unsigned)digit >= base) return false;
        if (value > (UINT64_MAX - (unsigned)digit) / base) return false;
        value = value * base + (unsigned)digit;
    }
    *out = value;
    return true;
}

/* strtod needs a terminated string and accepts forms WGSL does not (inf, leading blanks); the
 * caller has already restricted the characters, so only full consumption is checked here. */
static bool parse_float(const char* p, size_t n, double* out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char* end = NULL;
    *out = strtod(buf, &end);
    return end == buf + n;
}

static bool decimal_float_chars(const char* p, size_t n) {
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)p[k];
        if (!is_digit(ch) && ch != '.' && ch != 'e' && ch != 'E' && ch != '+' && ch != '-')
            return false;
    }
    return true;
}

static wr_dtype suffix_type(char ch) {
    switch (ch) {
    case 'i': return WR_DTYPE_I32;
    case 'u': return WR_DTYPE_U32;
    case 'f': return WR_DTYPE_F32;
    case 'h': return WR_DTYPE_F16;
    default: return WR_DTYPE_INVALID;
    }
}

static number parse_hex_literal(const char* p, size_t n) {
    number num = {0};
    const char* digits = p + 2;
    size_t count = n - 2;
    bool has_p = memchr(digits, 'p', count) != NULL || memchr(digits, 'P', count) != NULL;
    bool has_dot = memchr(digits, '.', count) != NULL;
    if (has_p || has_dot) {
        /* f and h are suffixes only after a binary exponent; before it they are hex digits */
        if (has_p && (p[n - 1] == 'f' || p[n - 1] == 'h')) num.suffix = suffix_type(p[--n]);
        num.is_float = true;
        num.ok = parse_float(p, n, &num.value);
        return num;
    }
    if (count > 0 && (digits[count - 1] == 'i' || digits[count - 1] == 'u'))
        num.suffix = suffix_type(digits[--count]);
    num.ok = parse_integer(digits, count, 16, &num.integer);
    num.value = (double)num.integer;
    return num;
}

static number parse_decimal_literal(const char* p, size_t n) {
    number num = {0};
    char last = p[n - 1];
    if (last == 'i' || last == 'u' || last == 'f' || last == 'h') num.suffix = suffix_type(p[--n]);
    num.is_float = num.suffix == WR_DTYPE_F32 || num.suffix == WR_DTYPE_F16 ||
                   memchr(p, '.', n) != NULL || memchr(p, 'e', n) != NULL ||
                   memchr(p, 'E', n) != NULL;
    if (num.is_float) {
        if (num.suffix == WR_DTYPE_I32 || num.suffix == WR_DTYPE_U32) return num;
        num.ok = decimal_float_chars(p, n) && parse_float(p, n, &num.value);
        return num;
    }
    num.ok = parse_integer(p, n, 10, &num.integer);
    num.value = (double)num.integer;
    return num;
}

static number parse_number(const scanner* s, size_t i) {
    number none = {0};
    if (i >= s->ntok || s->toks[i].kind != TOK_NUMBER) return none;
    const char* p = (const char*)s->src + s->toks[i].off;
    size_t n = s->toks[i].len;
    if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) return parse_hex_literal(p, n);
    return parse_decimal_literal(p, n);
}

/* A literal possibly preceded by unary minus, ending at `*next`. */
static number parse_signed_number(const scanner* s, size_t i, size_t* next) {
    bool negative = is_punct(s, i, '-');
    number num = parse_number(s, negative ? i + 1 : i);
    if (negative) {
        num.value = -num.value;
        num.integer = 0;
        num.ok = num.ok && (num.is_float || num.suffix != WR_DTYPE_U32);
    }
    *next = negative ? i + 2 : i + 1;
    return num;
}

/* ---------------------------------------------------------------- consts and integer args */

static const wr_const_info* find_const(const scanner* s, size_t name) {
    const tok* t = &s->toks[name];
    for (size_t k = 0; k < s->out->const_count; k++) {
        const wr_const_info* c = &s->out->consts[k];
        if (strlen(c->name) == t->len && memcmp(c->name, s->src + t->off, t->len) == 0) return c;
    }
    return NULL;
}

static bool double_to_u32(double v, uint32_t* out) {
    if (!(v >= 0.0 && v <= 4294967295.0) || (double)(uint32_t)v != v) return false;
    *out = (uint32_t)v;
    return true;
}

/* The value of a single-token attribute or template argument in [a, b): an integer literal or
 * the name of a module-scope const with an integral value. */
static bool int_arg(const scanner* s, size_t a, size_t b, uint32_t* out) {
    if (b > a && is_punct(s, b - 1, ',')) b--;
    if (b != a + 1) return false;
    if (is_ident(s, a)) {
        const wr_const_info* c = find_const(s, a);
        return c != NULL && double_to_u32(c->value, out);
    }
    number num = parse_number(s, a);
    if (!num.ok || num.is_float || num.integer > UINT32_MAX) return false;
    *out = (uint32_t)num.integer;
    return true;
}

/* ---------------------------------------------------------------- type layout */

static size_t round_up(size_t align, size_t n) { return (n + align - 1) / align * align; }

static bool is_pow2(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

static bool lay_type(scanner* s, size_t* pos, size_t end, int depth, layout* out);

/* Expects the '<' of a template list at *pos. */
static bool template_open(const scanner* s, size_t* pos, size_t end) {
    if (*pos >= end || !is_punct(s, *pos, '<')) return false;
    (*pos)++;
    return true;
}

/* Accepts an optional trailing comma and the closing '>'. */
static bool template_close(const scanner* s, size_t* pos, size_t end) {
    if (*pos < end && is_punct(s, *pos, ',')) (*pos)++;
    if (*pos >= end || !is_punct(s, *pos, '>')) return false;
    (*pos)++;
    return true;
}

static bool scalar_layout(wr_dtype type, layout* out) {
    if (type != WR_DTYPE_F16 && type != WR_DTYPE_F32 && type != WR_DTYPE_I32 &&
        type != WR_DTYPE_U32)
        return false;
    size_t size = wr_dtype_size(type);
    *out = (layout){.kind = LAY_SCALAR, .align = size, .size = size, .scalar = type,
                    .components = 1,
                    .value = {.columns = 1, .column_stride = size, .size = size, .stride = size}};
    return true;
}

/* vec3 is aligned like vec4 but only 12 (or 6) bytes long, so a following scalar packs into its
 * tail. */
static bool vector_layout(uint32_t n, wr_dtype type, layout* out) {
    layout scalar;
    if (n < 2 || n > 4 || !scalar_layout(type, &scalar)) return false;
    size_t align = (n == 2 ? 2 : 4) * scalar.size, size = n * scalar.size;
    *out = (layout){.kind = LAY_VEC, .align = align, .size = size, .scalar = type, .components = n,
                    .value = {.columns = 1, .column_stride = size, .size = size,
                              .stride = round_up(align, size)}};
    return true;
}

/* A matrix is an array of C column vectors of R rows. */
static bool matrix_layout(uint32_t cols, uint32_t rows, wr_dtype type, layout* out) {
    layout column;
    if (cols < 2 || cols > 4 || (type != WR_DTYPE_F32 && type != WR_DTYPE_F16) ||
        !vector_layout(rows, type, &column))
        return false;
    size_t column_stride = round_up(column.align, column.size);
    *out = (layout){.kind = LAY_MAT, .align = column.align, .size = cols * column_stride,
                    .scalar = type, .components = cols * rows,
                    .value = {.columns = cols, .column_stride = column_stride,
                              .size = (cols - 1) * column_stride + column.size,
                              .stride = cols * column_stride}};
    return true;
}

/* The scalar of a template argument such as vec3<f32>'s f32. */
static bool scalar_arg(scanner* s, size_t* pos, size_t end, int depth, wr_dtype* out) {
    layout arg;
    if (!template_open(s, pos, end) || !lay_type(s, pos, end, depth + 1, &arg) ||
        arg.kind != LAY_SCALAR || !template_close(s, pos, end))
        return false;
    *out = arg.scalar;
    return true;
}

/* vec3f, vec4h, mat4x4f, mat2x3h, ... */
static bool shorthand_layout(const char* p, size_t n, layout* out) {
    if (n == 5 && memcmp(p, "vec", 3) == 0 && p[3] >= '2' && p[3] <= '4')
        return vector_layout((uint32_t)(p[3] - '0'), suffix_type(p[4]), out);
    if (n == 7 && memcmp(p, "mat", 3) == 0 && p[4] == 'x' && p[3] >= '2' && p[3] <= '4' &&
        p[5] >= '2' && p[5] <= '4')
        return matrix_layout((uint32_t)(p[3] - '0'), (uint32_t)(p[5] - '0'), suffix_type(p[6]),
                             out);
    return false;
}

/* The N of array<T, N>: a literal or a const. Override-sized arrays have no fixed layout. */
static bool array_count(const scanner* s, size_t* pos, size_t end, uint32_t* count) {
    if (*pos >= end || !int_arg(s, *pos, *pos + 1, count) || *count == 0) return false;
    (*pos)++;
    return true;
}

/* array<T, N> and the runtime-sized array<T>, whose size here is one element's. */
static bool array_layout(scanner* s, size_t* pos, size_t end, int depth, layout* out) {
    layout elem;
    if (!template_open(s, pos, end) || !lay_type(s, pos, end, depth + 1, &elem) || elem.runtime)
        return false;
    size_t stride = round_up(elem.align, elem.size);
    uint32_t count = 0;
    if (*pos < end && is_punct(s, *pos, ',') && !is_punct(s, *pos + 1, '>')) {
        (*pos)++;
        if (!array_count(s, pos, end, &count)) return false;
    }
    if (!template_close(s, pos, end)) return false;
    if (count != 0 && stride > MAX_LAYOUT_SIZE / count) return false;
    *out = (layout){.kind = LAY_ARRAY, .align = elem.align,
                    .size = count ? stride * count : stride, .scalar = elem.scalar,
                    .components = elem.components, .runtime = count == 0,
                    .stride = count ? 0 : stride, .value = elem.value};
    if (elem.kind == LAY_STRUCT) {
        out->scalar = WR_DTYPE_INVALID;
        out->components = 0;
    }
    return true;
}

static bool named_layout(scanner* s, size_t index, int depth, layout* out);

static bool find_named_type(const scanner* s, size_t name, size_t* index) {
    for (size_t k = 0; k < s->ntypes; k++) {
        if (same_text(s, s->types[k].name, name)) {
            *index = k;
            return true;
        }
    }
    return false;
}

static bool builtin_template_layout(scanner* s, size_t name, size_t* pos, size_t end, int depth,
                                    layout* out) {
    const char* p = (const char*)s->src + s->toks[name].off;
    size_t n = s->toks[name].len;
    wr_dtype type;
    if (n == 4 && memcmp(p, "vec", 3) == 0 && p[3] >= '2' && p[3] <= '4')
        return scalar_arg(s, pos, end, depth, &type) &&
               vector_layout((uint32_t)(p[3] - '0'), type, out);
    if (n == 6 && memcmp(p, "mat", 3) == 0 && p[4] == 'x' && p[3] >= '2' && p[3] <= '4' &&
        p[5] >= '2' && p[5] <= '4')
        return scalar_arg(s, pos, end, depth, &type) &&
               matrix_layout((uint32_t)(p[3] - '0'), (uint32_t)(p[5] - '0'), type, out);
    if (text_is(s, name, "atomic")) {
        if (!scalar_arg(s, pos, end, depth, &type) ||
            (type != WR_DTYPE_I32 && type != WR_DTYPE_U32))
            return false;
        *out = (layout){.kind = LAY_ATOMIC, .align = 4, .size = 4, .scalar = type,
                        .components = 1,
                        .value = {.columns = 1, .column_stride = 4, .size = 4, .stride = 4}};
        return true;
    }
    if (text_is(s, name, "array")) return array_layout(s, pos, end, depth, out);
    return false;
}

/* Lays out the type starting at *pos (bounded by `end`) and moves *pos past it. */
static bool lay_type(scanner* s, size_t* pos, size_t end, int depth, layout* out) {
    if (depth > MAX_TYPE_DEPTH || *pos >= end || !is_ident(s, *pos)) return false;
    size_t name = (*pos)++;
    const char* p = (const char*)s->src + s->toks[name].off;
    size_t n = s->toks[name].len;
    char word[8];
    if (n < sizeof word) {
        memcpy(word, p, n);
        word[n] = '\0';
        wr_dtype scalar = wr_dtype_parse(word);
        if (scalar != WR_DTYPE_INVALID) return scalar_layout(scalar, out);
    }
    if (shorthand_layout(p, n, out)) return true;
    size_t index;
    if (find_named_type(s, name, &index)) return named_layout(s, index, depth, out);
    return builtin_template_layout(s, name, pos, end, depth, out);
}

/* A member's @align(n) and @size(n); other attributes (@location, @builtin, ...) are skipped. */
static bool member_attrs(scanner* s, size_t* pos, size_t end, size_t* align, size_t* size) {
    while (*pos < end && is_punct(s, *pos, '@')) {
        size_t name = *pos + 1;
        if (name >= end || !is_ident(s, name)) return false;
        *pos = name + 1;
        if (*pos >= end || !is_punct(s, *pos, '(')) continue;
        size_t after = skip_balanced(s, *pos, '(', ')');
        if (after > end) return false;
        uint32_t value = 0;
        bool is_align = text_is(s, name, "align"), is_size = text_is(s, name, "size");
        if ((is_align || is_size) && !int_arg(s, *pos + 1, after - 1, &value)) return false;
        if (is_align) *align = value;
        if (is_size) *size = value;
        *pos = after;
    }
    return true;
}

/* Running state of a struct layout: the end of the last member and the largest alignment. */
typedef struct struct_state {
    size_t end, align;
    size_t last_offset;
    layout last;
    bool any;
} struct_state;

/* One `[@align(a)] [@size(n)] name : T [,]` member. */
static bool struct_member(scanner* s, size_t* pos, size_t end, int depth, struct_state* st) {
    size_t align = 0, size = 0;
    layout m;
    if (!member_attrs(s, pos, end, &align, &size) || *pos + 1 >= end || !is_ident(s, *pos) ||
        !is_punct(s, *pos + 1, ':'))
        return false;
    *pos += 2;
    if (!lay_type(s, pos, end, depth + 1, &m)) return false;
    if (*pos < end && !is_punct(s, (*pos)++, ',')) return false;
    /* only the last member of the outermost struct may be runtime-sized */
    if ((st->any && st->last.runtime) || (m.runtime && (m.kind == LAY_STRUCT || size != 0)))
        return false;
    if (align == 0) align = m.align;
    if (size == 0) size = m.size;
    if (!is_pow2(align) || size < m.size) return false;
    size_t offset = round_up(align, st->end);
    if (offset > MAX_LAYOUT_SIZE || size > MAX_LAYOUT_SIZE - offset) return false;
    st->end = offset + size;
    st->last_offset = offset;
    if (align > st->align) st->align = align;
    st->last = m;
    st->any = true;
    return true;
}

static bool struct_layout(scanner* s, const named_type* t, int depth, layout* out) {
    struct_state st = {.end = 0, .align = 1};
    size_t pos = t->start;
    while (pos < t->end)
        if (!struct_member(s, &pos, t->end, depth, &st)) return false;
    if (!st.any) return false;
    /* With a runtime array last this is SizeOf with one element in the array, which WebGPU
     * takes as the minimum binding size: its offset plus one element, rounded up to the
     * struct's alignment like any struct size. */
    *out = (layout){.kind = LAY_STRUCT, .align = st.align, .size = round_up(st.align, st.end),
                    .scalar = WR_DTYPE_INVALID, .runtime = st.last.runtime,
                    .stride = st.last.runtime ? st.last.stride : 0,
                    .runtime_offset = st.last.runtime ? st.last_offset : 0};
    return out->size <= MAX_LAYOUT_SIZE;
}

static bool named_layout(scanner* s, size_t index, int depth, layout* out) {
    named_type* t = &s->types[index];
    if (t->state == MEMO_BUSY) return false; /* a type that contains itself */
    if (t->state == MEMO_NEW) {
        t->state = MEMO_BUSY;
        layout lay = {0};
        bool ok;
        if (t->is_struct) {
            ok = struct_layout(s, t, depth, &lay);
        } else {
            size_t pos = t->start;
            ok = lay_type(s, &pos, t->end, depth + 1, &lay) && pos == t->end;
        }
        /* s->types does not move during layout, so t is still valid */
        t->ok = ok;
        t->lay = lay;
        t->state = MEMO_DONE;
    }
    *out = t->lay;
    return t->ok;
}

/* ---------------------------------------------------------------- first pass: const, struct,
 * alias */

static wr_status add_named_type(scanner* s, size_t name, size_t start, size_t end, bool is_struct) {
    named_type* grown = grow(s->types, &s->types_cap, s->ntypes, sizeof *s->types);
    if (grown == NULL) return out_of_memory(s);
    s->types = grown;
    s->types[s->ntypes++] = (named_type){.name = name, .start = start, .end = end,
                                         .is_struct = is_struct};
    return WR_OK;
}

/* First token at or after i that cannot belong to a type or initializer. */
static size_t declaration_end(const scanner* s, size_t i) {
    while (i < s->ntok && !is_punct(s, i, ';') && !is_punct(s, i, '{') && !is_punct(s, i, '}') &&
           !is_punct(s, i, '@'))
        i++;
    return i;
}

/* `struct NAME { ... }`: remembers the body for layout on demand. */
static wr_status scan_struct(scanner* s, size_t* i) {
    size_t name = *i + 1;
    if (!is_ident(s, name) || !is_punct(s, name + 1, '{')) {
        *i += 1;
        return WR_OK;
    }
    size_t after = skip_balanced(s, name + 1, '{', '}');
    size_t close = is_punct(s, after - 1, '}') ? after - 1 : s->ntok;
    *i = after;
    return add_named_type(s, name, name + 2, close, true);
}

/* `alias NAME = TYPE;` */
static wr_status scan_alias(scanner* s, size_t* i) {
    size_t name = *i + 1;
    if (!is_ident(s, name) || !is_punct(s, name + 1, '=')) {
        *i += 1;
        return WR_OK;
    }
    *i = name + 1;
    return add_named_type(s, name, name + 2, declaration_end(s, name + 2), false);
}

/* `const NAME [: T] = [-]literal;` - other initializers are expressions the scanner leaves
 * to the compiler. */
static wr_status scan_const(scanner* s, size_t* i) {
    size_t name = *i + 1;
    *i += 1;
    if (!is_ident(s, name)) return WR_OK;
    *i = name + 1;
    size_t eq = name + 1;
    while (eq < s->ntok && !is_punct(s, eq, '=') && !is_punct(s, eq, ';') &&
           !is_punct(s, eq, '{') && !is_punct(s, eq, '}') && !is_punct(s, eq, '@'))
        eq++;
    if (!is_punct(s, eq, '=')) return WR_OK;
    size_t next;
    number num = parse_signed_number(s, eq + 1, &next);
    if (!num.ok || !is_punct(s, next, ';')) return WR_OK;
    wr_const_info c = {.value = num.value, .line = s->toks[name].line};
    wr_status status = copy_name(s, name, c.name);
    if (status != WR_OK) return status;
    wr_const_info* grown = grow(s->out->consts, &s->consts_cap, s->out->const_count, sizeof c);
    if (grown == NULL) return out_of_memory(s);
    s->out->consts = grown;
    s->out->consts[s->out->const_count++] = c;
    return WR_OK;
}

/* ---------------------------------------------------------------- attributes */

static wr_status check_index_attr(scanner* s, const attr_ref* ref, const char* what,
                                  uint32_t* value) {
    if (ref->args < ref->args_end && int_arg(s, ref->args, ref->args_end, value)) return WR_OK;
    uint32_t line, col;
    tok_pos(s, ref->args < ref->args_end ? ref->args : ref->at, &line, &col);
    return fail_at(s, line, col, "malformed @%s attribute: expected a non-negative integer", what);
}

/* `@name` or `@name(...)`; remembers the ones declarations need. In the second pass @group
 * and @binding are checked where they stand, consts being known by then. */
static wr_status scan_attr(scanner* s, size_t* i, attrs* a, bool check) {
    size_t at = *i, name = at + 1;
    if (!is_ident(s, name)) {
        *i = at + 1;
        return WR_OK;
    }
    attr_ref ref = {.present = true, .at = at};
    *i = name + 1;
    if (is_punct(s, name + 1, '(')) {
        size_t after = skip_balanced(s, name + 1, '(', ')');
        ref.args = name + 2;
        ref.args_end = is_punct(s, after - 1, ')') ? after - 1 : s->ntok;
        *i = after;
    }
    if (text_is(s, name, "group")) {
        a->group = ref;
        if (check) return check_index_attr(s, &ref, "group", &a->group_value);
    } else if (text_is(s, name, "binding")) {
        a->binding = ref;
        if (check) return check_index_attr(s, &ref, "binding", &a->binding_value);
    } else if (text_is(s, name, "compute")) {
        a->compute = ref;
    } else if (text_is(s, name, "workgroup_size")) {
        a->workgroup_size = ref;
    } else if (text_is(s, name, "id")) {
        a->id = ref;
    }
    return WR_OK;
}

/* ---------------------------------------------------------------- second pass: var */

/* `<space[, access]>` after `var`. */
static size_t var_template(const scanner* s, size_t i, wr_binding_info* b) {
    if (!is_punct(s, i, '<')) return i;
    if (is_word(s, i + 1, "storage")) b->space = WR_SPACE_STORAGE;
    if (is_word(s, i + 1, "uniform")) b->space = WR_SPACE_UNIFORM;
    if (is_punct(s, i + 2, ',')) {
        if (is_word(s, i + 3, "read_write")) b->access = WR_ACCESS_READ_WRITE;
        if (is_word(s, i + 3, "write")) b->access = WR_ACCESS_WRITE;
    }
    size_t k = i + 1;
    while (k < s->ntok && k < i + 6 && !is_punct(s, k, '>')) k++;
    return is_punct(s, k, '>') ? k + 1 : k;
}

/* The type as written, blanks dropped, a space after each separating comma; a type too long
 * for the field is cut short rather than rejected, since only the layout depends on it. */
static void type_text(const scanner* s, size_t a, size_t b, char* dst, size_t cap) {
    size_t used = 0;
    for (size_t k = a; k < b; k++) {
        const tok* t = &s->toks[k];
        size_t n = t->len < cap - 1 - used ? t->len : cap - 1 - used;
        memcpy(dst + used, s->src + t->off, n);
        used += n;
        if (is_punct(s, k, ',') && k + 1 < b && !is_punct(s, k + 1, '>') && used < cap - 1)
            dst[used++] = ' ';
    }
    dst[used] = '\0';
    /* a NUL inside the source would end the text early; that is harmless */
}

static void binding_layout(scanner* s, size_t a, size_t b, wr_binding_info* info) {
    layout lay;
    size_t pos = a;
    if (a >= b || !lay_type(s, &pos, b, 0, &lay) || pos != b) return;
    info->scalar_type = lay.kind == LAY_STRUCT ? WR_DTYPE_INVALID : lay.scalar;
    info->components = lay.kind == LAY_STRUCT ? 0 : lay.components;
    info->runtime_array = lay.runtime;
    info->min_size = lay.size;
    info->element_stride = lay.runtime ? lay.stride : 0;
    info->runtime_offset = lay.runtime ? lay.runtime_offset : 0;
    info->columns = lay.value.columns;
    info->column_stride = lay.value.column_stride;
    info->value_size = lay.value.size;
    info->value_stride = lay.value.stride;
}

/* ---------------------------------------------------------------- second pass: textures */

/* The T of texture_2d<T>. */
static wr_dtype sampled_type(const scanner* s, size_t i) {
    if (is_word(s, i, "f32")) return WR_DTYPE_F32;
    if (is_word(s, i, "u32")) return WR_DTYPE_U32;
    if (is_word(s, i, "i32")) return WR_DTYPE_I32;
    return WR_DTYPE_INVALID;
}

static wr_access storage_texture_access(const scanner* s, size_t i) {
    if (is_word(s, i, "read_write")) return WR_ACCESS_READ_WRITE;
    if (is_word(s, i, "write")) return WR_ACCESS_WRITE;
    return WR_ACCESS_READ;
}

/* `texture_storage_2d<FORMAT, ACCESS>`; a format wgslrun has no texture for stays INVALID. */
static void storage_texture_type(const scanner* s, size_t a, size_t b, wr_binding_info* info) {
    info->resource = WR_RESOURCE_STORAGE_TEXTURE;
    bool closed = is_punct(s, a + 5, '>') || (is_punct(s, a + 5, ',') && is_punct(s, a + 6, '>'));
    if (b < a + 6 || !is_punct(s, a + 1, '<') || !is_ident(s, a + 2) || !is_punct(s, a + 3, ',') || !closed)
        return;
    char format[16];
    const tok* t = &s->toks[a + 2];
    if (t->len < sizeof format) {
        memcpy(format, s->src + t->off, t->len);
        format[t->len] = '\0';
        info->texture_format = wr_texture_format_parse(format);
    }
    info->access = storage_texture_access(s, a + 4);
    info->scalar_type = wr_texture_format_sample_type(info->texture_format);
}

/* Textures and samplers in the type at [a, b). Only the 2D forms are bound; other textures
 * (3d, arrays, depth, multisampled, external) and comparison samplers are marked OTHER so that
 * dispatch can say so. */
static void resource_type(const scanner* s, size_t a, size_t b, wr_binding_info* info) {
    if (a >= b || !is_ident(s, a)) return;
    const tok* t = &s->toks[a];
    const char* p = (const char*)s->src + t->off;
    if (is_word(s, a, "sampler") && b == a + 1) {
        info->resource = WR_RESOURCE_SAMPLER;
    } else if (is_word(s, a, "texture_storage_2d")) {
        storage_texture_type(s, a, b, info);
    } else if (is_word(s, a, "texture_2d") && b == a + 4 && is_punct(s, a + 1, '<') && is_punct(s, a + 3, '>') &&
               sampled_type(s, a + 2) != WR_DTYPE_INVALID) {
        info->resource = WR_RESOURCE_SAMPLED_TEXTURE;
        info->scalar_type = sampled_type(s, a + 2);
    } else if ((t->len >= 7 && memcmp(p, "texture", 7) == 0) || (t->len >= 7 && memcmp(p, "sampler", 7) == 0)) {
        info->resource = WR_RESOURCE_OTHER;
    }
}

static wr_status check_binding_pair(scanner* s, size_t var, size_t name, const attrs* a) {
    if (a->group.present == a->binding.present) return WR_OK;
    return fail_at(s, s->toks[var].line, s->toks[var].col, "'%.*s' has @%s but no @%s",
                   (int)s->toks[name].len, (const char*)s->src + s->toks[name].off,
                   a->group.present ? "group" : "binding", a->group.present ? "binding" : "group");
}

static wr_status add_binding(scanner* s, const wr_binding_info* b) {
    wr_binding_info* grown =
        grow(s->out->bindings, &s->bindings_cap, s->out->binding_count, sizeof *b);
    if (grown == NULL) return out_of_memory(s);
    s->out->bindings = grown;
    s->out->bindings[s->out->binding_count++] = *b;
    return WR_OK;
}

/* `[@group(g) @binding(b)] var[<space[, access]>] NAME [: TYPE] ...`; vars without binding
 * attributes (private, workgroup) are not resources and are passed over. Two resources may
 * share a @group/@binding as long as no entry point reaches both (WGSL checks the binding
 * interface per entry point), so conflicts are checked per entry point, not here. */
static wr_status scan_var(scanner* s, size_t* i, const attrs* a) {
    size_t var = *i;
    wr_binding_info b = {.group = a->group_value, .binding = a->binding_value,
                         .line = s->toks[var].line};
    size_t name = var_template(s, var + 1, &b);
    *i = name;
    if (!is_ident(s, name)) return WR_OK;
    *i = name + 1;
    if (!a->group.present && !a->binding.present) return WR_OK;
    wr_status status = check_binding_pair(s, var, name, a);
    if (status == WR_OK) status = copy_name(s, name, b.name);
    if (status != WR_OK) return status;
    if (is_punct(s, name + 1, ':')) {
        size_t end = declaration_end(s, name + 2);
        size_t eq = name + 2;
        while (eq < end && !is_punct(s, eq, '=')) eq++;
        type_text(s, name + 2, eq, b.type_text, sizeof b.type_text);
        binding_layout(s, name + 2, eq, &b);
        resource_type(s, name + 2, eq, &b);
        *i = eq;
    }
    return add_binding(s, &b);
}

/* ---------------------------------------------------------------- second pass: override */

static wr_dtype override_type(const scanner* s, size_t i) {
    if (is_word(s, i, "f32")) return WR_DTYPE_F32;
    if (is_word(s, i, "f16")) return WR_DTYPE_F16;
    if (is_word(s, i, "i32")) return WR_DTYPE_I32;
    if (is_word(s, i, "u32")) return WR_DTYPE_U32;
    return WR_DTYPE_INVALID;
}

/* A literal initializer: numeric (whose suffix, or abstract kind, gives the type when none is
 * written) or boolean. */
static void override_default(const scanner* s, size_t i, bool typed, wr_override_info* o) {
    if ((is_word(s, i, "true") || is_word(s, i, "false")) && is_punct(s, i + 1, ';')) {
        o->has_default = true;
        o->default_value = is_word(s, i, "true") ? 1.0 : 0.0;
        return;
    }
    size_t next;
    number num = parse_signed_number(s, i, &next);
    if (!num.ok || !is_punct(s, next, ';')) return;
    o->has_default = true;
    o->default_value = num.value;
    if (typed) return;
    if (num.suffix != WR_DTYPE_INVALID) {
        o->type = num.suffix;
    } else {
        o->type = num.is_float ? WR_DTYPE_F32 : WR_DTYPE_I32;
    }
}

/* `[@id(n)] override NAME [: T] [= literal];`. An id the scanner cannot evaluate (an
 * expression) leaves has_id false; the compiler judges the attribute. */
static wr_status scan_override(scanner* s, size_t* i, const attrs* a) {
    size_t name = *i + 1;
    *i += 1;
    if (!is_ident(s, name)) return WR_OK;
    *i = name + 1;
    wr_override_info o = {.line = s->toks[name].line};
    o.has_id = a->id.present && a->id.args < a->id.args_end &&
               int_arg(s, a->id.args, a->id.args_end, &o.id);
    wr_status status = copy_name(s, name, o.name);
    if (status != WR_OK) return status;
    size_t k = name + 1;
    bool typed = is_punct(s, k, ':') && is_ident(s, k + 1);
    if (typed) {
        o.type = override_type(s, k + 1);
        k += 2;
    }
    if (is_punct(s, k, '=')) override_default(s, k + 1, typed, &o);
    wr_override_info* grown =
        grow(s->out->overrides, &s->overrides_cap, s->out->override_count, sizeof o);
    if (grown == NULL) return out_of_memory(s);
    s->out->overrides = grown;
    s->out->overrides[s->out->override_count++] = o;
    return WR_OK;
}

/* ---------------------------------------------------------------- second pass: entry points */

/* One @workgroup_size dimension in [a, b): a literal, a const (resolved here) or an override
 * (kept by name). Expressions leave the size 0 and the name empty: unknown. */
static wr_status workgroup_dim(scanner* s, size_t a, size_t b, wr_entry_info* e, int d) {
    e->workgroup_size[d] = 0;
    if (b != a + 1) return WR_OK;
    if (is_ident(s, a)) {
        const wr_const_info* c = find_const(s, a);
        uint32_t value;
        if (c != NULL && double_to_u32(c->value, &value) && value > 0) {
            e->workgroup_size[d] = value;
            return WR_OK;
        }
        return copy_name(s, a, e->workgroup_size_name[d]);
    }
    number num = parse_number(s, a);
    if (num.ok && !num.is_float && num.integer <= UINT32_MAX)
        e->workgroup_size[d] = (uint32_t)num.integer;
    return WR_OK;
}

static wr_status workgroup_dims(scanner* s, const attr_ref* ref, wr_entry_info* e) {
    size_t start = ref->args;
    int d = 0;
    size_t depth = 0;
    for (size_t k = ref->args; k <= ref->args_end && d < 3; k++) {
        bool at_end = k == ref->args_end;
        if (!at_end && (is_punct(s, k, '(') || is_punct(s, k, '<'))) depth++;
        if (!at_end && (is_punct(s, k, ')') || is_punct(s, k, '>')) && depth > 0) depth--;
        if (!at_end && !(depth == 0 && is_punct(s, k, ','))) continue;
        if (k > start) {
            wr_status status = workgroup_dim(s, start, k, e, d++);
            if (status != WR_OK) return status;
        }
        start = k + 1;
    }
    return WR_OK;
}

/* `@compute @workgroup_size(...) fn NAME(`; other functions are not entry points we run. */
static wr_status scan_fn(scanner* s, size_t* i, const attrs* a) {
    size_t name = *i + 1;
    *i += 1;
    if (!is_ident(s, name) || !a->compute.present) return WR_OK;
    *i = name + 1;
    wr_entry_info e = {.workgroup_size = {1, 1, 1}, .line = s->toks[name].line};
    wr_status status = copy_name(s, name, e.name);
    if (status != WR_OK) return status;
    if (!a->workgroup_size.present)
        return fail_at(s, s->toks[name].line, s->toks[name].col,
                       "@compute entry point '%s' has no @workgroup_size", e.name);
    status = workgroup_dims(s, &a->workgroup_size, &e);
    if (status != WR_OK) return status;
    wr_entry_info* grown = grow(s->out->entries, &s->entries_cap, s->out->entry_count, sizeof e);
    if (grown == NULL) return out_of_memory(s);
    s->out->entries = grown;
    s->out->entries[s->out->entry_count++] = e;
    return WR_OK;
}

/* ---------------------------------------------------------------- module-scope walk */

static wr_status scan_keyword(scanner* s, size_t* i, const attrs* a, bool second) {
    if (!second) {
        if (is_word(s, *i, "const")) return scan_const(s, i);
        if (is_word(s, *i, "struct")) return scan_struct(s, i);
        if (is_word(s, *i, "alias")) return scan_alias(s, i);
    } else {
        if (is_word(s, *i, "var")) return scan_var(s, i, a);
        if (is_word(s, *i, "override")) return scan_override(s, i, a);
        if (is_word(s, *i, "fn")) return scan_fn(s, i, a);
    }
    *i += 1;
    return WR_OK;
}

/* Walks module scope: attributes accumulate until a declaration uses them, and every brace
 * block (function bodies, struct bodies) is skipped whole, so nothing inside a function is
 * taken for a module-scope declaration. */
static wr_status walk(scanner* s, bool second) {
    attrs a = {0};
    size_t i = 0;
    while (i < s->ntok) {
        wr_status status = WR_OK;
        if (is_punct(s, i, '@')) {
            status = scan_attr(s, &i, &a, second);
        } else if (is_punct(s, i, '{')) {
            i = skip_balanced(s, i, '{', '}');
            a = (attrs){0};
        } else {
            status = scan_keyword(s, &i, &a, second);
            a = (attrs){0};
        }
        if (status != WR_OK) return status;
    }
    return WR_OK;
}

/* ---------------------------------------------------------------- public API */

void wr_shader_info_free(wr_shader_info* info) {
    if (info == NULL) return;
    free(info->bindings);
    free(info->overrides);
    free(info->entries);
    free(info->consts);
    memset(info, 0, sizeof *info);
}

wr_status wr_wgsl_scan(const char* source, size_t length, const char* name, wr_shader_info* out,
                       wr_error* err) {
    if (out == NULL || (source == NULL && length > 0))
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT, "wr_wgsl_scan: %s is NULL",
                            out == NULL ? "out" : "source");
    memset(out, 0, sizeof *out);
    scanner s = {.src = (const unsigned char*)source, .length = length,
                 .name = name ? name : "<input>", .err = err, .out = out};
    wr_status status = tokenize(&s);
    if (status == WR_OK) status = walk(&s, false);
    if (status == WR_OK) status = walk(&s, true);
    free(s.toks);
    free(s.types);
    if (status != WR_OK) wr_shader_info_free(out);
    return status;
}

static bool all_digits(const char* p) {
    if (*p == '\0') return false;
    for (; *p; p++)
        if (!is_digit((unsigned char)*p)) return false;
    return true;
}

/* A number names a @binding index, preferring group 0 since most shaders use only that. */
const wr_binding_info* wr_shader_find_binding(const wr_shader_info* info, const char* name_or_index) {
    if (info == NULL || name_or_index == NULL) return NULL;
    if (all_digits(name_or_index)) {
        uint64_t index;
        if (!parse_integer(name_or_index, strlen(name_or_index), 10, &index) || index > UINT32_MAX)
            return NULL;
        for (size_t k = 0; k < info->binding_count; k++)
            if (info->bindings[k].group == 0 && info->bindings[k].binding == index)
                return &info->bindings[k];
        for (size_t k = 0; k < info->binding_count; k++)
            if (info->bindings[k].binding == index) return &info->bindings[k];
        return NULL;
    }
    for (size_t k = 0; k < info->binding_count; k++)
        if (strcmp(info->bindings[k].name, name_or_index) == 0) return &info->bindings[k];
    return NULL;
}

const wr_entry_info* wr_shader_find_entry(const wr_shader_info* info, const char* name) {
    if (info == NULL) return NULL;
    if (name == NULL) return info->entry_count == 1 ? &info->entries[0] : NULL;
    for (size_t k = 0; k < info->entry_count; k++)
        if (strcmp(info->entries[k].name, name) == 0) return &info->entries[k];
    return NULL;
}
