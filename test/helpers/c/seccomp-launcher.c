/*
 * Runs a program with some kernel features blocked by a seccomp filter, as a container
 * runtime's profile would: "no-userfaultfd" makes userfaultfd(2) fail with EPERM,
 * "no-pagemap-scan" makes the PAGEMAP_SCAN ioctl fail with ENOTTY (as on a kernel before
 * Linux 6.7), "both" does both. Usage: seccomp-launcher <mode> <program> [args...]
 * The filter is inherited by everything the program starts.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "add this architecture's AUDIT_ARCH value"
#endif

/* _IOWR('f', 16, struct pm_scan_arg), struct pm_scan_arg being 12 u64 fields (96 bytes). */
#define PAGEMAP_SCAN_REQUEST ((3u << 30) | (96u << 16) | ('f' << 8) | 16u)

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ARG1_LOW (offsetof(struct seccomp_data, args) + sizeof(__u64))

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s no-userfaultfd|no-pagemap-scan|both program [args...]\n", argv[0]);
    return 2;
  }
  const int block_uffd = !strcmp(argv[1], "no-userfaultfd") || !strcmp(argv[1], "both");
  const int block_scan = !strcmp(argv[1], "no-pagemap-scan") || !strcmp(argv[1], "both");
  if (!block_uffd && !block_scan) {
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
  }
  struct sock_filter filter[] = {
      LOAD(arch),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      LOAD(nr),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, block_uffd ? __NR_userfaultfd : 0xffffffffu, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, block_scan ? __NR_ioctl : 0xffffffffu, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG1_LOW), /* the request number (an unsigned int) */
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PAGEMAP_SCAN_REQUEST, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
    perror("installing the seccomp filter");
    return 3;
  }
  execvp(argv[2], argv + 2);
  perror("exec");
  return 4;
}
