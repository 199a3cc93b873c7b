// How often, and for how long, a thread reading memory at random is held up, by page size,
// and what arming some of that memory (MADV_COLD, as the referenced source's windows do) adds.
// The reader runs blocks of 4096 random 32-bit reads over SIZE MiB; per second it prints the
// blocks that took over 1 ms and the longest block. With ARM > 0 a second thread advises ARM
// 2 MiB cells of the read memory MADV_COLD every 200 ms (a window) and the totals at the end
// say how many long blocks there were per window.
//
//   cc -O2 -pthread bench/loop-delay/huge-stall-probe.c -o /tmp/huge-stall-probe
//   /tmp/huge-stall-probe SIZE_MIB 4k|huge|collapse SECONDS [ARM]
//
// huge: MADV_HUGEPAGE before the first touch; collapse: 4 KiB pages touched, then
// MADV_COLLAPSE per 2 MiB (as the tuner makes them). Used for docs/measured-facts.md.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#define PAGE 4096UL
#define UNIT (2UL << 20)

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char* memory;
static size_t bytes;
static int arm_cells;
static volatile int done;
static volatile unsigned long sink;  // keeps the reads from being optimized away

// The windows: ARM cells, 7 cells apart (wrapping), advised MADV_COLD every 200 ms.
static void* armer(void* arg) {
  (void)arg;
  size_t next = 0;
  const size_t cells = bytes / UNIT;
  while (!done) {
    usleep(200000);
    for (int i = 0; i < arm_cells; i++, next += 7) madvise(memory + (next % cells) * UNIT, UNIT, MADV_COLD);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s SIZE_MIB 4k|huge|collapse SECONDS [ARM]\n", argv[0]);
    return 2;
  }
  bytes = (size_t)atol(argv[1]) << 20;
  const char* mode = argv[2];
  const int seconds = atoi(argv[3]);
  arm_cells = argc > 4 ? atoi(argv[4]) : 0;
  char* p = mmap(NULL, bytes + UNIT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  memory = (char*)(((uintptr_t)p + UNIT - 1) & ~(uintptr_t)(UNIT - 1));
  madvise(memory, bytes, strcmp(mode, "huge") == 0 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  for (size_t i = 0; i < bytes; i += PAGE) memory[i] = 1;
  if (strcmp(mode, "collapse") == 0) {
    madvise(memory, bytes, MADV_HUGEPAGE);
    for (size_t o = 0; o < bytes; o += UNIT) madvise(memory + o, UNIT, MADV_COLLAPSE);
  }
  pthread_t thread;
  if (arm_cells > 0) pthread_create(&thread, NULL, armer, NULL);
  const uint32_t* words = (const uint32_t*)memory;
  const size_t n = bytes / 4;
  uint32_t x = 12345;
  unsigned long sum = 0;
  long long_blocks = 0;
  printf("%s, %zu MiB, %d cells armed per window: long blocks (> 1 ms) / longest ms, per second:", mode, bytes >> 20, arm_cells);
  for (int s = 0; s < seconds; s++) {
    const double end = now_s() + 1;
    long slow = 0;
    double longest = 0;
    while (now_s() < end) {
      const double t = now_s();
      for (int k = 0; k < 4096; k++) {
        x = x * 1103515245u + 12345u;
        sum += words[x % n];
      }
      const double d = now_s() - t;
      if (d > 0.001) slow++;
      if (d > longest) longest = d;
    }
    long_blocks += slow;
    printf(" %ld/%.1f", slow, longest * 1e3);
    fflush(stdout);
  }
  done = 1;
  if (arm_cells > 0) pthread_join(thread, NULL);
  sink = sum;
  printf("\ntotal %ld long blocks in %d s (%.1f per second)\n", long_blocks, seconds, (double)long_blocks / seconds);
  return 0;
}
