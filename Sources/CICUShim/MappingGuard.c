// cshim_guard_mappings, cshim_guard_mapping, cshim_unguard_mapping: a SIGBUS handler that
// turns a fault in a mapped index file into a message and exit status 2 (see CICUShim.h).
#include "CICUShim.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define GUARD_SLOTS 1024
#define GUARD_PATH 240

// A slot is free while its end is 0. The handler reads slots without a lock: a slot's path
// is written before its range, and the range cleared before the slot is reused.
static struct {
  _Atomic uintptr_t start;
  _Atomic uintptr_t end;
  char path[GUARD_PATH];
} slots[GUARD_SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_text(const char *text, size_t length) {
  while (length > 0) {
    ssize_t n = write(STDERR_FILENO, text, length);
    if (n <= 0) return;
    text += n;
    length -= (size_t)n;
  }
}

static void on_sigbus(int signal_number, siginfo_t *info, void *context) {
  (void)context;
  uintptr_t address = (uintptr_t)info->si_addr;
  for (int i = 0; i < GUARD_SLOTS; i++) {
    uintptr_t end = atomic_load(&slots[i].end);
    if (end == 0 || address < atomic_load(&slots[i].start) || address >= end) continue;
    char path[GUARD_PATH];
    size_t length = 0;
    // Control characters of the path are shown as '?', never sent to a terminal as they are.
    for (; length < GUARD_PATH - 1 && slots[i].path[length] != 0; length++) {
      unsigned char c = (unsigned char)slots[i].path[length];
      path[length] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    static const char prefix[] = "zhsearch: ";
    static const char suffix[] =
        ": the file changed while it was being read (another program truncated or replaced it); "
        "run the command again\n";
    write_text(prefix, sizeof prefix - 1);
    write_text(path, length);
    write_text(suffix, sizeof suffix - 1);
    _exit(2);
  }
  // Not in an index file: the default action, once the faulting access runs again.
  signal(signal_number, SIG_DFL);
}

int cshim_guard_mappings(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  return sigaction(SIGBUS, &action, NULL) == 0;
}

int32_t cshim_guard_mapping(const void *start, int64_t length, const char *path) {
  if (start == NULL || length <= 0) return -1;
  pthread_mutex_lock(&slots_lock);
  int32_t found = -1;
  for (int32_t i = 0; i < GUARD_SLOTS; i++) {
    if (atomic_load(&slots[i].end) != 0) continue;
    strncpy(slots[i].path, path, GUARD_PATH - 1);
    slots[i].path[GUARD_PATH - 1] = 0;
    atomic_store(&slots[i].start, (uintptr_t)start);
    atomic_store(&slots[i].end, (uintptr_t)start + (uintptr_t)length);
    found = i;
    break;
  }
  pthread_mutex_unlock(&slots_lock);
  return found;
}

void cshim_unguard_mapping(int32_t slot) {
  if (slot < 0 || slot >= GUARD_SLOTS) return;
  pthread_mutex_lock(&slots_lock);
  atomic_store(&slots[slot].end, 0);
  atomic_store(&slots[slot].start, 0);
  pthread_mutex_unlock(&slots_lock);
}
