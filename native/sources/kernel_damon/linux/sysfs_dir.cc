#include "sources/kernel_damon/linux/sysfs_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"
#include "platform/linux/unique_fd.h"
#include "platform/system_error.h"

namespace thp::sources::kernel_damon {

std::vector<std::string> NumberedEntries(const std::string& dir) {
  std::vector<std::string> names;
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return names;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): readdir is safe on a stream no other thread uses (this one is local).
  while (dirent* entry = ::readdir(handle)) {
    std::string name = entry->d_name;
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) names.push_back(name);
  }
  ::closedir(handle);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
  return names;
}

namespace {

// DAMON's sysfs files take one global lock with mutex_trylock and answer EBUSY while another
// reader, writer or kdamond callback holds it (mm/damon/sysfs.c): a moment, so try again.
constexpr int kBusyAttempts = 200;
constexpr auto kBusyPause = std::chrono::milliseconds(5);

template <typename Op>
auto RetryWhileBusy(Op op) {
  for (int attempt = 1;; attempt++) {
    try {
      return op();
    } catch (const platform::SystemError& e) {
      if (e.errnoValue() != EBUSY || attempt == kBusyAttempts) throw;
    }
    std::this_thread::sleep_for(kBusyPause);
  }
}

}  // namespace

std::string_view TrimValue(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

uint64_t ParseNumber(std::string_view text, const std::string& path) {
  const std::string_view value = TrimValue(text);
  uint64_t number = 0;
  if (!platform::procfs::ParseDecimal(value, number)) {
    throw std::invalid_argument(path + " holds \"" + std::string(value.substr(0, 40)) + "\", not an unsigned number");
  }
  return number;
}

std::string ReadValue(const std::string& path) {
  return std::string(TrimValue(RetryWhileBusy([&] { return platform::procfs::ReadTextFile(path); })));
}

uint64_t ReadNumber(const std::string& path) { return ParseNumber(ReadValue(path), path); }

void WriteValue(const std::string& path, const std::string& value) {
  // The package writes nowhere else (SECURITY.md): a path outside DAMON's admin tree, or one
  // that climbs out of it, is a bug, refused before anything is opened.
  const std::string admin = std::string(kAdminDir) + "/";
  if (path.compare(0, admin.size(), admin) != 0 || path.find("/..") != std::string::npos) {
    throw std::invalid_argument("refusing to write outside " + std::string(kAdminDir) + ": " + path);
  }
  RetryWhileBusy([&] {
    platform::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) throw platform::SystemError("open", errno, path);
    if (::write(fd.get(), value.data(), value.size()) < 0) throw platform::SystemError("write", errno, path + " <- " + value);
    return 0;
  });
}

bool IsDirectory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

}  // namespace thp::sources::kernel_damon
