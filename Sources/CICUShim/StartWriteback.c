// cshim_start_writeback: asks the kernel to start writing a file range (see CICUShim.h).
#define _GNU_SOURCE
#include "CICUShim.h"

#include <fcntl.h>

int cshim_start_writeback(int32_t descriptor, int64_t offset, int64_t length) {
#ifdef SYNC_FILE_RANGE_WRITE
  return sync_file_range(descriptor, offset, length, SYNC_FILE_RANGE_WRITE) == 0;
#else
  (void)descriptor;
  (void)offset;
  (void)length;
  return 0;
#endif
}
