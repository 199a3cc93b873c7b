// One kdamond of DAMON's sysfs interface (Documentation/admin-guide/mm/damon/usage.rst, "sysfs Interface"), owned for one monitoring run:
// taken, configured for one process, turned on, queried every aggregation, and given back
// as it was found. Other users' kdamonds are never touched: writing nr_kdamonds rebuilds
// every kdamond directory (dropping their configuration, EBUSY while one runs), so a slot is
// only taken when nr_kdamonds is 0 (we grow it to 1 and shrink it back) or when an existing
// kdamond is off and has no context (we add ours and remove it again).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/monitor/attrs.h"
#include "core/monitor/monitor_core.h"
#include "core/monitor/region.h"

namespace thp::sources::kernel_damon {

class KdamondSlot {
 public:
  KdamondSlot() = default;
  ~KdamondSlot();  // Release()
  KdamondSlot(const KdamondSlot&) = delete;
  KdamondSlot& operator=(const KdamondSlot&) = delete;

  // Takes a slot, writes the context (operations vaddr, or fvaddr with `ranges`; the
  // attributes; one target; one `stat` scheme matching every region) and turns it on.
  // Throws SystemError, or std::runtime_error when every slot belongs to someone else.
  void Start(int64_t pid, const std::vector<monitor::AddressRange>& ranges, const monitor::Attrs& attrs);

  // Writes new attributes and commits them to the running kdamond (state command `commit`).
  void CommitAttrs(const monitor::Attrs& attrs);

  // One aggregation's regions (design.rst "Statistics"): the `update_schemes_tried_regions` command returns once
  // the stat scheme has been applied, that is at the next aggregation boundary (after merge
  // and age update, before reset, design.rst "Execution Model and Data Structures"), and leaves the regions it tried in tried_regions/.
  // Throws std::runtime_error once the kdamond has stopped (its process exited).
  std::vector<monitor::RegionSnapshot> NextRegions();

  // Turns the kdamond off and gives the slot back as it was found. Never throws.
  void Release();

 private:
  std::string Context() const;
  void WriteAttrs(const monitor::Attrs& attrs);
  void WriteTarget(int64_t pid, const std::vector<monitor::AddressRange>& ranges);
  void WriteStatScheme();
  bool On() const;

  std::string kdamond_;  // its directory; empty when no slot is held
  bool grew_ = false;    // nr_kdamonds was 0 and we made it 1
  int64_t pid_ = 0;
};

}  // namespace thp::sources::kernel_damon
