#!/usr/bin/env bash
# Starts, stops and breaks a 3-node NATS JetStream cluster on loopback, for
# the tests that replicate a ledger (issue 16). CTest starts and stops it as
# the fixture `nats_cluster` (tests/nats/CMakeLists.txt); a test may kill and
# restart single nodes through it.
#
#   bash scripts/nats_cluster.sh start DIR         start nodes n1..n3, wait until healthy
#   bash scripts/nats_cluster.sh stop DIR          SIGTERM each node, wait, SIGKILL if needed
#   bash scripts/nats_cluster.sh kill NODE DIR     SIGKILL node NODE (1..3 or n1..n3)
#   bash scripts/nats_cluster.sh restart NODE DIR  start node NODE again, wait until healthy
#
# What `start` leaves in DIR:
#   urls          the client URLs, comma-separated: nats://127.0.0.1:P1,...
#   nodeN.conf    node N's config: server_name nN, explicit loopback ports
#                 for clients, routes and monitoring, JetStream on file
#                 storage in DIR/nodeN/
#   nodeN.pid     node N's process id (only while it runs)
#   nodeN.log     node N's log (emptied by `start`, appended to by `restart`,
#                 kept after `stop` for debugging)
#   nodeN.ports   "CLIENT CLUSTER MONITOR" ports of node N
#   server        the nats-server binary the nodes run
#
# A clustered nats-server refuses port -1 (pick one yourself), so `start`
# picks free loopback ports (python3 binds port 0; without python3, random
# unused ports) and starts over with new ports when a node cannot bind
# (another process took a port in between). It is healthy when every node's
# monitor port answers GET /healthz with "ok" and the JetStream meta group
# has a leader (asked with bash's /dev/tcp: no curl needed); past
# NATS_CLUSTER_TIMEOUT seconds (default 20) it prints the logs and fails. `start` stops a cluster still running in DIR first and wipes
# the nodes' storage: every start is a fresh cluster.
#
# `stop` is idempotent: nodes already dead (killed, or stopped before) are
# skipped. Only pid files are removed; logs, configs and storage stay.
# `kill` returns once the node is gone. `restart` returns once the node is
# healthy, which takes up to an election (~5 s) when the killed node led the
# JetStream meta group. A node is known by its pid file and its command line
# (the config path), so a stale pid file never hits another process.
#
# Environment: NATS_SERVER (default: nats-server on PATH, else
# /usr/sbin/nats-server), NATS_CLUSTER_TIMEOUT (seconds, default 20).
set -euo pipefail

readonly kNodeList=(1 2 3)
readonly kNodes=${#kNodeList[@]}
readonly kStartAttempts=5

die() {
  echo "nats_cluster.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '7,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# True when PID is a live process running config CONF: a node of ours, not
# a zombie (orphaned servers may stay zombies for a while where PID 1 is slow
# to reap), not a reused pid.
alive() {
  local pid=$1 conf=$2 stat state args=()
  [[ -n "${pid}" && -r "/proc/${pid}/stat" ]] || return 1
  read -r stat 2>/dev/null <"/proc/${pid}/stat" || return 1
  state=${stat##*) }
  state=${state%% *}
  [[ "${state}" != Z && "${state}" != X ]] || return 1
  mapfile -d '' args 2>/dev/null <"/proc/${pid}/cmdline" || return 1
  [[ " ${args[*]} " == *" ${conf} "* ]]
}

# True when node N of DIR runs.
node_alive() {
  alive "$(pid_of "$1" "$2")" "$1/node$2.conf"
}

# Prints the pid in DIR/nodeN.pid, or nothing.
pid_of() {
  local file="$1/node$2.pid" pid=
  [[ -f "${file}" ]] && read -r pid 2>/dev/null <"${file}"
  echo "${pid}"
}

# Prints $1 free loopback TCP ports, separated by spaces.
free_ports() {
  local count=$1 python=
  # Debian's own python3 first: a version manager's shim on PATH may take a
  # second to start.
  if [[ -x /usr/bin/python3 ]]; then
    python=/usr/bin/python3
  elif command -v python3 >/dev/null 2>&1; then
    python=python3
  fi
  if [[ -n "${python}" ]]; then
    # All sockets are held open together, so the ports are distinct.
    "${python}" - "${count}" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
    return
  fi
  local ports=() port
  while ((${#ports[@]} < count)); do
    port=$((20000 + RANDOM % 12000))
    [[ " ${ports[*]} " == *" ${port} "* ]] && continue
    # Something listens there: not free.
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      continue
    fi
    ports+=("${port}")
  done
  echo "${ports[*]}"
}

# GET http://127.0.0.1:PORT/PATH; prints the whole reply (status line,
# headers, body). Fails when nothing answers within 2 seconds.
http_get() (
  local port=$1 path=$2 reply=
  exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${path}" >&3
  # HTTP/1.0: the server closes after the reply; read to the end.
  IFS= read -r -t 2 -d '' reply <&3 || true
  [[ -n "${reply}" ]] || exit 1
  printf '%s' "${reply}"
)

# True when node N of DIR reports healthy and knows a JetStream meta leader.
node_healthy() {
  local dir=$1 node=$2 monitor reply
  read -r _ _ monitor <"${dir}/node${node}.ports"
  reply=$(http_get "${monitor}" /healthz 2>/dev/null) || return 1
  [[ "${reply}" == "HTTP/1."?" 200"* && "${reply}" == *'"ok"'* ]] || return 1
  reply=$(http_get "${monitor}" /jsz 2>/dev/null) || return 1
  [[ "${reply}" =~ \"meta_cluster\"[^}]*\"leader\":\ *\"n[0-9]+\" ]]
}

# Starts node N of DIR in the background from its config.
launch() {
  local dir=$1 node=$2 server
  read -r server <"${dir}/server"
  echo "=== $(date -u +%FT%T.%3NZ) nats_cluster.sh: starting n${node}" \
    >>"${dir}/node${node}.log"
  # All three standard streams away from the caller: CTest waits for the
  # pipes of a test to close, and the server outlives the script.
  "${server}" -c "${dir}/node${node}.conf" \
    </dev/null >>"${dir}/node${node}.log" 2>&1 &
  local pid=$! tries
  echo "${pid}" >"${dir}/node${node}.pid"
  # Until the forked shell has exec'd the server, the pid does not run the
  # config yet (alive() says no). Wait for that, or for its end, up to 5 s.
  for ((tries = 0; tries < 500; tries++)); do
    [[ -e "/proc/${pid}" ]] || break
    alive "${pid}" "${dir}/node${node}.conf" && break
    sleep 0.01
  done
}

# Waits until every node in "$@" (after DIR) is healthy. Returns 1 on
# timeout, 2 as soon as one of them has exited (a port was taken, or a bad
# config).
wait_healthy() {
  local dir=$1
  shift
  local timeout=${NATS_CLUSTER_TIMEOUT:-20}
  local deadline=$((SECONDS + timeout)) node pending
  while true; do
    pending=()
    for node in "$@"; do
      if ! node_alive "${dir}" "${node}"; then
        echo "nats_cluster.sh: n${node} exited; see ${dir}/node${node}.log" >&2
        return 2
      fi
      node_healthy "${dir}" "${node}" || pending+=("${node}")
    done
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      echo "nats_cluster.sh: not healthy after ${timeout} s:" \
        "$(printf 'n%s ' "${pending[@]}")" >&2
      return 1
    fi
    sleep 0.1
  done
}

print_logs() {
  local dir=$1 node
  for node in "${kNodeList[@]}"; do
    echo "----- ${dir}/node${node}.log (last 40 lines) -----" >&2
    tail -n 40 "${dir}/node${node}.log" >&2 2>/dev/null || true
  done
}

write_config() {
  local dir=$1 node=$2 client=$3 cluster=$4 monitor=$5
  shift 5
  local routes=("$@") route
  {
    echo "# Written by scripts/nats_cluster.sh; node ${node} of ${kNodes}."
    echo "server_name: n${node}"
    echo "listen: 127.0.0.1:${client}"
    echo "http: 127.0.0.1:${monitor}"
    echo "jetstream {"
    echo "  store_dir: \"${dir}/node${node}\""
    echo "  max_memory_store: 64MB"
    echo "  max_file_store: 1GB"
    echo "}"
    echo "cluster {"
    echo "  name: contactledger_test"
    echo "  listen: 127.0.0.1:${cluster}"
    echo "  routes: ["
    for route in "${routes[@]}"; do
      echo "    nats-route://127.0.0.1:${route}"
    done
    echo "  ]"
    echo "}"
  } >"${dir}/node${node}.conf"
  echo "${client} ${cluster} ${monitor}" >"${dir}/node${node}.ports"
}

# SIGTERM to every live node of DIR, then wait for each; SIGKILL after
# ~10 seconds. Removes the pid files.
stop_all() {
  local dir=$1 node pid conf deadline
  local nodes=()
  for node in "${kNodeList[@]}"; do
    if node_alive "${dir}" "${node}"; then
      kill -TERM "$(pid_of "${dir}" "${node}")" 2>/dev/null || true
      nodes+=("${node}")
    fi
  done
  for node in "${nodes[@]}"; do
    pid=$(pid_of "${dir}" "${node}")
    conf="${dir}/node${node}.conf"
    deadline=$((SECONDS + 10))
    while alive "${pid}" "${conf}" && ((SECONDS < deadline)); do
      sleep 0.05
    done
    if alive "${pid}" "${conf}"; then
      echo "nats_cluster.sh: n${node} (pid ${pid}) ignored SIGTERM for 10 s;" \
        "SIGKILL" >&2
      kill -KILL "${pid}" 2>/dev/null || true
      while alive "${pid}" "${conf}"; do sleep 0.05; done
    fi
  done
  for node in "${kNodeList[@]}"; do
    rm -f "${dir}/node${node}.pid"
  done
}

cmd_start() {
  local dir=$1 server attempt status node i
  mkdir -p "${dir}"
  dir=$(cd "${dir}" && pwd)
  server=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
  [[ -x "${server}" ]] || die "no nats-server at ${server}"
  stop_all "${dir}"
  echo "${server}" >"${dir}/server"
  for node in "${kNodeList[@]}"; do
    : >"${dir}/node${node}.log"
  done
  for ((attempt = 1; attempt <= kStartAttempts; attempt++)); do
    local ports=() clients=() clusters=() monitors=() urls=() routes=()
    read -r -a ports <<<"$(free_ports $((3 * kNodes)))"
    ((${#ports[@]} == 3 * kNodes)) || die "could not pick free ports"
    for ((i = 0; i < kNodes; i++)); do
      clients+=("${ports[3 * i]}")
      clusters+=("${ports[3 * i + 1]}")
      monitors+=("${ports[3 * i + 2]}")
      urls+=("nats://127.0.0.1:${ports[3 * i]}")
    done
    for ((i = 0; i < kNodes; i++)); do
      node=$((i + 1))
      routes=()
      for ((j = 0; j < kNodes; j++)); do
        ((j == i)) || routes+=("${clusters[j]}")
      done
      rm -rf "${dir:?}/node${node}"
      mkdir -p "${dir}/node${node}"
      write_config "${dir}" "${node}" "${clients[i]}" "${clusters[i]}" \
        "${monitors[i]}" "${routes[@]}"
    done
    for node in "${kNodeList[@]}"; do
      launch "${dir}" "${node}"
    done
    status=0
    wait_healthy "${dir}" "${kNodeList[@]}" || status=$?
    if ((status == 0)); then
      (IFS=,; echo "${urls[*]}") >"${dir}/urls"
      echo "nats_cluster.sh: ${kNodes} nodes healthy in ${dir}: $(cat "${dir}/urls")"
      return 0
    fi
    stop_all "${dir}"
    if ((status == 2)) &&
        grep -qi "address already in use" "${dir}"/node*.log 2>/dev/null; then
      echo "nats_cluster.sh: a port was taken (attempt ${attempt}); new ports" >&2
      for node in "${kNodeList[@]}"; do
        : >"${dir}/node${node}.log"
      done
      continue
    fi
    break
  done
  print_logs "${dir}"
  die "the cluster in ${dir} did not become healthy"
}

cmd_stop() {
  local dir=$1
  [[ -d "${dir}" ]] || return 0
  stop_all "$(cd "${dir}" && pwd)"
}

# Prints the node number for "2" or "n2"; dies otherwise.
node_number() {
  local node=${1#n}
  if [[ ! "${node}" =~ ^[0-9]+$ ]] || ((node < 1 || node > kNodes)); then
    die "no node '$1' (1..${kNodes} or n1..n${kNodes})"
  fi
  echo "${node}"
}

cmd_kill() {
  local node dir pid
  node=$(node_number "$1")
  dir=$(cd "$2" && pwd) || die "no directory $2"
  node_alive "${dir}" "${node}" || die "node n${node} of ${dir} is not running"
  pid=$(pid_of "${dir}" "${node}")
  kill -KILL "${pid}"
  while alive "${pid}" "${dir}/node${node}.conf"; do sleep 0.02; done
  rm -f "${dir}/node${node}.pid"
}

cmd_restart() {
  local node dir status=0
  node=$(node_number "$1")
  dir=$(cd "$2" && pwd) || die "no directory $2"
  [[ -f "${dir}/node${node}.conf" ]] ||
    die "no ${dir}/node${node}.conf: start the cluster first"
  node_alive "${dir}" "${node}" && die "node n${node} of ${dir} is running"
  launch "${dir}" "${node}"
  wait_healthy "${dir}" "${node}" || status=$?
  if ((status != 0)); then
    tail -n 40 "${dir}/node${node}.log" >&2 || true
    die "node n${node} of ${dir} did not become healthy"
  fi
}

(($# >= 1)) || usage
case "$1" in
  start) (($# == 2)) || usage; cmd_start "$2" ;;
  stop) (($# == 2)) || usage; cmd_stop "$2" ;;
  kill) (($# == 3)) || usage; cmd_kill "$2" "$3" ;;
  restart) (($# == 3)) || usage; cmd_restart "$2" "$3" ;;
  *) usage ;;
esac
