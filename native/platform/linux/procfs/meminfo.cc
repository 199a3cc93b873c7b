#include "platform/linux/procfs/meminfo.h"

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

KeyFields ParseMeminfo(std::string_view text) {
  KeyFields fields;
  std::string_view line;
  size_t lineNumber = 0;
  while (NextLine(text, line)) {
    ++lineNumber;
    if (TrimSpaces(line).empty()) continue;
    // meminfo values are all numbers; a text value means this is not a meminfo file.
    if (!AddKeyFieldLine(line, fields) || !fields.texts.empty()) {
      ThrowMalformedLine("meminfo", lineNumber, line, "is malformed");
    }
  }
  return fields;
}

KeyFields ReadMeminfo() { return ParseMeminfo(ReadTextFile("/proc/meminfo")); }

}  // namespace thp::platform::procfs
