// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's command-line parser and its usage errors (flags.h).

#include "tools/ledgerctl/flags.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// RFC 3339 with an offset; a fraction of a second is allowed.
bool ParseTimeValue(absl::string_view text, absl::Time* out) {
  std::string error;
  if (text.empty() || absl::StartsWith(text, "infinite") ||
      absl::ascii_isspace(text.front()) || absl::ascii_isspace(text.back())) {
    return false;
  }
  return absl::ParseTime(absl::RFC3339_full, text, out, &error);
}

// Blanks that may surround an id typed or pasted on a command line: ASCII
// whitespace, the no-break space U+00A0 and the ideographic space U+3000.
absl::string_view StripBlanks(absl::string_view text) {
  static constexpr absl::string_view kWide[] = {"\xc2\xa0", "\xe3\x80\x80"};
  size_t before;
  do {
    before = text.size();
    text = absl::StripAsciiWhitespace(text);
    for (absl::string_view blank : kWide) {
      absl::ConsumePrefix(&text, blank);
      absl::ConsumeSuffix(&text, blank);
    }
  } while (text.size() != before);
  return text;
}

// The ids of the command line (--person, --checkpoint, --area, --household)
// without surrounding blanks, with a note on standard error for each one
// trimmed. With --redact the note does not quote the id (the output
// redactor is not set yet).
void TrimIds(Invocation* inv) {
  for (const char* name : {"person", "checkpoint", "area", "household"}) {
    auto it = inv->flags.find(name);
    if (it == inv->flags.end()) continue;
    const absl::string_view trimmed = StripBlanks(it->second);
    if (trimmed.size() == it->second.size()) continue;
    PrintError(absl::StrCat(
        "ledgerctl ", inv->command->name, ": note: --", name,
        inv->Has("redact") ? "" : absl::StrCat(" '", it->second, "'"),
        " has blanks around it; using '",
        inv->Has("redact") ? "(redacted)" : std::string(trimmed), "'"));
    it->second = std::string(trimmed);
  }
}

}  // namespace

std::string CommandUsage(const Command& command) {
  return absl::StrCat("usage: ledgerctl ", command.name, " ", command.synopsis,
                      "\n");
}

int UsageError(const Command* command, absl::string_view message) {
  if (command == nullptr) {
    PrintError(absl::StrCat("ledgerctl: ", message,
                            "\nRun 'ledgerctl --help' for the commands."));
  } else {
    PrintError(absl::StrCat("ledgerctl ", command->name, ": ", message, "\n",
                            CommandUsage(*command), "Run 'ledgerctl ",
                            command->name, " --help' for more."));
  }
  return kExitUsage;
}

int UsageError(const Invocation& inv, absl::string_view message) {
  return UsageError(inv.command, message);
}

int Failed(const Invocation& inv, absl::string_view message) {
  PrintError(absl::StrCat("ledgerctl ", inv.command->name, ": ", message));
  return kExitFailed;
}

int Failed(const Invocation& inv, const absl::Status& status) {
  return Failed(inv, status.message());
}

Parsed ParseArguments(const Command& command,
                      const std::vector<std::string>& args, Invocation* inv) {
  inv->command = &command;
  const auto bad_usage = [&command](absl::string_view message) {
    UsageError(&command, message);
    return Parsed::kBadUsage;
  };
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || !absl::StartsWith(arg, "-") || arg == "-") {
      inv->positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") return Parsed::kHelp;
    if (!absl::StartsWith(arg, "--")) {
      return bad_usage(absl::StrCat("unknown option '", arg, "'"));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& flag : command.flags) {
      if (name == flag.name) spec = &flag;
    }
    if (spec == nullptr) {
      return bad_usage(absl::StrCat("unknown flag '--", name, "'"));
    }
    if (spec->value == nullptr) {  // a switch: --name alone
      if (value.has_value()) {
        return bad_usage(absl::StrCat("flag '--", name, "' takes no value"));
      }
      value = "";
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return bad_usage(
            absl::StrCat("flag '--", name, "' needs a ", spec->value));
      }
      value = args[++i];
    }
    if (spec->repeats) {
      inv->repeated[name].push_back(*value);
      inv->flags[name] = *value;
    } else if (!inv->flags.emplace(name, *value).second) {
      return bad_usage(absl::StrCat("flag '--", name, "' given twice"));
    }
  }
  TrimIds(inv);
  if (inv->positionals.size() < command.positionals.size()) {
    return bad_usage(
        absl::StrCat("missing ", command.positionals[inv->positionals.size()]));
  }
  if (inv->positionals.size() > command.positionals.size() &&
      !command.last_positional_repeats) {
    return bad_usage(absl::StrCat("unexpected argument '",
                                  inv->positionals[command.positionals.size()],
                                  "'"));
  }
  for (const char* required : command.required_flags) {
    if (!inv->Has(required)) {
      return bad_usage(
          absl::StrCat("missing required flag '--", required, "'"));
    }
  }
  if (inv->Has("format")) {
    bool known = false;
    for (const char* format : command.formats) {
      known |= inv->Get("format") == format;
    }
    if (!known) {
      return bad_usage(absl::StrCat("unknown format '", inv->Get("format"),
                                    "' (expected ",
                                    absl::StrJoin(command.formats, "|"), ")"));
    }
  }
  return Parsed::kRun;
}

std::string FormatOf(const Invocation& inv) {
  if (inv.Has("format")) return inv.Get("format");
  return inv.command->formats.empty() ? "" : inv.command->formats[0];
}

int TimeFlag(const Invocation& inv, absl::string_view name, absl::Time* out) {
  if (!ParseTimeValue(inv.Get(name), out)) {
    return UsageError(
        inv, absl::StrCat("--", name, " '", inv.Get(name),
                          "' is not an RFC 3339 time with an offset (e.g. "
                          "2020-02-01T08:00:00+08:00)"));
  }
  return 0;
}

}  // namespace ledgerctl
}  // namespace contactledger
