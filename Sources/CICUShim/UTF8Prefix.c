// cshim_utf8_valid_prefix: how much of a byte string is well-formed UTF-8, 32 bytes at a time
// with AVX2 where the CPU has it (see CICUShim.h). The checks are the lookup algorithm of
// Keiser and Lemire, "Validating UTF-8 in less than one instruction per byte" (2021): three
// 16-entry tables, indexed by the high and low nibbles of each byte's predecessor and the
// high nibble of the byte, flag every error of a two-byte window; a byte that must be the
// third or fourth of a sequence is checked against its predecessors two and three back.
#include "CICUShim.h"

#include <stdint.h>

/// Steps back from `offset` to the start of the sequence the byte there belongs to (past at
/// most three continuation bytes: a longer run is no sequence, and the caller's check finds
/// that).
static int64_t sequence_start(const uint8_t *bytes, int64_t offset) {
  int64_t start = offset;
  while (start > 0 && offset - start < 3 && (bytes[start] & 0xC0) == 0x80) start--;
  return start;
}

#if defined(__x86_64__)
#include <immintrin.h>

// Error flags of a two-byte window (the byte before, the byte).
#define TOO_SHORT (1 << 0)       // a lead not followed by a continuation
#define TOO_LONG (1 << 1)        // ASCII followed by a continuation
#define OVERLONG_3 (1 << 2)      // E0 80..9F
#define TOO_LARGE (1 << 3)       // F4 90..BF, or F5..FF
#define SURROGATE (1 << 4)       // ED A0..BF
#define OVERLONG_2 (1 << 5)      // C0, C1
#define TOO_LARGE_1000 (1 << 6)  // F5..FF 80..8F
#define OVERLONG_4 (1 << 6)      // F0 80..8F
#define TWO_CONTS (1 << 7)       // two continuations: right only inside a 3- or 4-byte sequence
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)
// A table entry (flags up to 0xFF) as the signed char the intrinsics take.
#define B(flags) ((char)(flags))

__attribute__((target("avx2")))
static inline __m256i table16(__m256i table, __m256i nibbles) { return _mm256_shuffle_epi8(table, nibbles); }

__attribute__((target("avx2")))
static inline __m256i previous(__m256i input, __m256i before, int n) {
  // The 32 bytes ending n bytes before the end of `input` (the last n of `before` first).
  __m256i joined = _mm256_permute2x128_si256(before, input, 0x21);
  switch (n) {
  case 1: return _mm256_alignr_epi8(input, joined, 15);
  case 2: return _mm256_alignr_epi8(input, joined, 14);
  default: return _mm256_alignr_epi8(input, joined, 13);
  }
}

__attribute__((target("avx2")))
static int64_t valid_prefix_avx2(const uint8_t *bytes, int64_t count) {
  const __m256i byte1_high = _mm256_setr_epi8(
    B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG),
    B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TOO_SHORT | OVERLONG_2), B(TOO_SHORT),
    B(TOO_SHORT | OVERLONG_3 | SURROGATE), B(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4),
    B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG),
    B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TOO_SHORT | OVERLONG_2), B(TOO_SHORT),
    B(TOO_SHORT | OVERLONG_3 | SURROGATE), B(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
  const __m256i byte1_low = _mm256_setr_epi8(
    B(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), B(CARRY | OVERLONG_2), B(CARRY), B(CARRY), B(CARRY | TOO_LARGE),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), B(CARRY | OVERLONG_2), B(CARRY), B(CARRY), B(CARRY | TOO_LARGE),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000));
  const __m256i byte2_high = _mm256_setr_epi8(
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT));
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  const __m256i third_byte = _mm256_set1_epi8((char)(0xE0 - 0x80));
  const __m256i fourth_byte = _mm256_set1_epi8((char)(0xF0 - 0x80));
  const __m256i high_bit = _mm256_set1_epi8(B(0x80));
  __m256i before = _mm256_setzero_si256();
  int64_t i = 0;
  for (; i + 32 <= count; i += 32) {
    __m256i input = _mm256_loadu_si256((const __m256i *)(bytes + i));
    __m256i prev1 = previous(input, before, 1);
    __m256i special = _mm256_and_si256(
      _mm256_and_si256(
        table16(byte1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble)),
        table16(byte1_low, _mm256_and_si256(prev1, low_nibble))),
      table16(byte2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble)));
    __m256i must23 = _mm256_or_si256(
      _mm256_subs_epu8(previous(input, before, 2), third_byte), _mm256_subs_epu8(previous(input, before, 3), fourth_byte));
    __m256i error = _mm256_xor_si256(_mm256_and_si256(must23, high_bit), special);
    // A block in error: the error may come from the sequence the block before ends with.
    if (!_mm256_testz_si256(error, error)) break;
    before = input;
  }
  // Every sequence before the one the last checked byte belongs to is whole and sound (its
  // bytes and the byte after them were checked); that one may be cut off by the end of the
  // checked bytes, or be where the error is: it is the caller's to check, and the rest.
  return i == 0 ? 0 : sequence_start(bytes, i - 1);
}

int64_t cshim_utf8_valid_prefix(const uint8_t *_Nonnull bytes, int64_t count) {
  if (count < 32 || !__builtin_cpu_supports("avx2")) return 0;
  return valid_prefix_avx2(bytes, count);
}
#else
int64_t cshim_utf8_valid_prefix(const uint8_t *_Nonnull bytes, int64_t count) {
  (void)bytes;
  (void)count;
  return 0;
}
#endif
