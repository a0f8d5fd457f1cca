/* Which bindings an entry point reaches: a token-level walk of function bodies, following
 * calls. A name counts as a use wherever it appears, so shadowing can only add bindings. */
#include "wgsl_uses.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct token {
    size_t start, length;
} token;

typedef struct token_list {
    token* items;
    size_t count, capacity;
} token_list;

static bool is_ident_start(char c) {
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident_char(char c) {
    return isalnum((unsigned char)c) || c == '_';
}

static size_t skip_comment(const char* s, size_t n, size_t i) {
    if (i + 1 >= n || s[i] != '/') return i;
    if (s[i + 1] == '/') {
        while (i < n && s[i] != '\n') i++;
        return i;
    }
    if (s[i + 1] != '*') return i;
    int depth = 0;
    while (i < n) {
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') depth++, i += 2;
        else if (i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
            i += 2;
            if (--depth == 0) return i;
        } else i++;
    }
    return n;
}

/* Identifiers and the braces, as tokens; everything else is dropped. */
static bool tokenize(const char* s, size_t n, token_list* out) {
    for (size_t i = 0; i < n;) {
        size_t after = skip_comment(s, n, i);
        if (after != i) {
            i = after;
            continue;
        }
        size_t start = i;
        if (is_ident_start(s[i])) {
            while (i < n && is_ident_char(s[i])) i++;
        } else if (s[i] == '{' || s[i] == '}') {
            i++;
        } else {
            i++;
            continue;
        }
        if (out->count == out->capacity) {
            size_t capacity = out->capacity ? out->capacity * 2 : 256;
            token* grown = realloc(out->items, capacity * sizeof *grown);
            if (grown == NULL) return false;
            out->items = grown;
            out->capacity = capacity;
        }
        out->items[out->count++] = (token){start, i - start};
    }
    return true;
}

static bool token_is(const char* s, token t, const char* word) {
    return strlen(word) == t.length && memcmp(s + t.start, word, t.length) == 0;
}

typedef struct function_body {
    token name;
    size_t first, end;   /* token range of the body, braces excluded */
} function_body;

static size_t find_functions(const char* s, const token_list* tokens, function_body* out, size_t capacity) {
    size_t count = 0;
    for (size_t i = 0; i + 1 < tokens->count && count < capacity; i++) {
        if (!token_is(s, tokens->items[i], "fn")) continue;
        size_t open = i + 2;
        while (open < tokens->count && !token_is(s, tokens->items[open], "{")) open++;
        int depth = 0;
        size_t close = open;
        for (; close < tokens->count; close++) {
            if (token_is(s, tokens->items[close], "{")) depth++;
            else if (token_is(s, tokens->items[close], "}") && --depth == 0) break;
        }
        out[count++] = (function_body){tokens->items[i + 1], open + 1, close};
        i = close;
    }
    return count;
}

#define WR_MAX_FUNCTIONS 512

static void visit(const char* s, const token_list* tokens, const function_body* fns, size_t fn_count,
                  size_t f, bool* visited, const wr_shader_info* info, bool* used) {
    if (visited[f]) return;
    visited[f] = true;
    for (size_t t = fns[f].first; t < fns[f].end && t < tokens->count; t++) {
        token tok = tokens->items[t];
        for (size_t b = 0; b < info->binding_count; b++)
            if (token_is(s, tok, info->bindings[b].name)) used[b] = true;
        for (size_t g = 0; g < fn_count; g++)
            if (tok.length == fns[g].name.length &&
                memcmp(s + tok.start, s + fns[g].name.start, tok.length) == 0)
                visit(s, tokens, fns, fn_count, g, visited, info, used);
    }
}

void wr_wgsl_mark_used_bindings(const char* source, size_t length, const wr_shader_info* info,
                                const char* entry, bool* used) {
    token_list tokens = {0};
    function_body* fns = calloc(WR_MAX_FUNCTIONS, sizeof *fns);
    bool* visited = calloc(WR_MAX_FUNCTIONS, sizeof *visited);
    bool ok = fns && visited && tokenize(source, length, &tokens);
    size_t fn_count = ok ? find_functions(source, &tokens, fns, WR_MAX_FUNCTIONS) : 0;
    size_t i = 0;
    while (i < fn_count && !token_is(source, fns[i].name, entry)) i++;
    if (ok && i < fn_count) {
        visit(source, &tokens, fns, fn_count, i, visited, info, used);
    } else {
        /* Without a body to follow, assume every binding is used: the layout check then
         * errs on the side of asking for a binding. */
        for (size_t b = 0; b < info->binding_count; b++) used[b] = true;
    }
    free(tokens.items);
    free(fns);
    free(visited);
}

bool wr_wgsl_find_binding_conflict(const wr_shader_info* info, const bool* used, size_t* first,
                                   size_t* second) {
    for (size_t b = 0; b < info->binding_count; b++) {
        if (!used[b]) continue;
        for (size_t a = 0; a < b; a++) {
            const wr_binding_info* x = &info->bindings[a];
            if (used[a] && x->group == info->bindings[b].group && x->binding == info->bindings[b].binding) {
                *first = a;
                *second = b;
                return true;
            }
        }
    }
    return false;
}
