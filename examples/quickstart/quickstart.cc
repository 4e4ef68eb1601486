// Copyright 2026 The ContactLedger Authors.
//
// Quickstart: the shortest complete tour of the ContactLedger API. The
// README's "A tour of the API" shows this file as it is (tests/docs_test.cc
// fails when they differ). Run it: bash scripts/run-example.sh quickstart

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"   // the ledger: append, read as of a time
#include "contactledger/report.h"   // answers as CSV or JSON
#include "contactledger/tracing.h"  // the closed-loop questions (docs/rules.md)

namespace cl = ::contactledger;
namespace v1 = ::contactledger::v1;

// Every call returns absl::Status(Or); this example stops at the first error.
template <typename T>
T Ok(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::cerr << "quickstart: " << value.status() << "\n";
    std::exit(EXIT_FAILURE);
  }
  return *std::move(value);
}

int main() {
  // A ledger in memory. Ledger::Open(options, "dir") keeps one on disk instead
  // (a checksummed log and snapshots). Days are taken in its time zone.
  cl::LedgerOptions options;
  options.time_zone = absl::FixedTimeZone(8 * 3600);  // China, UTC+8
  std::unique_ptr<cl::Ledger> ledger = cl::Ledger::New(options);
  auto jan = [&](int day, int hour) {  // an instant in January 2020
    return absl::FromCivil(absl::CivilHour(2020, 1, day, hour),
                           ledger->time_zone());
  };
  auto seconds = [&](int day, int hour) {
    return absl::ToUnixSeconds(jan(day, hour));
  };

  // 1. Record what the field teams learn: protobuf events, in a batch that
  //    is recorded all or nothing. p3 is not registered: accepted, and a gap.
  std::vector<v1::LedgerEvent> batch(5);
  v1::Area* county = batch[0].mutable_area();
  county->set_id("yuanling");
  county->set_level(v1::AREA_LEVEL_COUNTY);
  v1::Household* home = batch[1].mutable_household();
  home->set_id("h1");
  home->set_area_id("yuanling");
  home->set_responsible_worker("Wang Jun");
  batch[2].mutable_person()->set_id("p1");
  batch[2].mutable_person()->set_household_id("h1");
  batch[3].mutable_person()->set_id("p2");
  batch[3].mutable_person()->set_household_id("h1");
  v1::Exposure* dinner = batch[4].mutable_exposure();
  dinner->set_person_a("p1");
  dinner->set_person_b("p3");
  dinner->mutable_start()->set_seconds(seconds(24, 18));
  dinner->mutable_end()->set_seconds(seconds(24, 21));
  dinner->set_setting(v1::EXPOSURE_SETTING_GATHERING);
  std::vector<uint64_t> recorded = Ok(ledger->AppendBatch(batch));
  std::cout << "1. recorded events " << recorded.front() << "-"
            << recorded.back() << "\n";

  // 2. A bad event is refused with its field and reason; nothing is recorded.
  v1::LedgerEvent typo = batch[4];
  typo.mutable_exposure()->set_person_b("p1");
  std::cout << "2. refused: " << ledger->Append(typo).status().message()
            << "\n";

  // 3. p1 falls ill on the 25th, goes to hospital on the 26th and is
  //    confirmed on the 27th: one event at a time, synced to disk (for a
  //    ledger from Ledger::Open) before Append returns.
  const uint64_t before_case = ledger->last_sequence_number();
  v1::LedgerEvent stay;
  v1::QuarantineAction* hospital = stay.mutable_quarantine_action();
  hospital->set_person_id("p1");
  hospital->set_action(v1::QUARANTINE_ACTION_KIND_START);
  hospital->set_place(v1::QUARANTINE_PLACE_HOSPITAL);
  hospital->mutable_time()->set_seconds(seconds(26, 11));
  v1::LedgerEvent confirmed;
  v1::Diagnosis* diagnosis = confirmed.mutable_diagnosis();
  diagnosis->set_person_id("p1");
  diagnosis->set_status(v1::DIAGNOSIS_STATUS_CONFIRMED);
  diagnosis->mutable_onset()->set_year(2020);
  diagnosis->mutable_onset()->set_month(1);
  diagnosis->mutable_onset()->set_day(25);
  diagnosis->mutable_time()->set_seconds(seconds(27, 10));
  cl::WriteOptions durable;
  durable.sync = true;
  Ok(ledger->Append(stay, durable));
  std::cout << "3. the diagnosis is event "
            << Ok(ledger->Append(confirmed, durable)) << "\n";

  // 4. The closed-loop questions (docs/rules.md) at a moment, under a policy.
  cl::QueryOptions query;
  query.at = jan(28, 12);
  query.policy = Ok(cl::PolicyPreset("china-2020"));
  std::unique_ptr<cl::Tracer> tracer = Ok(cl::Tracer::Create(*ledger, query));
  std::cout << "4. who must be quarantined, where, until when:\n"
            << cl::WriteRosterCsv(tracer->Roster(), ledger->time_zone())
            << "   which loops are still open:\n"
            << cl::WriteLoopsCsv(tracer->OpenLoops(), ledger->time_zone());
  cl::PassDecision pass = Ok(tracer->MayPass("p3", "gate-3"));
  std::cout << "   may p3 pass gate-3? " << (pass.allowed ? "yes" : "no")
            << ": " << pass.reason << "\n";

  // 5. The same question as the ledger knew it before the case was recorded.
  query.read.sequence_limit = before_case;
  std::unique_ptr<cl::Tracer> earlier = Ok(cl::Tracer::Create(*ledger, query));
  std::cout << "5. before event " << before_case + 1 << ": "
            << earlier->Roster().size() << " in the roster\n";

  // 6. Plain reads; ReadOptions (known_at, sequence_limit) picks the view.
  cl::ReadOptions read;  // default: everything recorded
  std::cout << "6. members of h1: "
            << Ok(ledger->HouseholdMembers("h1", read)).size()
            << ", unregistered: " << ledger->UnregisteredPersons(read).at(0)
            << ", exposures of p3: "
            << Ok(ledger->ExposuresOf("p3", jan(1, 0), jan(31, 0), read)).size()
            << "\n";
  return EXIT_SUCCESS;
}
