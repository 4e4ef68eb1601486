#!/usr/bin/env bash
# Builds and runs an example program (default: the quickstart, which records a
# small county and prints what the ledger holds). Installs missing Debian
# packages first.
#
#   bash scripts/run-example.sh [EXAMPLE [ARGS...]]
#
# EXAMPLE is a folder of examples/ with a program of the same name.
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"
example="${1:-quickstart}"
shift || true

bash scripts/install-deps.sh

generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi
cmake -S . -B "${build_dir}" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "${build_dir}" -j"${jobs}" --target "${example}"

echo
exec "${build_dir}/examples/${example}/${example}" "$@"
