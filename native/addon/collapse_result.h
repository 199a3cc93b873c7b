// The simulated page table's collapse result as a JS object, for the two classes that expose
// it (TlbSimulator and the monitor's sim source), so both name every status from one table.
#pragma once

#include <napi.h>

#include "core/tlbsim/page_table.h"

namespace thp::addon {

// {status, nonePtes, filledPages}; a successful collapse is 'collapsed', as MADV_COLLAPSE's
// outcome is named in the memory API.
Napi::Object CollapseResultToJs(Napi::Env env, const tlbsim::CollapseResult& result);

}  // namespace thp::addon
