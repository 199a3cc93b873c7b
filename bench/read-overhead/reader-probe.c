// Isolates what slows a thread that only READS (random 4-byte reads over SIZE GiB of populated
// 4 KiB pages, its CPU time per read in 0.5 s phases) while a second thread of the same process
// does, phase by phase (MODES, a digit per phase, rotated each round; default "012"):
//   0 nothing
//   1 the pagemap source's sampling: N random pages (default 1000) write-protected with
//     PAGEMAP_SCAN (PM_SCAN_WP_MATCHING), 5 ms later scanned again (one sample of N regions)
//   2 a 15% CPU spin (0.75 ms of every 5 ms)
//   3 clear_refs "2" once per second (the referenced source's clear)
//   4 a whole /proc/self/smaps read once per second (the referenced source's read)
// REG=1 registers the buffer with userfaultfd WP_ASYNC first; PRE=1 then write-protects all of
// it at once (what the pagemap source does on registration since this benchmark). VERBOSE=1
// prints every phase. Used for the figures in bench/results/read-overhead-probe-2026-12-04.txt:
//   cc -O2 -pthread bench/read-overhead/reader-probe.c -o /tmp/reader-probe
//   N=10 REG=1 /tmp/reader-probe 4 10 2; N=10 REG=1 PRE=1 /tmp/reader-probe 4 10 2; N=1000 REG=1 /tmp/reader-probe 4 10 2
//   VERBOSE=1 MODES=300000000000 /tmp/reader-probe 1 1 12
// Arguments: SIZE_GiB ROUNDS NUMBER_OF_MODES.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
struct page_region {
  uint64_t start, end, categories;
};
struct pm_scan_arg {
  uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted, category_mask, category_anyof_mask,
      return_mask;
};
static char *buf;
static size_t size;
static volatile int phase_mode, stop;
static double tcpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}
static int pm;
static long scan(uint64_t s, uint64_t f) {
  struct page_region v;
  struct pm_scan_arg a = {0};
  a.size = sizeof a;
  a.flags = f;
  a.start = s;
  a.end = s + 4096;
  a.vec = (uint64_t)&v;
  a.vec_len = 1;
  a.category_mask = 64;
  a.category_inverted = 64;
  a.return_mask = 67;
  return ioctl(pm, PAGEMAP_SCAN, &a);
}
static void *helper(void *arg) {
  uint64_t x = 88172645463325252ull, addrs[1000];
  int N = getenv("N") ? atoi(getenv("N")) : 1000;
  while (!stop) {
    int m = phase_mode;
    if (m == 1) {
      for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        addrs[i] = (uint64_t)buf + (x % (size / 4096)) * 4096;
        scan(addrs[i], 3);
      }
      usleep(5000);
      for (int i = 0; i < N; i++) scan(addrs[i], 0);
    } else if (m == 2) {
      double t = now();
      while (now() - t < 0.00075)
        ;
      usleep(4250);
    } else if (m == 3) {
      int fd = open("/proc/self/clear_refs", O_WRONLY);
      write(fd, "2", 1);
      close(fd);
      usleep(1000000);
    } else if (m == 4) {
      char b[1 << 16];
      int fd = open("/proc/self/smaps", O_RDONLY);
      while (read(fd, b, sizeof b) > 0)
        ;
      close(fd);
      usleep(1000000);
    } else usleep(5000);
  }
  return NULL;
}
int main(int argc, char **argv) {
  size = (size_t)atof(argv[1]) << 30;
  int rounds = atoi(argv[2]);
  int nm = argc > 3 ? atoi(argv[3]) : 3;
  buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  madvise(buf, size, MADV_NOHUGEPAGE);
  for (size_t i = 0; i < size; i += 4096) buf[i] = 1;
  pm = open("/proc/self/pagemap", O_RDONLY);
  if (getenv("REG")) {
    int uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | 1);
    struct uffdio_api api = {.api = UFFD_API, .features = (1 << 15) | (1 << 13)};
    ioctl(uffd, UFFDIO_API, &api);
    struct uffdio_register r = {.range = {(uint64_t)buf, size}, .mode = UFFDIO_REGISTER_MODE_WP};
    ioctl(uffd, UFFDIO_REGISTER, &r);
    if (getenv("PRE")) {
      struct uffdio_writeprotect wp = {.range = {(uint64_t)buf, size}, .mode = UFFDIO_WRITEPROTECT_MODE_WP};
      ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
    }
  }
  pthread_t t;
  pthread_create(&t, NULL, helper, NULL);
  uint32_t *u = (uint32_t *)buf;
  uint64_t mask = size / 4 - 1;
  uint32_t x = 0x9e3779b9, s = 0;
  double res[8][64];
  int nres[8] = {0};
  for (int r = 0; r < rounds; r++)
    for (int k = 0; k < nm; k++) {
      int m = getenv("MODES") ? getenv("MODES")[(k + r) % nm] - 48 : (k + r) % nm;
      phase_mode = m;
      usleep(50000);
      long n = 0;
      double c0 = tcpu(), w0 = now();
      while (now() - w0 < 0.5) {
        for (int i = 0; i < 65536; i++) {
          x ^= x << 13;
          x ^= x >> 17;
          x ^= x << 5;
          s += u[x & mask];
        }
        n += 65536;
      }
      res[m][nres[m]++] = (tcpu() - c0) / n * 1e9;
      if (getenv("VERBOSE")) printf("phase mode %d: %.1f ns/read\n", m, res[m][nres[m] - 1]);
    }
  stop = 1;
  pthread_join(t, NULL);
  for (int m = 0; m < 8; m++) {
    double *v = res[m];
    int n = nres[m];
    if (!n) continue;
    for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
        if (v[j] < v[i]) {
          double q = v[i];
          v[i] = v[j];
          v[j] = q;
        }
    printf("mode %d: median %.1f ns/read cpu [p25 %.1f p75 %.1f] (%d phases)%s\n", m, v[n / 2], v[n / 4], v[3 * n / 4], n,
           s == 12345 ? "!" : "");
  }
}
