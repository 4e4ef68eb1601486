// Copyright 2026 The ContactLedger Authors.
//
// The files the county drill writes (output_files.h), Graphviz `dot` run on
// chain.dot without a shell, and the drill.done marker.

#include "county_drill/output_files.h"

#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "county_drill/chain_dot.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"

extern char** environ;  // the environment `dot` inherits

namespace county_drill {
namespace {

namespace fs = ::std::filesystem;

using ::contactledger::OpenLoop;
using ::contactledger::RosterEntry;
using ::contactledger::Tracer;

// Whether an executable `dot` is in one of the folders of PATH.
bool DotOnPath() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = absl::StrCat(dir, "/dot");
    if (access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

// `path` as a command-line argument: a relative path that starts with '-'
// gets "./" in front, so that it cannot be taken for an option.
std::string PathArgument(const fs::path& path) {
  std::string text = path.string();
  if (!text.empty() && text[0] == '-') text.insert(0, "./");
  return text;
}

// Runs `dot -Tsvg DOT_FILE -o SVG_FILE` and waits for it. The arguments go to
// the program as a list, not through a shell, so the paths can hold any
// character (quotes and spaces included). `dot` writes its own messages to
// stderr; the status says how it ended.
absl::Status DrawSvg(const fs::path& dot_file, const fs::path& svg_file) {
  std::vector<std::string> args = {"dot", "-Tsvg", PathArgument(dot_file), "-o",
                                   PathArgument(svg_file)};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();  // what the drill printed so far, before dot's messages
  pid_t pid = 0;
  const int error =
      posix_spawnp(&pid, "dot", nullptr, nullptr, argv.data(), environ);
  if (error != 0) {
    return absl::ErrnoToStatus(error, "cannot start `dot`");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return absl::ErrnoToStatus(errno, "waiting for `dot`");
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  if (WIFEXITED(status)) {
    return absl::InternalError(absl::StrCat("`dot` exited with status ",
                                            WEXITSTATUS(status),
                                            " (its messages are above)"));
  }
  if (WIFSIGNALED(status)) {
    return absl::InternalError(
        absl::StrCat("`dot` was ended by signal ", WTERMSIG(status)));
  }
  return absl::InternalError(
      absl::StrCat("`dot` ended with wait status ", status));
}

// Draws chain.svg from chain.dot; returns the line to print about it, or ""
// when it was drawn.
std::string DrawChainSvg(const fs::path& out_dir) {
  const fs::path svg = out_dir / "chain.svg";
  if (!DotOnPath()) {
    std::error_code ignored;
    fs::remove(svg, ignored);
    return "  chain.svg: not drawn, Graphviz `dot` is not installed (Debian: "
           "apt-get install graphviz; scripts/install-deps.sh does it)\n";
  }
  const absl::Status drawn = DrawSvg(out_dir / "chain.dot", svg);
  if (!drawn.ok()) {
    return absl::StrCat("  chain.svg: not drawn: ", drawn.message(), "\n");
  }
  return "";
}

}  // namespace

void WriteOutputFiles(const contactledger::Ledger& ledger, absl::Time at,
                      const fs::path& out_dir) {
  std::unique_ptr<Tracer> tracer =
      Unwrap(Tracer::Create(ledger, QueryAt(at)), "Tracer");
  const std::vector<RosterEntry> roster = tracer->Roster();
  WriteFile(out_dir / "roster.csv",
            contactledger::WriteRosterCsv(roster, Zone()));
  WriteFile(out_dir / "roster.json",
            contactledger::WriteRosterJson(roster, Zone()));
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  WriteFile(out_dir / "loops.csv", contactledger::WriteLoopsCsv(loops, Zone()));
  WriteFile(out_dir / "chain.dot", ChainDot(ledger, *tracer, at));
  const std::string svg_note = DrawChainSvg(out_dir);

  std::cout << "\nFiles in " << out_dir.string() << " (as of "
            << absl::FormatTime("%Y-%m-%d %H:%M %Z", at, Zone()) << "):\n";
  auto list = [&](absl::string_view name, absl::string_view what) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(out_dir / std::string(name), ec);
    if (ec) return;
    std::cout << absl::StrFormat("  %-12s %9s bytes  %s\n", name,
                                 Num(static_cast<int64_t>(size)), what);
  };
  list("roster.csv", absl::StrCat(roster.size(), " in the roster"));
  list("roster.json", "the same, as JSON");
  list("loops.csv", absl::StrCat(loops.size(), " open loops"));
  list("chain.dot", "the transmission chain and contacts (Graphviz)");
  list("chain.svg", "the same, drawn");
  list("dashboard.html", "the county dashboard, one page (each evening)");
  std::cout << svg_note;
}

void WriteDoneMarker(const fs::path& path, int64_t persons, uint64_t seed,
                     uint64_t last_sequence) {
  WriteFile(path, absl::StrCat("# county_drill finished this ledger\npersons=",
                               persons, "\nseed=", seed,
                               "\nlast_sequence=", last_sequence, "\n"));
}

std::optional<DoneMarker> ReadDoneMarker(const fs::path& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  DoneMarker marker;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "persons") {
      marker.persons = value;
    } else if (key == "seed") {
      marker.seed = value;
    } else if (key == "last_sequence") {
      marker.last_sequence = value;
    }
  }
  return marker;
}

}  // namespace county_drill
