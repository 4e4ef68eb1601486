// Copyright 2026 The ContactLedger Authors.
//
// OUT/dashboard.html (dashboard_page.h): GatherDashboard over the drill's
// ledger, WriteDashboardHtml, and a rename over the evening before's page.

#include "county_drill/dashboard_page.h"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/dashboard.h"
#include "contactledger/ledger.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"

namespace county_drill {

namespace fs = ::std::filesystem;

uint64_t WriteDashboardPage(const contactledger::Ledger& ledger, absl::Time at,
                            const fs::path& out_dir) {
  contactledger::DashboardOptions options;
  options.query = QueryAt(at);
  options.area_id = "yl";  // the county (contactledger/synthetic.h)
  options.days = 14;
  options.title = "Yuanling County: contact tracing dashboard";
  const contactledger::DashboardData data =
      Unwrap(contactledger::GatherDashboard(ledger, options), "dashboard");
  const std::string page = contactledger::WriteDashboardHtml(data);
  const fs::path target = out_dir / "dashboard.html";
  // The process id in the temporary name: two drills writing into one
  // directory at once never write into the same temporary file.
  const fs::path temporary =
      out_dir /
      absl::StrCat("dashboard.html.tmp.", static_cast<int64_t>(::getpid()));
  WriteFile(temporary, page);
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    Check(absl::UnavailableError(
              absl::StrCat("cannot rename ", temporary.string(), " to ",
                           target.string(), ": ", ec.message())),
          "dashboard");
  }
  return page.size();
}

}  // namespace county_drill
