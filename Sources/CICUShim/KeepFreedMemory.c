// cshim_keep_freed_memory, cshim_release_freed_memory: glibc's allocator settings and
// trimming (see CICUShim.h).
#include "CICUShim.h"

// Under AddressSanitizer or ThreadSanitizer the sanitizer's allocator serves every block, so
// glibc's settings do not apply; and glibc's arena code, run beside it (malloc_trim walks every
// arena while other threads exit), has failed an assertion at thread exit.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CSHIM_SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(CSHIM_SANITIZED)
#include <malloc.h>

int cshim_keep_freed_memory(int64_t mmap_threshold, int64_t trim_threshold) {
  int mapped = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
  int trimmed = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
  return mapped == 1 && trimmed == 1;
}

int cshim_release_freed_memory(void) { return malloc_trim(0); }
#else
int cshim_keep_freed_memory(int64_t mmap_threshold, int64_t trim_threshold) {
  (void)mmap_threshold;
  (void)trim_threshold;
  return 0;
}

int cshim_release_freed_memory(void) { return 0; }
#endif
