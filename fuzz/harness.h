// Shared by every libFuzzer harness in this folder. A parser of untrusted text may either
// return or reject the text with std::invalid_argument (its documented way to name the bad
// line); any other exception escapes and libFuzzer reports it as a crash, as it does for every
// memory error (ASan), undefined behaviour (UBSan) and failed Require().
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace thp::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// Runs parse(text) and swallows only the parser's documented rejection.
template <typename Parse>
void ParseOrReject(const uint8_t* data, size_t size, Parse&& parse) {
  try {
    parse(AsText(data, size));
  } catch (const std::invalid_argument&) {
    // Rejected with a message naming the line: the expected outcome for most inputs.
  }
}

// An invariant of a parser's result; a violation is a bug even without a memory error.
inline void Require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

}  // namespace thp::fuzz
