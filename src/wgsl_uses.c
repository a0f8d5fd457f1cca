/* Which bindings an entry point reaches: a token-level walk of function bodies, following
 * calls. A binding's name is a use unless it is a member access (`s.name`) or a local of that
 * name is in scope (a parameter, or a let/var/const from the end of its declaration to the end
 * of its block; a for-loop's from its declaration to the end of the loop). The walk errs
 * towards uses: WebGPU's automatic layout holds exactly the bindings the entry point reaches,
 * and a name the walk cannot place counts as one. */
#include "wgsl_uses.h"

#include <stdlib.h>
#include <string.h>

typedef struct token {
    size_t start, length;
} token;

typedef struct token_list {
    token* items;
    size_t count, capacity;
} token_list;

/* Non-ASCII bytes are identifier characters, as in the scanner: WGSL allows Unicode names. */
static bool is_ident_start(char c) {
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

static bool is_ident_char(char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9');
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

/* Identifiers, numbers (so `1.x` is not a member access of x) and the punctuation scopes
 * depend on, as tokens; everything else is dropped. */
static bool tokenize(const char* s, size_t n, token_list* out) {
    for (size_t i = 0; i < n;) {
        size_t after = skip_comment(s, n, i);
        if (after != i) {
            i = after;
            continue;
        }
        size_t start = i;
        if (is_ident_char(s[i])) {
            while (i < n && is_ident_char(s[i])) i++;
        } else if (strchr("{}().:;", s[i]) != NULL && s[i] != '\0') {
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

static bool same_token(const char* s, token a, token b) {
    return a.length == b.length && memcmp(s + a.start, s + b.start, a.length) == 0;
}

typedef struct function_body {
    token name;
    size_t header, first, end;   /* tokens after the name; the body, braces excluded */
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
        out[count++] = (function_body){tokens->items[i + 1], i + 2, open + 1, close};
        i = close;
    }
    return count;
}

#define WR_MAX_FUNCTIONS 512
/* Locals in scope at once; past this, further locals are not tracked (their names count as
 * uses, the safe side). */
#define WR_MAX_LOCALS 256

/* A local in scope: its name, and the brace depth whose closing '}' ends its scope. */
typedef struct local {
    token name;
    int ends_at;
} local;

typedef struct scope {
    local items[WR_MAX_LOCALS];
    size_t count;
    /* a declaration seen, its scope starting at the ';' that ends it (its initializer still
     * sees the outer name) */
    bool pending;
    local next;
    int depth, parens;
} scope;

static void scope_push(scope* sc, local l) {
    if (sc->count < WR_MAX_LOCALS) sc->items[sc->count++] = l;
}

static bool scope_hides(const char* s, const scope* sc, token t) {
    for (size_t i = 0; i < sc->count; i++)
        if (same_token(s, sc->items[i].name, t)) return true;
    return false;
}

/* The parameters `name : type` of the header in [a, b): in scope for the whole body. */
static void add_parameters(const char* s, const token_list* tokens, size_t a, size_t b, scope* sc) {
    int parens = 0;
    for (size_t t = a; t < b && t < tokens->count; t++) {
        token tok = tokens->items[t];
        if (token_is(s, tok, "(")) parens++;
        else if (token_is(s, tok, ")")) parens--;
        else if (parens == 1 && t + 1 < b && token_is(s, tokens->items[t + 1], ":"))
            scope_push(sc, (local){tok, -1});
    }
}

/* Updates the scope for token t; true when t is the name a declaration introduces. */
static bool track_scope(const char* s, const token_list* tokens, size_t t, size_t end, scope* sc) {
    token tok = tokens->items[t];
    if (token_is(s, tok, "{")) {
        sc->depth++;
    } else if (token_is(s, tok, "}")) {
        sc->depth--;
        while (sc->count > 0 && sc->items[sc->count - 1].ends_at >= sc->depth + 1) sc->count--;
    } else if (token_is(s, tok, "(")) {
        sc->parens++;
    } else if (token_is(s, tok, ")")) {
        sc->parens--;
    } else if (token_is(s, tok, ";") && sc->pending) {
        sc->pending = false;
        scope_push(sc, sc->next);
    } else if (token_is(s, tok, "let") || token_is(s, tok, "var") || token_is(s, tok, "const")) {
        size_t name = t + 1;
        if (name < end && token_is(s, tokens->items[name], "function")) name++;
        if (name >= end || !is_ident_start(s[tokens->items[name].start])) return false;
        /* in a for-loop's parentheses the local lives until the loop body closes */
        sc->next = (local){tokens->items[name], sc->parens > 0 ? sc->depth + 1 : sc->depth};
        sc->pending = true;
    }
    return t > 0 && sc->pending && same_token(s, tok, sc->next.name) &&
           (token_is(s, tokens->items[t - 1], "let") || token_is(s, tokens->items[t - 1], "var") ||
            token_is(s, tokens->items[t - 1], "const") || token_is(s, tokens->items[t - 1], "function"));
}

typedef struct walk {
    const char* s;
    const token_list* tokens;
    const function_body* fns;
    size_t fn_count;
    bool* visited;
    const wr_shader_info* info;
    bool* used;
    scope* scopes;     /* one per recursion level, reused */
} walk;

static void visit(walk* w, size_t f, size_t level) {
    if (w->visited[f] || level >= w->fn_count) return;
    w->visited[f] = true;
    scope* sc = &w->scopes[level];
    memset(sc, 0, sizeof *sc);
    add_parameters(w->s, w->tokens, w->fns[f].header, w->fns[f].first - 1, sc);
    for (size_t t = w->fns[f].first; t < w->fns[f].end && t < w->tokens->count; t++) {
        token tok = w->tokens->items[t];
        if (track_scope(w->s, w->tokens, t, w->fns[f].end, sc)) continue;
        if (!is_ident_start(w->s[tok.start])) continue;
        bool member = t > 0 && token_is(w->s, w->tokens->items[t - 1], ".");
        if (member) continue;
        bool hidden = scope_hides(w->s, sc, tok);
        for (size_t b = 0; b < w->info->binding_count && !hidden; b++)
            if (token_is(w->s, tok, w->info->bindings[b].name)) w->used[b] = true;
        for (size_t g = 0; g < w->fn_count; g++)
            if (same_token(w->s, tok, w->fns[g].name)) visit(w, g, level + 1);
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
    /* a scope per call level: the deepest chain visits each function once */
    scope* scopes = ok && i < fn_count ? calloc(fn_count, sizeof *scopes) : NULL;
    if (scopes != NULL) {
        walk w = {source, &tokens, fns, fn_count, visited, info, used, scopes};
        visit(&w, i, 0);
    } else {
        /* Without a body to follow, assume every binding is used: the layout check then
         * errs on the side of asking for a binding. */
        for (size_t b = 0; b < info->binding_count; b++) used[b] = true;
    }
    free(scopes);
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
