// cshim_nonzero_indices: the indices of the nonzero counters of an array, eight at a time
// with AVX2 where the CPU has it (see CICUShim.h).
#include "CICUShim.h"

#include <stdint.h>

/// The portable way: one counter a step, without a branch.
static int64_t nonzero_scalar(const uint32_t *counters, int64_t start, int64_t count, uint32_t *out, int64_t written) {
  for (int64_t i = start; i < count; i++) {
    out[written] = (uint32_t)i;
    written += counters[i] != 0;
  }
  return written;
}

#if defined(__x86_64__)
#include <immintrin.h>
#include <pthread.h>

// For each 8-bit mask of nonzero lanes, the indices of its set bits packed into the low
// bytes (the permutation that moves those lanes first).
static uint64_t compress_table[256];
static pthread_once_t compress_table_once = PTHREAD_ONCE_INIT;

static void build_compress_table(void) {
  for (int mask = 0; mask < 256; mask++) {
    uint64_t packed = 0;
    int n = 0;
    for (int lane = 0; lane < 8; lane++) {
      if (mask & (1 << lane)) packed |= (uint64_t)lane << (8 * n++);
    }
    compress_table[mask] = packed;
  }
}

__attribute__((target("avx2,popcnt")))
static int64_t nonzero_avx2(const uint32_t *counters, int64_t count, uint32_t *out) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i eight = _mm256_set1_epi32(8);
  __m256i indices = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  int64_t written = 0;
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    __m256i values = _mm256_loadu_si256((const __m256i *)(counters + i));
    int zeros = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(values, zero)));
    int mask = ~zeros & 0xFF;
    __m256i permutation = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)&compress_table[mask]));
    // All eight lanes are stored; only the first popcount(mask) count (the rest are
    // overwritten by the next step or lie past the result): written + 8 <= i + 8 <= count.
    _mm256_storeu_si256((__m256i *)(out + written), _mm256_permutevar8x32_epi32(indices, permutation));
    written += __builtin_popcount((unsigned)mask);
    indices = _mm256_add_epi32(indices, eight);
  }
  return nonzero_scalar(counters, i, count, out, written);
}

int64_t cshim_nonzero_indices(const uint32_t *_Nonnull counters, int64_t count, uint32_t *_Nonnull out) {
  if (!__builtin_cpu_supports("avx2")) return nonzero_scalar(counters, 0, count, out, 0);
  pthread_once(&compress_table_once, build_compress_table);
  return nonzero_avx2(counters, count, out);
}
#else
int64_t cshim_nonzero_indices(const uint32_t *_Nonnull counters, int64_t count, uint32_t *_Nonnull out) {
  return nonzero_scalar(counters, 0, count, out, 0);
}
#endif
