// What the first CPU accesses to freshly populated memory cost: maps a buffer, populates it
// with MADV_POPULATE_WRITE (the kernel allocates and maps every page), then times random
// 32-bit increments over it in batches of 65536. On this project's VMs the first batches on
// 4 KiB pages run at 10-20 us per access and reach ~50-100 ns only after every page was
// touched once: the hypervisor backs a guest page at its first access from the CPU, not when
// the guest kernel maps it. With 2 MiB pages the cost is paid inside the populate call instead
// (seconds per GiB). Benchmarks and probes therefore touch every page before timing anything
// (bench/tuner/workload.ts touchPages, native/platform/linux/memory/translation_probe.cc).
//
//   cc -O2 -o /tmp/first-touch bench/advisor/first-touch.c && /tmp/first-touch 1024 4k && /tmp/first-touch 1024 2m
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <MiB, a power of two> <4k|2m>\n", argv[0]);
    return 2;
  }
  const size_t bytes = (size_t)atol(argv[1]) << 20;
  const int huge = strcmp(argv[2], "2m") == 0;
  const size_t unit = 2u << 20;
  char *raw = mmap(NULL, bytes + unit, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return perror("mmap"), 1;
  char *p = (char *)(((uintptr_t)raw + unit - 1) & ~(uintptr_t)(unit - 1));
  madvise(p, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  const double t0 = now_ns();
  if (madvise(p, bytes, MADV_POPULATE_WRITE) != 0) return perror("MADV_POPULATE_WRITE"), 1;
  printf("%s MiB on %s pages: populate %.0f ms; ns per access, batches of 65536:", argv[1], argv[2], (now_ns() - t0) / 1e6);
  uint32_t *u = (uint32_t *)p;
  const uint32_t mask = (uint32_t)(bytes / 4 - 1);
  uint32_t x = 12345;
  for (int b = 0; b < 40; b++) {
    const double t = now_ns();
    for (int i = 0; i < 65536; i++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      u[x & mask]++;
    }
    if (b < 12 || b % 4 == 3) printf(" %.0f", (now_ns() - t) / 65536);
  }
  printf("\n");
  return 0;
}
