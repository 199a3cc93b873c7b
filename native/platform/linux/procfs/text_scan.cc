#include "platform/linux/procfs/text_scan.h"

#include <limits>
#include <stdexcept>
#include <string>

namespace thp::platform::procfs {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool ParseInBase(std::string_view token, unsigned base, uint64_t& value) {
  if (token.empty()) return false;
  uint64_t result = 0;
  for (char c : token) {
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (result > (std::numeric_limits<uint64_t>::max() - digit) / base) return false;
    result = result * base + digit;
  }
  value = result;
  return true;
}
}  // namespace

bool NextLine(std::string_view& text, std::string_view& line) {
  if (text.empty()) return false;
  size_t end = text.find('\n');
  if (end == std::string_view::npos) {
    line = text;
    text = {};
  } else {
    line = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  return true;
}

bool NextToken(std::string_view& text, std::string_view& token) {
  size_t begin = 0;
  while (begin < text.size() && IsSpace(text[begin])) ++begin;
  if (begin == text.size()) {
    text = {};
    return false;
  }
  size_t end = begin;
  while (end < text.size() && !IsSpace(text[end])) ++end;
  token = text.substr(begin, end - begin);
  text.remove_prefix(end);
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ParseHex(std::string_view token, uint64_t& value) { return ParseInBase(token, 16, value); }
bool ParseDecimal(std::string_view token, uint64_t& value) { return ParseInBase(token, 10, value); }

bool ParseKeyNumberLine(std::string_view line, std::string_view& key, uint64_t& value, bool& hasKb) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view rest = line.substr(colon + 1);
  std::string_view number, unit, extra;
  if (!NextToken(rest, number) || !ParseDecimal(number, value)) return false;
  hasKb = NextToken(rest, unit);
  if (hasKb && unit != "kB") return false;
  if (NextToken(rest, extra)) return false;
  key = line.substr(0, colon);
  return true;
}

}  // namespace thp::platform::procfs

namespace thp::platform::procfs {

void ThrowMalformedLine(const char* file, size_t lineNumber, std::string_view line, const char* why) {
  throw std::invalid_argument(std::string(file) + " line " + std::to_string(lineNumber) + " " + why + ": \"" +
                              std::string(line.substr(0, 120)) + "\"");
}

}  // namespace thp::platform::procfs
