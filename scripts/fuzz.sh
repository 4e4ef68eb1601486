#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in a build tree of their own, and runs each for
# a while; fails on any crash. Installs missing Debian packages first (clang
# among them). fuzz/README.md describes the targets.
#
#   bash scripts/fuzz.sh [SECONDS [TARGET...]]
#
#   SECONDS  how long each target runs (default 10: the smoke run that
#            scripts/test.sh makes, about a minute for the seven targets)
#   TARGET   which targets (default: all of them), e.g. log_open_fuzzer
#
# A long run, e.g. an hour per target, or one target on both cores:
#   bash scripts/fuzz.sh 3600
#   FUZZ_JOBS=2 bash scripts/fuzz.sh 3600 snapshot_open_fuzzer
#
# Corpora: each target reads the checked-in seeds in fuzz/corpus/<name> (the
# target's name without "_fuzzer") and the seeds fuzz_seeds writes (ledger
# files written by the library, the policy presets) to $BUILD_DIR/seeds/<name>,
# and keeps what it finds in
# $BUILD_DIR/corpus/<target>, so that later runs start from there.
# A crash (a sanitizer report, a failed FUZZ_CHECK, a leak, a timeout) leaves
# its input in $BUILD_DIR/crashes/<target>/ and the log in
# $BUILD_DIR/logs/<target>.log; the script prints how to replay it. Every
# crash fixed becomes a test in tests/fuzz_regression_test.cc.
#
# Environment:
#   BUILD_DIR  build tree (default: build-fuzz)
#   FUZZ_CXX   compiler (default: clang++); must be clang with libFuzzer
#   JOBS       parallel build jobs (default: number of cores)
#   FUZZ_JOBS  fuzzing processes per target (default 1)
#   FUZZ_ARGS  extra libFuzzer flags, e.g. "-max_len=65536"
#   FUZZ_CORPUS  keep (default): start from and add to
#              $BUILD_DIR/corpus/<target>; seeds: start from the seeds only,
#              in a scratch corpus (scripts/test.sh's smoke run, so that its
#              length does not grow with the kept corpus)
# Exit status: 0 all clean, 1 a crash or a build failure, 77 no libFuzzer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="${PWD}"

seconds="${1:-10}"
shift || true
all_targets=(record_reader_fuzzer log_open_fuzzer snapshot_open_fuzzer
  csv_import_fuzzer jsonl_import_fuzzer policy_parser_fuzzer
  stream_message_fuzzer)
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=("${all_targets[@]}")
fi

bash scripts/install-deps.sh

build_dir="${BUILD_DIR:-build-fuzz}"
mkdir -p "${build_dir}"
build_dir="$(cd "${build_dir}" && pwd)"
jobs="${JOBS:-$(nproc)}"
fuzz_jobs="${FUZZ_JOBS:-1}"
CXX="${FUZZ_CXX:-clang++}"

# libFuzzer ships with clang (Debian: clang, libclang-rt-dev).
probe_dir="$(mktemp -d)"
trap 'rm -rf "${probe_dir}"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) {\n  return 0;\n}\n' \
  >"${probe_dir}/probe.cc"
if ! "${CXX}" -fsanitize=fuzzer,address,undefined "${probe_dir}/probe.cc" \
    -o "${probe_dir}/probe" >/dev/null 2>&1; then
  echo "fuzz: skipped: ${CXX} cannot build a libFuzzer target" \
    "(install clang and libclang-rt-dev)"
  exit 77
fi

generator=()
if [[ ! -f "${build_dir}/CMakeCache.txt" ]] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
# Only the library and the targets: no tests, benchmarks, examples or tools.
# -O1 -g keeps the build quick and the stack traces readable.
cmake -S "${root}" -B "${build_dir}" "${generator[@]}" \
  -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCONTACTLEDGER_BUILD_FUZZERS=ON \
  -DCONTACTLEDGER_BUILD_TESTS=OFF \
  -DCONTACTLEDGER_BUILD_BENCHMARKS=OFF \
  -DCONTACTLEDGER_BUILD_EXAMPLES=OFF \
  -DCONTACTLEDGER_BUILD_TOOLS=OFF \
  -DCONTACTLEDGER_INSTALL=OFF >"${build_dir}/configure.log" || {
  cat "${build_dir}/configure.log" >&2
  exit 1
}
cmake --build "${build_dir}" -j"${jobs}" --target fuzzers

rm -rf "${build_dir}/seeds"
"${build_dir}/fuzz/fuzz_seeds" "${build_dir}/seeds"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

clean=0
crashed=0
for target in "${targets[@]}"; do
  corpus="${build_dir}/corpus/${target}"
  if [[ "${FUZZ_CORPUS:-keep}" == seeds ]]; then
    corpus="${build_dir}/scratch-corpus/${target}"
    rm -rf "${corpus}"
  fi
  crashes="${build_dir}/crashes/${target}"
  log="${build_dir}/logs/${target}.log"
  mkdir -p "${corpus}" "${crashes}" "$(dirname "${log}")"
  corpora=("${corpus}")
  base="${target%_fuzzer}"
  for dir in "${root}/fuzz/corpus/${base}" "${build_dir}/seeds/${base}"; do
    [[ -d "${dir}" ]] && corpora+=("${dir}")
  done
  dict=()
  [[ -f "${root}/fuzz/${base}.dict" ]] && dict=(-dict="${root}/fuzz/${base}.dict")
  parallel=()
  if [[ "${fuzz_jobs}" -gt 1 ]]; then
    parallel=(-fork="${fuzz_jobs}" -ignore_crashes=0)
  fi
  stamp="${build_dir}/logs/${target}.start"
  touch "${stamp}"
  # ${FUZZ_ARGS} is split into words on purpose.
  # shellcheck disable=SC2086
  if "${build_dir}/fuzz/${target}" "${corpora[@]}" "${dict[@]}" \
      "${parallel[@]}" -max_total_time="${seconds}" -timeout=20 \
      -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="${crashes}/" ${FUZZ_ARGS:-} >"${log}" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -1)"
    cov="$(grep -o 'cov: [0-9]*' "${log}" | tail -1 | cut -d' ' -f2)"
    echo "fuzz: ${target}: clean, ${runs:-?} runs in ${seconds} s," \
      "coverage ${cov:-?}, corpus $(find "${corpus}" -type f | wc -l) inputs"
    clean=$((clean + 1))
  else
    echo "fuzz: ${target}: CRASHED; the end of ${log}:" >&2
    tail -n 40 "${log}" >&2
    find "${crashes}" -type f -newer "${stamp}" | while read -r input; do
      echo "fuzz: replay with: ${build_dir}/fuzz/${target} ${input}" >&2
    done
    crashed=$((crashed + 1))
  fi
done
echo "fuzz: ${#targets[@]} targets for ${seconds} s each: ${clean} clean," \
  "${crashed} crashed"
[[ ${crashed} -eq 0 ]]
