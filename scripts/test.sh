#!/usr/bin/env bash
# Builds ContactLedger (library, tests, benchmarks, examples) and runs every
# test through CTest. Installs missing Debian packages first.
#
#   bash scripts/test.sh [extra ctest arguments, e.g. -R Ledger]
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
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
