// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl dashboard (commands.h): the county dashboard, one self-contained
// HTML page (contactledger/dashboard.h), written to --out. It reads --at,
// --known-at and --policy as the queries do (query_commands.cc), answers
// through the --scope view when given, and with --redact passes every
// string of the page through the output redactor before it is written, as
// every other command does with what it prints.
//
// The area rolled up is --area, else the --scope area, else the ledger's one
// top-level area (an area with no parent, LedgerView::TopLevelAreas: read
// from the area table, never from the events).

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "contactledger/dashboard.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

namespace fs = ::std::filesystem;

// --area, the --scope area, or the one top-level area. Returns 0, or the
// exit status of the error it printed.
int PickArea(const Invocation& inv, const QueryContext& ctx,
             std::string* area) {
  if (inv.Has("area")) {
    *area = inv.Get("area");
    if (area->empty()) {
      return UsageError(inv,
                        "--area is empty; give the area to roll up, "
                        "e.g. the county's id");
    }
    return 0;
  }
  if (ctx.view != nullptr) {
    *area = ctx.view->area_id();
    return 0;
  }
  absl::StatusOr<std::vector<std::string>> top =
      ctx.ledger->TopLevelAreas(ctx.options.read);
  if (!top.ok()) return Failed(inv, top.status());
  if (top->empty()) {
    return Failed(inv, absl::StrCat("the ledger in '", inv.dir(),
                                    "' holds no area with no parent (a "
                                    "county) as of the read; import the "
                                    "areas first, or give --area"));
  }
  if (top->size() > 1) {
    std::vector<std::string> shown(
        top->begin(), top->begin() + std::min<size_t>(top->size(), 10));
    return UsageError(
        inv, absl::StrCat("the ledger holds ", top->size(),
                          " areas with no parent (", absl::StrJoin(shown, ", "),
                          top->size() > 10 ? ", ..." : "",
                          "): choose one with --area"));
  }
  *area = top->front();
  return 0;
}

// "1 area", "2 areas".
std::string Counted(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// Writes `text` to `path` through a temporary file beside it, renamed over
// `path` once complete, so that a reader never sees half a page. The
// temporary name carries the process id, so that two commands writing the
// same page at once do not write into one temporary file.
absl::Status WritePage(const std::string& path, const std::string& text) {
  const fs::path target(path);
  const fs::path parent =
      target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    return absl::NotFoundError(
        absl::StrCat("--out '", path, "': no directory '", parent.string(),
                     "' to write it in"));
  }
  if (fs::is_directory(target, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--out '", path, "' is a directory; give a file name, e.g. ",
        (target / "dashboard.html").string()));
  }
  const std::string temporary =
      absl::StrCat(path, ".tmp.", static_cast<int64_t>(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      fs::remove(temporary, ec);
      return absl::UnavailableError(
          absl::StrCat("--out '", path, "': cannot write '", temporary,
                       "' (is the disk full, or the directory not writable?)"));
    }
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return absl::UnavailableError(absl::StrCat("--out '", path,
                                               "': cannot rename '", temporary,
                                               "' to it: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

int RunDashboard(const Invocation& inv) {
  DashboardOptions options;
  if (inv.Has("days") && (!absl::SimpleAtoi(inv.Get("days"), &options.days) ||
                          options.days < 1 || options.days > 366)) {
    return UsageError(inv, absl::StrCat("--days '", inv.Get("days"),
                                        "' is not a number of days from 1 "
                                        "to 366"));
  }
  if (inv.Has("max-listed") &&
      (!absl::SimpleAtoi(inv.Get("max-listed"), &options.max_listed) ||
       options.max_listed < 1)) {
    return UsageError(inv, absl::StrCat("--max-listed '", inv.Get("max-listed"),
                                        "' is not a number of 1 or more"));
  }
  const std::string out = inv.Get("out");
  if (out.empty()) {
    return UsageError(inv,
                      "--out is empty; give the page's file name, e.g. "
                      "dashboard.html");
  }
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  NoteIfBeforeFirstRecord(inv, *ctx.ledger, ctx.options.read);
  if (int rc = PickArea(inv, ctx, &options.area_id); rc != 0) return rc;
  options.query = ctx.options;

  absl::StatusOr<DashboardData> data = GatherDashboard(ctx.reader(), options);
  if (!data.ok()) return Failed(inv, UnknownIdError(inv, data.status()));
  if (inv.Has("redact")) {
    // Fail closed: a page asked for redacted is never written unredacted.
    const Redactor* redactor = OutputRedactor();
    if (redactor == nullptr) {
      return Failed(inv,
                    "--redact: no output redactor is set, so the page "
                    "cannot be redacted; nothing was written");
    }
    RedactDashboard(*redactor, &*data);
  }
  const std::string page = WriteDashboardHtml(*data);
  if (absl::Status s = WritePage(out, page); !s.ok()) return Failed(inv, s);
  Print(absl::StrCat("wrote ", out, ": ", page.size(), " bytes; area ",
                     data->area_id, ", ",
                     Counted(data->areas.size(), "area", "areas"), ", ",
                     data->roster.size(), " in the roster, ",
                     Counted(data->loops.size(), "open loop", "open loops"),
                     ", ", Counted(data->chains.size(), "chain", "chains"),
                     ", ", Counted(data->days.size(), "day", "days"), "\n"));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
