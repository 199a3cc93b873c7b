/*
 * Holds memory for collapse tests in another process: it maps <units> aligned 2 MiB units and
 * writes every page (4 KiB pages). With "pin" it also splices one page of each unit into a
 * pipe it never reads (vmsplice(2) takes a reference on the page), so MADV_COLLAPSE finds a
 * page with an unexpected reference count and fails with EAGAIN (mm/khugepaged.c,
 * SCAN_PAGE_COUNT). Prints "<start address in hex> <units>" and waits to be killed.
 * Usage: pinned-pages <units> pin|plain
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define UNIT (2ul << 20)

int main(int argc, char **argv) {
  if (argc != 3) return 4;
  const unsigned long units = strtoul(argv[1], NULL, 10);
  const int pin = strcmp(argv[2], "pin") == 0;
  char *raw = mmap(NULL, (units + 1) * UNIT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return 1;
  char *base = (char *)(((uintptr_t)raw + UNIT - 1) & ~(UNIT - 1));
  for (unsigned long i = 0; i < units * UNIT; i += 4096) base[i] = 1;
  int pipefd[2];
  if (pipe(pipefd) != 0) return 2;
  fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
  for (unsigned long u = 0; pin && u < units; u++) {
    struct iovec page = {base + u * UNIT + 4096, 4096};
    if (vmsplice(pipefd[1], &page, 1, 0) != 4096) return 3;
  }
  printf("%lx %lu\n", (unsigned long)(uintptr_t)base, units);
  fflush(stdout);
  for (;;) pause();
}
