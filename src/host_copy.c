/* Multi-threaded host copies (host_copy.h says why). Threads are started per copy rather
 * than pooled: a staging chunk is megabytes, so the ~20 us a thread costs to start is small
 * against its share, and there is no pool to shut down. */
#include "host_copy.h"

#include <stdbool.h>
#include <string.h>

/* Below this many bytes per thread, another thread costs more than it saves. */
#define WR_COPY_MIN_PER_THREAD ((size_t)512 << 10)
#define WR_COPY_MAX_THREADS 16u
#define WR_COPY_DEFAULT_THREADS 8u

#if defined(__wasm__) || defined(WGSLRUN_NO_THREADS)

uint32_t wr_host_copy_threads(uint32_t requested) {
    (void)requested;
    return 1;
}

void wr_host_copy(void* dst, const void* src, size_t size, uint32_t threads) {
    (void)threads;
    memcpy(dst, src, size);
}

#else

#include <pthread.h>

typedef struct copy_part {
    unsigned char* dst;
    const unsigned char* src;
    size_t size;
} copy_part;

static void* copy_part_run(void* arg) {
    copy_part* part = arg;
    memcpy(part->dst, part->src, part->size);
    return NULL;
}

uint32_t wr_host_copy_threads(uint32_t requested) {
    if (requested == 0) return WR_COPY_DEFAULT_THREADS;
    return requested > WR_COPY_MAX_THREADS ? WR_COPY_MAX_THREADS : requested;
}

void wr_host_copy(void* dst, const void* src, size_t size, uint32_t threads) {
    size_t useful = size / WR_COPY_MIN_PER_THREAD;
    uint32_t n = threads < useful ? threads : (uint32_t)(useful ? useful : 1);
    if (n <= 1) {
        memcpy(dst, src, size);
        return;
    }
    copy_part parts[WR_COPY_MAX_THREADS];
    pthread_t ids[WR_COPY_MAX_THREADS];
    bool started[WR_COPY_MAX_THREADS] = {false};
    /* Parts on 4 KiB boundaries, so no two threads write the same cache line or page. */
    size_t step = (size / n + 4095) & ~(size_t)4095;
    for (uint32_t i = 0; i < n; i++) {
        size_t begin = (size_t)i * step < size ? (size_t)i * step : size;
        size_t end = begin + step < size && i + 1 < n ? begin + step : size;
        parts[i] = (copy_part){(unsigned char*)dst + begin, (const unsigned char*)src + begin, end - begin};
    }
    for (uint32_t i = 1; i < n; i++)
        started[i] = pthread_create(&ids[i], NULL, copy_part_run, &parts[i]) == 0;
    copy_part_run(&parts[0]);
    for (uint32_t i = 1; i < n; i++) {
        if (started[i]) pthread_join(ids[i], NULL);
        else copy_part_run(&parts[i]); /* no thread to spare: copy it here */
    }
}

#endif
