// Text address traces; format in trace_reader.h.
#include "core/tlbsim/trace_reader.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace thp::tlbsim {

bool TraceReader::Open(const std::string& path, std::string* error) {
  path_ = path;
  in_.open(path);
  if (!in_) {
    *error = "cannot open trace file " + path;
    return false;
  }
  return true;
}

size_t TraceReader::Next(uint64_t* addrs, uint8_t* writes, size_t n, std::string* error) {
  size_t got = 0;
  while (got < n && std::getline(in_, line_)) {
    ++line_no_;
    size_t i = 0;
    while (i < line_.size() && std::isspace(static_cast<unsigned char>(line_[i]))) ++i;
    if (i == line_.size() || line_[i] == '#') continue;
    bool write = false;
    if (line_[i] == 'R' || line_[i] == 'r' || line_[i] == 'W' || line_[i] == 'w') {
      write = line_[i] == 'W' || line_[i] == 'w';
      ++i;
      while (i < line_.size() && std::isspace(static_cast<unsigned char>(line_[i]))) ++i;
    }
    const char* start = line_.c_str() + i;
    char* end = nullptr;
    errno = 0;
    // Hexadecimal only with its 0x prefix: base 0 would read a decimal with a leading zero as octal.
    const bool hex = start[0] == '0' && (start[1] == 'x' || start[1] == 'X');
    const unsigned long long v = std::strtoull(start, &end, hex ? 16 : 10);
    while (end && *end && std::isspace(static_cast<unsigned char>(*end))) ++end;
    if (end == start || errno != 0 || (end && *end) || *start == '-') {
      *error = path_ + ":" + std::to_string(line_no_) + ": expected \"[R|W] <address>\", got \"" + line_ + "\"";
      return 0;
    }
    addrs[got] = v;
    writes[got] = write ? 1 : 0;
    ++got;
  }
  return got;
}

}  // namespace thp::tlbsim
