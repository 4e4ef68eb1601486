#!/usr/bin/env bash
# Builds the library and the threading tests with ThreadSanitizer and runs
# them; exits non-zero on any data race or other TSAN report.
#
#   bash scripts/tsan.sh [extra gtest arguments, e.g. --gtest_repeat=3]
#
# What it runs: tests/ledger_threads_test (one writer, four pinned readers
# and snapshots on durable ledgers; group commit with fsync),
# tests/ledger_concurrency_test (one writer, many readers in memory) and
# tests/block_pool_test (threads taking and giving the queries' blocks).
#
# Environment:
#   BUILD_DIR         build tree (default: build-tsan, beside build/)
#   CXX               compiler (default: clang++ when installed, else g++)
#   JOBS              parallel build jobs (default: number of cores)
#   ABSL_TSAN_PREFIX  an Abseil already built with -fsanitize=thread and
#                     installed there (default: built by this script, below)
#
# Why it builds Abseil: absl::Mutex tells TSAN about its locking only when
# Abseil itself is compiled with -fsanitize=thread. Debian's libabsl is not,
# so against it every access the library guards with an absl::Mutex is
# reported as a race (false positives in lib/, which no suppression may
# hide). The first run therefore fetches the source of the Debian Abseil
# package this machine has (`apt-get source`, with a private package list so
# that the system's apt state is untouched), builds it with TSAN (about 2
# minutes on 2 cores) and installs it under $BUILD_DIR/absl-tsan; later runs
# reuse it. Protobuf stays uninstrumented: the library takes no lock in it.
#
# TSAN_OPTIONS gets halt_on_error=1, so the first report ends the run with a
# non-zero exit code, and suppressions=scripts/tsan.supp, which names only a
# known false positive inside Abseil's own Mutex internals (see there).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="${PWD}"

build_dir="${BUILD_DIR:-build-tsan}"
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
tsan_flags="-fsanitize=thread -g -O1"
generator=()
if command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi

# ---------------------------------------------------------------------------
# Abseil with TSAN.
build_tsan_abseil() {
  local work="$1" prefix="$2" stamp="$3"
  local package version
  package="$(dpkg-query -W -f='${source:Package}' libabsl-dev)"
  version="$(dpkg-query -W -f='${source:Version}' libabsl-dev)"
  echo "=== building ${package} ${version} with ThreadSanitizer in ${work}"
  if ! command -v dpkg-source >/dev/null 2>&1; then
    apt-get install -y --no-install-recommends dpkg-dev
  fi
  rm -rf "${work}"
  mkdir -p "${work}/apt/lists/partial" "${work}/apt/cache/archives/partial" \
    "${work}/apt/sources.list.d" "${work}/get"
  # Source entries for the same archives as the system's binary ones.
  : >"${work}/apt/sources.list"
  if [[ -f /etc/apt/sources.list ]]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list \
      >>"${work}/apt/sources.list"
  fi
  local f
  for f in /etc/apt/sources.list.d/*.list; do
    [[ -f "${f}" ]] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "${f}" \
      >>"${work}/apt/sources.list.d/$(basename "${f}")"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "${f}" ]] || continue
    sed 's/^Types:.*$/Types: deb-src/' "${f}" \
      >"${work}/apt/sources.list.d/$(basename "${f}")"
  done
  local apt_options=(
    -o "Dir::Etc::SourceList=${work}/apt/sources.list"
    -o "Dir::Etc::SourceParts=${work}/apt/sources.list.d"
    -o "Dir::State::Lists=${work}/apt/lists"
    -o "Dir::Cache=${work}/apt/cache"
  )
  # A repository without sources only warns; apt-get source tells.
  apt-get "${apt_options[@]}" update >"${work}/apt-update.log" 2>&1 || true
  (cd "${work}/get" &&
    apt-get "${apt_options[@]}" source --download-only \
      "${package}=${version}" >"${work}/apt-source.log" 2>&1) || {
    cat "${work}/apt-update.log" "${work}/apt-source.log" >&2
    echo "tsan.sh: could not fetch the ${package} ${version} source" >&2
    exit 2
  }
  # apt checked the files against the signed archive index; dpkg-source's
  # "cannot verify inline signature" warning only means no debian-keyring.
  (cd "${work}/get" && dpkg-source -x ./*.dsc src >/dev/null 2>&1)
  cmake -S "${work}/get/src" -B "${work}/build" "${generator[@]}" \
    -DCMAKE_CXX_COMPILER="${CXX}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="" \
    -DCMAKE_CXX_FLAGS="${tsan_flags}" \
    -DCMAKE_CXX_STANDARD=17 \
    -DABSL_PROPAGATE_CXX_STD=ON \
    -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="${prefix}" >"${work}/configure.log"
  cmake --build "${work}/build" -j"${jobs}" >"${work}/build.log"
  cmake --install "${work}/build" >"${work}/install.log"
  rm -rf "${work}/build" "${work}/get"
  echo "${version} ${CXX} ${tsan_flags}" >"${stamp}"
}

if [[ -n "${ABSL_TSAN_PREFIX:-}" ]]; then
  absl_prefix="${ABSL_TSAN_PREFIX}"
else
  absl_prefix="${build_dir}/absl-tsan/install"
  stamp="${absl_prefix}/.tsan-stamp"
  want="$(dpkg-query -W -f='${source:Version}' libabsl-dev) ${CXX} ${tsan_flags}"
  if [[ ! -f "${stamp}" || "$(cat "${stamp}")" != "${want}" ]]; then
    rm -rf "${absl_prefix}"
    build_tsan_abseil "${build_dir}/absl-tsan/work" "${absl_prefix}" "${stamp}"
  fi
fi
absl_dir="${absl_prefix}/lib/cmake/absl"
if [[ ! -f "${absl_dir}/abslConfig.cmake" ]]; then
  absl_dir="$(dirname "$(find "${absl_prefix}" -name abslConfig.cmake | head -1)")"
fi

# ---------------------------------------------------------------------------
# The library and the tests.
project_generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  project_generator=("${generator[@]}")
fi
cmake -S "${root}" -B "${build_dir}" "${project_generator[@]}" \
  -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="" \
  -DCMAKE_CXX_FLAGS="${tsan_flags}" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -Dabsl_DIR="${absl_dir}" \
  -DCONTACTLEDGER_BUILD_TESTS=ON \
  -DCONTACTLEDGER_BUILD_BENCHMARKS=OFF \
  -DCONTACTLEDGER_BUILD_EXAMPLES=OFF \
  -DCONTACTLEDGER_INSTALL=OFF >"${build_dir}/configure.log" || {
  cat "${build_dir}/configure.log" >&2
  exit 1
}
tests=(ledger_threads_test ledger_concurrency_test block_pool_test)
cmake --build "${build_dir}" -j"${jobs}" --target contactledger "${tests[@]}"

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=${root}/scripts/tsan.supp ${TSAN_OPTIONS:-}"
# Kernels with vm.mmap_rnd_bits > 28 break older TSAN runtimes' memory
# layout ("unexpected memory mapping"); without address randomisation the
# tests run.
run=()
rnd_bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)"
if [[ "${rnd_bits}" -gt 28 ]] && command -v setarch >/dev/null 2>&1; then
  run=(setarch "$(uname -m)" -R)
fi

passed=0
failed=0
for test in "${tests[@]}"; do
  echo "=== ${test} (ThreadSanitizer)"
  if "${run[@]}" "${build_dir}/tests/${test}" "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: ${test} under ThreadSanitizer" >&2
    failed=$((failed + 1))
  fi
done
echo "tsan: ${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 ]]
