#include "platform/linux/procfs/key_fields.h"

#include <limits>

#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

bool AddKeyFieldLine(std::string_view line, KeyFields& fields) {
  std::string_view key;
  uint64_t value = 0;
  bool hasKb = false;
  if (ParseKeyNumberLine(line, key, value, hasKb)) {
    if (!hasKb) {
      fields.counts[std::string(key)] = value;
    } else if (value > std::numeric_limits<uint64_t>::max() / 1024) {
      return false;
    } else {
      fields.bytes[std::string(key)] = value * 1024;
    }
    return true;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || line.find(' ') < colon) return false;
  fields.texts[std::string(line.substr(0, colon))] = std::string(TrimSpaces(line.substr(colon + 1)));
  return true;
}

}  // namespace thp::platform::procfs
