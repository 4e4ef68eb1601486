// Copyright 2026 The ContactLedger Authors.
//
// The files the county drill leaves in its output folder beside the ledger:
// roster.csv, roster.json and loops.csv (in the formats of `ledgerctl roster`
// and `ledgerctl loops`, from contactledger/report.h), chain.dot (the
// transmission chain) and chain.svg (drawn by Graphviz `dot` when it is
// installed), and drill.done, the marker of a finished drill.

#ifndef EXAMPLES_COUNTY_DRILL_OUTPUT_FILES_H_
#define EXAMPLES_COUNTY_DRILL_OUTPUT_FILES_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "contactledger/ledger.h"

namespace county_drill {

// Writes roster.csv, roster.json, loops.csv, chain.dot and chain.svg into
// `out_dir` as the ledger answers at `at` (known_at = at), and lists them on
// stdout with dashboard.html when it is there (dashboard_page.h writes it).
// When `dot` is not installed, chain.svg is removed and a note says how to
// install it; when `dot` fails, a note says so. Exits when a file cannot be
// written.
void WriteOutputFiles(const contactledger::Ledger& ledger, absl::Time at,
                      const std::filesystem::path& out_dir);

// drill.done: written when a drill has finished, so that the next run with
// the same options reopens the ledger instead of starting over.
struct DoneMarker {
  std::string persons;        // --persons
  std::string seed;           // --seed
  std::string last_sequence;  // the ledger's last event when it finished
};

// Writes `path` (key=value lines after a comment).
void WriteDoneMarker(const std::filesystem::path& path, int64_t persons,
                     uint64_t seed, uint64_t last_sequence);
// The marker at `path`, or nullopt when there is none. Missing keys are
// empty.
std::optional<DoneMarker> ReadDoneMarker(const std::filesystem::path& path);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_OUTPUT_FILES_H_
