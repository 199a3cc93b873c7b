// Small scanning helpers shared by the /proc parsers: they never allocate, never throw, and
// report malformed input by returning false so each parser can name the line it rejects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace thp::platform::procfs {

// Splits off the next line (without its '\n') from `text`; false when nothing is left.
bool NextLine(std::string_view& text, std::string_view& line);

// Splits off the next whitespace-separated token from `text`; false when none is left.
bool NextToken(std::string_view& text, std::string_view& token);

std::string_view TrimSpaces(std::string_view s);

// Whole-token unsigned parses; false on an empty token, a stray character or overflow.
bool ParseHex(std::string_view token, uint64_t& value);
bool ParseDecimal(std::string_view token, uint64_t& value);

// "Key:   1234 kB" (smaps, smaps_rollup, meminfo). `key` excludes the colon; `hasKb` tells
// whether the value carried the " kB" unit (then `value` is in kB as written). Lines whose
// value is not a single number (smaps' "VmFlags: rd wr") return false.
bool ParseKeyNumberLine(std::string_view line, std::string_view& key, uint64_t& value, bool& hasKb);

}  // namespace thp::platform::procfs

namespace thp::platform::procfs {

// Throws std::invalid_argument("<file> line <n> <why>: \"<line, cut at 120 chars>\"").
[[noreturn]] void ThrowMalformedLine(const char* file, size_t lineNumber, std::string_view line, const char* why);

}  // namespace thp::platform::procfs
