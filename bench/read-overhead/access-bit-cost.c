// What a random reader loses per page when every 2 MiB cell of its memory is armed with
// MADV_COLD (each page's Accessed bit set again on its next read), beside what a probe of
// the referenced source's kind measures in the same process for three shapes: 64 neighbouring
// pages, 32 pages 2 MiB apart (one per page table: the source's AccessBitProbe), 512
// neighbouring pages. The reader's loss is counted against its rate in the second before.
// Used for bench/results/referenced-edge-and-program-cost-2026-12-05.md:
//   cc -O2 -pthread bench/read-overhead/access-bit-cost.c -o /tmp/access-bit-cost
//   /tmp/access-bit-cost 1 3      (GiB read at random, rounds)
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const size_t PAGE = 4096, CELL = 2 << 20;
static size_t SIZE;
static volatile char *mem;
static atomic_ulong reads;
static atomic_int stop;
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static void *reader(void *arg) {
  (void)arg;
  uint64_t x = 88172645463325252ull;
  unsigned long n = 0;
  unsigned sum = 0;
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
    for (int i = 0; i < 1024; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      sum += mem[(x % (SIZE / 64)) * 64];
    }
    n += 1024;
    atomic_store_explicit(&reads, n, memory_order_relaxed);
  }
  return (void *)(uintptr_t)sum;
}
// A probe of npages pages, stride bytes apart: MADV_COLD on each, then two scattered passes;
// the first pass minus the second, per page, best of five.
static double probe(size_t npages, size_t stride) {
  char *p = mmap(NULL, npages * stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  madvise(p, npages * stride, MADV_NOHUGEPAGE);
  for (size_t i = 0; i < npages; i++) p[i * stride] = 1;
  double best = 1e9;
  for (int k = 0; k < 5; k++) {
    for (size_t i = 0; i < npages; i++) madvise(p + i * stride, PAGE, MADV_COLD);
    volatile unsigned s = 0;
    double t0 = now();
    for (size_t i = 0; i < npages; i++) s += ((volatile char *)p)[((i * 37) % npages) * stride];
    double t1 = now();
    for (size_t i = 0; i < npages; i++) s += ((volatile char *)p)[((i * 37) % npages) * stride];
    double t2 = now();
    double per = ((t1 - t0) - (t2 - t1)) / npages * 1e9;
    if (per < best) best = per;
    usleep(20000);
  }
  munmap(p, npages * stride);
  return best;
}
int main(int argc, char **argv) {
  SIZE = (size_t)atoi(argc > 1 ? argv[1] : "1") << 30;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  madvise((void *)mem, SIZE, MADV_NOHUGEPAGE);
  memset((void *)mem, 1, SIZE);
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  sleep(1);
  printf("probe ns/page: 64 neighbouring %.0f; 32 one per 2 MiB %.0f; 512 neighbouring %.0f\n", probe(64, PAGE), probe(32, CELL),
         probe(512, PAGE));
  for (int r = 0; r < rounds; r++) {
    // baseline rate over 1 s, then arm everything and count reads lost over the next 2 s vs baseline
    unsigned long a = atomic_load(&reads);
    double t0 = now();
    usleep(1000000);
    unsigned long b = atomic_load(&reads);
    double t1 = now();
    double rate = (b - a) / (t1 - t0);
    double c0 = now();
    for (size_t off = 0; off < SIZE; off += CELL) madvise((void *)(mem + off), CELL, MADV_COLD);
    double c1 = now();
    unsigned long c = atomic_load(&reads);
    usleep(2000000);
    unsigned long d = atomic_load(&reads);
    double t3 = now();
    double lost_s = (t3 - c1) - (d - c) / rate;
    double lost_arm = (c1 - c0) - (c - b) / rate;  // during arming itself (reader shares nothing but CPUs)
    printf("round %d: rate %.1f M/s, arm %.1f ms, reader lost %.0f ms after arming (+%.0f ms during) = %.0f ns per page\n", r,
           rate / 1e6, (c1 - c0) * 1e3, lost_s * 1e3, lost_arm * 1e3,
           (lost_s + (lost_arm > 0 ? lost_arm : 0)) * 1e9 / (SIZE / PAGE));
    printf("  probe now: 64 neighbouring %.0f ns, 32 one per 2 MiB %.0f ns\n", probe(64, PAGE), probe(32, CELL));
  }
  atomic_store(&stop, 1);
  pthread_join(t, NULL);
  return 0;
}
