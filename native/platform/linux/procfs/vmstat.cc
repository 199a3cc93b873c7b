#include "platform/linux/procfs/vmstat.h"

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

std::map<std::string, uint64_t> ParseVmstat(std::string_view text) {
  std::map<std::string, uint64_t> counters;
  std::string_view line;
  size_t lineNumber = 0;
  while (NextLine(text, line)) {
    ++lineNumber;
    std::string_view rest = line, name, value, extra;
    if (!NextToken(rest, name)) continue;
    uint64_t number = 0;
    if (!NextToken(rest, value) || !ParseDecimal(value, number) || NextToken(rest, extra)) {
      ThrowMalformedLine("vmstat", lineNumber, line, "is not \"name value\"");
    }
    counters[std::string(name)] = number;
  }
  return counters;
}

std::map<std::string, uint64_t> ReadVmstat() { return ParseVmstat(ReadTextFile("/proc/vmstat")); }

}  // namespace thp::platform::procfs
