// What clearing Accessed bits costs a reader, and what smaps then reports, for the two ways a
// process can clear its own: MADV_COLD on chosen pages (the referenced source's arming) and
// /proc/self/clear_refs (the whole process). Prints, for SIZE MiB of populated 4 KiB pages:
//   cold:  one page in STRIDE advised MADV_COLD, smaps Referenced after, then the cost per page
//          of reading the advised pages and of reading pages not advised;
//   clear: clear_refs "2", then a read of every page right away and after a SLEEP_MS sleep,
//          with smaps Referenced after each;
//   huge:  MADV_COLD of 4 KiB inside a PMD-mapped huge page and of a whole aligned 2 MiB,
//          with AnonHugePages after each.
// Used for docs/measured-facts.md ("Memory behaviour"):
//   cc -O2 bench/read-overhead/accessed-bit-probe.c -o /tmp/accessed-bit-probe
//   /tmp/accessed-bit-probe 256 16 500
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define UNIT (2UL << 20)

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// The smaps field `key` (kB) of the VMA holding `addr`, or -1.
static long smaps_kb(const void* addr, const char* key) {
  FILE* f = fopen("/proc/self/smaps", "r");
  if (f == NULL) return -1;
  char line[512];
  int inside = 0;
  long value = -1;
  const size_t key_len = strlen(key);
  while (fgets(line, sizeof line, f) != NULL) {
    unsigned long start, end;
    if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, ':') > strchr(line, '-')) {
      inside = start <= (uintptr_t)addr && (uintptr_t)addr < end;
    } else if (inside && strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
      value = atol(line + key_len + 1);
    }
  }
  fclose(f);
  return value;
}

static char* map_aligned(size_t bytes, int advice) {
  char* p = mmap(NULL, bytes + UNIT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  p = (char*)(((uintptr_t)p + UNIT - 1) & ~(uintptr_t)(UNIT - 1));
  madvise(p, bytes, advice);
  for (size_t i = 0; i < bytes; i += PAGE) p[i] = 1;
  return p;
}

// ns per page of reading every `stride`-th page from `first`.
static double read_ns(volatile char* p, size_t bytes, size_t first, size_t stride, long* sink) {
  size_t n = 0;
  const double t0 = now_s();
  for (size_t i = first; i < bytes; i += stride, n++) *sink += p[i];
  return (now_s() - t0) * 1e9 / (double)n;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SIZE_MIB STRIDE_PAGES SLEEP_MS\n", argv[0]);
    return 2;
  }
  const size_t bytes = (size_t)atol(argv[1]) << 20, stride = (size_t)atol(argv[2]) * PAGE;
  const long sleep_ms = atol(argv[3]);
  long sink = 0;
  char* p = map_aligned(bytes, MADV_NOHUGEPAGE);

  const double c0 = now_s();
  size_t advised = 0;
  for (size_t i = 0; i < bytes; i += stride, advised++) madvise(p + i, PAGE, MADV_COLD);
  const double c1 = now_s();
  printf("cold: %zu pages advised (%.2f us each), Referenced %ld of %ld kB\n", advised, (c1 - c0) * 1e6 / (double)advised,
         smaps_kb(p, "Referenced"), smaps_kb(p, "Rss"));
  // Each figure is taken before the next (a call's arguments are evaluated in any order).
  const double advised_ns = read_ns(p, bytes, 0, stride, &sink);
  const double other_ns = read_ns(p, bytes, PAGE, stride, &sink);
  printf("cold: read advised %.1f ns/page, not advised %.1f ns/page, Referenced after %ld kB\n", advised_ns, other_ns,
         smaps_kb(p, "Referenced"));

  const int clear_refs = open("/proc/self/clear_refs", O_WRONLY);
  if (clear_refs < 0 || write(clear_refs, "2", 1) != 1) {
    perror("clear_refs");
    return 1;
  }
  const double right_away_ns = read_ns(p, bytes, 0, PAGE, &sink);
  printf("clear: read right away %.1f ns/page, Referenced after %ld kB\n", right_away_ns, smaps_kb(p, "Referenced"));
  if (write(clear_refs, "2", 1) != 1) return 1;
  usleep((useconds_t)sleep_ms * 1000);
  const double later_ns = read_ns(p, bytes, 0, PAGE, &sink);
  printf("clear: read after %ld ms %.1f ns/page, Referenced after %ld kB\n", sleep_ms, later_ns, smaps_kb(p, "Referenced"));
  close(clear_refs);

  char* h = map_aligned(4 * UNIT, MADV_HUGEPAGE);
  printf("huge: AnonHugePages %ld kB\n", smaps_kb(h, "AnonHugePages"));
  madvise(h, UNIT, MADV_COLD);
  printf("huge: after MADV_COLD of a whole 2 MiB, AnonHugePages %ld kB\n", smaps_kb(h, "AnonHugePages"));
  madvise(h + UNIT, PAGE, MADV_COLD);
  printf("huge: after MADV_COLD of 4 KiB inside one, AnonHugePages %ld kB\n", smaps_kb(h, "AnonHugePages"));
  return sink == -1;
}
