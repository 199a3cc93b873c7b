// Errors crossing into JS carry machine-readable fields that lib/native/errors.ts turns into
// the package's typed errors: `errno` (such as "EPERM"), `syscall`, and optionally `pid`.
#pragma once
#include <napi.h>

#include <string>

namespace thp::addon {

// A JS Error for a failed system call; `errnoValue` is the numeric errno.
Napi::Error ErrnoError(Napi::Env env, const std::string& syscall, int errnoValue, const std::string& detail = "");

// The symbolic name of an errno value ("EAGAIN"), or "E<number>" when it has none.
std::string ErrnoName(int errnoValue);

}  // namespace thp::addon
