#include "platform/linux/probe/status_fields.h"

#include <string_view>

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::probe {

std::string SelfStatusField(const std::string& key) {
  std::string text;
  if (procfs::TryReadTextFile("/proc/self/status", text) != 0) return {};
  std::string_view rest = text, line;
  while (procfs::NextLine(rest, line)) {
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
      return std::string(procfs::TrimSpaces(line.substr(key.size() + 1)));
    }
  }
  return {};
}

int64_t ReadSmallNumber(const std::string& path) {
  std::string text;
  uint64_t value = 0;
  if (procfs::TryReadTextFile(path, text) != 0) return -1;
  std::string_view first = procfs::TrimSpaces(std::string_view(text).substr(0, text.find('\n')));
  return procfs::ParseDecimal(first, value) && value < (uint64_t{1} << 62) ? static_cast<int64_t>(value) : -1;
}

}  // namespace thp::platform::probe
