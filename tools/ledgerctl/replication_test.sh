#!/usr/bin/env bash
# ledgerctl ship, follow and status on a real 3-node NATS JetStream cluster
# (registered with CTest in tools/CMakeLists.txt, as a user of the
# nats_cluster fixture of tests/nats/CMakeLists.txt):
#
#   CONTACTLEDGER_NATS_DIR=DIR bash tools/ledgerctl/replication_test.sh \
#       path/to/ledgerctl WORK_DIR
#
# DIR/urls holds the cluster's client URLs, comma-separated (what
# scripts/nats_cluster.sh start leaves). Every ledger here is new, so its
# MANIFEST gives it a new random id and a new stream LEDGER_<id>: runs never
# meet each other's streams (the fixture wipes the cluster when it starts).
#
#   1. a generated county shipped (--once) and followed (--once) into a
#      replica: export byte-identical; roster, loops and rollup equal at
#      several --at; verify passes on the replica;
#   2. more imported at the writer, shipped and followed again: equal again;
#      a second ship --once has nothing to ship; status of both shows no lag,
#      and before following, the replica's status shows the stream ahead;
#   3. ship in the background (loop mode) while more is imported, stopped by
#      SIGTERM: exits 0 having shipped it all; the follower catches up;
#   4. follow in the background stopped by SIGINT: exits 0, snapshot written;
#   5. refusals: a mistyped --ledger (no such stream), a replica directory
#      given another ledger's id, an import into a replica (its MANIFEST
#      marks it), a copy of the writer that an import made differ, bad
#      --nats, --ledger, --interval and --lease values, a directory with no
#      ledger, a cluster that does not answer;
#   6. fail-over: promote refused while the writer's lease holds, then done
#      once it lapsed; the promoted directory records and ships on, the old
#      writer is refused;
#   7. the help examples of ship, follow, promote and status, with this
#      cluster's URLs and ledger id (tools/ledgerctl/e2e_test.sh runs the
#      other commands').
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

if [[ -z "${CONTACTLEDGER_NATS_DIR:-}" || ! -s "${CONTACTLEDGER_NATS_DIR}/urls" ]]; then
  echo "CONTACTLEDGER_NATS_DIR must name a running cluster's directory" \
    "(scripts/nats_cluster.sh start DIR)" >&2
  exit 2
fi
urls="$(cat "${CONTACTLEDGER_NATS_DIR}/urls")"

# The moments the answers are compared at (the generated county's 30 days
# from 2020-01-10).
TIMES=(2020-01-20T12:00:00+08:00 2020-02-01T12:00:00+08:00
  2020-02-08T20:00:00+08:00)

# same_answers NAME: the writer's and the replica's export, and roster, loops
# and rollup at each of TIMES, are the same.
same_answers() {
  local name="$1" at i=0
  run "${name}.export_writer" 0 export county
  run "${name}.export_replica" 0 export replica
  expect_same "${name}.export" "${name}.export_writer.out" \
    "${name}.export_replica.out"
  for at in "${TIMES[@]}"; do
    i=$((i + 1))
    for query in roster loops; do
      run "${name}.${query}${i}_writer" 0 "${query}" county --at "${at}"
      run "${name}.${query}${i}_replica" 0 "${query}" replica --at "${at}"
      expect_same "${name}.${query}${i}" "${name}.${query}${i}_writer.out" \
        "${name}.${query}${i}_replica.out"
    done
    run "${name}.rollup${i}_writer" 0 rollup county --area yl --at "${at}"
    run "${name}.rollup${i}_replica" 0 rollup replica --area yl --at "${at}"
    expect_same "${name}.rollup${i}" "${name}.rollup${i}_writer.out" \
      "${name}.rollup${i}_replica.out"
  done
}

# last_event DIR: the last event of the ledger in DIR, from status.
last_event() {
  "${ctl}" status "$1" | sed -n 's/^last event: //p'
}

# --- 1. ship and follow a generated county ---------------------------------
run init 0 init county --time-zone Asia/Shanghai
run generate 0 generate county --persons 2000 --seed 16
run status_writer 0 status county
expect_grep status_writer status_writer.out "role: writer"
id="$(sed -n 's/^ledger id: //p' status_writer.out)"
[[ "${id}" =~ ^[0-9a-f]{32}$ ]] ||
  fail "status: no 32-hex-digit ledger id: $(cat status_writer.out)"
checks=$((checks + 1))
events="$(last_event county)"
[[ "${events}" -gt 0 ]] || fail "the generated county has no events"
checks=$((checks + 1))
stream="LEDGER_${id}"

run status_unshipped 0 status county --nats "${urls}"
expect_grep status_unshipped status_unshipped.out \
  "stream: ${stream} does not exist (nothing shipped yet)"
expect_grep status_unshipped status_unshipped.out \
  "lag: log ahead of the stream by ${events} events (not shipped yet)"

run ship1 0 ship county --nats "${urls}" --once
expect_grep ship1 ship1.out "shipped events 1-${events} in "
expect_grep ship1 ship1.out "(stream ${stream}: "
expect_grep ship1 ship1.out ", last event ${events})"

run follow1 0 follow replica --nats "${urls}" --ledger "${id}" --once
expect_grep follow1 follow1.out "applied events 1-"
expect_grep follow1 follow1.out "snapshot of the replica at event ${events} written"
expect_grep follow1 follow1.out \
  "replica of ledger ${id} in replica at event ${events}, the end of stream ${stream}"
same_answers first
run verify_replica 0 verify replica
run status_replica_role 0 status replica
expect_grep status_replica_role status_replica_role.out "role: replica (" 

# --- 2. more at the writer, shipped and followed again ---------------------
printf 'person_id,time,temperature_c\np00000001,2020-02-02T08:00:00+08:00,38.4\n' \
  >checks.csv
run import_checks 0 import county --kind checks checks.csv
run generate_more 0 generate county --persons 300 --seed 17 --into-existing
more="$(last_event county)"
[[ "${more}" -gt "${events}" ]] || fail "the imports recorded nothing"
checks=$((checks + 1))

run status_ahead 0 status county --nats "${urls}"
expect_grep status_ahead status_ahead.out \
  "lag: log ahead of the stream by $((more - events)) events (not shipped yet)"
run ship2 0 ship county --nats "${urls}" --once
expect_grep ship2 ship2.out "shipped events $((events + 1))-${more} in "
run ship_nothing 0 ship county --nats "${urls}" --once
expect_grep ship_nothing ship_nothing.out "nothing to ship (stream ${stream}: "

run status_behind 0 status replica --nats "${urls}"
expect_grep status_behind status_behind.out \
  "lag: stream ahead of this directory by $((more - events)) events"
run follow2 0 follow replica --nats "${urls}" --ledger "${id}" --once
expect_grep follow2 follow2.out "applied events $((events + 1))-"
expect_grep follow2 follow2.out "at event ${more}, the end of stream"
same_answers second

for dir in county replica; do
  run "status_${dir}" 0 status "${dir}" --nats "${urls}"
  expect_grep "status_${dir}" "status_${dir}.out" "ledger id: ${id}"
  expect_grep "status_${dir}" "status_${dir}.out" "last event: ${more}"
  expect_grep "status_${dir}" "status_${dir}.out" \
    "stream: ${stream} ("
  expect_grep "status_${dir}" "status_${dir}.out" \
    ", last event ${more})"
  expect_grep "status_${dir}" "status_${dir}.out" \
    "lag: none (the directory and the stream both end at event ${more})"
done
grep 'record time' status_county.out >status_times_county.out
grep 'record time' status_replica.out >status_times_replica.out
expect_same status_times status_times_county.out status_times_replica.out

# --- 3. ship in the background while importing, stopped by SIGTERM --------
"${ctl}" ship county --nats "${urls}" --interval 100ms >ship_loop.out \
  2>ship_loop.err &
ship_pid=$!
for round in 1 2 3; do
  printf 'person_id,time,temperature_c\np0000000%d,2020-02-0%dT09:00:00+08:00,36.%d\n' \
    "${round}" "$((round + 2))" "${round}" >"loop${round}.csv"
  run "import_loop${round}" 0 import county --kind checks "loop${round}.csv"
  sleep 0.3
done
run generate_loop 0 generate county --persons 200 --seed 18 --into-existing
final="$(last_event county)"
# Wait (up to 60 s) for the shipper to have shipped it all.
for _ in $(seq 1 120); do
  "${ctl}" status county --nats "${urls}" >status_loop.out 2>&1
  grep -qF "lag: none" status_loop.out && break
  sleep 0.5
done
expect_grep status_loop status_loop.out \
  "lag: none (the directory and the stream both end at event ${final})"
kill -TERM "${ship_pid}"
wait "${ship_pid}"
status=$?
checks=$((checks + 1))
if [[ ${status} -ne 0 ]]; then
  fail "ship in the background exited ${status} after SIGTERM, expected 0:" \
    "$(cat ship_loop.err)"
fi
expect_grep ship_loop ship_loop.out "shipping ledger ${id} from county to stream ${stream}"
expect_grep ship_loop ship_loop.out ", last event ${final})"
expect_grep ship_loop ship_loop.out "stopped by SIGTERM"
run follow3 0 follow replica --nats "${urls}" --ledger "${id}" --once
expect_grep follow3 follow3.out "at event ${final}, the end of stream"
same_answers third

# --- 4. follow in the background, stopped by SIGINT ------------------------
run generate_follow 0 generate county --persons 100 --seed 19 --into-existing
run ship4 0 ship county --nats "${urls}" --once
"${ctl}" follow replica --nats "${urls}" --ledger "${id}" >follow_loop.out \
  2>follow_loop.err &
follow_pid=$!
for _ in $(seq 1 60); do
  grep -qF "applied events $((final + 1))-" follow_loop.out && break
  sleep 0.5
done
kill -INT "${follow_pid}"
wait "${follow_pid}"
status=$?
checks=$((checks + 1))
if [[ ${status} -ne 0 ]]; then
  fail "follow in the background exited ${status} after SIGINT, expected 0:" \
    "$(cat follow_loop.err)"
fi
expect_grep follow_loop follow_loop.out "following stream ${stream} into replica"
expect_grep follow_loop follow_loop.out "applied events $((final + 1))-"
expect_grep follow_loop follow_loop.out "snapshot of the replica at event"
expect_grep follow_loop follow_loop.out "stopped by SIGINT"
same_answers fourth

# --- 5. refusals -------------------------------------------------------------
run follow_wrong_id 1 follow wrong --nats "${urls}" \
  --ledger 0123456789abcdef0123456789abcdef --once
expect_grep follow_wrong_id follow_wrong_id.err \
  "ledgerctl follow: no stream LEDGER_0123456789abcdef0123456789abcdef on the cluster"
expect_absent follow_wrong_id wrong
run init_other 0 init other --time-zone Asia/Shanghai
run generate_other 0 generate other --persons 10
other_id="$("${ctl}" status other | sed -n 's/^ledger id: //p')"
run ship_other 0 ship other --nats "${urls}" --once
run follow_other_into_replica 1 follow replica --nats "${urls}" \
  --ledger "${other_id}" --once
expect_grep follow_other_into_replica follow_other_into_replica.err \
  "ledgerctl follow: "
expect_grep follow_other_into_replica follow_other_into_replica.err "${id}"
replica_last="$(last_event replica)"
run import_replica 1 import replica --kind checks checks.csv --again
expect_grep import_replica import_replica.err "is a replica of ledger '${id}'"
[[ "$(last_event replica)" == "${replica_last}" ]] ||
  fail "import_replica: the refused import changed the replica"
checks=$((checks + 1))
cp -r county diverged
run import_diverged 0 import diverged --kind checks checks.csv --again
run follow_diverged 1 follow diverged --nats "${urls}" --ledger "${id}" --once
expect_grep follow_diverged follow_diverged.err \
  "it is not a replica of ledger '${id}' as ${stream} holds it"
run status_diverged 0 status diverged
expect_grep status_diverged status_diverged.out "role: writer"
run follow_bad_id 2 follow replica --nats "${urls}" --ledger "no such id"
expect_grep follow_bad_id follow_bad_id.err "--ledger: 'no such id' is not a ledger id"
run follow_no_ledger 2 follow replica --nats "${urls}"
run ship_no_nats 2 ship county
run ship_empty_nats 2 ship county --nats ","
expect_grep ship_empty_nats ship_empty_nats.err "--nats: give the cluster's client URLs"
run ship_bad_interval 2 ship county --nats "${urls}" --interval soon
expect_grep ship_bad_interval ship_bad_interval.err "--interval: 'soon' is not a duration"
run ship_bad_lease 2 ship county --nats "${urls}" --lease 10ms
expect_grep ship_bad_lease ship_bad_lease.err "--lease: '10ms' is not a duration of 1s or more"
run ship_no_ledger 1 ship nowhere --nats "${urls}" --once
expect_grep ship_no_ledger ship_no_ledger.err "ledgerctl ship: no ledger directory 'nowhere'"
run status_no_cluster 1 status county --nats nats://127.0.0.1:9
expect_grep status_no_cluster status_no_cluster.err "ledgerctl status: "

# --- 6. fail-over ------------------------------------------------------------
run follow_before_promote 0 follow replica --nats "${urls}" --ledger "${id}" --once
run ship_short_lease 0 ship county --nats "${urls}" --once --lease 2s
run promote_held 1 promote replica --nats "${urls}"
expect_grep promote_held promote_held.err "ledgerctl promote: ledger '${id}' is written by"
expect_grep promote_held promote_held.err "once the writer's lease has lapsed"
run status_still_replica 0 status replica
expect_grep status_still_replica status_still_replica.out "role: replica ("
run promote_writer 1 promote county --nats "${urls}"
expect_grep promote_writer promote_writer.err "'county' is not a replica"
sleep 2.5
shipped="$(last_event replica)"
run promote 0 promote replica --nats "${urls}"
expect_grep promote promote.out \
  "promoted replica: the writer of ledger ${id} from event ${shipped} (stream ${stream}: "
run status_promoted 0 status replica --nats "${urls}"
expect_grep status_promoted status_promoted.out "role: writer"
printf 'person_id,time,temperature_c\np00000002,2020-02-09T08:00:00+08:00,36.6\n' \
  >after.csv
run import_promoted 0 import replica --kind checks after.csv
run ship_promoted 0 ship replica --nats "${urls}" --once
expect_grep ship_promoted ship_promoted.out \
  "shipped event $((shipped + 1)) in 1 message (stream ${stream}: "
run ship_old_writer 1 ship county --nats "${urls}" --once
expect_grep ship_old_writer ship_old_writer.err "ledgerctl ship: "

# --- 7. the help examples of ship, follow, promote and status ---------------
# As e2e_test.sh runs the other commands' examples: here with this cluster's
# URLs for the example's, and the examples' directories made first.
mkdir -p examples
(
  failures=0  # this subshell's own; added to the script's below
  cd examples || exit 1
  "${ctl}" init county >/dev/null &&
    "${ctl}" generate county --persons 100 --seed 3 >/dev/null ||
    fail "help_examples: generate failed"
  example_id="$("${ctl}" status county | sed -n 's/^ledger id: //p')"
  for command in ship follow promote status; do
    if [[ "${command}" == promote ]]; then
      # The ship example took the lease for 10 s: shorten it, let it lapse.
      "${ctl}" ship county --nats "${urls}" --once --lease 1s >/dev/null ||
        fail "help_examples: ship --lease 1s failed"
      sleep 1.5
    fi
    "${ctl}" "${command}" --help >"help_${command}.txt"
    grep -qF "  ${command} " <("${ctl}" --help) ||
      fail "help_examples: 'ledgerctl --help' does not list ${command}"
    last="$(grep -v '^$' "help_${command}.txt" | tail -n 1)"
    if [[ "${last}" != "  ledgerctl ${command} "* ]]; then
      fail "help_examples: 'ledgerctl ${command} --help' does not end with an example of '${command}': ${last}"
      continue
    fi
    sed -n '/^Examples*:$/,$s/^  ledgerctl //p' "help_${command}.txt" |
      sed -e "s#nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222#${urls}#g" \
        -e "s#7c1e0f3a9b2d4c6e8f0a1b2c3d4e5f60#${example_id}#g" \
        >"examples_${command}.txt"
    while IFS= read -r example; do
      eval "\"\${ctl}\" ${example}" >"example_${command}.out" \
        2>"example_${command}.err" </dev/null
      status=$?
      if [[ ${status} -ne 0 ]]; then
        fail "help_examples: 'ledgerctl ${example}' exited ${status}: $(cat "example_${command}.err")"
      fi
    done <"examples_${command}.txt"
  done
  exit $((failures < 100 ? failures : 100))
) || failures=$((failures + $?))

finish
