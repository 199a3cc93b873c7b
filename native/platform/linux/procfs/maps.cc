#include "platform/linux/procfs/maps.h"

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

bool ParseVmaHeader(std::string_view line, Vma& vma) {
  std::string_view rest = line, range, perms, offset, dev, inode;
  if (!NextToken(rest, range) || !NextToken(rest, perms) || !NextToken(rest, offset) || !NextToken(rest, dev) ||
      !NextToken(rest, inode)) {
    return false;
  }
  size_t dash = range.find('-');
  if (dash == std::string_view::npos) return false;
  if (!ParseHex(range.substr(0, dash), vma.start) || !ParseHex(range.substr(dash + 1), vma.end)) return false;
  if (vma.end < vma.start || perms.size() != 4 || dev.find(':') == std::string_view::npos) return false;
  if (!ParseHex(offset, vma.offset) || !ParseDecimal(inode, vma.inode)) return false;
  vma.perms.assign(perms);
  vma.dev.assign(dev);
  // The kernel pads to a column before the path; the path itself may contain spaces, so it
  // is everything after that padding. A path with trailing spaces loses them (the kernel's
  // own format cannot tell them apart from nothing).
  vma.pathname.assign(TrimSpaces(rest));
  return true;
}

std::vector<Vma> ParseMaps(std::string_view text) {
  std::vector<Vma> vmas;
  ForEachLine(text, [&](std::string_view line, size_t lineNumber) {
    Vma vma;
    if (!ParseVmaHeader(line, vma)) ThrowMalformedLine("maps", lineNumber, line, "is not a VMA");
    vmas.push_back(std::move(vma));
  });
  return vmas;
}

std::vector<Vma> ReadMaps(int pid) { return ParseMaps(ReadTextFile(ProcPath(pid, "maps"))); }

}  // namespace thp::platform::procfs
