#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build and test ContactLedger.
# Idempotent: prints nothing and changes nothing when everything is present.
set -euo pipefail

packages=(
  cmake
  g++
  ninja-build
  make
  pkg-config
  libabsl-dev
  libprotobuf-dev
  protobuf-compiler
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libsqlite3-dev
  zlib1g-dev
  clang-format
  # clang with libFuzzer and the sanitizer runtimes: the fuzz targets
  # (scripts/fuzz.sh, whose smoke run is part of scripts/test.sh),
  # scripts/asan.sh and scripts/tsan.sh.
  clang
  libclang-rt-dev
  # Time zone data: the examples work in Asia/Shanghai.
  tzdata
  # Graphviz `dot`: the county drill draws its transmission chain as SVG.
  graphviz
  # Python 3 and its protobuf (the same 3.21 release as protoc): the
  # python_interop test reads a ledger from tools/python/.
  python3
  python3-protobuf
  # NATS JetStream: the C client (found with pkg-config libnats) for the
  # replicated ledger, and the server for the tests' 3-node cluster
  # (scripts/nats_cluster.sh, tests/nats/).
  libnats-dev
  nats-server
  # The Python package (tools/python/, tests/python/): pybind11 builds the
  # module against Debian's python3; pandas and pytest for its tables and
  # tests, matplotlib for examples/notebook.py.
  python3-dev
  pybind11-dev
  python3-pandas
  python3-pytest
  python3-matplotlib
  # Headless Chromium: the dashboard's browser test and its screenshot.
  chromium
)

missing=()
for pkg in "${packages[@]}"; do
  # dpkg -s also succeeds for removed-but-not-purged packages; check status.
  if ! dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("${pkg}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps.sh: missing packages: ${missing[*]}" >&2
  echo "install-deps.sh: not root and no sudo; install them as root." >&2
  exit 1
fi

echo "install-deps.sh: installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq "${missing[@]}"
