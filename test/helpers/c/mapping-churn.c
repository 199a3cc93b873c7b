/*
 * LD_PRELOAD object that changes the process's mappings from a thread of its own, as a
 * native library or a garbage collector would: it keeps a few anonymous mappings of 4 to
 * 8 MiB (each holding whole aligned 2 MiB units, so a tuner considers them) and, one step at
 * a time, maps and writes them, write-protects half of one (mprotect), grows or moves one
 * (mremap), unmaps part or all of one. Runs for THP_TEST_CHURN_MS milliseconds from load and
 * on until every kind of step happened THP_TEST_CHURN_MIN times (default 0; at most 60 s more:
 * a busy machine gives the thread fewer turns), then unmaps everything and writes the step
 * counts to the file THP_TEST_CHURN_REPORT (complete when it appears: written aside, then
 * renamed). Nothing happens when THP_TEST_CHURN_MS is unset.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define MIB (1024ul * 1024ul)
#define SLOTS 6

struct slot {
  char *base;
  size_t bytes;
};

static struct slot slots[SLOTS];
static unsigned long counts[5]; /* mmap, mprotect, mremap, partial munmap, munmap */

static uint64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Writes one byte per 4 KiB page, so the memory is resident and the tuner sees it. */
static void touch(char *base, size_t bytes) {
  for (size_t i = 0; i < bytes; i += 4096) base[i] = (char)i;
}

static void step(struct slot *s, unsigned choice) {
  if (s->base == NULL) {
    s->bytes = (4 + 2 * (choice % 3)) * MIB;
    void *p = mmap(NULL, s->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return;
    s->base = p;
    touch(s->base, s->bytes);
    counts[0]++;
    return;
  }
  switch (choice % 4) {
    case 0: /* write-protect the upper half, write the lower half, open it again */
      mprotect(s->base + s->bytes / 2, s->bytes / 2, PROT_READ);
      touch(s->base, s->bytes / 2);
      mprotect(s->base + s->bytes / 2, s->bytes / 2, PROT_READ | PROT_WRITE);
      counts[1]++;
      break;
    case 1: { /* grow by 2 MiB, moving if needed */
      void *p = mremap(s->base, s->bytes, s->bytes + 2 * MIB, MREMAP_MAYMOVE);
      if (p == MAP_FAILED) break;
      s->base = p;
      s->bytes += 2 * MIB;
      touch(s->base, s->bytes);
      counts[2]++;
      break;
    }
    case 2: /* drop the last 2 MiB */
      if (s->bytes <= 2 * MIB) break;
      munmap(s->base + s->bytes - 2 * MIB, 2 * MIB);
      s->bytes -= 2 * MIB;
      counts[3]++;
      break;
    default:
      munmap(s->base, s->bytes);
      s->base = NULL;
      counts[4]++;
  }
}

static unsigned long min_steps = 0;

static int every_kind_done(void) {
  for (int i = 0; i < 5; i++)
    if (counts[i] < min_steps) return 0;
  return 1;
}

static void *churn(void *arg) {
  const uint64_t end = now_ms() + (uint64_t)(uintptr_t)arg;
  const uint64_t hard_end = end + 60 * 1000;
  unsigned seed = 12345;
  for (uint64_t now = now_ms(); now < end || (now < hard_end && !every_kind_done()); now = now_ms()) {
    seed = seed * 1103515245u + 12345u;
    step(&slots[(seed >> 8) % SLOTS], seed >> 16);
    struct timespec pause = {0, 2 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  for (int i = 0; i < SLOTS; i++)
    if (slots[i].base != NULL) munmap(slots[i].base, slots[i].bytes);
  const char *report = getenv("THP_TEST_CHURN_REPORT");
  if (report == NULL) return NULL;
  char aside[4096];
  snprintf(aside, sizeof aside, "%s.part", report);
  FILE *f = fopen(aside, "w");
  if (f) {
    fprintf(f, "{\"mmap\":%lu,\"mprotect\":%lu,\"mremap\":%lu,\"partialMunmap\":%lu,\"munmap\":%lu}\n", counts[0], counts[1],
            counts[2], counts[3], counts[4]);
    if (fclose(f) == 0) rename(aside, report);
  }
  return NULL;
}

__attribute__((constructor)) static void start_churn(void) {
  const char *ms = getenv("THP_TEST_CHURN_MS");
  if (ms == NULL) return;
  const char *min = getenv("THP_TEST_CHURN_MIN");
  if (min != NULL) min_steps = strtoul(min, NULL, 10);
  pthread_t thread;
  if (pthread_create(&thread, NULL, churn, (void *)(uintptr_t)strtoul(ms, NULL, 10)) == 0) pthread_detach(thread);
}
