// The simulated page table's collapse result as a JS object, for the two classes that expose
// it (TlbSimulator and the monitor's sim source), so both name every status from one table.
#pragma once

#include <napi.h>

#include "core/tlbsim/page_table.h"

namespace thp::addon {

// {status, nonePtes, filledPages}; a successful collapse is named `ok_name` ("ok" for
// TlbSimulator, "collapsed" for the sim source, matching MADV_COLLAPSE's outcome names).
Napi::Object CollapseResultToJs(Napi::Env env, const tlbsim::CollapseResult& result, const char* ok_name);

}  // namespace thp::addon
