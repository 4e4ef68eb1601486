#!/usr/bin/env bash
# Builds ContactLedger (library, tests, benchmarks, examples) and runs every
# test through CTest. Installs missing Debian packages first. Then, when clang
# with libFuzzer is installed, the fuzz targets' smoke run (scripts/fuzz.sh:
# each target for FUZZ_SECONDS, about a minute in all, in build-fuzz/).
#
#   bash scripts/test.sh [extra ctest arguments, e.g. -R Ledger]
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores),
# FUZZ_SECONDS (default 10; 0 skips the fuzz run), FUZZ_BUILD_DIR (default
# build-fuzz).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"

bash scripts/install-deps.sh

# Pick the generator only for a new build tree: an existing one keeps its own.
generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi
cmake -S . -B "${build_dir}" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "${build_dir}" -j"${jobs}"
ctest --test-dir "${build_dir}" --output-on-failure --no-tests=error \
  -j"${jobs}" "$@"

if [[ "${FUZZ_SECONDS:-10}" != 0 ]]; then
  fuzz_status=0
  BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}" FUZZ_CORPUS=seeds \
    bash scripts/fuzz.sh "${FUZZ_SECONDS:-10}" || fuzz_status=$?
  # 77: no clang with libFuzzer here; fuzz.sh said so.
  [[ ${fuzz_status} -eq 0 || ${fuzz_status} -eq 77 ]] || exit "${fuzz_status}"
fi
