#include "sources/pagemap/pagemap_source.h"

namespace thp::sources {

std::unique_ptr<PagemapSource> CreatePagemapSource(std::string* why_not) {
  *why_not = "the pagemap access source needs Linux 6.7 or later (userfaultfd WP_ASYNC and PAGEMAP_SCAN)";
  return nullptr;
}

}  // namespace thp::sources
