# Sourced by the sanitizer jobs: the environment that runs an uninstrumented node with the
# sanitizer-built addon. Node itself is not instrumented, so the sanitizer runtime must be the
# first library loaded (LD_PRELOAD) for the addon's instrumentation to find it.
#   thp_sanitizer_env address <addon.node> <report-dir>
#   thp_sanitizer_env thread  <addon.node> <report-dir>
# Every report is written to <report-dir> (log_path) as well as making its process exit
# non-zero: a report inside a child process that a test spawns would otherwise only reach
# that child's stderr. thp_sanitizer_reports then fails the job if any report exists.

thp_sanitizer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

thp_sanitizer_env() {
  local kind="$1" addon="$2" reports="$3" library runtime
  case "$kind" in
    address) library=libasan.so ;;
    thread) library=libtsan.so ;;
    *) echo "error: unknown sanitizer '$kind' (address or thread)" >&2; return 1 ;;
  esac
  # The runtime of the compiler that built the addon (cmake-js uses g++ by default).
  runtime="$(g++ -print-file-name="$library")"
  if [ ! -f "$runtime" ]; then
    echo "error: the ${kind} sanitizer runtime is not installed (g++ -print-file-name gave '$runtime')" >&2
    return 1
  fi
  if [ ! -f "$addon" ]; then
    echo "error: no sanitizer build at $addon" >&2
    return 1
  fi
  rm -rf "$reports" && mkdir -p "$reports"
  export THP_AUTOTUNE_NATIVE="$addon"
  export LD_PRELOAD="$runtime"
  # UBSan is linked into the ASan build; its reports are fatal too (no recovery).
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86:log_path=$reports/ubsan:suppressions=$thp_sanitizer_dir/ubsan.supp"
  # Node's own allocations at exit are not ours: leaks are checked by leak-cycles.mjs with
  # node's leaks suppressed (lsan.supp), not in every process.
  export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:exitcode=86:log_path=$reports/asan:strict_string_checks=1:detect_stack_use_after_return=0"
  export LSAN_OPTIONS="suppressions=$thp_sanitizer_dir/lsan.supp:print_suppressions=0"
  export TSAN_OPTIONS="halt_on_error=1:exitcode=86:log_path=$reports/tsan:second_deadlock_stack=1:suppressions=$thp_sanitizer_dir/tsan.supp"
}

# Fails (with the reports printed) when any sanitizer wrote a report under <report-dir>.
thp_sanitizer_reports() {
  local reports="$1" found
  found="$(find "$reports" -type f 2>/dev/null | sort)"
  if [ -n "$found" ]; then
    echo "error: sanitizer reports were written:" >&2
    for f in $found; do echo "---- $f" >&2; cat "$f" >&2; done
    return 1
  fi
  echo "no sanitizer reports in $reports"
}
