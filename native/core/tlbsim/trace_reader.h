// Address-trace files for replay. Format (text, one access per line):
//   [R|W] <address>
// where the address is hexadecimal with a 0x prefix or decimal, the R/W prefix is optional
// (default R), blank lines and lines starting with '#' are ignored. Example:
//   # pid 1234, sampled
//   R 0x7f12a0001000
//   W 0x7f12a0002008
//   140723000000
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace thp::tlbsim {

class TraceReader {
 public:
  // False (with a message naming the file) if it cannot be opened.
  bool Open(const std::string& path, std::string* error);
  // Reads up to n accesses; returns how many. On a malformed line returns 0 and sets *error to
  // "<path>:<line>: ...".
  size_t Next(uint64_t* addrs, uint8_t* writes, size_t n, std::string* error);

 private:
  std::ifstream in_;
  std::string path_;
  std::string line_;
  uint64_t line_no_ = 0;
};

}  // namespace thp::tlbsim
