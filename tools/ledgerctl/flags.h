// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's command-line parser: what a command accepts (Command,
// FlagSpec), what one run of it was given (Invocation), and how a command
// reports bad usage (exit 2) or a failure (exit 1).
//
// The syntax: `ledgerctl COMMAND` then the command's positional arguments
// and flags in any order; a flag is `--name VALUE` or `--name=VALUE`, a
// switch `--name` alone; `--` ends the flags; `--help` (or `-h`) asks for the
// command's help.
//
// Why not Abseil's flags: they are process-wide, so every command would
// accept every other command's flags and `--help` would list them all; and
// absl::ParseCommandLine exits with status 1 on an unknown flag and after
// --help, where ledgerctl's contract needs 2 and 0.

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_FLAGS_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace contactledger {
namespace ledgerctl {

struct FlagSpec {
  const char* name;   // without the leading "--"
  const char* value;  // e.g. "TIME"; nullptr for a switch
  const char* help;
  // May be given more than once (Invocation::GetAll has every value).
  bool repeats = false;
};

struct Invocation;
// Runs a command; returns its exit status.
using Handler = int (*)(const Invocation&);

// One command of the table (commands.cc).
struct Command {
  const char* name;
  const char* synopsis;  // after "ledgerctl NAME "
  const char* summary;   // one line
  std::vector<const char*> positionals;
  std::vector<FlagSpec> flags;
  std::vector<const char*> required_flags;
  std::vector<const char*> formats;  // allowed --format values; first default
  const char* details;               // the rest of --help
  Handler run;
  // Ends --help: one or more example invocations, each line starting with
  // "  ledgerctl NAME ". tools/ledgerctl/e2e_test.sh runs every command's
  // examples, command by command in the table's order, on the county of
  // `generate --persons 20000`.
  const char* examples;
  // The last positional argument may be given more than once (FILE...).
  bool last_positional_repeats = false;
};

// What one run of a command was given.
struct Invocation {
  const Command* command = nullptr;
  std::vector<std::string> positionals;
  std::map<std::string, std::string> flags;  // by name, without "--"
  // Every value of each flag that repeats (FlagSpec::repeats), in order;
  // `flags` holds the last.
  std::map<std::string, std::vector<std::string>> repeated;

  bool Has(absl::string_view name) const {
    return flags.count(std::string(name)) > 0;
  }
  // The flag's value; "" when it was not given.
  std::string Get(absl::string_view name) const {
    auto it = flags.find(std::string(name));
    return it == flags.end() ? std::string() : it->second;
  }
  // Every value of a flag that repeats; empty when it was not given.
  std::vector<std::string> GetAll(absl::string_view name) const {
    auto it = repeated.find(std::string(name));
    return it == repeated.end() ? std::vector<std::string>() : it->second;
  }
  // The ledger directory: every command's first positional argument.
  const std::string& dir() const { return positionals[0]; }
};

// What ParseArguments found.
enum class Parsed {
  kRun,       // the invocation is complete: run the command
  kHelp,      // --help: print the command's help, exit 0
  kBadUsage,  // the error is printed: exit 2
};

// Parses the arguments after the command name into *inv, in order: a
// `--help` stops parsing (even before a bad flag further on). Checks the
// flags against command.flags, the number of positional arguments, the
// required flags and --format against command.formats.
Parsed ParseArguments(const Command& command,
                      const std::vector<std::string>& args, Invocation* inv);

// "usage: ledgerctl NAME SYNOPSIS\n".
std::string CommandUsage(const Command& command);

// Prints a usage error (with the usage line and where to find more) and
// returns kExitUsage. `command` may be nullptr: no command was recognized.
int UsageError(const Command* command, absl::string_view message);
int UsageError(const Invocation& inv, absl::string_view message);

// Prints "ledgerctl NAME: MESSAGE" (an error about the input or the ledger)
// and returns kExitFailed.
int Failed(const Invocation& inv, absl::string_view message);
int Failed(const Invocation& inv, const absl::Status& status);

// The --format given, or the command's default (its first format).
std::string FormatOf(const Invocation& inv);

// Reads --NAME as a TIME: RFC 3339 with an offset, a fraction of a second
// allowed. Returns 0, or prints the usage error and returns kExitUsage.
int TimeFlag(const Invocation& inv, absl::string_view name, absl::Time* out);

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_FLAGS_H_
