// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl: the command-line tool over a ledger directory (issue 4). Its
// interface is a contract for scripts and tests; `ledgerctl --help` and
// `ledgerctl COMMAND --help` print it. In short:
//
//   ledgerctl init     DIR [--time-zone ZONE] [--identity-rules china|none]
//   ledgerctl import   DIR --kind KIND FILE.csv
//   ledgerctl import   DIR FILE.jsonl
//   ledgerctl roster   DIR --at TIME [--known-at TIME] [--policy NAME|FILE]
//                          [--format csv|json]
//   ledgerctl loops    DIR --at TIME [same options]
//   ledgerctl explain  DIR --person ID --at TIME [same options]
//   ledgerctl rollup   DIR --area ID --at TIME [same options]
//   ledgerctl pass     DIR --person ID --checkpoint ID --at TIME [same options]
//   ledgerctl contacts DIR --person ID --hops K --from TIME --to TIME
//                          [--format csv|json]
//   ledgerctl chains   DIR --at TIME [--known-at TIME] [--policy NAME|FILE]
//                          [--format csv|dot]
//   ledgerctl verify   DIR
//   ledgerctl export   DIR [--format jsonl]
//
// Exit status: 0 success; 1 bad input or a failed check (an import error,
// a query error, verify finding damage, pass refusing); 2 bad usage (an
// unknown command or flag, a missing argument, a flag value that does not
// parse).
//
// Why not Abseil's flags: they are process-wide, so every command would
// accept every other command's flags and `--help` would list them all; and
// absl::ParseCommandLine exits with status 1 on an unknown flag and after
// --help, where this contract needs 2 and 0. The hand-written parser below
// is small: `--name VALUE` or `--name=VALUE`, flags and positional arguments
// in any order, `--` ends the flags. Times use Abseil's RFC 3339 parsing.
//
// Every command that prints ledger data (all but init and generate) takes
// --redact: names, national ids and phone numbers are redacted in all it
// writes (contactledger/privacy.h).
//
// The time zone given to `init` is kept in DIR/LEDGERCTL ("time_zone=ZONE");
// every later command opens the ledger in that zone (RULES.md section 1),
// and so are its identity rules ("identity_rules=china|none"). A ledger
// directory without that file is in UTC, under the china rules.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "google/protobuf/util/json_util.h"

namespace contactledger {
namespace ledgerctl {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr char kSettingsFile[] = "LEDGERCTL";

// ---------------------------------------------------------------------------
// Output.

// With --redact, everything written to standard output and standard error
// goes through this (contactledger/privacy.h): the private values of the
// ledger's persons and anything shaped like a resident id or a phone number
// are redacted, whatever the command and format.
const Redactor* g_redactor = nullptr;

void Print(absl::string_view text) {
  std::string redacted;
  if (g_redactor != nullptr) text = redacted = g_redactor->Text(text);
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void PrintError(absl::string_view text) {
  std::string redacted;
  if (g_redactor != nullptr) text = redacted = g_redactor->Text(text);
  std::fflush(stdout);
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (!absl::EndsWith(text, "\n")) std::fputc('\n', stderr);
}

// CSV fields and rows (CsvField, CsvRow), JSON strings (JsonString) and
// arrays with one item per line (JsonArray) are those of
// contactledger/report.h, which also writes the roster and loops.

// Builds one JSON object, keeping the order of its fields.
class JsonObject {
 public:
  JsonObject& String(absl::string_view key, absl::string_view value) {
    return Raw(key, JsonString(value));
  }
  // A string, or null when `value` is empty.
  JsonObject& StringOrNull(absl::string_view key, absl::string_view value) {
    return Raw(key, value.empty() ? "null" : JsonString(value));
  }
  JsonObject& Bool(absl::string_view key, bool value) {
    return Raw(key, value ? "true" : "false");
  }
  JsonObject& Number(absl::string_view key, int64_t value) {
    return Raw(key, absl::StrCat(value));
  }
  JsonObject& Raw(absl::string_view key, absl::string_view json) {
    absl::StrAppend(&text_, text_.empty() ? "{" : ", ", JsonString(key), ": ",
                    json);
    return *this;
  }
  std::string Build() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

// An inline JSON array of already-built values.
std::string JsonInlineArray(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

// ---------------------------------------------------------------------------
// Progress of a long command, on standard error.

// 1234567 -> "1,234,567".
std::string Thousands(uint64_t n) {
  const std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// One line on standard error, redrawn in place ("\r") while `import` or
// `generate` runs, e.g.
//   persons.csv: 1,200,000 rows, 410,000 rows/s, 41% of 96.0 MiB, ETA 4s
// and erased at the end, so that only the command's own output stays on the
// screen. Only when standard error is a terminal: in a script, a pipe or a
// log file, ledgerctl writes nothing to standard error unless something is
// wrong.
class Progress {
 public:
  // `label` starts the line (e.g. the file name); `unit` is what is counted.
  Progress(absl::string_view label, absl::string_view unit)
      : enabled_(isatty(STDERR_FILENO) != 0),
        label_(label),
        unit_(unit),
        started_(absl::Now()) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { Clear(); }

  // `count` done so far and, when `bytes_total` > 0, `bytes` of the input
  // consumed (for the share done and the time left). Drawn the first time,
  // then at most five times a second.
  void Update(uint64_t count, uint64_t bytes = 0, uint64_t bytes_total = 0) {
    if (!enabled_) return;
    const absl::Time now = absl::Now();
    if (now - drawn_ < absl::Milliseconds(200)) return;
    drawn_ = now;
    const double seconds = absl::ToDoubleSeconds(now - started_);
    std::string line = absl::StrCat(Thousands(count), " ", unit_);
    if (seconds >= 0.05) {
      absl::StrAppend(&line, ", ",
                      Thousands(static_cast<uint64_t>(count / seconds)), " ",
                      unit_, "/s");
    }
    if (bytes_total > 0) {
      absl::StrAppend(&line, absl::StrFormat(", %d%% of %.1f MiB",
                                             100 * bytes / bytes_total,
                                             bytes_total / 1048576.0));
      if (bytes > 0 && seconds >= 0.05) {
        const int64_t left = static_cast<int64_t>(
            seconds * static_cast<double>(bytes_total - bytes) / bytes + 0.5);
        absl::StrAppend(
            &line, ", ETA ",
            left < 60 ? absl::StrFormat("%ds", left)
            : left < 3600
                ? absl::StrFormat("%dm%02ds", left / 60, left % 60)
                : absl::StrFormat("%dh%02dm", left / 3600, left / 60 % 60));
      }
    }
    Draw(line);
  }

  // A phase that is not counted, e.g. "recording 1,000,000 events".
  void Say(absl::string_view text) {
    if (!enabled_) return;
    drawn_ = absl::Now();
    Draw(std::string(text));
  }

  // Erases the line.
  void Clear() {
    if (width_ == 0) return;
    std::fprintf(stderr, "\r%s\r", std::string(width_, ' ').c_str());
    std::fflush(stderr);
    width_ = 0;
  }

 private:
  void Draw(const std::string& text) {
    std::string line = label_.empty() ? text : absl::StrCat(label_, ": ", text);
    const size_t width = line.size();
    if (width < width_) line.append(width_ - width, ' ');
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
    width_ = width;
  }

  const bool enabled_;
  const std::string label_;
  const std::string unit_;
  const absl::Time started_;
  absl::Time drawn_ = absl::InfinitePast();
  size_t width_ = 0;  // of the line drawn last
};

// ---------------------------------------------------------------------------
// Values.

std::string ShowTime(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return "";
  return absl::FormatTime(absl::RFC3339_sec, t, zone);
}

std::string FormatDay(const std::optional<absl::CivilDay>& day) {
  if (!day.has_value()) return "";
  return absl::FormatCivilTime(*day);
}

std::string Sequences(const std::vector<uint64_t>& sequences,
                      absl::string_view separator) {
  return absl::StrJoin(sequences, separator);
}

std::string JsonSequences(const std::vector<uint64_t>& sequences) {
  return absl::StrCat("[", absl::StrJoin(sequences, ", "), "]");
}

// RFC 3339 with an offset; a fraction of a second is allowed.
bool ParseTimeValue(absl::string_view text, absl::Time* out) {
  std::string error;
  if (text.empty() || absl::StartsWith(text, "infinite") ||
      absl::ascii_isspace(text.front()) || absl::ascii_isspace(text.back())) {
    return false;
  }
  return absl::ParseTime(absl::RFC3339_full, text, out, &error);
}

// ---------------------------------------------------------------------------
// Commands and their arguments.

struct FlagSpec {
  const char* name;   // without the leading "--"
  const char* value;  // e.g. "TIME"
  const char* help;
};

struct Invocation;
using Handler = int (*)(const Invocation&);

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
  // examples, command by command in this table's order, on the county of
  // `generate --persons 20000`.
  const char* examples;
};

struct Invocation {
  const Command* command = nullptr;
  std::vector<std::string> positionals;
  std::map<std::string, std::string> flags;

  bool Has(absl::string_view name) const {
    return flags.count(std::string(name)) > 0;
  }
  std::string Get(absl::string_view name) const {
    auto it = flags.find(std::string(name));
    return it == flags.end() ? std::string() : it->second;
  }
  const std::string& dir() const { return positionals[0]; }
};

const std::vector<Command>& Commands();

std::string CommandUsage(const Command& command) {
  return absl::StrCat("usage: ledgerctl ", command.name, " ", command.synopsis,
                      "\n");
}

// Prints a usage error and returns the usage exit status.
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

// Prints an error about the input or the ledger and returns 1.
int Failed(const Invocation& inv, absl::string_view message) {
  PrintError(absl::StrCat("ledgerctl ", inv.command->name, ": ", message));
  return kExitFailed;
}

int Failed(const Invocation& inv, const absl::Status& status) {
  return Failed(inv, status.message());
}

constexpr char kQueryDetails[] =
    "The query sees the events recorded at or before --known-at (default: "
    "all),\n"
    "and of their facts what happened at or before --at (RULES.md section "
    "1).\n"
    "--policy takes a preset (china-2020, the default; china-2022, who-2020,\n"
    "cdc-2020) or a file holding a Policy in protobuf text format or JSON.\n"
    "Times are printed in RFC 3339 with the ledger's time zone offset, days "
    "as\n"
    "YYYY-MM-DD; CSV is RFC 4180 with LF line ends; JSON is an array with "
    "one\n"
    "object per row and the same fields (null for an empty one).\n"
    "With --scope AREA the answers hold only the persons of AREA's subtree "
    "(as of\n"
    "--known-at); anyone else they must name appears as an opaque id, "
    "ext- and 16\n"
    "hex digits (new ones each run), and asking about them exits 1\n"
    "(contactledger/scope.h).\n";

std::string CommandHelp(const Command& command) {
  std::string text = absl::StrCat(CommandUsage(command), "\n", command.summary,
                                  "\n\nOptions:\n");
  for (const FlagSpec& flag : command.flags) {
    std::string left = flag.value == nullptr
                           ? absl::StrCat("  --", flag.name)
                           : absl::StrCat("  --", flag.name, " ", flag.value);
    if (left.size() < 24) left.resize(24, ' ');
    std::string help = flag.help;
    if (absl::string_view(flag.name) == "format" && !command.formats.empty()) {
      help = absl::StrCat(absl::StrJoin(command.formats, "|"), " (default ",
                          command.formats[0], ")");
    }
    absl::StrAppend(&text, left, " ", help, "\n");
  }
  absl::StrAppend(&text, "  --help                 print this help\n\n",
                  command.details);
  // The notes on --at, --known-at and --policy, for the commands that take
  // them all (audit takes only --known-at and says so itself).
  for (const FlagSpec& flag : command.flags) {
    if (absl::string_view(flag.name) == "at") text += kQueryDetails;
  }
  if (command.examples != nullptr) {
    const bool several = absl::StrContains(
        absl::string_view(command.examples).substr(1), "\n  ledgerctl ");
    absl::StrAppend(&text, absl::EndsWith(text, "\n\n") ? "" : "\n",
                    several ? "Examples:\n" : "Example:\n", command.examples);
  }
  return text;
}

std::string MainHelp() {
  std::string text =
      "usage: ledgerctl COMMAND DIR [options]\n"
      "\n"
      "ledgerctl keeps a contact-tracing ledger in the directory DIR and "
      "answers the\n"
      "closed-loop questions of RULES.md over it.\n\n"
      "Commands:\n";
  for (const Command& command : Commands()) {
    std::string left = absl::StrCat("  ", command.name);
    left.resize(12, ' ');
    absl::StrAppend(&text, left, command.summary, "\n");
  }
  absl::StrAppend(
      &text,
      "\nRun 'ledgerctl COMMAND --help' for a command's options and output.\n"
      "\n"
      "TIME is RFC 3339 with an offset, e.g. 2020-02-01T08:00:00+08:00.\n"
      "Exit status: 0 success; 1 bad input or a failed check; 2 bad usage.\n"
      "Errors go to standard error; on a terminal, 'import' and 'generate' "
      "also show\n"
      "their progress there.\n"
      "\n"
      "Examples:\n"
      "  ledgerctl init county --time-zone Asia/Shanghai\n"
      "  ledgerctl generate county --persons 20000\n"
      "  ledgerctl roster county --at 2020-02-01T12:00:00+08:00\n");
  return text;
}

// Parses the arguments after the command name. Returns -1 to go on, or an
// exit status (help printed, or a usage error).
int ParseArguments(const Command& command, const std::vector<std::string>& args,
                   Invocation* inv) {
  inv->command = &command;
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
    if (arg == "--help" || arg == "-h") {
      Print(CommandHelp(command));
      return kExitOk;
    }
    if (!absl::StartsWith(arg, "--")) {
      return UsageError(&command, absl::StrCat("unknown option '", arg, "'"));
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
      return UsageError(&command, absl::StrCat("unknown flag '--", name, "'"));
    }
    if (spec->value == nullptr) {  // a switch: --name alone
      if (value.has_value()) {
        return UsageError(&command,
                          absl::StrCat("flag '--", name, "' takes no value"));
      }
      value = "";
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return UsageError(&command, absl::StrCat("flag '--", name, "' needs a ",
                                                 spec->value));
      }
      value = args[++i];
    }
    if (!inv->flags.emplace(name, *value).second) {
      return UsageError(&command,
                        absl::StrCat("flag '--", name, "' given twice"));
    }
  }
  if (inv->positionals.size() != command.positionals.size()) {
    if (inv->positionals.size() < command.positionals.size()) {
      return UsageError(
          &command, absl::StrCat("missing ",
                                 command.positionals[inv->positionals.size()]));
    }
    return UsageError(
        &command,
        absl::StrCat("unexpected argument '",
                     inv->positionals[command.positionals.size()], "'"));
  }
  for (const char* required : command.required_flags) {
    if (!inv->Has(required)) {
      return UsageError(
          &command, absl::StrCat("missing required flag '--", required, "'"));
    }
  }
  if (inv->Has("format")) {
    bool known = false;
    for (const char* format : command.formats)
      known |= inv->Get("format") == format;
    if (!known) {
      return UsageError(
          &command,
          absl::StrCat("unknown format '", inv->Get("format"), "' (expected ",
                       absl::StrJoin(command.formats, "|"), ")"));
    }
  }
  return -1;
}

std::string FormatOf(const Invocation& inv) {
  if (inv.Has("format")) return inv.Get("format");
  return inv.command->formats.empty() ? "" : inv.command->formats[0];
}

// Reads --NAME as a TIME. Returns 0 or the usage exit status.
int TimeFlag(const Invocation& inv, absl::string_view name, absl::Time* out) {
  if (!ParseTimeValue(inv.Get(name), out)) {
    return UsageError(
        inv, absl::StrCat("--", name, " '", inv.Get(name),
                          "' is not an RFC 3339 time with an offset (e.g. "
                          "2020-02-01T08:00:00+08:00)"));
  }
  return 0;
}

// ---------------------------------------------------------------------------
// The ledger directory.

struct Settings {
  std::string zone_name = "UTC";
  absl::TimeZone zone = absl::UTCTimeZone();
  // "identity_rules=china|none"; a directory without it is checked under
  // the ledger's default, china.
  IdentityRules identity_rules = IdentityRules::kChina;
};

std::string SettingsPath(const std::string& dir) {
  return absl::StrCat(dir, "/", kSettingsFile);
}

absl::StatusOr<Settings> ReadSettings(const std::string& dir) {
  Settings settings;
  Env* env = Env::Default();
  const std::string path = SettingsPath(dir);
  if (!env->FileExists(path)) return settings;
  absl::StatusOr<std::string> text = ReadFileToString(env, path);
  if (!text.ok()) return text.status();
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (kv.first == "time_zone") {
      if (!absl::LoadTimeZone(std::string(kv.second), &settings.zone)) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": line ", line_number, ": unknown time zone '", kv.second,
            "' (install the time zone database, Debian: "
            "apt-get install tzdata, or correct the line)"));
      }
      settings.zone_name = std::string(kv.second);
    } else if (kv.first == "identity_rules") {
      absl::StatusOr<IdentityRules> rules = ParseIdentityRules(kv.second);
      if (!rules.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": line ", line_number, ": ", rules.status().message()));
      }
      settings.identity_rules = *rules;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": line ", line_number, ": unknown setting '", line,
          "' (remove the line: 'ledgerctl init' writes only time_zone and "
          "identity_rules)"));
    }
  }
  return settings;
}

// Fails (1) unless inv.dir() holds a ledger: a LEDGERCTL file, the LOCK
// file, a log or a snapshot. Opening an empty or unrelated directory would
// otherwise start a new ledger in it.
int CheckLedgerDirectory(const Invocation& inv) {
  const std::string& dir = inv.dir();
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (!names.ok()) {
    return Failed(
        inv, absl::StrCat("cannot list '", dir, "': ", names.status().message(),
                          " (give the ledger's directory)"));
  }
  for (const std::string& name : *names) {
    if (name == kSettingsFile || name == "LOCK" ||
        absl::EndsWith(name, ".log") || absl::EndsWith(name, ".snapshot")) {
      return 0;
    }
  }
  return Failed(inv, absl::StrCat("'", dir,
                                  "' holds no ledger (no LEDGERCTL, log or "
                                  "snapshot file); check the path, or create "
                                  "one with 'ledgerctl init ",
                                  dir, "'"));
}

// What Ledger::Open said, with what to do about it.
std::string OpenError(const std::string& dir, const absl::Status& status) {
  if (absl::IsFailedPrecondition(status) &&
      absl::StrContains(status.message(), "in use")) {
    return absl::StrCat(status.message(),
                        "; wait for the other ledgerctl or program that has "
                        "it open to finish, then run the command again");
  }
  if (absl::IsDataLoss(status)) {
    return absl::StrCat(status.message(), "; run 'ledgerctl verify ", dir,
                        "' to see the damage, and keep a copy of the "
                        "directory before anything writes to it");
  }
  return std::string(status.message());
}

// Opens the ledger in inv.dir(); prints the error and returns 1 on failure.
int OpenLedger(const Invocation& inv, Settings* settings,
               std::unique_ptr<Ledger>* ledger) {
  const std::string& dir = inv.dir();
  if (!Env::Default()->FileExists(dir)) {
    return Failed(
        inv, absl::StrCat("no ledger directory '", dir,
                          "' (create one with 'ledgerctl init ", dir, "')"));
  }
  if (int rc = CheckLedgerDirectory(inv); rc != 0) return rc;
  absl::StatusOr<Settings> read = ReadSettings(dir);
  if (!read.ok()) return Failed(inv, read.status());
  *settings = *read;
  LedgerOptions options;
  options.time_zone = settings->zone;
  options.identity_rules = settings->identity_rules;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Ledger>> opened = Ledger::Open(options, dir);
  if (!opened.ok()) return Failed(inv, OpenError(dir, opened.status()));
  *ledger = std::move(*opened);
  if (inv.Has("redact")) {
    // Learn every person's name, national id and phone (Main set up a
    // redactor that knows none yet).
    static Redactor* redactor = new Redactor();
    if (absl::Status s = redactor->LearnLedger(**ledger); !s.ok()) {
      return Failed(inv, s);
    }
    g_redactor = redactor;
  }
  return 0;
}

// What every query command shares.
struct QueryContext {
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  QueryOptions options;
  std::string format;
  // With --scope: the view every answer goes through.
  std::unique_ptr<ScopedLedger> view;
};

// --scope AREA (and --actor NAME): opens the view of the ledger bound to the
// area; nothing when --scope is not given. Returns 0 or 1 (error printed).
int OpenScope(const Invocation& inv, Ledger& ledger,
              std::unique_ptr<ScopedLedger>* view) {
  if (!inv.Has("scope")) return 0;
  const std::string actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  absl::StatusOr<std::unique_ptr<ScopedLedger>> created =
      ScopedLedger::Create(ledger, inv.Get("scope"), actor);
  if (!created.ok()) {
    return Failed(inv, absl::StrCat("--scope: ", created.status().message()));
  }
  *view = std::move(*created);
  return 0;
}

// Reads --policy: a preset name or a file holding a policy.
int PolicyFlag(const Invocation& inv, std::optional<v1::Policy>* out) {
  if (!inv.Has("policy")) return 0;
  const std::string value = inv.Get("policy");
  absl::StatusOr<v1::Policy> preset = PolicyPreset(value);
  if (preset.ok()) {
    *out = *preset;
    return 0;
  }
  Env* env = Env::Default();
  if (!env->FileExists(value)) {
    return UsageError(
        inv, absl::StrCat("--policy '", value, "' is neither a preset (",
                          absl::StrJoin(PolicyPresetNames(), ", "),
                          ") nor a policy file"));
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, value);
  if (!text.ok()) {
    return Failed(inv, absl::StrCat("cannot read the policy file '", value,
                                    "': ", text.status().message()));
  }
  absl::StatusOr<v1::Policy> policy = ParsePolicy(*text);
  if (!policy.ok()) {
    return Failed(inv,
                  absl::StrCat(value, ": ", policy.status().message(),
                               " (a contactledger.v1.Policy in protobuf text "
                               "format or JSON: see "
                               "proto/contactledger/v1/policy.proto; or use a "
                               "preset: ",
                               absl::StrJoin(PolicyPresetNames(), ", "), ")"));
  }
  *out = *policy;
  return 0;
}

// Parses --at, --known-at and --policy, and opens the ledger.
int OpenForQuery(const Invocation& inv, QueryContext* ctx) {
  ctx->format = FormatOf(inv);
  if (int rc = TimeFlag(inv, "at", &ctx->options.at); rc != 0) return rc;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &ctx->options.read.known_at);
        rc != 0) {
      return rc;
    }
  }
  if (int rc = PolicyFlag(inv, &ctx->options.policy); rc != 0) return rc;
  if (int rc = OpenLedger(inv, &ctx->settings, &ctx->ledger); rc != 0) {
    return rc;
  }
  return OpenScope(inv, *ctx->ledger, &ctx->view);
}

// A person or area the ledger does not know, with what to do about it.
std::string UnknownIdError(const Invocation& inv, const absl::Status& status) {
  if (!absl::IsNotFound(status)) return std::string(status.message());
  return absl::StrCat(status.message(),
                      " (ids are matched exactly, case included; 'ledgerctl "
                      "export ",
                      inv.dir(), "' lists every event with its ids)");
}

// Creates the tracer; prints the error and returns 1 on failure.
int MakeTracer(const Invocation& inv, const QueryContext& ctx,
               std::optional<Tracer>* tracer) {
  absl::StatusOr<Tracer> created =
      ctx.view != nullptr ? ctx.view->CreateTracer(ctx.options)
                          : Tracer::Create(*ctx.ledger, ctx.options);
  if (!created.ok()) return Failed(inv, created.status());
  tracer->emplace(std::move(*created));
  return 0;
}

// ---------------------------------------------------------------------------
// init, import, verify, export.

int RunInit(const Invocation& inv) {
  const std::string zone_name =
      inv.Has("time-zone") ? inv.Get("time-zone") : "UTC";
  absl::TimeZone zone;
  if (zone_name.empty() || !absl::LoadTimeZone(zone_name, &zone)) {
    return UsageError(
        inv, absl::StrCat("unknown time zone '", zone_name,
                          "': use an IANA name such as UTC or Asia/Shanghai "
                          "(Debian keeps them in the tzdata package)"));
  }
  absl::StatusOr<IdentityRules> rules = ParseIdentityRules(
      inv.Has("identity-rules") ? inv.Get("identity-rules") : "china");
  if (!rules.ok()) return UsageError(inv, rules.status().message());
  const std::string& dir = inv.dir();
  Env* env = Env::Default();
  if (env->FileExists(SettingsPath(dir))) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' is already a ledger; use it as it is, "
                                    "or give another directory"));
  }
  LedgerOptions options;
  options.time_zone = zone;
  options.identity_rules = *rules;
  options.create_if_missing = true;
  options.error_if_exists = true;
  // Ledger::Open creates DIR, not its parents.
  const size_t slash = dir.find_last_of('/');
  const std::string parent = slash == std::string::npos ? ""
                             : slash == 0               ? "/"
                                                        : dir.substr(0, slash);
  if (!parent.empty() && !env->FileExists(parent)) {
    return Failed(inv, absl::StrCat("the parent directory '", parent,
                                    "' does not exist; create it first "
                                    "(mkdir -p ",
                                    parent, ")"));
  }
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options, dir);
  if (!ledger.ok()) return Failed(inv, OpenError(dir, ledger.status()));
  const std::string path = SettingsPath(dir);
  const std::string tmp = path + ".tmp";
  absl::StatusOr<std::unique_ptr<WritableFile>> file =
      env->NewWritableFile(tmp);
  absl::Status status = file.status();
  if (status.ok()) {
    status = (*file)->Append(absl::StrCat(
        "# ledgerctl settings of this ledger directory\ntime_zone=", zone_name,
        "\nidentity_rules=", IdentityRulesName(*rules), "\n"));
  }
  if (status.ok()) status = (*file)->Sync();
  if (status.ok()) status = (*file)->Close();
  if (status.ok()) status = env->RenameFile(tmp, path);
  if (status.ok()) status = env->SyncDir(dir);
  if (!status.ok()) {
    return Failed(inv, absl::StrCat(status.message(), " (the ledger in '", dir,
                                    "' was created but not its settings: "
                                    "remove the directory and run 'ledgerctl "
                                    "init' again)"));
  }
  Print(absl::StrCat("initialized ledger ", dir, " (time zone ", zone_name,
                     ", identity rules ", IdentityRulesName(*rules), ")\n"));
  return kExitOk;
}

// Imports through a scoped view (--scope): parses the file, then records it
// with the view's AppendBatch, which checks every event against the scope and
// stamps the view's actor on it. The view's and the ledger's errors name the
// event by its position: the file's N-th data row (CSV) or non-blank line
// (JSON Lines).
absl::StatusOr<ImportSummary> ImportThroughView(
    ScopedLedger& view, const std::optional<ImportKind>& kind,
    absl::string_view text, absl::TimeZone zone, const ImportOptions& options) {
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      kind.has_value() ? CsvToEvents(*kind, text, zone, options)
                       : JsonlToEvents(text, options);
  if (!events.ok()) return events.status();
  if (options.progress) {
    ImportProgress recording;
    recording.rows = events->size();
    recording.bytes_consumed = recording.bytes_total = text.size();
    recording.recording = true;
    options.progress(recording);
  }
  absl::StatusOr<std::vector<uint64_t>> sequences =
      view.AppendBatch(*events, options.write_options);
  if (!sequences.ok()) {
    // "event K of M (...): ..." names the K-th data row or line.
    std::string where;
    absl::string_view message = sequences.status().message();
    uint64_t k = 0;
    if (absl::ConsumePrefix(&message, "event ") &&
        absl::SimpleAtoi(message.substr(0, message.find(' ')), &k)) {
      where = absl::StrCat(" (event ", k, " is the file's ",
                           kind.has_value() ? "data row " : "non-blank line ",
                           k, ")");
    }
    return absl::Status(sequences.status().code(),
                        absl::StrCat(options.file_name, ": ",
                                     sequences.status().message(), where));
  }
  ImportSummary summary;
  summary.rows = events->size();
  if (!sequences->empty()) {
    summary.first_sequence = sequences->front();
    summary.last_sequence = sequences->back();
  }
  return summary;
}

int RunImport(const Invocation& inv) {
  if (inv.Has("scope") && !inv.Has("actor")) {
    return UsageError(inv,
                      "--scope needs --actor NAME: the worker recording "
                      "through the area's view");
  }
  std::optional<ImportKind> kind;
  if (inv.Has("kind")) {
    absl::StatusOr<ImportKind> parsed = ParseImportKind(inv.Get("kind"));
    if (!parsed.ok()) return UsageError(inv, parsed.status().message());
    kind = *parsed;
  }
  const std::string& file = inv.positionals[1];
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &settings, &ledger); rc != 0) return rc;

  // Limits::max_import_bytes, checked before reading: a file by its size,
  // standard input by reading at most one byte more (the importer then
  // refuses it).
  const uint64_t max_bytes = ledger->options().limits.max_import_bytes;
  std::string text;
  if (file == "-") {
    char buffer[1 << 16];
    while (text.size() <= max_bytes &&
           std::cin.read(buffer, sizeof(buffer)).gcount() > 0) {
      text.append(buffer, static_cast<size_t>(std::cin.gcount()));
    }
  } else {
    absl::StatusOr<uint64_t> size = Env::Default()->GetFileSize(file);
    if (size.ok() && *size > max_bytes) {
      return Failed(inv, absl::StrCat(file, ": ", *size,
                                      " bytes, more than the ", max_bytes,
                                      " an import may read "
                                      "(Limits::max_import_bytes)"));
    }
    absl::StatusOr<std::string> read = ReadFileToString(Env::Default(), file);
    if (!read.ok()) {
      return Failed(inv, absl::StrCat("cannot read '", file,
                                      "': ", read.status().message(),
                                      " (check the path; '-' reads standard "
                                      "input)"));
    }
    text = std::move(*read);
  }
  ImportOptions options;
  options.file_name = file == "-" ? "<stdin>" : file;
  options.actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  options.write_options.sync = true;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  Progress progress(options.file_name, "rows");
  options.progress = [&progress](const ImportProgress& p) {
    if (p.recording) {
      progress.Say(absl::StrCat("recording ", Thousands(p.rows),
                                p.rows == 1 ? " event" : " events"));
    } else {
      progress.Update(p.rows, p.bytes_consumed, p.bytes_total);
    }
  };
  absl::StatusOr<ImportSummary> summary =
      view != nullptr
          ? ImportThroughView(*view, kind, text, settings.zone, options)
      : kind.has_value() ? ImportCsv(ledger.get(), *kind, text, options)
                         : ImportJsonl(ledger.get(), text, options);
  progress.Clear();
  if (!summary.ok()) {
    return Failed(
        inv, absl::StrCat(summary.status().message(), "\nNothing of ",
                          options.file_name, " was recorded: ",
                          absl::IsInvalidArgument(summary.status())
                              ? "correct it and import the whole file again."
                              : "import it again once the cause is fixed."));
  }
  std::string recorded;
  if (summary->rows == 1) {
    recorded = absl::StrCat(" (sequence number ", summary->first_sequence, ")");
  } else if (summary->rows > 1) {
    recorded = absl::StrCat(" (sequence numbers ", summary->first_sequence, "-",
                            summary->last_sequence, ")");
  }
  Print(absl::StrCat("imported ", summary->rows,
                     summary->rows == 1 ? " event" : " events", " from ",
                     options.file_name, recorded, "\n"));
  return kExitOk;
}

int RunGenerate(const Invocation& inv) {
  SyntheticCountyOptions options;
  int64_t persons = 0;
  if (!absl::SimpleAtoi(inv.Get("persons"), &persons) || persons < 10) {
    return UsageError(inv, absl::StrCat("--persons '", inv.Get("persons"),
                                        "' is not a count of 10 or more"));
  }
  options.persons = persons;
  if (inv.Has("seed") && !absl::SimpleAtoi(inv.Get("seed"), &options.seed)) {
    return UsageError(
        inv, absl::StrCat("--seed '", inv.Get("seed"), "' is not a number"));
  }
  if (inv.Has("cases") &&
      (!absl::SimpleAtoi(inv.Get("cases"), &options.cases) ||
       options.cases < 0)) {
    return UsageError(
        inv, absl::StrCat("--cases '", inv.Get("cases"), "' is not a count"));
  }
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &settings, &ledger); rc != 0) return rc;
  options.time_zone = settings.zone;
  options.batch_size = 10000;
  const absl::Time started = absl::Now();
  Progress progress(inv.dir(), "events");
  uint64_t events = 0;
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        if (inv.Has("actor")) {
          for (v1::LedgerEvent& event : batch)
            event.set_actor(inv.Get("actor"));
        }
        absl::Status appended = ledger->AppendBatch(batch).status();
        events += batch.size();
        progress.Update(events);
        return appended;
      });
  progress.Clear();
  if (!summary.ok()) {
    return Failed(inv, absl::StrCat(summary.status().message(),
                                    " (the batches before this one stay "
                                    "recorded: generate into a new directory, "
                                    "'ledgerctl init NEWDIR' first)"));
  }
  Print(absl::StrFormat(
      "generated %d areas, %d households, %d persons, %d exposures, "
      "%d diagnoses, %d quarantine actions, %d health checks, %d passages "
      "in %.1f s\n",
      summary->areas, summary->households, summary->persons, summary->exposures,
      summary->diagnoses, summary->quarantine_actions, summary->health_checks,
      summary->passages, absl::ToDoubleSeconds(absl::Now() - started)));
  return kExitOk;
}

int RunVerify(const Invocation& inv) {
  const std::string& dir = inv.dir();
  if (!Env::Default()->FileExists(dir)) {
    return Failed(
        inv, absl::StrCat("no ledger directory '", dir, "' (check the path)"));
  }
  absl::StatusOr<Settings> settings = ReadSettings(dir);
  if (!settings.ok()) return Failed(inv, settings.status());
  LedgerOptions options;
  options.time_zone = settings->zone;
  absl::StatusOr<VerifyReport> report = Ledger::Verify(options, dir);
  if (!report.ok()) return Failed(inv, report.status());
  std::string out;
  for (const VerifyReport::File& file : report->files) {
    absl::StrAppend(&out, "file ", file.name, ": ", file.bytes, " bytes, ",
                    file.records, " records");
    if (file.first_sequence != 0) {
      absl::StrAppend(&out, ", events ", file.first_sequence, "-",
                      file.last_sequence);
    }
    out += "\n";
  }
  absl::StrAppend(&out, "events: ", report->events, "\n",
                  "last sequence number: ", report->last_sequence, "\n");
  for (const DamagedRange& damage : report->damage) {
    absl::StrAppend(&out, damage.truncated_tail ? "cut-off tail" : "damage",
                    ": ", damage.file, " at byte ", damage.offset, ", ",
                    damage.length, " bytes: ", damage.reason, "\n");
  }
  for (const std::string& problem : report->problems) {
    absl::StrAppend(&out, "problem: ", problem, "\n");
  }
  absl::StrAppend(&out, report->ok() ? "ok\n" : "damaged\n");
  Print(out);
  if (!report->ok()) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' is damaged (see above): keep a copy of "
                                    "the directory before anything writes to "
                                    "it; the other commands refuse to open it "
                                    "until the damage is dealt with"));
  }
  return kExitOk;
}

int RunExport(const Invocation& inv) {
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &settings, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  const uint64_t last = ledger->last_sequence_number();
  std::string out;
  for (uint64_t s = 1; s <= last; ++s) {
    absl::StatusOr<v1::LedgerEvent> event =
        view != nullptr ? view->GetEvent(s, ReadOptions())
                        : ledger->GetEvent(s);
    // With --scope, only the events about the scope (outsiders masked).
    if (view != nullptr && absl::IsPermissionDenied(event.status())) continue;
    if (absl::IsNotFound(event.status())) {
      PrintError(absl::StrCat("ledgerctl export: warning: event ", s,
                              " is lost (a damaged log range); skipped"));
      continue;
    }
    if (!event.ok()) return Failed(inv, event.status());
    if (g_redactor != nullptr) g_redactor->Redact(&*event);
    std::string line;
    const auto status =
        google::protobuf::util::MessageToJsonString(*event, &line, print);
    if (!status.ok()) {
      return Failed(
          inv, absl::StrCat("event ", s, ": ", std::string(status.message())));
    }
    absl::StrAppend(&out, line, "\n");
    if (out.size() > (1 << 20)) {
      Print(out);
      out.clear();
    }
  }
  Print(out);
  return kExitOk;
}

// ---------------------------------------------------------------------------
// Queries.

int RunRoster(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<RosterEntry> roster = tracer->Roster();
  Print(ctx.format == "json" ? WriteRosterJson(roster, ctx.settings.zone)
                             : WriteRosterCsv(roster, ctx.settings.zone));
  return kExitOk;
}

int RunLoops(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  Print(ctx.format == "json" ? WriteLoopsJson(loops, ctx.settings.zone)
                             : WriteLoopsCsv(loops, ctx.settings.zone));
  return kExitOk;
}

int RunExplain(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  absl::StatusOr<Explanation> explained = tracer->Explain(inv.Get("person"));
  if (!explained.ok())
    return Failed(inv, UnknownIdError(inv, explained.status()));
  const Explanation& x = *explained;
  const absl::TimeZone zone = ctx.settings.zone;
  const std::string role =
      x.role.has_value() ? std::string(RoleName(*x.role)) : std::string();
  if (ctx.format == "json") {
    std::vector<std::string> sources, phases, notes;
    for (const Explanation::Source& s : x.sources) {
      sources.push_back(
          JsonObject()
              .String("source", s.person_id)
              .String("rule", s.rule)
              .Raw("exposures", JsonSequences(s.exposures))
              .StringOrNull("first", ShowTime(s.first, zone))
              .StringOrNull("last_exposure", ShowTime(s.last_exposure, zone))
              .Number("overlap_seconds", absl::ToInt64Seconds(s.overlap))
              .Bool("continuous", s.continuous)
              .Build());
    }
    for (const Explanation::Phase& p : x.phases) {
      phases.push_back(JsonObject()
                           .String("place", QuarantinePlaceName(p.place))
                           .String("first_day", FormatDay(p.first_day))
                           .String("last_day", FormatDay(p.last_day))
                           .Build());
    }
    for (const std::string& n : x.notes) notes.push_back(JsonString(n));
    Print(absl::StrCat(JsonObject()
                           .String("person_id", x.person_id)
                           .Bool("in_roster", x.in_roster)
                           .StringOrNull("role", role)
                           .StringOrNull("until", FormatDay(x.until))
                           .Raw("sources", JsonInlineArray(sources))
                           .Raw("phases", JsonInlineArray(phases))
                           .Raw("notes", JsonInlineArray(notes))
                           .Build(),
                       "\n"));
    return kExitOk;
  }
  if (ctx.format == "csv") {
    std::string out =
        "person_id,in_roster,role,source,rule,exposures,first,last_exposure,"
        "overlap_seconds,continuous,until\n";
    const std::string in_roster = x.in_roster ? "true" : "false";
    if (x.sources.empty()) {
      out += CsvRow({x.person_id, in_roster, role, "", "", "", "", "", "", "",
                     FormatDay(x.until)});
    }
    for (const Explanation::Source& s : x.sources) {
      out += CsvRow({x.person_id, in_roster, role, s.person_id, s.rule,
                     Sequences(s.exposures, ";"), ShowTime(s.first, zone),
                     ShowTime(s.last_exposure, zone),
                     absl::StrCat(absl::ToInt64Seconds(s.overlap)),
                     s.continuous ? "true" : "false", FormatDay(x.until)});
    }
    Print(out);
    return kExitOk;
  }
  // text
  std::string out = absl::StrCat("person ", x.person_id, ": ");
  if (x.in_roster) {
    absl::StrAppend(&out, "in the roster as ", role, "\n");
  } else if (!role.empty()) {
    absl::StrAppend(&out, "not in the roster (", role, ")\n");
  } else {
    absl::StrAppend(&out, "not in the roster\n");
  }
  if (x.until.has_value()) {
    absl::StrAppend(&out, "until: ", FormatDay(x.until), "\n");
  }
  for (const Explanation::Phase& p : x.phases) {
    absl::StrAppend(&out, "phase: ", QuarantinePlaceName(p.place), " ",
                    FormatDay(p.first_day), " to ", FormatDay(p.last_day),
                    "\n");
  }
  for (const Explanation::Source& s : x.sources) {
    absl::StrAppend(&out, "source: ", s.person_id, " by ", s.rule);
    if (!s.exposures.empty()) {
      absl::StrAppend(&out, ", exposures ", Sequences(s.exposures, ", "));
    }
    absl::StrAppend(&out, "; first ", ShowTime(s.first, zone));
    if (s.continuous) {
      absl::StrAppend(&out, "; continuous");
    } else {
      absl::StrAppend(&out, "; last exposure ",
                      ShowTime(s.last_exposure, zone));
    }
    absl::StrAppend(&out, "; overlap ", absl::FormatDuration(s.overlap), "\n");
  }
  for (const std::string& note : x.notes) {
    absl::StrAppend(&out, "note: ", note, "\n");
  }
  Print(out);
  return kExitOk;
}

int RunRollup(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  absl::StatusOr<std::vector<AreaRollupRow>> rows =
      tracer->AreaRollup(inv.Get("area"));
  if (!rows.ok()) return Failed(inv, UnknownIdError(inv, rows.status()));
  constexpr int kLoopKinds = 8;
  if (ctx.format == "json") {
    std::vector<std::string> items;
    for (const AreaRollupRow& r : *rows) {
      JsonObject o;
      o.String("area_id", r.area_id)
          .String("name", r.name)
          .Number("persons", r.persons)
          .Number("households", r.households)
          .Number("active_cases", r.active_cases)
          .Number("close_contacts", r.close_contacts)
          .Number("secondary_contacts", r.secondary_contacts)
          .Number("in_hospital", r.in_hospital)
          .Number("in_centralized", r.in_centralized)
          .Number("at_home", r.at_home);
      for (int k = 0; k < kLoopKinds; ++k) {
        o.Number(LoopKindName(static_cast<LoopKind>(k)),
                 k < static_cast<int>(r.loops.size()) ? r.loops[k] : 0);
      }
      o.Number("checks_last_24h", r.checks_last_24h);
      items.push_back(o.Build());
    }
    Print(JsonArray(items));
    return kExitOk;
  }
  std::vector<std::string> header = {"area_id",
                                     "name",
                                     "persons",
                                     "households",
                                     "active_cases",
                                     "close_contacts",
                                     "secondary_contacts",
                                     "in_hospital",
                                     "in_centralized",
                                     "at_home"};
  for (int k = 0; k < kLoopKinds; ++k) {
    header.push_back(std::string(LoopKindName(static_cast<LoopKind>(k))));
  }
  header.push_back("checks_last_24h");
  std::string out = CsvRow(header);
  for (const AreaRollupRow& r : *rows) {
    std::vector<std::string> row = {r.area_id,
                                    r.name,
                                    absl::StrCat(r.persons),
                                    absl::StrCat(r.households),
                                    absl::StrCat(r.active_cases),
                                    absl::StrCat(r.close_contacts),
                                    absl::StrCat(r.secondary_contacts),
                                    absl::StrCat(r.in_hospital),
                                    absl::StrCat(r.in_centralized),
                                    absl::StrCat(r.at_home)};
    for (int k = 0; k < kLoopKinds; ++k) {
      row.push_back(
          absl::StrCat(k < static_cast<int>(r.loops.size()) ? r.loops[k] : 0));
    }
    row.push_back(absl::StrCat(r.checks_last_24h));
    out += CsvRow(row);
  }
  Print(out);
  return kExitOk;
}

int RunPass(const Invocation& inv) {
  QueryContext ctx;
  if (inv.Get("checkpoint").empty()) {
    return UsageError(
        inv, "--checkpoint is empty; give the checkpoint's id, e.g. gate-3");
  }
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  absl::StatusOr<PassDecision> decision =
      tracer->MayPass(inv.Get("person"), inv.Get("checkpoint"));
  if (!decision.ok()) return Failed(inv, decision.status());
  const std::string verdict = decision->allowed ? "allowed" : "refused";
  if (ctx.format == "json") {
    Print(absl::StrCat(JsonObject()
                           .String("person_id", inv.Get("person"))
                           .String("checkpoint_id", inv.Get("checkpoint"))
                           .Bool("allowed", decision->allowed)
                           .String("reason", decision->reason)
                           .Build(),
                       "\n"));
  } else if (ctx.format == "csv") {
    Print(absl::StrCat("person_id,checkpoint_id,decision,reason\n",
                       CsvRow({inv.Get("person"), inv.Get("checkpoint"),
                               verdict, decision->reason})));
  } else {
    Print(absl::StrCat(verdict, decision->reason.empty() ? "" : ": ",
                       decision->reason, "\n"));
  }
  return decision->allowed ? kExitOk : kExitFailed;
}

int RunContacts(const Invocation& inv) {
  const std::string format = FormatOf(inv);
  int hops = 0;
  if (!absl::SimpleAtoi(inv.Get("hops"), &hops) || hops < 1) {
    return UsageError(inv, absl::StrCat("--hops '", inv.Get("hops"),
                                        "' is not a whole number of 1 or "
                                        "more"));
  }
  absl::Time from, to;
  if (int rc = TimeFlag(inv, "from", &from); rc != 0) return rc;
  if (int rc = TimeFlag(inv, "to", &to); rc != 0) return rc;
  if (from > to) {
    return UsageError(
        inv, absl::StrCat("--from ", inv.Get("from"), " is after --to ",
                          inv.Get("to"), "; swap them"));
  }
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &settings, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      view != nullptr
          ? view->Contacts(inv.Get("person"), hops, from, to, ReadOptions())
          : Contacts(*ledger, inv.Get("person"), hops, from, to);
  if (!contacts.ok())
    return Failed(inv, UnknownIdError(inv, contacts.status()));
  if (format == "json") {
    std::vector<std::string> items;
    for (const ContactAtDistance& c : *contacts) {
      items.push_back(JsonObject()
                          .String("person_id", c.person_id)
                          .Number("hops", c.hops)
                          .Build());
    }
    Print(JsonArray(items));
    return kExitOk;
  }
  std::string out = "person_id,hops\n";
  for (const ContactAtDistance& c : *contacts) {
    out += CsvRow({c.person_id, absl::StrCat(c.hops)});
  }
  Print(out);
  return kExitOk;
}

int RunAudit(const Invocation& inv) {
  const std::string format = FormatOf(inv);
  ReadOptions read;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &read.known_at); rc != 0) return rc;
  }
  Settings settings;
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &settings, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  const std::string person = inv.Get("person");
  absl::StatusOr<std::vector<AuditEntry>> trail =
      view != nullptr ? view->AuditTrail(person, read)
                      : AuditTrail(*ledger, person, read);
  if (!trail.ok()) return Failed(inv, UnknownIdError(inv, trail.status()));
  const absl::TimeZone zone = settings.zone;
  auto number = [](uint64_t n) {
    return n == 0 ? std::string() : absl::StrCat(n);
  };
  if (format == "json") {
    std::vector<std::string> items;
    for (const AuditEntry& e : *trail) {
      JsonObject o;
      o.Number("sequence_number", static_cast<int64_t>(e.sequence_number))
          .String("record_time",
                  absl::FormatTime(absl::RFC3339_full, e.record_time, zone))
          .StringOrNull("actor", e.actor)
          .String("kind", AuditKindName(e.kind))
          .Bool("retracted", e.retracted);
      if (e.retracted_by != 0) {
        o.Number("retracted_by", static_cast<int64_t>(e.retracted_by));
      } else {
        o.Raw("retracted_by", "null");
      }
      if (e.retracts != 0) {
        o.Number("retracts", static_cast<int64_t>(e.retracts));
      } else {
        o.Raw("retracts", "null");
      }
      items.push_back(o.Build());
    }
    Print(JsonArray(items));
    return kExitOk;
  }
  std::string out =
      "sequence_number,record_time,actor,kind,retracted,retracted_by,"
      "retracts\n";
  for (const AuditEntry& e : *trail) {
    out += CsvRow({absl::StrCat(e.sequence_number),
                   absl::FormatTime(absl::RFC3339_full, e.record_time, zone),
                   e.actor, std::string(AuditKindName(e.kind)),
                   e.retracted ? "true" : "false", number(e.retracted_by),
                   number(e.retracts)});
  }
  Print(out);
  return kExitOk;
}

// A Graphviz ID.
std::string DotId(absl::string_view id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

int RunChains(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::optional<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  if (ctx.format == "dot") {
    std::string out = "digraph transmission_chains {\n  node [shape=box];\n";
    for (size_t i = 0; i < chains.size(); ++i) {
      const TransmissionChain& chain = chains[i];
      absl::StrAppend(
          &out, "  subgraph ", DotId(absl::StrCat("cluster_", i + 1)),
          " {\n    label=", DotId(absl::StrCat("chain ", i + 1)), ";\n");
      for (const std::string& c : chain.cases) {
        absl::StrAppend(&out, "    ", DotId(c), ";\n");
      }
      for (const TransmissionChain::Edge& e : chain.edges) {
        std::string label = e.rule;
        if (!e.exposures.empty()) {
          absl::StrAppend(&label, " ", Sequences(e.exposures, ","));
        }
        absl::StrAppend(&out, "    ", DotId(e.from), " -> ", DotId(e.to),
                        " [label=", DotId(label), "];\n");
      }
      out += "  }\n";
    }
    out += "}\n";
    Print(out);
    return kExitOk;
  }
  std::string out = "chain,from,to,rule,exposures\n";
  for (size_t i = 0; i < chains.size(); ++i) {
    const TransmissionChain& chain = chains[i];
    const std::string number = absl::StrCat(i + 1);
    if (chain.edges.empty()) {
      for (const std::string& c : chain.cases) {
        out += CsvRow({number, c, "", "", ""});
      }
    }
    for (const TransmissionChain::Edge& e : chain.edges) {
      out +=
          CsvRow({number, e.from, e.to, e.rule, Sequences(e.exposures, ";")});
    }
  }
  Print(out);
  return kExitOk;
}

// ---------------------------------------------------------------------------
// The command table.

const std::vector<Command>& Commands() {
  // A switch (no value) of every command that prints ledger data.
  static const FlagSpec kRedactFlag = {
      "redact", nullptr,
      "redact names, national ids and phone numbers in all output "
      "(contactledger/privacy.h)"};
  // Views bound to an area, and who records (contactledger/scope.h).
  static const FlagSpec kScopeFlag = {
      "scope", "AREA",
      "only AREA's subtree: outsiders as opaque ids (ext-...), writes "
      "outside refused"};
  static const FlagSpec kActorFlag = {
      "actor", "NAME",
      "who records: stamped on every event (default ledgerctl)"};
  static const std::vector<FlagSpec> kQueryFlags = {
      {"at", "TIME", "the moment the question is about (required)"},
      {"known-at", "TIME", "as the ledger knew it then (default: everything)"},
      {"policy", "NAME|FILE", "a preset or a policy file (default china-2020)"},
      {"format", "FORMAT", "output format"},
      kRedactFlag,
      kScopeFlag,
  };
  const auto with = [](std::vector<FlagSpec> extra) {
    std::vector<FlagSpec> flags = std::move(extra);
    flags.insert(flags.end(), kQueryFlags.begin(), kQueryFlags.end());
    return flags;
  };
  static const auto* commands = new std::vector<Command>{
      {"init",
       "DIR [--time-zone ZONE] [--identity-rules china|none]",
       "create a ledger directory",
       {"DIR"},
       {{"time-zone", "ZONE",
         "the ledger's time zone, e.g. Asia/Shanghai (default UTC)"},
        {"identity-rules", "RULES",
         "china (default): national ids per GB 11643-1999 and Chinese "
         "phone numbers; none: any text"}},
       {},
       {},
       "Creates DIR (its parent must exist) and an empty ledger in it. The "
       "time zone,\n"
       "in which civil days (onset dates, 'until') are taken, is kept in "
       "DIR/LEDGERCTL\n"
       "and used by every later command, and so are the identity rules "
       "that appends\n"
       "and imports check Person national_id and phone against "
       "(contactledger/privacy.h).\n"
       "Fails (exit 1) when DIR already holds a ledger; exit 2 for an "
       "unknown time zone\n"
       "or rules.\n",
       RunInit,
       "  ledgerctl init county --time-zone Asia/Shanghai\n"},
      {"generate",
       "DIR --persons N [--seed S] [--cases K]",
       "record a synthetic county shaped like Yuanling (for trials)",
       {"DIR"},
       {{"persons", "N", "registered persons, 10 or more (required)"},
        {"seed", "S", "the generator's seed (default 2020)"},
        {"cases", "K", "index cases (default 5)"},
        kActorFlag},
       {"persons"},
       {},
       "Appends a deterministic synthetic county (contactledger/synthetic.h) "
       "to the\n"
       "ledger in DIR, which 'ledgerctl init' created: 23 township-level "
       "areas, about\n"
       "404 villages per 600,000 persons, grids of 150 households, about "
       "6.5 exposures\n"
       "per person over 30 days from 2020-01-10, K cases with their contacts "
       "placed,\n"
       "checks and passages. On a terminal, standard error shows the "
       "events recorded\n"
       "so far and the rate.\n",
       RunGenerate,
       "  ledgerctl generate county --persons 20000\n"},
      {"import",
       "DIR [--kind KIND] [--scope AREA --actor NAME] FILE",
       "record a CSV (with --kind) or JSON Lines file, all or nothing",
       {"DIR", "FILE"},
       {{"kind", "KIND",
         "areas|households|persons|exposures|diagnoses|stays|checks|"
         "passages"},
        kRedactFlag,
        kScopeFlag,
        kActorFlag},
       {},
       {},
       "With --kind, FILE is CSV: UTF-8, RFC 4180 quoting, a header row, "
       "columns in\n"
       "any order (* = required column; the others may be left out or "
       "empty):\n"
       "  areas       area_id*,parent_id,level*,name  "
       "(level county|township|village|grid)\n"
       "  households  household_id*,area_id*,address,responsible_worker\n"
       "  persons     person_id*,household_id,area_id,name,national_id,phone,"
       "birth_date,tags\n"
       "              (tags separated by ';')\n"
       "  exposures   person_a*,person_b*,start*,end*,setting*\n"
       "              (setting household|work|school|transport|gathering|"
       "healthcare|other)\n"
       "  diagnoses   person_id*,status*,onset,time*\n"
       "              (status suspected|confirmed|asymptomatic|recovered|"
       "deceased|cleared)\n"
       "  stays       person_id*,action*,time*,place  (action start|end; "
       "place\n"
       "              hospital|centralized|home for start, empty for end)\n"
       "  checks      person_id*,time*,temperature_c*,symptoms,checked_by\n"
       "              (symptoms true|false; true is recorded as the symptom "
       "\"symptoms\")\n"
       "  passages    person_id*,checkpoint_id*,time*,direction*  "
       "(direction in|out)\n"
       "Times are RFC 3339 with an offset, whole seconds; onset and "
       "birth_date may be\n"
       "YYYY-MM-DD. Without --kind, FILE is JSON Lines: one LedgerEvent per "
       "line in\n"
       "protobuf JSON (as 'export' writes). FILE '-' reads standard input.\n"
       "A file with one bad row records nothing; the error names the file, "
       "line,\n"
       "column and reason (exit 1). Prints the sequence numbers recorded.\n"
       "On a terminal, standard error shows the rows parsed, the rate, the "
       "share of\n"
       "FILE read and the time left, then the recording.\n"
       "--actor NAME is recorded as every event's actor (default "
       "'ledgerctl'). With\n"
       "--scope AREA (and --actor, required then) the file is recorded "
       "through AREA's\n"
       "view: a row about a person, household or area outside AREA's subtree "
       "records\n"
       "nothing and exits 1, naming the row, field and id "
       "(contactledger/scope.h).\n",
       RunImport,
       "  ledgerctl import county --kind checks checks.csv\n"
       "  ledgerctl import county events.jsonl\n"},
      {"roster",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|json]",
       "who must be quarantined, where and until when (RULES.md section 7)",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "json"},
       "CSV: person_id,role,source,last_exposure,until,continuous,place, "
       "sorted by\n"
       "person_id. role is case|close_contact|secondary_contact; source is "
       "the case\n"
       "(or close contact) of the latest exposure; last_exposure RFC 3339; "
       "until the\n"
       "last day of quarantine (YYYY-MM-DD); continuous true|false; place "
       "the place\n"
       "required at --at (hospital|centralized|home). A case has only "
       "person_id, role\n"
       "and place. A continuous contact (still exposed: a household "
       "member of a case\n"
       "at large) has no until, and its last_exposure is --at.\n\n",
       RunRoster,
       "  ledgerctl roster county --at 2020-02-01T12:00:00+08:00 --policy "
       "china-2022\n"},
      {"loops",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|json]",
       "where the loop is still open (RULES.md section 8)",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "json"},
       "CSV: person_id,kind,since,detail, sorted by person_id, kind, since. "
       "kind is\n"
       "unplaced|unisolated_case|early_release|missed_check|"
       "fever_not_escalated|\n"
       "no_owner|checkpoint_breach|unregistered.\n\n",
       RunLoops,
       "  ledgerctl loops county --at 2020-02-01T12:00:00+08:00 --format "
       "json\n"},
      {"explain",
       "DIR --person ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format text|csv|json]",
       "why a person is, or is not, in the roster",
       {"DIR"},
       with({{"person", "ID", "the person (required)"}}),
       {"person", "at"},
       {"text", "csv", "json"},
       "text (default): the role, until, phases, each source with the rule "
       "and the\n"
       "sequence numbers of its qualifying exposures, and notes.\n"
       "CSV: person_id,in_roster,role,source,rule,exposures,first,"
       "last_exposure,\n"
       "overlap_seconds,continuous,until, one row per source (exposures "
       "separated by\n"
       "';'), or one row with empty source fields. JSON: one object with "
       "sources,\n"
       "phases and notes. Exit 1 for a person the ledger never saw.\n\n",
       RunExplain,
       "  ledgerctl explain county --person p00012247 --at "
       "2020-02-01T12:00:00+08:00\n"},
      {"rollup",
       "DIR --area ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format csv|json]",
       "how each child area of an area stands",
       {"DIR"},
       with({{"area", "ID", "the parent area (required)"}}),
       {"area", "at"},
       {"csv", "json"},
       "CSV: area_id,name,persons,households,active_cases,close_contacts,\n"
       "secondary_contacts,in_hospital,in_centralized,at_home, one count per "
       "loop kind\n"
       "(unplaced ... unregistered), checks_last_24h; one row per child "
       "area, sorted\n"
       "by area_id. Exit 1 for an unknown area.\n\n",
       RunRollup,
       "  ledgerctl rollup county --area yl --at 2020-02-01T12:00:00+08:00\n"},
      {"pass",
       "DIR --person ID --checkpoint ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format text|csv|json]",
       "whether a person may pass a checkpoint",
       {"DIR"},
       with({{"person", "ID", "the person (required)"},
             {"checkpoint", "ID", "the checkpoint (required)"}}),
       {"person", "checkpoint", "at"},
       {"text", "csv", "json"},
       "text (default): 'allowed' or 'refused', then ': ' and the reason.\n"
       "CSV: person_id,checkpoint_id,decision,reason. JSON: one object.\n"
       "Exit status: 0 allowed, 1 refused (or an error), 2 bad usage.\n\n",
       RunPass,
       "  ledgerctl pass county --person p00012247 --checkpoint yl-t01-cp1 "
       "--at 2020-02-01T12:00:00+08:00\n"},
      {"contacts",
       "DIR --person ID --hops K --from TIME --to TIME "
       "[--format csv|json]",
       "everyone within K hops over exposures overlapping a window",
       {"DIR"},
       {{"person", "ID", "the person (required)"},
        {"hops", "K", "the largest hop distance, 1 or more (required)"},
        {"from", "TIME", "the window's start (required)"},
        {"to", "TIME", "the window's end (required)"},
        {"format", "FORMAT", "csv (default) or json"},
        kRedactFlag,
        kScopeFlag},
       {"person", "hops", "from", "to"},
       {"csv", "json"},
       "Follows every recorded exposure (not retracted) with start <= --to "
       "and\n"
       "end >= --from, whatever the policy. CSV: person_id,hops, sorted by "
       "hops, then\n"
       "person_id; the person itself is not listed. Exit 1 for a person the "
       "ledger\n"
       "never saw.\n",
       RunContacts,
       "  ledgerctl contacts county --person p00012248 --hops 2 --from "
       "2020-01-23T00:00:00+08:00 --to 2020-01-27T12:00:00+08:00\n"},
      {"chains",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|dot]",
       "index cases linked through qualifying exposures",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "dot"},
       "CSV: chain,from,to,rule,exposures, one row per edge (exposures "
       "separated by\n"
       "';'); chains are numbered from 1, sorted by their first case; a case "
       "with no\n"
       "link is a chain with one row 'N,case,,,'. dot: a Graphviz digraph "
       "with one\n"
       "cluster per chain.\n\n",
       RunChains,
       "  ledgerctl chains county --at 2020-02-01T12:00:00+08:00 --format dot "
       "> chains.dot\n"},
      {"audit",
       "DIR --person ID [--known-at TIME] [--scope AREA] [--format csv|json]",
       "who recorded what about a person",
       {"DIR"},
       {{"person", "ID", "the person (required)"},
        {"known-at", "TIME",
         "as the ledger knew it then (default: "
         "everything)"},
        {"format", "FORMAT", "output format"},
        kRedactFlag,
        kScopeFlag},
       {"person"},
       {"csv", "json"},
       "Every event about the person, sorted by sequence number: its "
       "registrations\n"
       "and versions, exposures on either side, diagnoses, stays, checks, "
       "passages,\n"
       "and the retractions of any of these. CSV: sequence_number,"
       "record_time,actor,\n"
       "kind,retracted,retracted_by,retracts. record_time is RFC 3339 with "
       "the\n"
       "fraction of a second; kind is the event's body (person|exposure|"
       "diagnosis|\n"
       "quarantine_action|health_check|checkpoint_passage|retraction); "
       "retracted is\n"
       "true|false as of --known-at, retracted_by the retraction's sequence "
       "number;\n"
       "retracts, for a retraction, the event it withdraws. JSON is an array "
       "with one\n"
       "object per row and the same fields (null for an empty one).\n"
       "The trail holds the events recorded at or before --known-at "
       "(default: all),\n"
       "whatever their event times. With --scope AREA only a person of "
       "AREA's subtree\n"
       "(as of --known-at) may be asked about (contactledger/scope.h).\n"
       "Exit 1 for a person the ledger never saw, or (with --scope) one "
       "outside the\n"
       "scope.\n\n",
       RunAudit,
       "  ledgerctl audit county --person p00012248\n"},
      {"verify",
       "DIR",
       "check every file of the ledger without changing it",
       {"DIR"},
       {kRedactFlag},
       {},
       {},
       "Prints each file with its records and events, any damage and "
       "problems, and\n"
       "'ok' or 'damaged'. Exit 0 when ok (a cut-off log tail is ok), 1 "
       "otherwise.\n",
       RunVerify,
       "  ledgerctl verify county\n"},
      {"export",
       "DIR [--format jsonl]",
       "print every event as JSON Lines",
       {"DIR"},
       {{"format", "FORMAT", "jsonl (the default and only format)"},
        kRedactFlag,
        kScopeFlag},
       {},
       {"jsonl"},
       "One LedgerEvent per line in protobuf JSON (proto field names), in "
       "sequence\n"
       "order, envelope included; 'ledgerctl import DIR2 FILE' reads it "
       "back. Events\n"
       "lost to a damaged log are skipped with a warning on standard "
       "error.\n"
       "With --redact, each person's name keeps its first character, a "
       "national id its\n"
       "first 6 and last 4, a phone its first 3 and last 4 digits, a "
       "household's address\n"
       "and worker their first character; birth dates are left out; ids "
       "and notes\n"
       "quoting any of these are redacted too. Such an export is for "
       "reading, not for\n"
       "importing back.\n",
       RunExport,
       "  ledgerctl export county > county.jsonl\n"},
  };
  return *commands;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintError(MainHelp());
    return kExitUsage;
  }
  const std::string& name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    if (name == "help" && args.size() == 2) {
      for (const Command& command : Commands()) {
        if (args[1] == command.name) {
          Print(CommandHelp(command));
          return kExitOk;
        }
      }
      return UsageError(nullptr,
                        absl::StrCat("unknown command '", args[1], "'"));
    }
    Print(MainHelp());
    return kExitOk;
  }
  for (const Command& command : Commands()) {
    if (name != command.name) continue;
    Invocation inv;
    const int rc = ParseArguments(
        command, std::vector<std::string>(args.begin() + 1, args.end()), &inv);
    if (rc >= 0) return rc;
    // --redact: redact from the first line written; OpenLedger then teaches
    // the redactor the ledger's persons.
    static const Redactor* const kPatternsOnly = new Redactor();
    if (inv.Has("redact")) g_redactor = kPatternsOnly;
    const int status = command.run(inv);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      PrintError(absl::StrCat("ledgerctl ", command.name,
                              ": error writing standard output (is the "
                              "disk full, or was the reading end of the "
                              "pipe closed?)"));
      return kExitFailed;
    }
    return status;
  }
  return UsageError(nullptr, absl::StrCat("unknown command '", name, "'"));
}

}  // namespace
}  // namespace ledgerctl
}  // namespace contactledger

int main(int argc, char** argv) {
  return contactledger::ledgerctl::Main(argc, argv);
}
