#include "platform/linux/procfs/smaps.h"

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

namespace {

// The VmFlags line is the only one whose value is a list.
bool ParseVmFlags(std::string_view line, std::vector<std::string>& flags) {
  constexpr std::string_view kPrefix = "VmFlags:";
  if (line.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = line.substr(kPrefix.size()), flag;
  while (NextToken(rest, flag)) flags.emplace_back(flag);
  return true;
}

// THPeligible is a number, moved out of `counts` into a boolean-like field.
void TakeThpEligible(SmapsVma& entry) {
  auto it = entry.fields.counts.find("THPeligible");
  if (it == entry.fields.counts.end()) return;
  entry.thpEligible = it->second != 0 ? 1 : 0;
  entry.fields.counts.erase(it);
}

}  // namespace

std::vector<SmapsVma> ParseSmaps(std::string_view text) {
  std::vector<SmapsVma> entries;
  ForEachLine(text, [&](std::string_view line, size_t lineNumber) {
    Vma vma;
    if (ParseVmaHeader(line, vma)) {
      if (!entries.empty()) TakeThpEligible(entries.back());
      entries.push_back(SmapsVma{std::move(vma), {}, -1, {}});
      return;
    }
    if (entries.empty()) ThrowMalformedLine("smaps", lineNumber, line, "comes before any VMA header");
    if (ParseVmFlags(line, entries.back().vmFlags)) return;
    if (!AddKeyFieldLine(line, entries.back().fields))
      ThrowMalformedLine("smaps", lineNumber, line, "is neither a VMA header nor a field");
  });
  if (!entries.empty()) TakeThpEligible(entries.back());
  return entries;
}

std::vector<SmapsVma> ReadSmaps(int pid) { return ParseSmaps(ReadTextFile(ProcPath(pid, "smaps"))); }

}  // namespace thp::platform::procfs
