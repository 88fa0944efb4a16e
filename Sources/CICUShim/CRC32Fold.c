// CRC-32 (the reflected IEEE polynomial 0xEDB88320 of zlib, gzip and PNG) folded 64 bytes at
// a time with the CPU's carry-less multiply (PCLMULQDQ), after Intel's "Fast CRC Computation
// for Generic Polynomials Using PCLMULQDQ Instruction" (2009). See CICUShim.h.
#include "CICUShim.h"

#if defined(__x86_64__)
#include <immintrin.h>

int cshim_crc32_fold_available(void) {
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

// Folding constants for the reflected polynomial: x^(4*128+32) and x^(4*128-32) mod P for
// the 512-bit fold, x^(128+32) and x^(128-32) mod P for the 128-bit fold, x^64 mod P for
// the last 64 bits, then P and floor(x^64 / P) (bit-reflected) for the Barrett reduction.
__attribute__((target("pclmul,sse4.1")))
uint32_t cshim_crc32_fold(uint32_t crc, const uint8_t *_Nonnull bytes, uint64_t count) {
  const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124);
  const __m128i poly = _mm_set_epi64x(0x1f7011641, 0x1db710641);
  const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);

  __m128i x1 = _mm_loadu_si128((const __m128i *)bytes);
  __m128i x2 = _mm_loadu_si128((const __m128i *)(bytes + 16));
  __m128i x3 = _mm_loadu_si128((const __m128i *)(bytes + 32));
  __m128i x4 = _mm_loadu_si128((const __m128i *)(bytes + 48));
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
  bytes += 64;
  count -= 64;

  // Four lanes of 128 bits, each folded 512 bits forward onto the next 64 bytes.
  while (count >= 64) {
    __m128i h1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
    __m128i h2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
    __m128i h3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
    __m128i h4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k1k2, 0x00), h1);
    x2 = _mm_xor_si128(_mm_clmulepi64_si128(x2, k1k2, 0x00), h2);
    x3 = _mm_xor_si128(_mm_clmulepi64_si128(x3, k1k2, 0x00), h3);
    x4 = _mm_xor_si128(_mm_clmulepi64_si128(x4, k1k2, 0x00), h4);
    x1 = _mm_xor_si128(x1, _mm_loadu_si128((const __m128i *)bytes));
    x2 = _mm_xor_si128(x2, _mm_loadu_si128((const __m128i *)(bytes + 16)));
    x3 = _mm_xor_si128(x3, _mm_loadu_si128((const __m128i *)(bytes + 32)));
    x4 = _mm_xor_si128(x4, _mm_loadu_si128((const __m128i *)(bytes + 48)));
    bytes += 64;
    count -= 64;
  }

  // The four lanes folded into one, then the remaining 16-byte blocks onto it.
  __m128i h;
  h = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x00), h), x2);
  h = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x00), h), x3);
  h = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x00), h), x4);
  while (count >= 16) {
    h = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x00), h);
    x1 = _mm_xor_si128(x1, _mm_loadu_si128((const __m128i *)bytes));
    bytes += 16;
    count -= 16;
  }

  // 128 bits to 64: the low half times x^64 mod P onto the high half (adding 32 zero bits).
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(k3k4, x1, 0x01), _mm_srli_si128(x1, 8));
  // 64 bits to 32 + 32.
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5, 0x00), x2);
  // Barrett reduction to the 32-bit remainder.
  x2 = x1;
  x1 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10);
  x1 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return (uint32_t)_mm_extract_epi32(x1, 1);
}

#else

int cshim_crc32_fold_available(void) { return 0; }

uint32_t cshim_crc32_fold(uint32_t crc, const uint8_t *_Nonnull bytes, uint64_t count) {
  (void)bytes;
  (void)count;
  return crc;
}

#endif
