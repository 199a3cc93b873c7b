#include "platform/linux/procfs/pressure.h"

#include <cstdlib>
#include <string>

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"

namespace thp::platform::procfs {

namespace {

// "avg10=1.23": the kernel prints two decimals; strtod accepts that and nothing else matters.
bool ParseAverage(std::string_view token, std::string_view name, double& value) {
  if (token.size() <= name.size() + 1 || token.substr(0, name.size()) != name || token[name.size()] != '=') return false;
  std::string number(token.substr(name.size() + 1));
  char* end = nullptr;
  value = std::strtod(number.c_str(), &end);
  return end == number.c_str() + number.size() && value >= 0;
}

bool ParseLine(std::string_view rest, PressureLine& line) {
  std::string_view avg10, avg60, avg300, total, extra;
  if (!NextToken(rest, avg10) || !NextToken(rest, avg60) || !NextToken(rest, avg300) || !NextToken(rest, total) ||
      NextToken(rest, extra)) {
    return false;
  }
  constexpr std::string_view kTotal = "total=";
  if (total.substr(0, kTotal.size()) != kTotal || !ParseDecimal(total.substr(kTotal.size()), line.totalMicros)) {
    return false;
  }
  line.present = true;
  return ParseAverage(avg10, "avg10", line.avg10) && ParseAverage(avg60, "avg60", line.avg60) &&
         ParseAverage(avg300, "avg300", line.avg300);
}

}  // namespace

Pressure ParsePressure(std::string_view text) {
  Pressure pressure;
  std::string_view line;
  size_t lineNumber = 0;
  while (NextLine(text, line)) {
    ++lineNumber;
    std::string_view rest = line, kind;
    if (!NextToken(rest, kind)) continue;
    PressureLine* target = kind == "some" ? &pressure.some : kind == "full" ? &pressure.full : nullptr;
    if (target == nullptr || target->present || !ParseLine(rest, *target)) {
      ThrowMalformedLine("pressure", lineNumber, line, "is malformed");
    }
  }
  return pressure;
}

Pressure ReadMemoryPressure() { return ParsePressure(ReadTextFile("/proc/pressure/memory")); }

}  // namespace thp::platform::procfs
