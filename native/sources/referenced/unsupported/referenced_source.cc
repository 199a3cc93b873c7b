#include "sources/referenced/referenced_source.h"

namespace thp::sources {

std::unique_ptr<ReferencedSource> CreateReferencedSource(const ReferencedOptions& /*options*/, std::string* why_not) {
  *why_not = "the referenced access source needs Linux (MADV_COLD and /proc/self/smaps)";
  return nullptr;
}

}  // namespace thp::sources
