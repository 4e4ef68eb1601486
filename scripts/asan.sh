#!/usr/bin/env bash
# Builds the whole project (library, tests, benchmarks, examples, ledgerctl)
# with AddressSanitizer and UndefinedBehaviorSanitizer in its own build tree
# and runs every CTest test; exits non-zero on a failed test or on any
# sanitizer report (a report aborts the process, so its test fails).
#
#   bash scripts/asan.sh [extra ctest arguments, e.g. -R Durability]
#
# Flags: -fsanitize=address,undefined -fno-sanitize-recover=all (every UBSan
# finding is fatal, not just printed) -fno-omit-frame-pointer, at -O1 -g so
# that the build stays quick and the stacks readable. The runtime options
# below add leak checking (LeakSanitizer, at exit of every process),
# use-after-return and strict string checks.
#
# Nothing is skipped: every test, the SIGKILL crash test included (its
# children are killed with SIGKILL, which ASan does not need to survive: the
# parent checks what they left on disk), runs instrumented, and so do the
# programs the tests start (ledgerctl, the county drill, the benchmarks'
# smoke runs, the installed-package consumer, built with the same flags).
# Debian's Abseil, protobuf and GoogleTest are not instrumented: errors
# inside them are not seen, calls into them are.
#
# Environment:
#   BUILD_DIR  build tree (default: build-asan, beside build/)
#   CXX        compiler (default: clang++ when installed, else g++)
#   JOBS       parallel build and test jobs (default: number of cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="${PWD}"

bash scripts/install-deps.sh

build_dir="${BUILD_DIR:-build-asan}"
mkdir -p "${build_dir}"
build_dir="$(cd "${build_dir}" && pwd)"
jobs="${JOBS:-$(nproc)}"
if [[ -z "${CXX:-}" ]]; then
  if command -v clang++ >/dev/null 2>&1; then
    CXX=clang++
  else
    CXX=g++
  fi
fi
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi

cmake -S "${root}" -B "${build_dir}" "${generator[@]}" \
  -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_CXX_FLAGS="${sanitize} -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="${sanitize}" \
  -DCMAKE_SHARED_LINKER_FLAGS="${sanitize}" \
  -DCONTACTLEDGER_BUILD_TESTS=ON \
  -DCONTACTLEDGER_BUILD_BENCHMARKS=ON \
  -DCONTACTLEDGER_BUILD_EXAMPLES=ON \
  -DCONTACTLEDGER_BUILD_TOOLS=ON \
  -DCONTACTLEDGER_BUILD_FUZZERS=OFF >"${build_dir}/configure.log" || {
  cat "${build_dir}/configure.log" >&2
  exit 1
}
cmake --build "${build_dir}" -j"${jobs}"

export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
ctest --test-dir "${build_dir}" --output-on-failure --no-tests=error \
  -j"${jobs}" "$@"
echo "asan: every test passed under AddressSanitizer and" \
  "UndefinedBehaviorSanitizer (${CXX})"
