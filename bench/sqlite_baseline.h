// Copyright 2026 The ContactLedger Authors.
//
// bench/sqlite_baseline.h: what a developer would build on SQLite for the
// same contact-tracing questions, to measure ContactLedger against.
//
// One in-memory database (":memory:"), SQLite's C API, prepared statements
// (prepared once, reset and rebound per call). The schema keeps every field
// the ledger keeps, with integer surrogate keys:
//
//   areas(aid PK, id UNIQUE, parent, level, name)          index (parent)
//   households(hid PK, id UNIQUE, area, address, responsible_worker)
//                                                          index (area)
//   persons(pid PK, id UNIQUE, registered, name, national_id, phone,
//           birth_date, household, area, details BLOB)     index (household),
//                                                          index (area),
//                              partial index (pid) WHERE registered = 0
//   exposures(eid PK, person_a, person_b, start, end, setting, ref, note)
//           index (person_a, start[, end, person_b])
//           index (person_b, start[, end, person_a])
//   diagnoses(person, status, onset_day, time)             index (person, time)
//   quarantine_actions(person, action, place, time)        index (person, time)
//   health_checks(person, time, temperature, symptoms, checked_by)
//                                                          index (person, time)
//   passages(person, checkpoint, time, direction)          index (person, time)
//
// "person" columns hold persons.pid. A person named by an event before any
// Person record gets a row with registered = 0 (docs/rules.md section 2). The
// exposure indexes are covering by default (SqliteOptions): a lookup by
// person and start reads end and partner from the index without visiting the
// table.
//
// Bulk load (BeginLoad, Load per batch, FinishLoad): one transaction; the
// rows go in with prepared INSERTs in event order, and the secondary indexes
// are built at the end with CREATE INDEX (sorting once is SQLite's fastest
// way to index a bulk load). String ids are mapped to surrogate keys by hash
// maps in the loader, freed by FinishLoad. Upserts of areas, households and
// persons replace the row; retractions are not supported (Unimplemented).
//
// The queries implement docs/rules.md sections 3-8 (with its choices)
// reads them, for policies without secondary contacts and without tracing
// of suspected cases (bench/tracing_answers.h), on everything loaded: SQL
// finds the cases, windows, stays, exposures and checks; a little C++ merges
// the per-case rows.
//
// Not thread-safe.

#ifndef CONTACTLEDGER_BENCH_SQLITE_BASELINE_H_
#define CONTACTLEDGER_BENCH_SQLITE_BASELINE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/tracing_answers.h"
#include "contactledger/v1/ledger.pb.h"

struct sqlite3;

namespace contactledger {
namespace bench {

struct SqliteOptions {
  // Include `end` and the partner in the exposure indexes.
  bool covering_exposure_indexes = true;
};

class SqliteBaseline {
 public:
  // Opens an empty in-memory database with the schema (no indexes yet).
  static absl::StatusOr<std::unique_ptr<SqliteBaseline>> Create(
      const SqliteOptions& options = SqliteOptions());
  ~SqliteBaseline();
  SqliteBaseline(const SqliteBaseline&) = delete;
  SqliteBaseline& operator=(const SqliteBaseline&) = delete;

  // --- Bulk load. ---
  absl::Status BeginLoad();
  absl::Status Load(const std::vector<v1::LedgerEvent>& batch);
  // Builds the indexes, commits, frees the loader's maps and prepares the
  // query statements.
  absl::Status FinishLoad();

  // --- The questions (bench/tracing_answers.h). ---
  // Empty when the person is not an index case at p.at; NotFound for an
  // unknown person.
  absl::StatusOr<CloseContacts> CloseContactsOf(absl::string_view case_id,
                                                const TracingParams& p);
  // Everyone within 2 exposures overlapping [from, to].
  absl::StatusOr<HopContacts> TwoHop(absl::string_view person_id, int64_t from,
                                     int64_t to);
  absl::StatusOr<RosterRows> Roster(const TracingParams& p);
  // Every area of level VILLAGE.
  absl::StatusOr<VillageRows> VillageRollup(const TracingParams& p);
  // All eight kinds.
  absl::StatusOr<LoopRows> OpenLoops(const TracingParams& p);

  // sqlite3_memory_used(): bytes SQLite has allocated (process-wide).
  static int64_t MemoryUsed();
  // Rows per table, for reports.
  absl::StatusOr<int64_t> Count(absl::string_view table);
  // EXPLAIN QUERY PLAN of every query statement (after FinishLoad).
  absl::StatusOr<std::string> ExplainQueryPlans();

  class Stmt;

 private:
  struct Case {
    int64_t pid = 0;
    std::string id;
    bool active = false;
    int64_t diagnosis_time = 0;
    int64_t ws = 0;
    int64_t we = kForever;
    int64_t household = -1;  // hid, or -1 for none
  };
  struct Contact {
    std::string id;
    int64_t last = std::numeric_limits<int64_t>::min();
    std::string source;
    bool continuous = false;
    int64_t required_since = kForever;
  };
  struct Stay {
    int64_t start;
    int64_t end;  // kForever while open
    int place;
  };
  struct RosterState {
    std::vector<Case> cases;  // every index case
    absl::flat_hash_map<int64_t, Contact> contacts;
    std::vector<int64_t> roster;  // active cases and contacts in the roster
  };

  explicit SqliteBaseline(sqlite3* db, const SqliteOptions& options);
  absl::Status Exec(const char* sql);
  absl::Status Error(const char* what) const;
  absl::Status Prepare();

  // Loading.
  int64_t PersonRef(const std::string& id);
  absl::Status LoadEvent(const v1::LedgerEvent& event);

  // Query steps.
  absl::StatusOr<int64_t> FindPerson(absl::string_view id);
  // The case's window at `at`, or nullopt when not an index case then.
  absl::StatusOr<std::optional<Case>> CaseAt(int64_t pid, int64_t at,
                                             const TracingParams& p);
  // Calls f(partner_pid, partner_id, first, last, continuous) for each close
  // contact of `c` at `at`, in partner id order.
  template <typename F>
  absl::Status ForEachCloseContact(const Case& c, int64_t at,
                                   const TracingParams& p, F f);
  absl::StatusOr<RosterState> ComputeRoster(int64_t at, const TracingParams& p);
  absl::StatusOr<std::vector<Stay>> StaysOf(int64_t pid, int64_t at);
  absl::StatusOr<bool> InRosterAt(int64_t pid, int64_t t,
                                  const TracingParams& p);
  absl::StatusOr<std::string> PersonId(int64_t pid);

  sqlite3* db_;
  SqliteOptions options_;

  // Loader state.
  absl::flat_hash_map<std::string, int64_t> area_ids_;
  absl::flat_hash_map<std::string, int64_t> household_ids_;
  absl::flat_hash_map<std::string, int64_t> person_ids_;
  std::vector<int64_t> household_area_;  // by hid
  std::unique_ptr<Stmt> insert_area_, insert_household_, insert_person_,
      insert_placeholder_, insert_exposure_, insert_diagnosis_, insert_action_,
      insert_check_, insert_passage_;

  // Query statements.
  std::unique_ptr<Stmt> find_person_, person_id_, case_at_, removal_,
      close_contacts_, two_hop_, diagnosed_persons_, stays_of_, village_counts_,
      village_of_, household_worker_, missed_checks_, fevers_, passages_,
      breach_candidates_, unregistered_, references_;
};

}  // namespace bench
}  // namespace contactledger

#endif  // CONTACTLEDGER_BENCH_SQLITE_BASELINE_H_
