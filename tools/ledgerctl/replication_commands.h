// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's replica commands (replication_commands.cc), over
// contactledger/replication.h: a ledger's log shipped to its NATS JetStream
// stream, and read-only replicas kept from it.
//
//   ship    DIR --nats URLS [--once] [--interval DURATION] [--lease DURATION]
//   follow  DIR --nats URLS --ledger ID [--once]
//   promote DIR --nats URLS
//   status  DIR [--nats URLS]
//
// They are in the command table (commands.cc) whatever the build; `ship`,
// `follow`, `promote` and `status --nats` need a ledgerctl built with libnats
// (the definition CONTACTLEDGER_WITH_REPLICATION, set by tools/CMakeLists.txt
// when the target contactledger::replication exists) and otherwise fail
// (exit 1) saying so. `status` without --nats reads only the directory.

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_REPLICATION_COMMANDS_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_REPLICATION_COMMANDS_H_

#include "absl/strings/string_view.h"
#include "tools/ledgerctl/flags.h"

namespace contactledger {
namespace ledgerctl {

// Whether `ledgerctl --help` lists the command among the replica commands
// (ship, follow, promote, status) rather than with the others.
bool IsReplicaCommand(absl::string_view name);

int RunShip(const Invocation& inv);
int RunFollow(const Invocation& inv);
int RunPromote(const Invocation& inv);
int RunStatus(const Invocation& inv);

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_REPLICATION_COMMANDS_H_
