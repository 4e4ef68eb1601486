#!/usr/bin/env bash
# Builds and runs an example program. Installs missing Debian packages first.
#
#   bash scripts/run-example.sh                  # the county drill
#   bash scripts/run-example.sh EXAMPLE [ARGS...]
#
# By default it runs the county drill (examples/county_drill): a county of
# 600,000 people replayed from 22 January to 8 February 2020, with a ledger
# report each day; it leaves the ledger (drill-output/ledger), the roster,
# the open loops and a drawing of the transmission chain in drill-output/.
# Run again, it reopens and verifies that ledger (--fresh starts over).
#
# EXAMPLE is a folder of examples/ with a program of the same name, e.g.
# quickstart, or county_drill --persons=100000 --out=/tmp/drill.
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"
example="${1:-county_drill}"
shift || true
args=("$@")
if [[ "${example}" == county_drill && ${#args[@]} -eq 0 ]]; then
  args=(--out=drill-output)
fi

bash scripts/install-deps.sh

generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi
cmake -S . -B "${build_dir}" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "${build_dir}" -j"${jobs}" --target "${example}"

echo
exec "${build_dir}/examples/${example}/${example}" ${args[@]+"${args[@]}"}
