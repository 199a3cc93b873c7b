#include "platform/linux/probe/thp_settings.h"

#include <dirent.h>

#include <algorithm>
#include <cstdio>

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::probe {

namespace {

constexpr const char* kThpDir = "/sys/kernel/mm/transparent_hugepage";

bool ReadNumber(const std::string& path, uint64_t& value) {
  std::string text;
  if (procfs::TryReadTextFile(path, text) != 0) return false;
  return procfs::ParseDecimal(procfs::TrimSpaces(std::string_view(text).substr(0, text.find('\n'))), value);
}

Choice ReadChoice(const std::string& path) {
  std::string text;
  return procfs::TryReadTextFile(path, text) == 0 ? ParseChoice(text) : Choice{};
}

void ReadNumbers(const std::string& dir, std::initializer_list<const char*> names, std::map<std::string, uint64_t>& out) {
  for (const char* name : names) {
    uint64_t value = 0;
    if (ReadNumber(dir + "/" + name, value)) out[name] = value;
  }
}

std::vector<ThpSizeSetting> ReadSizes() {
  std::vector<ThpSizeSetting> sizes;
  DIR* dir = ::opendir(kThpDir);
  if (dir == nullptr) return sizes;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): readdir is safe on a stream no other thread uses (this one is local).
  while (dirent* entry = ::readdir(dir)) {
    unsigned long long kilobytes = 0;
    char tail[4] = {};
    if (std::sscanf(entry->d_name, "hugepages-%llu%3s", &kilobytes, tail) != 2 || std::string(tail) != "kB") continue;
    // Sizes that only shmem can use (such as 8 KiB) have shmem_enabled but no enabled file.
    Choice enabled = ReadChoice(std::string(kThpDir) + "/" + entry->d_name + "/enabled");
    if (!enabled.choices.empty()) sizes.push_back({kilobytes, std::move(enabled)});
  }
  ::closedir(dir);
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.kilobytes < b.kilobytes; });
  return sizes;
}

}  // namespace

Choice ParseChoice(std::string_view text) {
  Choice choice;
  text = text.substr(0, text.find('\n'));
  std::string_view token;
  while (procfs::NextToken(text, token)) {
    if (token.size() > 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
      choice.selected.assign(token);
    }
    choice.choices.emplace_back(token);
  }
  return choice;
}

ThpSettings ReadThpSettings() {
  ThpSettings settings;
  const std::string dir = kThpDir;
  settings.enabled = ReadChoice(dir + "/enabled");
  if (settings.enabled.selected.empty()) {
    settings.Fail("no " + dir + "/enabled: the kernel was built without transparent huge pages");
    return settings;
  }
  settings.supported = true;
  settings.defrag = ReadChoice(dir + "/defrag");
  ReadNumbers(dir, {"hpage_pmd_size", "shrink_underused", "use_zero_page"}, settings.values);
  ReadNumbers(dir + "/khugepaged",
              {"max_ptes_none", "max_ptes_swap", "max_ptes_shared", "pages_to_scan", "scan_sleep_millisecs",
               "alloc_sleep_millisecs", "defrag", "pages_collapsed", "full_scans"},
              settings.khugepaged);
  settings.sizes = ReadSizes();
  return settings;
}

}  // namespace thp::platform::probe
