// Address-trace files for the TLB simulator (core/tlbsim/trace_reader.h). TraceReader reads a
// path, so the input goes through a memfd named by its /proc/self/fd path: no file on disk.
#include "core/tlbsim/trace_reader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = ::memfd_create("trace", MFD_CLOEXEC);
  thp::fuzz::Require(fd >= 0, "memfd_create failed");
  thp::fuzz::Require(size == 0 || ::write(fd, data, size) == static_cast<ssize_t>(size), "short write to the memfd");
  thp::tlbsim::TraceReader reader;
  std::string error;
  thp::fuzz::Require(reader.Open("/proc/self/fd/" + std::to_string(fd), &error), "cannot open the memfd");
  constexpr size_t kBatch = 7;  // small, so batches end mid-file as well as at its end
  uint64_t addrs[kBatch];
  uint8_t writes[kBatch];
  while (reader.Next(addrs, writes, kBatch, &error) == kBatch) {
    for (uint8_t w : writes) thp::fuzz::Require(w <= 1, "a write flag is neither 0 nor 1");
  }
  ::close(fd);
  return 0;
}
