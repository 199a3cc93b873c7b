// What every probed capability reports: whether this process can use it here and, when it
// cannot, a one-line reason a user can act on.
#pragma once

#include <string>

namespace thp::platform::probe {

struct Support {
  bool supported = false;
  std::string reason;  // empty when supported

  void Fail(std::string why) {
    supported = false;
    reason = std::move(why);
  }
};

}  // namespace thp::platform::probe
