// CICUShim: the narrow C boundary between zhsearch and the system ICU (and, in
// CRC32Fold.c, the CPU's carry-less multiply for CRC-32).
//
// This header uses only <stdint.h> types and opaque handles, so Swift code that imports it
// never sees an ICU header (those clash with Foundation's bundled ICU). The .c file alone
// includes <unicode/*.h>, where ICU's versioned symbol names (ubrk_open_72, ...) expand.
#ifndef CICUSHIM_H
#define CICUSHIM_H

#include <stdint.h>
#if !defined(__x86_64__) && !defined(__aarch64__)
#include <time.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// A break iterator over UTF-8 text: script runs (rule-based) or sentences.
typedef struct CICUBreaker CICUBreaker;

/// Rule status of a run segment: Han characters. The corresponding ICU rule tag is {300}.
#define CICU_RUN_HAN 300
/// Rule status of a run segment: letters (and combining marks) of any script but Han.
#define CICU_RUN_LETTERS 200
/// Rule status of a run segment: decimal digits.
#define CICU_RUN_DIGITS 100

/// Opens a rule-based break iterator that separates runs of Han characters, letters and
/// digits; every other character (punctuation, whitespace, symbols, emoji) is a segment of
/// its own with status 0. Returns NULL and sets *error (an ICU UErrorCode) on failure.
/// The corresponding C function is `ubrk_openRules`.
CICUBreaker *_Nullable cicu_breaker_open_runs(int32_t *_Nonnull error);

/// Opens ICU's sentence break iterator for Chinese (`ubrk_open(UBRK_SENTENCE, "zh", ...)`).
CICUBreaker *_Nullable cicu_breaker_open_sentences(int32_t *_Nonnull error);

/// Points the iterator at `length` bytes of UTF-8 text, which must outlive its use.
/// The corresponding C functions are `utext_openUTF8` and `ubrk_setUText`.
void cicu_breaker_set_text(CICUBreaker *_Nonnull breaker, const uint8_t *_Nonnull text,
                           int64_t length, int32_t *_Nonnull error);

/// Points the iterator at `length` UTF-16 code units, which must outlive its use; offsets
/// are then code unit indices. ICU reads UTF-16 directly, faster than UTF-8 through a UText.
/// The corresponding C function is `ubrk_setText`.
void cicu_breaker_set_text16(CICUBreaker *_Nonnull breaker, const uint16_t *_Nonnull text,
                             int32_t length, int32_t *_Nonnull error);

/// Returns the byte offset of the next boundary, or -1 when the text is exhausted, and stores
/// the rule status of the segment that ends there in *status.
int64_t cicu_breaker_next(CICUBreaker *_Nonnull breaker, int32_t *_Nonnull status);

/// Returns the last boundary before byte `offset`, or -1 when there is none. The
/// corresponding C function is `ubrk_preceding`.
int64_t cicu_breaker_preceding(CICUBreaker *_Nonnull breaker, int64_t offset);

/// Returns the first boundary after byte `offset`, or -1 when there is none. The
/// corresponding C function is `ubrk_following`.
int64_t cicu_breaker_following(CICUBreaker *_Nonnull breaker, int64_t offset);

/// Sentence break classes of `cicu_sentence_class` (Unicode's Sentence_Break property,
/// UAX #29, as far as the passage splitter's own rules need it).
#define CICU_SENTENCE_OTHER 0
#define CICU_SENTENCE_STERM 1
#define CICU_SENTENCE_ATERM 2
#define CICU_SENTENCE_CLOSE 3
#define CICU_SENTENCE_SP 4
#define CICU_SENTENCE_SCONTINUE 5
/// Sep, CR, LF, Extend and Format: characters the splitter leaves to ICU's iterator.
#define CICU_SENTENCE_SPECIAL 6

/// The sentence break class of code point `c`, from ICU's Sentence_Break property
/// (`u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)`): one of the `CICU_SENTENCE_` values.
int32_t cicu_sentence_class(uint32_t c);

/// Closes the iterator and frees its memory.
void cicu_breaker_close(CICUBreaker *_Nullable breaker);

/// Folds UTF-8 text with ICU's NFKC_Casefold normalizer (full width to half width, upper to
/// lower case, compatibility forms to their canonical characters).
///
/// The text is cut into normalization chunks (a chunk starts at every character that has a
/// normalization boundary before it) and each chunk is folded on its own, so every output
/// byte can name the chunk of input it came from: when `mapStart` and `mapEnd` are not NULL,
/// they receive, for each output byte, the input byte range of its chunk.
///
/// Returns the number of bytes written to `dst`. If `capacity` is too small, returns -1 and
/// sets *error to U_BUFFER_OVERFLOW_ERROR (15); a capacity of 18 * length + 16 always suffices.
/// Invalid UTF-8 sequences are replaced with U+FFFD.
int64_t cicu_fold_utf8(const uint8_t *_Nonnull src, int64_t length, uint8_t *_Nonnull dst,
                       int64_t capacity, int32_t *_Nullable mapStart,
                       int32_t *_Nullable mapEnd, int32_t *_Nonnull error);

/// Character class bits of a `cicu_character_page` entry (bits 0-1): the same sets as the
/// script-run rules of `cicu_breaker_open_runs`.
#define CICU_CLASS_OTHER 0
#define CICU_CLASS_HAN 1
#define CICU_CLASS_LETTER 2
#define CICU_CLASS_DIGIT 3
#define CICU_CLASS_MASK 3
/// Entry bit 2: the character folds on its own, without ICU, when the next character has a
/// normalization boundary before it: either NFKC_Casefold leaves it unchanged (CICU_INERT),
/// or it is a separator that folds to at most 7 separators (bits 4-6 give how many).
#define CICU_FAST 4
/// Entry bit 3: the character has a normalization boundary before it (it never combines
/// with the character before).
#define CICU_BOUNDARY_BEFORE 8
/// Entry bit 7: NFKC_Casefold leaves the character unchanged and it never combines with its
/// neighbours (ICU's `unorm2_isInert`).
#define CICU_INERT 128

/// Fills `entries` with one byte for each of the 256 code points `page << 8 ..< (page + 1) << 8`:
/// class in bits 0-1, CICU_FAST, CICU_BOUNDARY_BEFORE, the folded length of a CICU_FAST
/// character in bits 4-6, and CICU_INERT.
/// Returns an ICU error code (0 on success).
int32_t cicu_character_page(uint32_t page, uint8_t *_Nonnull entries);

/// Derives the traditional-to-simplified table from ICU's `Traditional-Simplified` transform
/// (libicui18n): every Han code point the transform changes, taken alone, into exactly one
/// other Han code point. A target that is itself changed is followed to the end of its chain
/// (a chain that loops ends at its smallest code point), so the table maps nothing twice.
/// Writes up to `capacity` pairs (source, target) to `pairs`, ascending by source, and
/// returns how many there are (call with NULL to count), or -1 with *error set. Opening the
/// transform takes tens of milliseconds: the analyzer uses the table generated from this
/// (`cshim_variant_pairs`), and a test holds the two equal.
int32_t cicu_traditional_simplified(uint32_t *_Nullable pairs, int32_t capacity, int32_t *_Nonnull error);

/// The table of `cicu_traditional_simplified` as generated from ICU into VariantPairs.c:
/// sets *pairs to `count` (source, target) pairs of UTF-16 code units, ascending by source,
/// and returns `count`. Not ICU at run time: a constant array.
int32_t cshim_variant_pairs(const uint16_t *_Nullable *_Nonnull pairs);

/// A converter from a legacy or UTF-16/32 charset to UTF-8 that keeps its state between
/// calls, so a file can be converted a chunk at a time.
typedef struct CICUConverter CICUConverter;

/// Opens a converter from charset `name` (an ICU converter name or alias: "GB18030",
/// "Big5", "UTF-16LE", "Shift_JIS", ...) to UTF-8. Returns NULL and sets *error (an ICU
/// UErrorCode; U_FILE_ACCESS_ERROR for a name ICU does not know) on failure. The
/// corresponding C function is `ucnv_open`.
CICUConverter *_Nullable cicu_converter_open(const char *_Nonnull name, int32_t *_Nonnull error);

/// ICU's canonical name of the converter's charset ("GB18030", "windows-950-2000", ...).
const char *_Nonnull cicu_converter_name(CICUConverter *_Nonnull converter);

/// Converts up to `length` bytes at `src` to UTF-8 in `dst` and returns the bytes written;
/// *consumed receives the input bytes used, fewer than `length` when `dst` filled up (call
/// again with the rest). Pass `flush` nonzero with the last input, so that a truncated
/// sequence at its end is reported. Malformed or unmappable input becomes U+FFFD and is
/// counted (see `cicu_converter_invalid`). The corresponding C function is `ucnv_convertEx`.
int64_t cicu_converter_to_utf8(CICUConverter *_Nonnull converter, const uint8_t *_Nonnull src,
                               int64_t length, int32_t flush, uint8_t *_Nonnull dst,
                               int64_t capacity, int64_t *_Nonnull consumed,
                               int32_t *_Nonnull error);

/// How many malformed or unmappable sequences were replaced so far; *firstOffset receives
/// the input offset (counted over all calls) of the first one, or -1.
int64_t cicu_converter_invalid(CICUConverter *_Nonnull converter, int64_t *_Nonnull firstOffset);

/// Closes the converter and frees its memory.
void cicu_converter_close(CICUConverter *_Nullable converter);

/// Returns a short English name for an ICU error code ("U_ILLEGAL_ARGUMENT_ERROR").
const char *_Nonnull cicu_error_name(int32_t error);

/// Whether `cshim_crc32_fold` may be called: an x86-64 CPU with PCLMULQDQ and SSE4.1.
int cshim_crc32_fold_available(void);

/// Continues the CRC-32 register `crc` (the reflected IEEE polynomial, no pre- or
/// post-inversion: the caller's) over `count` bytes, with carry-less multiplies. `count`
/// must be at least 64 and a multiple of 16; call only when `cshim_crc32_fold_available()`.
/// Not ICU: a hardware instruction, kept in this one C target.
uint32_t cshim_crc32_fold(uint32_t crc, const uint8_t *_Nonnull bytes, uint64_t count);

/// Has the C allocator serve blocks below `mmap_threshold` bytes from its heap, and give
/// freed heap memory back to the system only beyond `trim_threshold` bytes (glibc's
/// `mallopt(M_MMAP_THRESHOLD)` and `mallopt(M_TRIM_THRESHOLD)`; elsewhere, and under a sanitizer, nothing).
/// Returns 1 when both were set. Not ICU: a libc call Swift's Glibc module does not export.
int cshim_keep_freed_memory(int64_t mmap_threshold, int64_t trim_threshold);

/// Gives the memory the allocator holds free back to the system (glibc's `malloc_trim(0)`;
/// elsewhere, and under a sanitizer, nothing). Returns 1 when some was given back.
int cshim_release_freed_memory(void);

/// Asks the kernel to start writing bytes `offset ..< offset + length` of file `descriptor`
/// to the disk without waiting for them (Linux's `sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`; elsewhere nothing), so that a later fsync has less to wait
/// for. Returns 1 when the request was made. Not ICU: a libc call Swift's Glibc module does
/// not export.
int cshim_start_writeback(int32_t descriptor, int64_t offset, int64_t length);

/// Installs a SIGBUS handler that, for a fault inside a mapping registered with
/// `cshim_guard_mapping` (an index file truncated by another program while it is mapped),
/// writes one line naming the file to standard error and exits with status 2; any other
/// SIGBUS keeps its default action. Returns 1 when installed.
int cshim_guard_mappings(void);

/// Registers `length` bytes mapped at `start` from the file at `path` (copied; a long path
/// is cut) for the SIGBUS handler. Returns a slot for `cshim_unguard_mapping`, or -1 when
/// every slot is taken (the mapping then goes unguarded).
int32_t cshim_guard_mapping(const void *_Nullable start, int64_t length, const char *_Nonnull path);

/// Forgets a mapping registered with `cshim_guard_mapping` (before it is unmapped).
void cshim_unguard_mapping(int32_t slot);

/// Writes the index of every counter of `counters[0 ..< count]` that is not zero to `out`
/// (room for `count`), ascending, and returns how many there are: eight counters at a time
/// with AVX2 where the CPU has it (a table gives the lanes' permutation for each mask of
/// nonzero lanes), else one at a time. Not ICU: vector instructions Swift does not reach.
int64_t cshim_nonzero_indices(const uint32_t *_Nonnull counters, int64_t count, uint32_t *_Nonnull out);

/// The length of a prefix of `bytes[0 ..< count]` that is well-formed UTF-8 (RFC 3629) and
/// ends where a sequence starts, checked 32 bytes at a time with AVX2 where the CPU has it
/// (the lookup algorithm of Keiser and Lemire, 2021); 0 where it does not, or for fewer than
/// 32 bytes. The rest, from the returned offset on, is the caller's to check byte by byte
/// (it holds the first error, if any). Not ICU: vector instructions Swift does not reach.
int64_t cshim_utf8_valid_prefix(const uint8_t *_Nonnull bytes, int64_t count);

/// A count of the CPU's time-stamp ticks, for timing the stages of a build a paragraph at a
/// time: x86-64's `rdtsc` (called three times a paragraph, where `clock_gettime` costs several
/// times more), arm64's virtual counter, else the monotonic clock in nanoseconds.
/// Ticks only count up at a steady rate: `Timings.seconds(ofTicks:)` gives the rate.
static inline uint64_t cshim_ticks(void) {
#if defined(__x86_64__)
  return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
  uint64_t ticks;
  __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(ticks));
  return ticks;
#else
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
#endif
}

/// Asks the CPU to start loading the `bytes` bytes from `address` into its caches (a
/// prefetch hint per 64-byte line; no effect on what a program computes). Inline: Swift has
/// no prefetch of its own.
static inline void cshim_prefetch(const void *_Nonnull address, int64_t bytes) {
  for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch((const char *)address + offset);
}

#ifdef __cplusplus
}
#endif

#endif
