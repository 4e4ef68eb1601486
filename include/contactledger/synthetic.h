// Copyright 2026 The ContactLedger Authors.
//
// contactledger/synthetic.h: a deterministic synthetic county.
//
// GenerateSyntheticCounty writes a county shaped like Yuanling in
// docs/field_practice.md as ledger events, for benchmarks, examples, tests
// and `ledgerctl generate`: a county with 21 townships and 2 service
// centres, about 404 villages per 600,000 people, grids of about 150
// households, households of 1-6 people (mean about 3), persons with names,
// valid-checksum resident identity numbers (GB 11643-1999) and phone
// numbers, returnees with travel history; exposures within households,
// among grid neighbours, in work and school groups across a township and a
// few long-range ones, about 6.5 per person over the period; and a handful
// of cases with onsets, their contacts placed in stays, twice-daily checks
// (a few missed, one fever), and checkpoint passages (one breach).
//
// The same options and seed give the same events on every machine (the
// generator uses its own PRNG and no standard distributions).
//
// Example:
//
//   contactledger::SyntheticCountyOptions options;
//   options.persons = 100000;
//   auto summary = contactledger::GenerateSyntheticCounty(
//       options, [&](std::vector<contactledger::v1::LedgerEvent>& batch) {
//         return ledger->AppendBatch(batch).status();
//       });

#ifndef CONTACTLEDGER_SYNTHETIC_H_
#define CONTACTLEDGER_SYNTHETIC_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/privacy.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

struct SyntheticCountyOptions {
  uint64_t seed = 2020;
  // Registered persons. Default: Yuanling's about 600,000.
  int64_t persons = 600000;
  // The period the exposures cover, in `time_zone`.
  absl::CivilDay first_day = absl::CivilDay(2020, 1, 10);
  int days = 30;
  // Default: UTC+8 (China Standard Time, no DST).
  absl::TimeZone time_zone = absl::FixedTimeZone(8 * 3600);
  // Exposures per person over the period (each exposure counted once).
  double exposures_per_person = 6.5;
  // Index cases (confirmed, with onsets in the second half of the period).
  int cases = 5;
  // Cases, stays, checks and passages; off for a roster-only county.
  bool activity = true;
  // Events per batch handed to the sink.
  size_t batch_size = 1000;
};

// What was generated: counts and the ids a caller may want to look at.
struct SyntheticCountySummary {
  int64_t areas = 0;
  int64_t households = 0;
  int64_t persons = 0;
  int64_t exposures = 0;
  int64_t diagnoses = 0;
  int64_t quarantine_actions = 0;
  int64_t health_checks = 0;
  int64_t passages = 0;
  std::string county_id;
  std::vector<std::string> township_ids;
  std::vector<std::string> case_ids;  // the index cases
  // Persons whose exposures to a case were recorded, placed in stays.
  std::vector<std::string> placed_contact_ids;
};

// Calls `sink` with batches of events, areas first, then households,
// persons, exposures (day by day), and the activity. Stops at and returns
// the first error of the sink. InvalidArgument for bad options.
absl::StatusOr<SyntheticCountySummary> GenerateSyntheticCounty(
    const SyntheticCountyOptions& options,
    const std::function<absl::Status(std::vector<v1::LedgerEvent>&)>& sink);

// The person id the generator gives person number `index` (0-based).
std::string SyntheticPersonId(int64_t index);

// IsValidResidentId, which checks the resident identity numbers the
// generator writes, is in contactledger/privacy.h (included above).

}  // namespace contactledger

#endif  // CONTACTLEDGER_SYNTHETIC_H_
