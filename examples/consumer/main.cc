// Copyright 2026 The ContactLedger Authors.
//
// Uses an installed ContactLedger, built either through
// find_package(ContactLedger) (CMakeLists.txt here) or with the flags of
// `pkg-config --cflags --libs contactledger`, with the headers the README's
// "Using it from CMake" names: contactledger/ledger.h to record a county, a
// case and its contact and read them back, contactledger/tracing.h to ask
// for the roster, as the README's program does (run_consumer_test.cmake
// builds and runs that program too). Exits 0 when what comes back is what
// went in and the roster is the one worked out by hand.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"

namespace cl = ::contactledger;

namespace {

// Records an area and reads it back.
bool AreaRoundTrip(cl::Ledger& ledger) {
  cl::v1::LedgerEvent event;
  event.set_actor("consumer");
  cl::v1::Area* area = event.mutable_area();
  area->set_id("yuanling");
  area->set_level(cl::v1::AREA_LEVEL_COUNTY);
  area->set_name("Yuanling County");

  absl::StatusOr<uint64_t> seq = ledger.Append(event);
  if (!seq.ok()) {
    std::cerr << "Append failed: " << seq.status() << "\n";
    return false;
  }
  absl::StatusOr<cl::v1::Area> county =
      ledger.GetArea("yuanling", cl::ReadOptions());
  if (!county.ok()) {
    std::cerr << "GetArea failed: " << county.status() << "\n";
    return false;
  }
  std::cout << "event " << *seq << ": " << county->ShortDebugString() << "\n";
  if (*seq != 1 || county->id() != "yuanling" ||
      county->level() != cl::v1::AREA_LEVEL_COUNTY ||
      county->name() != "Yuanling County" || !county->parent_id().empty() ||
      ledger.last_sequence_number() != 1 || ledger.Stats().areas != 1) {
    std::cerr << "mismatch: the ledger did not return what was appended\n";
    return false;
  }
  return true;
}

// The README's case: p1 and p2 met on 2020-01-24, 10:00-11:00 UTC; p1 was
// confirmed on 2020-01-25 10:00 with onset 2020-01-24 (infectious from
// 01-22 under china-2020). On 2020-01-26 the roster is p1, a case, and p2,
// a close contact until 01-24 + 14 days = 02-07.
bool Roster(cl::Ledger& ledger) {
  cl::v1::LedgerEvent met, confirmed;
  cl::v1::Exposure* exposure = met.mutable_exposure();
  exposure->set_person_a("p1");
  exposure->set_person_b("p2");
  exposure->mutable_start()->set_seconds(1579860000);
  exposure->mutable_end()->set_seconds(1579863600);
  exposure->set_setting(cl::v1::EXPOSURE_SETTING_WORK);
  cl::v1::Diagnosis* diagnosis = confirmed.mutable_diagnosis();
  diagnosis->set_person_id("p1");
  diagnosis->set_status(cl::v1::DIAGNOSIS_STATUS_CONFIRMED);
  diagnosis->mutable_time()->set_seconds(1579946400);
  diagnosis->mutable_onset()->set_year(2020);
  diagnosis->mutable_onset()->set_month(1);
  diagnosis->mutable_onset()->set_day(24);
  absl::Status recorded = ledger.AppendBatch({met, confirmed}).status();
  if (!recorded.ok()) {
    std::cerr << "AppendBatch failed: " << recorded << "\n";
    return false;
  }

  cl::QueryOptions query;
  query.at = absl::FromUnixSeconds(1579996800);
  absl::StatusOr<std::unique_ptr<cl::Tracer>> tracer =
      cl::Tracer::Create(ledger, query);
  if (!tracer.ok()) {
    std::cerr << "Tracer::Create failed: " << tracer.status() << "\n";
    return false;
  }
  std::vector<std::string> lines;
  for (const cl::RosterEntry& entry : (*tracer)->Roster()) {
    std::string line =
        entry.person_id + " " + std::string(cl::RoleName(entry.role));
    if (entry.until.has_value()) {
      line += " until " + absl::FormatCivilTime(*entry.until);
    }
    std::cout << line << "\n";
    lines.push_back(line);
  }
  if (lines != std::vector<std::string>{"p1 case",
                                        "p2 close_contact until 2020-02-07"}) {
    std::cerr << "mismatch: the roster is not p1 (case) and p2 (close "
                 "contact until 2020-02-07)\n";
    return false;
  }
  return true;
}

}  // namespace

int main() {
  std::unique_ptr<cl::Ledger> ledger = cl::Ledger::New(cl::LedgerOptions());
  if (!AreaRoundTrip(*ledger) || !Roster(*ledger)) return EXIT_FAILURE;
  std::cout << "ok\n";
  return EXIT_SUCCESS;
}
