#include "platform/linux/procfs/smaps_rollup.h"

#include <unistd.h>

#include <cerrno>

#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"
#include "platform/system_error.h"

namespace thp::platform::procfs {

SmapsRollup ParseSmapsRollup(std::string_view text) {
  SmapsRollup rollup;
  std::string_view line;
  size_t lineNumber = 0;
  bool sawHeader = false;
  while (NextLine(text, line)) {
    ++lineNumber;
    if (TrimSpaces(line).empty()) continue;
    Vma header;
    bool ok;
    if (!sawHeader) {
      ok = ParseVmaHeader(line, header) && header.pathname == "[rollup]";
      rollup.start = header.start;
      rollup.end = header.end;
      sawHeader = true;
    } else {
      ok = AddKeyFieldLine(line, rollup.fields);
    }
    if (!ok) {
      ThrowMalformedLine("smaps_rollup", lineNumber, line, "is malformed");
    }
  }
  return rollup;
}

SmapsRollup ReadSmapsRollup(int pid) {
  std::string path = ProcPath(pid, "smaps_rollup");
  try {
    return ParseSmapsRollup(ReadTextFile(path));
  } catch (const SystemError& error) {
    // Unlike maps and smaps, which are empty for a process without a memory map (a kernel
    // thread, a zombie), smaps_rollup fails its read with ESRCH. Only a vanished /proc/<pid>
    // means the process is gone.
    if (error.errnoValue() != ESRCH || ::access(ProcPath(pid, "stat").c_str(), F_OK) != 0) throw;
    return SmapsRollup{};
  }
}

}  // namespace thp::platform::procfs
