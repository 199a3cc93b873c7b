#include "sources/kernel_damon/linux/kdamond_slot.h"

#include <algorithm>
#include <stdexcept>

#include "platform/system_error.h"
#include "sources/kernel_damon/linux/sysfs_dir.h"

namespace thp::sources::kernel_damon {

namespace {

const std::string kKdamonds = std::string(kAdminDir) + "/kdamonds";
// The widest access pattern (design.rst "Target Access Pattern"): sizes 0..ULONG_MAX, nr_accesses and age 0..UINT_MAX, so
// the stat scheme tries every region and its tried regions are the whole snapshot.
constexpr const char* kMaxSize = "18446744073709551615";
constexpr const char* kMaxCount = "4294967295";

}  // namespace

KdamondSlot::~KdamondSlot() { Release(); }

std::string KdamondSlot::Context() const { return kdamond_ + "/contexts/0"; }

bool KdamondSlot::On() const { return ReadValue(kdamond_ + "/state") == "on"; }

void KdamondSlot::Start(int64_t pid, const std::vector<monitor::AddressRange>& ranges, const monitor::Attrs& attrs) {
  pid_ = pid;
  const uint64_t count = ReadNumber(kKdamonds + "/nr_kdamonds");
  if (count == 0) {
    WriteValue(kKdamonds + "/nr_kdamonds", "1");
    grew_ = true;
    kdamond_ = kKdamonds + "/0";
  } else {
    for (const auto& name : NumberedEntries(kKdamonds)) {
      const std::string dir = kKdamonds + "/" + name;
      if (ReadValue(dir + "/state") == "off" && ReadNumber(dir + "/contexts/nr_contexts") == 0) {
        kdamond_ = dir;
        break;
      }
    }
    if (kdamond_.empty())
      throw std::runtime_error("all " + std::to_string(count) +
                               " kdamonds of DAMON's sysfs interface are configured by someone else; adding one would "
                               "reset theirs (nr_kdamonds rebuilds every kdamond directory)");
  }
  WriteValue(kdamond_ + "/contexts/nr_contexts", "1");
  // Sets without fixed ranges follow the mappings by the three-regions rule (design.rst "Virtual Address Space Specific Implementation"); fixed
  // ranges are kept as given (fvaddr).
  WriteValue(Context() + "/operations", ranges.empty() ? "vaddr" : "fvaddr");
  WriteAttrs(attrs);
  WriteTarget(pid, ranges);
  WriteStatScheme();
  WriteValue(kdamond_ + "/state", "on");
}

void KdamondSlot::WriteAttrs(const monitor::Attrs& a) {
  const std::string m = Context() + "/monitoring_attrs";
  WriteValue(m + "/intervals/sample_us", std::to_string(a.sample_us));
  WriteValue(m + "/intervals/aggr_us", std::to_string(a.aggr_us));
  WriteValue(m + "/intervals/update_us", std::to_string(a.ops_update_us));
  // The kernel checks min <= max only when the attributes are applied; write max first so
  // the pair is consistent in between as far as possible.
  WriteValue(m + "/nr_regions/max", std::to_string(a.max_nr_regions));
  WriteValue(m + "/nr_regions/min", std::to_string(a.min_nr_regions));
  const std::string goal = m + "/intervals/intervals_goal";
  if (IsDirectory(goal)) {  // intervals auto-tuning, Linux 6.15 or later (design.rst "Monitoring Intervals Auto-tuning")
    WriteValue(goal + "/access_bp", std::to_string(a.goal.access_bp));
    WriteValue(goal + "/aggrs", std::to_string(a.goal.aggrs));
    WriteValue(goal + "/min_sample_us", std::to_string(a.goal.min_sample_us));
    WriteValue(goal + "/max_sample_us", std::to_string(a.goal.max_sample_us));
  } else if (a.goal.aggrs != 0) {
    throw std::runtime_error("this kernel's DAMON has no intervals auto-tuning (intervals_goal, Linux 6.15 or later)");
  }
}

void KdamondSlot::WriteTarget(int64_t pid, const std::vector<monitor::AddressRange>& ranges) {
  const std::string targets = Context() + "/targets";
  WriteValue(targets + "/nr_targets", "1");
  WriteValue(targets + "/0/pid_target", std::to_string(pid));
  const std::string regions = targets + "/0/regions";
  WriteValue(regions + "/nr_regions", std::to_string(ranges.size()));
  for (size_t i = 0; i < ranges.size(); i++) {
    const std::string r = regions + "/" + std::to_string(i);
    WriteValue(r + "/start", std::to_string(ranges[i].start));
    WriteValue(r + "/end", std::to_string(ranges[i].end));
  }
}

void KdamondSlot::WriteStatScheme() {
  const std::string schemes = Context() + "/schemes";
  WriteValue(schemes + "/nr_schemes", "1");
  const std::string s = schemes + "/0";
  WriteValue(s + "/action", "stat");
  WriteValue(s + "/access_pattern/sz/min", "0");
  WriteValue(s + "/access_pattern/sz/max", kMaxSize);
  WriteValue(s + "/access_pattern/nr_accesses/min", "0");
  WriteValue(s + "/access_pattern/nr_accesses/max", kMaxCount);
  WriteValue(s + "/access_pattern/age/min", "0");
  WriteValue(s + "/access_pattern/age/max", kMaxCount);
}

void KdamondSlot::CommitAttrs(const monitor::Attrs& attrs) {
  WriteAttrs(attrs);
  WriteValue(kdamond_ + "/state", "commit");
}

std::vector<monitor::RegionSnapshot> KdamondSlot::NextRegions() {
  try {
    WriteValue(kdamond_ + "/state", "update_schemes_tried_regions");
  } catch (const platform::SystemError&) {
    // Linux 6.12 refuses state commands with EINVAL once the kdamond is off: a vaddr
    // kdamond stops by itself when its process exits (design.rst "Execution Model and Data Structures" target_valid).
    if (!On()) throw std::runtime_error("the kdamond stopped: monitored process " + std::to_string(pid_) + " exited");
    throw;
  }
  const std::string dir = Context() + "/schemes/0/tried_regions";
  std::vector<monitor::RegionSnapshot> out;
  for (const auto& name : NumberedEntries(dir)) {
    const std::string r = dir + "/" + name;
    monitor::RegionSnapshot region;
    region.start = ReadNumber(r + "/start");
    region.end = ReadNumber(r + "/end");
    region.nr_accesses = static_cast<uint32_t>(ReadNumber(r + "/nr_accesses"));
    region.nr_accesses_bp =
        static_cast<uint64_t>(region.nr_accesses) * 10000;  // exact at the boundary (design.rst "Access Frequency Monitoring")
    region.age = static_cast<uint32_t>(ReadNumber(r + "/age"));
    out.push_back(region);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  return out;
}

void KdamondSlot::Release() {
  if (kdamond_.empty()) return;
  try {
    if (On()) WriteValue(kdamond_ + "/state", "off");
  } catch (const std::exception&) {
    // Off already (it stopped between the read and the write): nothing to undo.
  }
  try {
    if (grew_) WriteValue(kKdamonds + "/nr_kdamonds", "0");
    else WriteValue(kdamond_ + "/contexts/nr_contexts", "0");
  } catch (const std::exception&) {
    // Best effort: a slot left configured but off harms nobody, and the next run can reuse
    // it only after nr_contexts is 0 again.
  }
  kdamond_.clear();
  grew_ = false;
}

}  // namespace thp::sources::kernel_damon
