#include "platform/linux/procfs/anonymous_mappings.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace thp::platform::procfs {

namespace {

constexpr uint64_t kHugeUnit = uint64_t{2} << 20;

bool IsSpecial(std::string_view pathname) {
  constexpr std::array<std::string_view, 6> kSpecial = {"[stack]",    "[vvar]",        "[vdso]",
                                                        "[vsyscall]", "[vvar_vclock]", "[uprobes]"};
  return std::find(kSpecial.begin(), kSpecial.end(), pathname) != kSpecial.end();
}

bool IsAnonymousPrivate(const Vma& vma) {
  return vma.perms.size() == 4 && vma.perms[3] == 'p' && vma.inode == 0 && !IsSpecial(vma.pathname) &&
         (vma.pathname.empty() || vma.pathname[0] == '[');
}

}  // namespace

std::vector<AnonymousMapping> AnonymousMappings(const std::vector<SmapsVma>& vmas, uint64_t unit) {
  std::vector<AnonymousMapping> out;
  std::string last_perms;
  for (const auto& v : vmas) {
    if (!IsAnonymousPrivate(v.vma)) continue;
    const auto anonymous = v.fields.bytes.find("Anonymous");
    const uint64_t bytes = anonymous == v.fields.bytes.end() ? 0 : anonymous->second;
    const bool collapsible = v.vma.perms[1] == 'w' && std::find(v.vmFlags.begin(), v.vmFlags.end(), "nh") == v.vmFlags.end();
    if (!out.empty() && out.back().end == v.vma.start && v.vma.start % unit == 0 && last_perms == v.vma.perms &&
        out.back().collapsible == collapsible) {
      out.back().end = v.vma.end;
      out.back().anonymous_bytes += bytes;
    } else {
      out.push_back({v.vma.start, v.vma.end, bytes, collapsible});
      last_perms = v.vma.perms;
    }
  }
  return out;
}

std::vector<AnonymousMapping> ReadAnonymousMappings(int pid) { return AnonymousMappings(ReadSmaps(pid), kHugeUnit); }

}  // namespace thp::platform::procfs
