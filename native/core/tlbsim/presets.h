// Named machine presets for the simulator; sources are cited next to each in presets.cc.
#pragma once

#include <string>
#include <vector>

#include "core/tlbsim/sim_config.h"

namespace thp::tlbsim {

// Names of every preset, in display order.
const std::vector<std::string>& PresetNames();
// Fills `out` with the named preset; false if the name is unknown.
bool LoadPreset(const std::string& name, SimConfig* out);

}  // namespace thp::tlbsim
