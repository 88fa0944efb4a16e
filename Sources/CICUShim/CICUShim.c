// The only file of zhsearch that includes ICU headers; see CICUShim.h for the contract.
#include "CICUShim.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

struct CICUBreaker {
  UBreakIterator *iterator;
  UText *text;
};

// The character sets of the run rules below, shared with cicu_character_page.
#define HAN_SET "[\\p{Han}]"
#define DIGIT_SET "[\\p{Nd}]"
#define LETTER_SET "[[\\p{Alphabetic}\\p{M}] - [\\p{Han}\\p{Nd}]]"

// Runs of Han, letters (with their combining marks) and digits; any other character is a
// segment of its own and gets the default status 0.
static const UChar *runRules(void) {
  static UChar rules[512];
  static int initialized = 0;
  if (!initialized) {
    const char *source =
        "!!chain;\n"
        "$Han = " HAN_SET ";\n"
        "$Digit = " DIGIT_SET ";\n"
        "$Letter = " LETTER_SET ";\n"
        "$Han+ {300};\n"
        "$Letter+ {200};\n"
        "$Digit+ {100};\n";
    u_uastrcpy(rules, source);
    initialized = 1;
  }
  return rules;
}

static CICUBreaker *wrap(UBreakIterator *iterator, int32_t *error) {
  if (U_FAILURE(*error) || iterator == NULL) {
    if (iterator != NULL) ubrk_close(iterator);
    if (!U_FAILURE(*error)) *error = U_INTERNAL_PROGRAM_ERROR;
    return NULL;
  }
  CICUBreaker *breaker = calloc(1, sizeof(CICUBreaker));
  if (breaker == NULL) {
    ubrk_close(iterator);
    *error = U_MEMORY_ALLOCATION_ERROR;
    return NULL;
  }
  breaker->iterator = iterator;
  return breaker;
}

CICUBreaker *cicu_breaker_open_runs(int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parseError;
  const UChar *rules = runRules();
  UBreakIterator *iterator = ubrk_openRules(rules, -1, NULL, 0, &parseError, &status);
  *error = status;
  return wrap(iterator, error);
}

int32_t cicu_sentence_class(uint32_t c) {
  switch (u_getIntPropertyValue((UChar32)c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_STERM: return CICU_SENTENCE_STERM;
    case U_SB_ATERM: return CICU_SENTENCE_ATERM;
    case U_SB_CLOSE: return CICU_SENTENCE_CLOSE;
    case U_SB_SP: return CICU_SENTENCE_SP;
    case U_SB_SCONTINUE: return CICU_SENTENCE_SCONTINUE;
    case U_SB_SEP:
    case U_SB_CR:
    case U_SB_LF:
    case U_SB_EXTEND:
    case U_SB_FORMAT: return CICU_SENTENCE_SPECIAL;
    default: return CICU_SENTENCE_OTHER;
  }
}

CICUBreaker *cicu_breaker_open_sentences(int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *iterator = ubrk_open(UBRK_SENTENCE, "zh", NULL, 0, &status);
  *error = status;
  return wrap(iterator, error);
}

void cicu_breaker_set_text(CICUBreaker *breaker, const uint8_t *text, int64_t length,
                           int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  breaker->text = utext_openUTF8(breaker->text, (const char *)text, length, &status);
  if (U_SUCCESS(status)) ubrk_setUText(breaker->iterator, breaker->text, &status);
  *error = status;
}

void cicu_breaker_set_text16(CICUBreaker *breaker, const uint16_t *text, int32_t length,
                             int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
  *error = status;
}

int64_t cicu_breaker_next(CICUBreaker *breaker, int32_t *status) {
  int32_t boundary = ubrk_next(breaker->iterator);
  if (boundary == UBRK_DONE) {
    *status = 0;
    return -1;
  }
  *status = ubrk_getRuleStatus(breaker->iterator);
  return boundary;
}

int64_t cicu_breaker_preceding(CICUBreaker *breaker, int64_t offset) {
  int32_t boundary = ubrk_preceding(breaker->iterator, (int32_t)offset);
  return boundary == UBRK_DONE ? -1 : boundary;
}

int64_t cicu_breaker_following(CICUBreaker *breaker, int64_t offset) {
  int32_t boundary = ubrk_following(breaker->iterator, (int32_t)offset);
  return boundary == UBRK_DONE ? -1 : boundary;
}

void cicu_breaker_close(CICUBreaker *breaker) {
  if (breaker == NULL) return;
  ubrk_close(breaker->iterator);
  if (breaker->text != NULL) utext_close(breaker->text);
  free(breaker);
}

// Characters that always start a normalization chunk, decided without calling ICU: all of
// U+0000..U+02FF (no combining marks there) and the CJK ideograph blocks.
static inline int isSimpleStarter(UChar32 c) {
  return c < 0x300 || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

// Characters that NFKC_Casefold leaves unchanged, decided without calling ICU.
static inline int isSimpleInert(UChar32 c) {
  return (c < 0x80 && !(c >= 'A' && c <= 'Z')) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0x3400 && c <= 0x4DBF);
}

int64_t cicu_fold_utf8(const uint8_t *src, int64_t length, uint8_t *dst, int64_t capacity,
                       int32_t *mapStart, int32_t *mapEnd, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *folder = unorm2_getNFKCCasefoldInstance(&status);
  if (U_FAILURE(status)) {
    *error = status;
    return -1;
  }
  // One chunk's UTF-16 before and after folding; chunks longer than this are folded in
  // pieces (only a pathological run of thousands of combining marks gets there).
  UChar in[256];
  UChar out[256 * 18 + 16];
  int64_t written = 0;
  int64_t i = 0;
  while (i < length) {
    int64_t start = i;
    UChar32 c;
    U8_NEXT(src, i, length, c);
    if (c < 0) c = 0xFFFD;
    // Extend the chunk while the next character combines with what came before.
    int64_t end = i;
    int32_t inLength = 0;
    int simple = isSimpleInert(c);
    for (;;) {
      if (end >= length) break;
      int64_t next = end;
      UChar32 d;
      U8_NEXT(src, next, length, d);
      if (d < 0) d = 0xFFFD;
      if (isSimpleStarter(d) || unorm2_hasBoundaryBefore(folder, d)) break;
      if (inLength == 0) U16_APPEND_UNSAFE(in, inLength, c);
      if (inLength > 250) break;
      U16_APPEND_UNSAFE(in, inLength, d);
      simple = 0;
      end = next;
    }
    if (simple) {
      int64_t n = end - start;
      if (written + n > capacity) goto overflow;
      memcpy(dst + written, src + start, (size_t)n);
      if (mapStart != NULL) {
        for (int64_t k = 0; k < n; k++) {
          mapStart[written + k] = (int32_t)start;
          mapEnd[written + k] = (int32_t)end;
        }
      }
      written += n;
    } else {
      if (inLength == 0) U16_APPEND_UNSAFE(in, inLength, c);
      int32_t outLength = unorm2_normalize(folder, in, inLength, out, (int32_t)(sizeof(out) / sizeof(out[0])), &status);
      if (U_FAILURE(status)) {
        *error = status;
        return -1;
      }
      int32_t k = 0;
      while (k < outLength) {
        UChar32 f;
        U16_NEXT(out, k, outLength, f);
        if (written + U8_LENGTH(f) > capacity) goto overflow;
        int64_t before = written;
        UBool isError = 0;
        U8_APPEND(dst, written, capacity, f, isError);
        if (isError) goto overflow;
        if (mapStart != NULL) {
          for (int64_t m = before; m < written; m++) {
            mapStart[m] = (int32_t)start;
            mapEnd[m] = (int32_t)end;
          }
        }
      }
    }
    i = end;
  }
  *error = U_ZERO_ERROR;
  return written;
overflow:
  *error = U_BUFFER_OVERFLOW_ERROR;
  return -1;
}

static USet *hanSet, *digitSet, *letterSet;
static const UNormalizer2 *casefold;
static UErrorCode setsStatus = U_ZERO_ERROR;
static pthread_once_t setsOnce = PTHREAD_ONCE_INIT;

static USet *openSet(const char *pattern) {
  UChar buffer[128];
  u_uastrcpy(buffer, pattern);
  USet *set = uset_openPattern(buffer, -1, &setsStatus);
  if (U_SUCCESS(setsStatus)) uset_freeze(set);
  return set;
}

static void openSets(void) {
  hanSet = openSet(HAN_SET);
  digitSet = openSet(DIGIT_SET);
  letterSet = openSet(LETTER_SET);
  casefold = unorm2_getNFKCCasefoldInstance(&setsStatus);
}

static int classOf(UChar32 c) {
  if (uset_contains(hanSet, c)) return CICU_CLASS_HAN;
  if (uset_contains(digitSet, c)) return CICU_CLASS_DIGIT;
  if (uset_contains(letterSet, c)) return CICU_CLASS_LETTER;
  return CICU_CLASS_OTHER;
}

int32_t cicu_character_page(uint32_t page, uint8_t *entries) {
  pthread_once(&setsOnce, openSets);
  if (U_FAILURE(setsStatus)) return setsStatus;
  for (int32_t i = 0; i < 256; i++) {
    UChar32 c = (UChar32)(page << 8) + i;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      entries[i] = CICU_BOUNDARY_BEFORE;
      continue;
    }
    int cls = classOf(c);
    int boundaryBefore = unorm2_hasBoundaryBefore(casefold, c);
    int entry = cls | (boundaryBefore ? CICU_BOUNDARY_BEFORE : 0);
    if (unorm2_isInert(casefold, c)) {
      entry |= CICU_FAST | CICU_INERT | (1 << 4);
    } else if (cls == CICU_CLASS_OTHER && boundaryBefore && unorm2_hasBoundaryAfter(casefold, c)) {
      UChar in[2], out[32];
      int32_t inLength = 0;
      U16_APPEND_UNSAFE(in, inLength, c);
      UErrorCode status = U_ZERO_ERROR;
      int32_t outLength = unorm2_normalize(casefold, in, inLength, out, 32, &status);
      int32_t count = 0, allOther = U_SUCCESS(status);
      for (int32_t k = 0; allOther && k < outLength; count++) {
        UChar32 f;
        U16_NEXT(out, k, outLength, f);
        if (classOf(f) != CICU_CLASS_OTHER) allOther = 0;
      }
      if (allOther && count <= 7) entry |= CICU_FAST | (count << 4);
    }
    entries[i] = (uint8_t)entry;
  }
  return 0;
}

struct CICUConverter {
  UConverter *source;
  UConverter *utf8;
  UChar pivot[4096];
  UChar *pivotSource;
  UChar *pivotTarget;
  int started;
  // Input offset of the current call's first byte, and that byte's address.
  int64_t base;
  const char *callStart;
  int64_t invalid;
  int64_t firstInvalid;
};

// Counts each malformed or unmappable sequence, then substitutes as ICU does by default.
static void countInvalid(const void *context, UConverterToUnicodeArgs *args, const char *codeUnits,
                         int32_t length, UConverterCallbackReason reason, UErrorCode *error) {
  CICUConverter *converter = (CICUConverter *)context;
  if (reason == UCNV_ILLEGAL || reason == UCNV_UNASSIGNED || reason == UCNV_IRREGULAR) {
    if (converter->invalid == 0) {
      converter->firstInvalid = converter->base + (int64_t)(args->source - converter->callStart) - length;
      if (converter->firstInvalid < 0) converter->firstInvalid = 0;
    }
    converter->invalid += 1;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, codeUnits, length, reason, error);
}

CICUConverter *cicu_converter_open(const char *name, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  CICUConverter *converter = calloc(1, sizeof(CICUConverter));
  if (converter == NULL) {
    *error = U_MEMORY_ALLOCATION_ERROR;
    return NULL;
  }
  converter->source = ucnv_open(name, &status);
  if (U_SUCCESS(status)) converter->utf8 = ucnv_open("UTF-8", &status);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(converter->source, countInvalid, converter, NULL, NULL, &status);
  }
  if (U_FAILURE(status)) {
    cicu_converter_close(converter);
    *error = status;
    return NULL;
  }
  converter->pivotSource = converter->pivot;
  converter->pivotTarget = converter->pivot;
  converter->firstInvalid = -1;
  *error = U_ZERO_ERROR;
  return converter;
}

const char *cicu_converter_name(CICUConverter *converter) {
  UErrorCode status = U_ZERO_ERROR;
  const char *name = ucnv_getName(converter->source, &status);
  return U_SUCCESS(status) && name != NULL ? name : "?";
}

int64_t cicu_converter_to_utf8(CICUConverter *converter, const uint8_t *src, int64_t length,
                               int32_t flush, uint8_t *dst, int64_t capacity, int64_t *consumed,
                               int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  // ICU counts in int32_t: convert at most 1 GiB per call.
  if (length > (1 << 30)) {
    length = 1 << 30;
    flush = 0;
  }
  if (capacity > (1 << 30)) capacity = 1 << 30;
  const char *source = (const char *)src;
  char *target = (char *)dst;
  converter->callStart = source;
  ucnv_convertEx(converter->utf8, converter->source, &target, (char *)dst + capacity, &source,
                 (const char *)src + length, converter->pivot, &converter->pivotSource,
                 &converter->pivotTarget, converter->pivot + 4096, !converter->started,
                 flush != 0, &status);
  converter->started = 1;
  *consumed = (int64_t)(source - (const char *)src);
  converter->base += *consumed;
  // A full target is not an error here: the caller sees *consumed < length and calls again.
  *error = status == U_BUFFER_OVERFLOW_ERROR ? U_ZERO_ERROR : status;
  return (int64_t)(target - (char *)dst);
}

int64_t cicu_converter_invalid(CICUConverter *converter, int64_t *firstOffset) {
  *firstOffset = converter->firstInvalid;
  return converter->invalid;
}

void cicu_converter_close(CICUConverter *converter) {
  if (converter == NULL) return;
  if (converter->source != NULL) ucnv_close(converter->source);
  if (converter->utf8 != NULL) ucnv_close(converter->utf8);
  free(converter);
}

// The simplified form ICU's Traditional-Simplified transform gives code point `c` alone, or
// `c` itself when that is not exactly one other Han character.
static UChar32 simplifiedAlone(UTransliterator *transform, UChar32 c, UErrorCode *status) {
  UChar text[32];
  int32_t length = 0;
  U16_APPEND_UNSAFE(text, length, c);
  int32_t limit = length;
  utrans_transUChars(transform, text, &length, 32, 0, &limit, status);
  if (U_FAILURE(*status)) return c;
  int32_t k = 0;
  UChar32 out;
  U16_NEXT(text, k, length, out);
  return k == length && out != c && uset_contains(hanSet, c) && uset_contains(hanSet, out) ? out : c;
}

// The index of `c` in the ascending `sources[0 ..< count]`, or -1.
static int32_t indexOfSource(const uint32_t *sources, int32_t count, uint32_t c) {
  int32_t low = 0, high = count;
  while (low < high) {
    int32_t middle = low + (high - low) / 2;
    if (sources[middle] < c) low = middle + 1; else high = middle;
  }
  return low < count && sources[low] == c ? low : -1;
}

int32_t cicu_traditional_simplified(uint32_t *pairs, int32_t capacity, int32_t *error) {
  pthread_once(&setsOnce, openSets);
  if (U_FAILURE(setsStatus)) {
    *error = setsStatus;
    return -1;
  }
  UErrorCode status = U_ZERO_ERROR;
  UChar id[32];
  u_uastrcpy(id, "Traditional-Simplified");
  UTransliterator *transform = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
  USet *sources = uset_openEmpty();
  if (U_SUCCESS(status)) utrans_getSourceSet(transform, 0, sources, &status);
  // Every single code point the transform can change, and what it becomes alone.
  int32_t count = 0;
  uint32_t *from = NULL, *to = NULL;
  int32_t size = U_SUCCESS(status) ? uset_size(sources) : 0;
  if (size > 0) {
    from = malloc(sizeof(uint32_t) * (size_t)size);
    to = malloc(sizeof(uint32_t) * (size_t)size);
    if (from == NULL || to == NULL) status = U_MEMORY_ALLOCATION_ERROR;
  }
  for (int32_t item = 0; U_SUCCESS(status) && item < uset_getItemCount(sources); item++) {
    UChar32 start, end;
    UChar string[8];
    // (Strings of the set are contexts of multi-character rules: not one code point.)
    if (uset_getItem(sources, item, &start, &end, string, 8, &status) != 0) {
      status = U_ZERO_ERROR;
      continue;
    }
    for (UChar32 c = start; c <= end && U_SUCCESS(status) && count < size; c++) {
      UChar32 simplified = simplifiedAlone(transform, c, &status);
      if (simplified != c) {
        from[count] = (uint32_t)c;
        to[count] = (uint32_t)simplified;
        count++;
      }
    }
  }
  // A target that is itself changed is followed to the end of its chain, so that folding
  // twice changes nothing; a chain that loops (ICU 72 maps U+82CE and U+82E7 to each
  // other) ends at the loop's smallest code point, and that one stays as it is.
  int32_t kept = 0;
  for (int32_t i = 0; U_SUCCESS(status) && i < count; i++) {
    uint32_t target = to[i];
    int32_t at = indexOfSource(from, count, target);
    for (int32_t steps = 0; at >= 0 && steps <= count; steps++) {
      target = to[at];
      at = indexOfSource(from, count, target);
    }
    if (at >= 0) {
      // Still changing after more steps than there are pairs: `target` is on the loop.
      uint32_t smallest = target;
      for (uint32_t walk = to[at]; walk != target; walk = to[indexOfSource(from, count, walk)]) {
        if (walk < smallest) smallest = walk;
      }
      target = smallest;
    }
    if (target == from[i]) continue;
    if (pairs != NULL && kept < capacity) {
      pairs[2 * kept] = from[i];
      pairs[2 * kept + 1] = target;
    }
    kept++;
  }
  free(from);
  free(to);
  uset_close(sources);
  if (transform != NULL) utrans_close(transform);
  *error = status;
  return U_SUCCESS(status) ? kept : -1;
}

const char *cicu_error_name(int32_t error) { return u_errorName((UErrorCode)error); }
