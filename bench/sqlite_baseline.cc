// Copyright 2026 The ContactLedger Authors.

#include "bench/sqlite_baseline.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"

namespace contactledger {
namespace bench {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

// Case statuses (docs/rules.md section 3) and active ones, as SQL lists.
constexpr char kCaseStatuses[] = "(2, 3, 4, 5)";  // confirmed .. deceased
bool IsActive(int status) {
  return status == v1::DIAGNOSIS_STATUS_CONFIRMED ||
         status == v1::DIAGNOSIS_STATUS_ASYMPTOMATIC;
}
bool IsCase(int status) {
  return status >= v1::DIAGNOSIS_STATUS_CONFIRMED &&
         status <= v1::DIAGNOSIS_STATUS_DECEASED;
}

int64_t DayOf(int64_t t, const TracingParams& p) {
  const int64_t s = t + p.utc_offset;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

int64_t DaysSinceEpoch(const v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day()) -
         absl::CivilDay(1970, 1, 1);
}

}  // namespace

// A prepared statement: bind, step, read columns, reset.
class SqliteBaseline::Stmt {
 public:
  Stmt(sqlite3* db, absl::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc_ != SQLITE_OK) {
      error_ = absl::StrCat("preparing [", sql, "]: ", sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  absl::Status status() const {
    return error_.empty() ? absl::OkStatus() : absl::InternalError(error_);
  }

  // Resets the statement for a new run; bindings are all replaced by the
  // caller.
  Stmt& Reset() {
    sqlite3_reset(stmt_);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, absl::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
    return *this;
  }
  Stmt& BindDouble(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Stmt& BindBlob(int i, const std::string& v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // An id, or NULL when negative.
  Stmt& BindId(int i, int64_t v) { return v < 0 ? BindNull(i) : Bind(i, v); }
  // Text, or NULL when empty.
  Stmt& BindOptional(int i, absl::string_view v) {
    return v.empty() ? BindNull(i) : Bind(i, v);
  }

  // True for a row, false when done; errors go to `status`.
  bool Step(absl::Status* status) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE && status->ok()) {
      *status = absl::InternalError(
          absl::StrCat(sqlite3_errmsg(db_), " in [", sqlite3_sql(stmt_), "]"));
    }
    return false;
  }
  // Runs a statement that returns no rows.
  absl::Status Run() {
    absl::Status status;
    while (Step(&status)) {
    }
    sqlite3_reset(stmt_);
    return status;
  }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  const char* sql() const { return sqlite3_sql(stmt_); }
  absl::string_view Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return absl::string_view(
        reinterpret_cast<const char*>(p),
        static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
  std::string error_;
};

// ---------------------------------------------------------------------------
// Schema and loading.

absl::StatusOr<std::unique_ptr<SqliteBaseline>> SqliteBaseline::Create(
    const SqliteOptions& options) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      ":memory:", &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::InternalError(absl::StrCat("sqlite3_open_v2: ", message));
  }
  std::unique_ptr<SqliteBaseline> base(new SqliteBaseline(db, options));
  static constexpr const char* kSchema[] = {
      "PRAGMA journal_mode = OFF",
      "PRAGMA synchronous = OFF",
      "PRAGMA temp_store = MEMORY",
      "PRAGMA locking_mode = EXCLUSIVE",
      "CREATE TABLE areas(aid INTEGER PRIMARY KEY, id TEXT NOT NULL, "
      "parent INTEGER, level INTEGER NOT NULL, name TEXT)",
      "CREATE TABLE households(hid INTEGER PRIMARY KEY, id TEXT NOT NULL, "
      "area INTEGER NOT NULL, address TEXT, responsible_worker TEXT)",
      "CREATE TABLE persons(pid INTEGER PRIMARY KEY, id TEXT NOT NULL, "
      "registered INTEGER NOT NULL, name TEXT, national_id TEXT, phone TEXT, "
      "birth_date INTEGER, household INTEGER, area INTEGER, details BLOB)",
      "CREATE TABLE exposures(eid INTEGER PRIMARY KEY, person_a INTEGER NOT "
      "NULL, person_b INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER "
      "NOT NULL, setting INTEGER NOT NULL, ref TEXT, note TEXT)",
      "CREATE TABLE diagnoses(person INTEGER NOT NULL, status INTEGER NOT "
      "NULL, onset_day INTEGER, time INTEGER NOT NULL)",
      "CREATE TABLE quarantine_actions(person INTEGER NOT NULL, action "
      "INTEGER NOT NULL, place INTEGER NOT NULL, time INTEGER NOT NULL)",
      "CREATE TABLE health_checks(person INTEGER NOT NULL, time INTEGER NOT "
      "NULL, temperature REAL NOT NULL, symptoms TEXT, checked_by TEXT)",
      "CREATE TABLE passages(person INTEGER NOT NULL, checkpoint TEXT NOT "
      "NULL, time INTEGER NOT NULL, direction INTEGER NOT NULL)",
  };
  for (const char* sql : kSchema) {
    if (absl::Status s = base->Exec(sql); !s.ok()) return s;
  }
  return base;
}

SqliteBaseline::SqliteBaseline(sqlite3* db, const SqliteOptions& options)
    : db_(db), options_(options) {}

SqliteBaseline::~SqliteBaseline() {
  // Statements first, then the connection.
  for (auto* s : {&insert_area_,     &insert_household_,
                  &insert_person_,   &insert_placeholder_,
                  &insert_exposure_, &insert_diagnosis_,
                  &insert_action_,   &insert_check_,
                  &insert_passage_,  &find_person_,
                  &person_id_,       &case_at_,
                  &removal_,         &close_contacts_,
                  &two_hop_,         &diagnosed_persons_,
                  &stays_of_,        &village_counts_,
                  &village_of_,      &household_worker_,
                  &missed_checks_,   &fevers_,
                  &passages_,        &breach_candidates_,
                  &unregistered_,    &references_}) {
    s->reset();
  }
  sqlite3_close(db_);
}

int64_t SqliteBaseline::MemoryUsed() { return sqlite3_memory_used(); }

absl::Status SqliteBaseline::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    absl::Status s = absl::InternalError(absl::StrCat(
        message != nullptr ? message : "error", " in [", sql, "]"));
    sqlite3_free(message);
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteBaseline::Count(absl::string_view table) {
  Stmt s(db_, absl::StrCat("SELECT count(*) FROM ", table));
  if (!s.status().ok()) return s.status();
  absl::Status status;
  const int64_t n = s.Step(&status) ? s.Int(0) : 0;
  if (!status.ok()) return status;
  return n;
}

absl::StatusOr<std::string> SqliteBaseline::ExplainQueryPlans() {
  std::string out;
  for (const auto* q :
       {&find_person_, &person_id_, &case_at_, &removal_, &close_contacts_,
        &two_hop_, &diagnosed_persons_, &stays_of_, &village_counts_,
        &village_of_, &household_worker_, &missed_checks_, &fevers_, &passages_,
        &breach_candidates_, &unregistered_, &references_}) {
    if (*q == nullptr) continue;
    absl::StrAppend(&out, (*q)->sql(), "\n");
    Stmt plan(db_, absl::StrCat("EXPLAIN QUERY PLAN ", (*q)->sql()));
    if (!plan.status().ok()) return plan.status();
    absl::Status status;
    while (plan.Step(&status)) {
      absl::StrAppend(&out, "  ", plan.Int(0), " ", plan.Int(1), " ",
                      plan.Text(3), "\n");
    }
    if (!status.ok()) return status;
  }
  return out;
}

absl::Status SqliteBaseline::BeginLoad() {
  auto make = [&](std::unique_ptr<Stmt>* out, const char* sql) {
    *out = std::make_unique<Stmt>(db_, sql);
    return (*out)->status();
  };
  absl::Status s;
  for (absl::Status step : {
           make(&insert_area_,
                "INSERT OR REPLACE INTO areas(aid, id, parent, level, name) "
                "VALUES(?1, ?2, ?3, ?4, ?5)"),
           make(&insert_household_,
                "INSERT OR REPLACE INTO households(hid, id, area, address, "
                "responsible_worker) VALUES(?1, ?2, ?3, ?4, ?5)"),
           make(&insert_person_,
                "INSERT OR REPLACE INTO persons(pid, id, registered, name, "
                "national_id, phone, birth_date, household, area, details) "
                "VALUES(?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
           make(&insert_placeholder_,
                "INSERT INTO persons(pid, id, registered) VALUES(?1, ?2, 0)"),
           make(&insert_exposure_,
                "INSERT INTO exposures(person_a, person_b, start, end, "
                "setting, ref, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
           make(&insert_diagnosis_,
                "INSERT INTO diagnoses(person, status, onset_day, time) "
                "VALUES(?1, ?2, ?3, ?4)"),
           make(&insert_action_,
                "INSERT INTO quarantine_actions(person, action, place, time) "
                "VALUES(?1, ?2, ?3, ?4)"),
           make(&insert_check_,
                "INSERT INTO health_checks(person, time, temperature, "
                "symptoms, checked_by) VALUES(?1, ?2, ?3, ?4, ?5)"),
           make(&insert_passage_,
                "INSERT INTO passages(person, checkpoint, time, direction) "
                "VALUES(?1, ?2, ?3, ?4)"),
           Exec("BEGIN"),
       }) {
    if (s.ok()) s = step;
  }
  return s;
}

int64_t SqliteBaseline::PersonRef(const std::string& id) {
  auto [it, added] =
      person_ids_.emplace(id, static_cast<int64_t>(person_ids_.size()) + 1);
  if (added) {
    // Named before registered: a placeholder row (docs/rules.md section 2).
    insert_placeholder_->Reset()
        .Bind(1, it->second)
        .Bind(2, id)
        .Run()
        .IgnoreError();
  }
  return it->second;
}

absl::Status SqliteBaseline::LoadEvent(const v1::LedgerEvent& event) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea: {
      const v1::Area& a = event.area();
      auto [it, added] =
          area_ids_.emplace(a.id(), static_cast<int64_t>(area_ids_.size()) + 1);
      int64_t parent = -1;
      if (!a.parent_id().empty()) {
        auto p = area_ids_.find(a.parent_id());
        if (p == area_ids_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("area ", a.id(), ": unknown parent"));
        }
        parent = p->second;
      }
      return insert_area_->Reset()
          .Bind(1, it->second)
          .Bind(2, a.id())
          .BindId(3, parent)
          .Bind(4, static_cast<int64_t>(a.level()))
          .BindOptional(5, a.name())
          .Run();
    }
    case v1::LedgerEvent::kHousehold: {
      const v1::Household& h = event.household();
      auto area = area_ids_.find(h.area_id());
      if (area == area_ids_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("household ", h.id(), ": unknown area"));
      }
      auto [it, added] = household_ids_.emplace(
          h.id(), static_cast<int64_t>(household_ids_.size()) + 1);
      if (household_area_.size() <= static_cast<size_t>(it->second)) {
        household_area_.resize(it->second + 1);
      }
      household_area_[it->second] = area->second;
      return insert_household_->Reset()
          .Bind(1, it->second)
          .Bind(2, h.id())
          .Bind(3, area->second)
          .BindOptional(4, h.address())
          .Bind(5, h.responsible_worker())
          .Run();
    }
    case v1::LedgerEvent::kPerson: {
      const v1::Person& p = event.person();
      auto [it, added] = person_ids_.emplace(
          p.id(), static_cast<int64_t>(person_ids_.size()) + 1);
      int64_t household = -1;
      int64_t area = -1;
      if (!p.household_id().empty()) {
        auto h = household_ids_.find(p.household_id());
        if (h == household_ids_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("person ", p.id(), ": unknown household"));
        }
        household = h->second;
        area = household_area_[household];
      }
      if (!p.area_id().empty()) {
        auto a = area_ids_.find(p.area_id());
        if (a == area_ids_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("person ", p.id(), ": unknown area"));
        }
        area = a->second;
      }
      // Tags and travel history: kept as a serialised Person holding only
      // them (as the ledger keeps the fields it does not index).
      std::string details;
      if (p.tags_size() > 0 || p.travel_history_size() > 0) {
        v1::Person rest;
        *rest.mutable_tags() = p.tags();
        *rest.mutable_travel_history() = p.travel_history();
        rest.SerializeToString(&details);
      }
      Stmt& s = insert_person_->Reset();
      s.Bind(1, it->second)
          .Bind(2, p.id())
          .BindOptional(3, p.name())
          .BindOptional(4, p.national_id())
          .BindOptional(5, p.phone());
      if (p.has_birth_date()) {
        s.Bind(6, int64_t{p.birth_date().year()} * 10000 +
                      p.birth_date().month() * 100 + p.birth_date().day());
      } else {
        s.BindNull(6);
      }
      s.BindId(7, household).BindId(8, area);
      if (details.empty()) {
        s.BindNull(9);
      } else {
        s.BindBlob(9, details);
      }
      return s.Run();
    }
    case v1::LedgerEvent::kExposure: {
      const v1::Exposure& e = event.exposure();
      const int64_t a = PersonRef(e.person_a());
      const int64_t b = PersonRef(e.person_b());
      return insert_exposure_->Reset()
          .Bind(1, a)
          .Bind(2, b)
          .Bind(3, e.start().seconds())
          .Bind(4, e.end().seconds())
          .Bind(5, static_cast<int64_t>(e.setting()))
          .BindOptional(6, e.id())
          .BindOptional(7, e.note())
          .Run();
    }
    case v1::LedgerEvent::kDiagnosis: {
      const v1::Diagnosis& d = event.diagnosis();
      Stmt& s = insert_diagnosis_->Reset();
      s.Bind(1, PersonRef(d.person_id()))
          .Bind(2, static_cast<int64_t>(d.status()));
      if (d.has_onset()) {
        s.Bind(3, DaysSinceEpoch(d.onset()));
      } else {
        s.BindNull(3);
      }
      return s.Bind(4, d.time().seconds()).Run();
    }
    case v1::LedgerEvent::kQuarantineAction: {
      const v1::QuarantineAction& q = event.quarantine_action();
      return insert_action_->Reset()
          .Bind(1, PersonRef(q.person_id()))
          .Bind(2, static_cast<int64_t>(q.action()))
          .Bind(3, static_cast<int64_t>(q.place()))
          .Bind(4, q.time().seconds())
          .Run();
    }
    case v1::LedgerEvent::kHealthCheck: {
      const v1::HealthCheck& c = event.health_check();
      const std::string symptoms = absl::StrJoin(c.symptoms(), "\x1f");
      return insert_check_->Reset()
          .Bind(1, PersonRef(c.person_id()))
          .Bind(2, c.time().seconds())
          .BindDouble(3, c.temperature_celsius())
          .BindOptional(4, symptoms)
          .BindOptional(5, c.checked_by())
          .Run();
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      const v1::CheckpointPassage& c = event.checkpoint_passage();
      return insert_passage_->Reset()
          .Bind(1, PersonRef(c.person_id()))
          .Bind(2, c.checkpoint_id())
          .Bind(3, c.time().seconds())
          .Bind(4, static_cast<int64_t>(c.direction()))
          .Run();
    }
    case v1::LedgerEvent::kRetraction:
      return absl::UnimplementedError(
          "the SQLite baseline does not support retractions");
    default:
      return absl::InvalidArgumentError("event without a body");
  }
}

absl::Status SqliteBaseline::Load(const std::vector<v1::LedgerEvent>& batch) {
  for (const v1::LedgerEvent& event : batch) {
    if (absl::Status s = LoadEvent(event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteBaseline::FinishLoad() {
  const bool covering = options_.covering_exposure_indexes;
  const std::string exposure_a =
      covering ? "CREATE INDEX exposures_a ON exposures(person_a, start, end, "
                 "person_b)"
               : "CREATE INDEX exposures_a ON exposures(person_a, start)";
  const std::string exposure_b =
      covering ? "CREATE INDEX exposures_b ON exposures(person_b, start, end, "
                 "person_a)"
               : "CREATE INDEX exposures_b ON exposures(person_b, start)";
  for (const char* sql : {
           "CREATE UNIQUE INDEX areas_id ON areas(id)",
           "CREATE INDEX areas_parent ON areas(parent)",
           "CREATE UNIQUE INDEX households_id ON households(id)",
           "CREATE INDEX households_area ON households(area)",
           "CREATE UNIQUE INDEX persons_id ON persons(id)",
           "CREATE INDEX persons_household ON persons(household)",
           "CREATE INDEX persons_area ON persons(area)",
           "CREATE INDEX persons_unregistered ON persons(pid) "
           "WHERE registered = 0",
           exposure_a.c_str(),
           exposure_b.c_str(),
           "CREATE INDEX diagnoses_person ON diagnoses(person, time)",
           "CREATE INDEX actions_person ON quarantine_actions(person, time)",
           "CREATE INDEX checks_person ON health_checks(person, time)",
           "CREATE INDEX passages_person ON passages(person, time)",
           "COMMIT",
       }) {
    if (absl::Status s = Exec(sql); !s.ok()) return s;
  }
  for (auto* s : {&insert_area_, &insert_household_, &insert_person_,
                  &insert_placeholder_, &insert_exposure_, &insert_diagnosis_,
                  &insert_action_, &insert_check_, &insert_passage_}) {
    s->reset();
  }
  absl::flat_hash_map<std::string, int64_t>().swap(area_ids_);
  absl::flat_hash_map<std::string, int64_t>().swap(household_ids_);
  absl::flat_hash_map<std::string, int64_t>().swap(person_ids_);
  std::vector<int64_t>().swap(household_area_);
  return Prepare();
}

// ---------------------------------------------------------------------------
// The query statements.

absl::Status SqliteBaseline::Prepare() {
  auto make = [&](std::unique_ptr<Stmt>* out, const std::string& sql) {
    *out = std::make_unique<Stmt>(db_, sql);
    return (*out)->status();
  };
  const std::string statuses = kCaseStatuses;
  absl::Status s;
  for (absl::Status step : {
           make(&find_person_, "SELECT pid FROM persons WHERE id = ?1"),
           make(&person_id_, "SELECT id FROM persons WHERE pid = ?1"),
           // Section 3 for one person at ?2: the latest status (ties: the
           // later row), the onset day of the latest diagnosis carrying one,
           // and the diagnosis time.
           make(&case_at_,
                absl::StrCat(
                    "SELECT (SELECT status FROM diagnoses WHERE person = ?1 "
                    "AND time <= ?2 ORDER BY time DESC, rowid DESC LIMIT 1), "
                    "(SELECT onset_day FROM diagnoses WHERE person = ?1 AND "
                    "time <= ?2 AND onset_day IS NOT NULL ORDER BY time DESC, "
                    "rowid DESC LIMIT 1), "
                    "(SELECT min(time) FROM diagnoses WHERE person = ?1 AND "
                    "time <= ?2 AND status IN ",
                    statuses,
                    "), (SELECT household FROM persons WHERE pid = ?1)")),
           // Section 4: removal(X, ?3) from the stays of ?1 up to ?2. A
           // stay started by a `start` ends at the person's next action.
           make(&removal_,
                "WITH s AS (SELECT action, place, time, LEAD(time) OVER "
                "(ORDER BY time, rowid) AS stop FROM quarantine_actions "
                "WHERE person = ?1 AND time <= ?2) "
                "SELECT max(min(time), ?3) FROM s WHERE action = 1 AND "
                "place IN (1, 2) AND (stop IS NULL OR stop > ?3)"),
           // Section 5 for case ?1 with window [?2, ?3) at ?4: qualifying
           // exposures (clipped to ?4) by partner, with min_exposure ?5,
           // and the household ?7 (when ?6), one row per partner.
           make(&close_contacts_,
                "WITH e(partner, start, stop) AS ("
                " SELECT person_b, start, min(end, ?4) FROM exposures"
                "  WHERE person_a = ?1 AND start <= ?4 AND start < ?3"
                " UNION ALL"
                " SELECT person_a, start, min(end, ?4) FROM exposures"
                "  WHERE person_b = ?1 AND start <= ?4 AND start < ?3),"
                "q(partner, first, last, continuous) AS ("
                " SELECT partner, min(max(start, ?2)), max(min(stop, ?3)), 0"
                "  FROM e WHERE stop >= ?2 GROUP BY partner"
                "  HAVING ?5 = 0 OR"
                "   sum(max(0, min(stop, ?3) - max(start, ?2))) >= ?5"
                " UNION ALL"
                " SELECT pid, ?2, min(?3, ?4), ?3 = 9223372036854775807"
                "  FROM persons WHERE ?6 AND ?2 <= ?4 AND household = ?7"
                "  AND pid <> ?1) "
                "SELECT q.partner, p.id, min(q.first), max(q.last), "
                "max(q.continuous) FROM q JOIN persons p ON p.pid = q.partner "
                "GROUP BY q.partner ORDER BY p.id"),
           // Contacts() with 2 hops over exposures overlapping [?2, ?3].
           make(&two_hop_,
                "WITH h1(p) AS MATERIALIZED ("
                " SELECT person_b FROM exposures WHERE person_a = ?1"
                "  AND start <= ?3 AND end >= ?2"
                " UNION"
                " SELECT person_a FROM exposures WHERE person_b = ?1"
                "  AND start <= ?3 AND end >= ?2),"
                "h2(p) AS ("
                " SELECT e.person_b FROM h1 JOIN exposures e"
                "  ON e.person_a = h1.p WHERE e.start <= ?3 AND e.end >= ?2"
                " UNION"
                " SELECT e.person_a FROM h1 JOIN exposures e"
                "  ON e.person_b = h1.p WHERE e.start <= ?3 AND e.end >= ?2) "
                "SELECT 1, id FROM h1 JOIN persons ON pid = p WHERE p <> ?1 "
                "UNION ALL "
                "SELECT 2, id FROM h2 JOIN persons ON pid = p WHERE p <> ?1 "
                "AND p NOT IN (SELECT p FROM h1) ORDER BY 1, 2"),
           make(&diagnosed_persons_,
                "SELECT DISTINCT person FROM diagnoses WHERE time <= ?1"),
           make(&stays_of_,
                "SELECT action, place, time, LEAD(time) OVER (ORDER BY time, "
                "rowid) FROM quarantine_actions WHERE person = ?1 AND "
                "time <= ?2"),
           // Registered persons and households per village subtree.
           make(&village_counts_,
                "WITH RECURSIVE sub(village, aid) AS ("
                " SELECT aid, aid FROM areas WHERE level = 3"
                " UNION ALL"
                " SELECT sub.village, a.aid FROM sub JOIN areas a"
                "  ON a.parent = sub.aid),"
                "pc AS (SELECT s.village, count(*) AS n FROM sub s"
                " JOIN persons p ON p.area = s.aid GROUP BY s.village),"
                "hc AS (SELECT s.village, count(*) AS n FROM sub s"
                " JOIN households h ON h.area = s.aid GROUP BY s.village) "
                "SELECT v.aid, v.id, coalesce(pc.n, 0), coalesce(hc.n, 0) "
                "FROM areas v LEFT JOIN pc ON pc.village = v.aid "
                "LEFT JOIN hc ON hc.village = v.aid WHERE v.level = 3 "
                "ORDER BY v.id"),
           // The village holding a person's area, if any.
           make(&village_of_,
                "WITH RECURSIVE up(aid, level, parent) AS ("
                " SELECT a.aid, a.level, a.parent FROM persons p"
                "  JOIN areas a ON a.aid = p.area WHERE p.pid = ?1"
                " UNION ALL"
                " SELECT a.aid, a.level, a.parent FROM up JOIN areas a"
                "  ON a.aid = up.parent WHERE up.level > 3) "
                "SELECT aid FROM up WHERE level = 3"),
           make(&household_worker_,
                "SELECT h.responsible_worker FROM persons p JOIN households h "
                "ON h.hid = p.household WHERE p.pid = ?1"),
           // Everyone with a stay open at ?1 and the moment checks are
           // counted from (the later of the last check and the stay start).
           make(&missed_checks_,
                "WITH s AS (SELECT person, action, time AS start, LEAD(time) "
                " OVER (PARTITION BY person ORDER BY time, rowid) AS stop"
                " FROM quarantine_actions WHERE time <= ?1),"
                "o AS (SELECT person, start FROM s WHERE action = 1"
                " AND stop IS NULL),"
                "f AS (SELECT o.person, max(o.start, coalesce((SELECT "
                " max(time) FROM health_checks c WHERE c.person = o.person"
                " AND c.time <= ?1), o.start)) AS since FROM o) "
                "SELECT p.id, f.since + ?2 FROM f JOIN persons p"
                " ON p.pid = f.person WHERE ?1 - f.since > ?2"),
           // The earliest unescalated fever per person.
           make(&fevers_,
                "SELECT p.id, min(c.time) + ?3 FROM health_checks c "
                "JOIN persons p ON p.pid = c.person WHERE c.time <= ?1 "
                "AND (c.temperature >= ?2 OR c.symptoms IS NOT NULL) "
                "AND ?1 - c.time > ?3 "
                "AND NOT EXISTS (SELECT 1 FROM diagnoses d WHERE "
                "d.person = c.person AND d.time >= c.time AND d.time <= ?1) "
                "GROUP BY c.person"),
           make(&passages_,
                "SELECT person, time FROM passages WHERE time <= ?1"),
           // The index-case candidates a person could be a contact of at ?2:
           // exposure partners and household members diagnosed by then.
           make(&breach_candidates_,
                "SELECT DISTINCT c FROM ("
                " SELECT person_b AS c FROM exposures WHERE person_a = ?1"
                "  AND start <= ?2"
                " UNION ALL"
                " SELECT person_a FROM exposures WHERE person_b = ?1"
                "  AND start <= ?2"
                " UNION ALL"
                " SELECT pid FROM persons WHERE household = (SELECT household"
                "  FROM persons WHERE pid = ?1) AND pid <> ?1) "
                "WHERE c IN (SELECT person FROM diagnoses WHERE time <= ?2)"),
           make(&unregistered_,
                "SELECT pid, id FROM persons WHERE registered = 0"),
           make(&references_,
                "SELECT min(t), sum(n) FROM ("
                " SELECT min(start) AS t, count(*) AS n FROM exposures"
                "  WHERE person_a = ?1 AND start <= ?2"
                " UNION ALL SELECT min(start), count(*) FROM exposures"
                "  WHERE person_b = ?1 AND start <= ?2"
                " UNION ALL SELECT min(time), count(*) FROM diagnoses"
                "  WHERE person = ?1 AND time <= ?2"
                " UNION ALL SELECT min(time), count(*) FROM quarantine_actions"
                "  WHERE person = ?1 AND time <= ?2"
                " UNION ALL SELECT min(time), count(*) FROM health_checks"
                "  WHERE person = ?1 AND time <= ?2"
                " UNION ALL SELECT min(time), count(*) FROM passages"
                "  WHERE person = ?1 AND time <= ?2)"),
       }) {
    if (s.ok()) s = step;
  }
  return s;
}

// ---------------------------------------------------------------------------
// Query steps.

absl::StatusOr<int64_t> SqliteBaseline::FindPerson(absl::string_view id) {
  absl::Status status;
  Stmt& s = find_person_->Reset().Bind(1, id);
  if (!s.Step(&status)) {
    if (!status.ok()) return status;
    return absl::NotFoundError(
        absl::StrCat("person '", id, "' never occurs in the ledger"));
  }
  return s.Int(0);
}

absl::StatusOr<std::string> SqliteBaseline::PersonId(int64_t pid) {
  absl::Status status;
  Stmt& s = person_id_->Reset().Bind(1, pid);
  if (!s.Step(&status)) {
    if (!status.ok()) return status;
    return absl::NotFoundError(absl::StrCat("no person ", pid));
  }
  return std::string(s.Text(0));
}

absl::StatusOr<std::optional<SqliteBaseline::Case>> SqliteBaseline::CaseAt(
    int64_t pid, int64_t at, const TracingParams& p) {
  absl::Status status;
  Stmt& s = case_at_->Reset().Bind(1, pid).Bind(2, at);
  if (!s.Step(&status)) return status;
  if (s.IsNull(0) || !IsCase(static_cast<int>(s.Int(0)))) {
    return std::optional<Case>();
  }
  Case c;
  c.pid = pid;
  c.active = IsActive(static_cast<int>(s.Int(0)));
  c.diagnosis_time = s.Int(2);
  c.household = s.IsNull(3) ? -1 : s.Int(3);
  const int64_t onset =
      s.IsNull(1) ? c.diagnosis_time : s.Int(1) * 86400 - p.utc_offset;
  c.ws = onset - p.lookback;
  Stmt& r = removal_->Reset().Bind(1, pid).Bind(2, at).Bind(3, c.ws);
  if (!r.Step(&status)) return status;
  c.we = r.IsNull(0) ? kForever : r.Int(0);
  return std::optional<Case>(std::move(c));
}

template <typename F>
absl::Status SqliteBaseline::ForEachCloseContact(const Case& c, int64_t at,
                                                 const TracingParams& p, F f) {
  absl::Status status;
  Stmt& s = close_contacts_->Reset()
                .Bind(1, c.pid)
                .Bind(2, c.ws)
                .Bind(3, c.we)
                .Bind(4, at)
                .Bind(5, p.min_exposure)
                .Bind(6, int64_t{p.household_rule && c.household >= 0})
                .Bind(7, c.household);
  while (s.Step(&status)) {
    f(s.Int(0), s.Text(1), s.Int(2), s.Int(3), s.Int(4) != 0);
  }
  return status;
}

absl::StatusOr<std::vector<SqliteBaseline::Stay>> SqliteBaseline::StaysOf(
    int64_t pid, int64_t at) {
  absl::Status status;
  std::vector<Stay> stays;
  Stmt& s = stays_of_->Reset().Bind(1, pid).Bind(2, at);
  while (s.Step(&status)) {
    if (s.Int(0) != v1::QUARANTINE_ACTION_KIND_START) continue;
    stays.push_back(Stay{s.Int(2), s.IsNull(3) ? kForever : s.Int(3),
                         static_cast<int>(s.Int(1))});
  }
  if (!status.ok()) return status;
  return stays;
}

absl::StatusOr<SqliteBaseline::RosterState> SqliteBaseline::ComputeRoster(
    int64_t at, const TracingParams& p) {
  RosterState r;
  absl::Status status;
  std::vector<int64_t> diagnosed;
  Stmt& d = diagnosed_persons_->Reset().Bind(1, at);
  while (d.Step(&status)) diagnosed.push_back(d.Int(0));
  if (!status.ok()) return status;
  absl::flat_hash_set<int64_t> case_set;
  for (int64_t pid : diagnosed) {
    absl::StatusOr<std::optional<Case>> c = CaseAt(pid, at, p);
    if (!c.ok()) return c.status();
    if (!c->has_value()) continue;
    absl::StatusOr<std::string> id = PersonId(pid);
    if (!id.ok()) return id.status();
    (*c)->id = std::move(*id);
    case_set.insert(pid);
    r.cases.push_back(std::move(**c));
  }
  for (const Case& c : r.cases) {
    if (c.active) r.roster.push_back(c.pid);
    absl::Status s = ForEachCloseContact(
        c, at, p,
        [&](int64_t partner, absl::string_view id, int64_t first, int64_t last,
            bool continuous) {
          if (case_set.contains(partner)) return;  // a case, not a contact
          Contact& k = r.contacts[partner];
          if (k.id.empty()) k.id = std::string(id);
          if (k.source.empty() || last > k.last ||
              (last == k.last && c.id < k.source)) {
            k.last = last;
            k.source = c.id;
          }
          k.continuous |= continuous;
          k.required_since =
              std::min(k.required_since, std::max(c.diagnosis_time, first));
        });
    if (!s.ok()) return s;
  }
  const int64_t today = DayOf(at, p);
  for (const auto& [pid, k] : r.contacts) {
    if (k.continuous || DayOf(k.last, p) + p.close_contact_days >= today) {
      r.roster.push_back(pid);
    }
  }
  return r;
}

absl::StatusOr<bool> SqliteBaseline::InRosterAt(int64_t pid, int64_t t,
                                                const TracingParams& p) {
  absl::StatusOr<std::optional<Case>> self = CaseAt(pid, t, p);
  if (!self.ok()) return self.status();
  if (self->has_value()) return (*self)->active;
  absl::Status status;
  std::vector<int64_t> candidates;
  Stmt& s = breach_candidates_->Reset().Bind(1, pid).Bind(2, t);
  while (s.Step(&status)) candidates.push_back(s.Int(0));
  if (!status.ok()) return status;
  bool found = false;
  bool continuous = false;
  int64_t last = kNever;
  for (int64_t candidate : candidates) {
    absl::StatusOr<std::optional<Case>> c = CaseAt(candidate, t, p);
    if (!c.ok()) return c.status();
    if (!c->has_value()) continue;
    absl::Status st = ForEachCloseContact(
        **c, t, p,
        [&](int64_t partner, absl::string_view, int64_t, int64_t l, bool k) {
          if (partner != pid) return;
          found = true;
          last = std::max(last, l);
          continuous |= k;
        });
    if (!st.ok()) return st;
  }
  return found &&
         (continuous || DayOf(last, p) + p.close_contact_days >= DayOf(t, p));
}

// ---------------------------------------------------------------------------
// The questions.

absl::StatusOr<CloseContacts> SqliteBaseline::CloseContactsOf(
    absl::string_view case_id, const TracingParams& p) {
  absl::StatusOr<int64_t> pid = FindPerson(case_id);
  if (!pid.ok()) return pid.status();
  absl::StatusOr<std::optional<Case>> c = CaseAt(*pid, p.at, p);
  if (!c.ok()) return c.status();
  CloseContacts out;
  if (!c->has_value()) return out;
  absl::Status s = ForEachCloseContact(
      **c, p.at, p,
      [&](int64_t, absl::string_view id, int64_t first, int64_t last,
          bool continuous) {
        out.push_back(CloseContact{std::string(id), first, last, continuous});
      });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<HopContacts> SqliteBaseline::TwoHop(absl::string_view person_id,
                                                   int64_t from, int64_t to) {
  absl::StatusOr<int64_t> pid = FindPerson(person_id);
  if (!pid.ok()) return pid.status();
  absl::Status status;
  HopContacts out;
  Stmt& s = two_hop_->Reset().Bind(1, *pid).Bind(2, from).Bind(3, to);
  while (s.Step(&status)) {
    out.push_back(
        HopContact{std::string(s.Text(1)), static_cast<int>(s.Int(0))});
  }
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<RosterRows> SqliteBaseline::Roster(const TracingParams& p) {
  absl::StatusOr<RosterState> r = ComputeRoster(p.at, p);
  if (!r.ok()) return r.status();
  absl::flat_hash_map<int64_t, const Case*> cases;
  for (const Case& c : r->cases) cases[c.pid] = &c;
  RosterRows out;
  out.reserve(r->roster.size());
  for (int64_t pid : r->roster) {
    RosterRow row;
    if (auto it = cases.find(pid); it != cases.end()) {
      row.person_id = it->second->id;
      row.role = Role::kCase;
      row.required_since = it->second->diagnosis_time;
    } else {
      const Contact& k = r->contacts.at(pid);
      row.person_id = k.id;
      row.role = Role::kCloseContact;
      row.source = k.source;
      row.last = k.last;
      row.continuous = k.continuous;
      row.until_day =
          k.continuous ? 0 : DayOf(k.last, p) + p.close_contact_days;
      row.required_since = k.required_since;
    }
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const RosterRow& a, const RosterRow& b) {
    return a.person_id < b.person_id;
  });
  return out;
}

absl::StatusOr<VillageRows> SqliteBaseline::VillageRollup(
    const TracingParams& p) {
  absl::Status status;
  VillageRows out;
  absl::flat_hash_map<int64_t, size_t> row_of;
  Stmt& v = village_counts_->Reset();
  while (v.Step(&status)) {
    row_of[v.Int(0)] = out.size();
    out.push_back(VillageRow{std::string(v.Text(1)),
                             static_cast<uint64_t>(v.Int(2)),
                             static_cast<uint64_t>(v.Int(3)), 0, 0});
  }
  if (!status.ok()) return status;
  absl::StatusOr<RosterState> r = ComputeRoster(p.at, p);
  if (!r.ok()) return r.status();
  absl::flat_hash_set<int64_t> cases;
  for (const Case& c : r->cases) cases.insert(c.pid);
  for (int64_t pid : r->roster) {
    Stmt& s = village_of_->Reset().Bind(1, pid);
    if (!s.Step(&status)) {
      if (!status.ok()) return status;
      continue;  // not in a village
    }
    auto it = row_of.find(s.Int(0));
    if (it == row_of.end()) continue;
    if (cases.contains(pid)) {
      ++out[it->second].active_cases;
    } else {
      ++out[it->second].close_contacts;
    }
  }
  return out;
}

absl::StatusOr<LoopRows> SqliteBaseline::OpenLoops(const TracingParams& p) {
  const int64_t at = p.at;
  absl::StatusOr<RosterState> r = ComputeRoster(at, p);
  if (!r.ok()) return r.status();
  absl::flat_hash_map<int64_t, const Case*> cases;
  for (const Case& c : r->cases) cases[c.pid] = &c;
  LoopRows out;
  absl::Status status;
  auto open_at = [](const std::vector<Stay>& stays, int64_t m) -> const Stay* {
    for (const Stay& s : stays) {
      if (s.start <= m && s.end > m) return &s;
    }
    return nullptr;
  };
  // Roster members: unisolated_case, early_release, unplaced, no_owner.
  for (int64_t pid : r->roster) {
    absl::StatusOr<std::vector<Stay>> stays = StaysOf(pid, at);
    if (!stays.ok()) return stays.status();
    const Stay* open = open_at(*stays, at);
    int64_t required_since;
    std::string id;
    if (auto it = cases.find(pid); it != cases.end()) {
      const Case& c = *it->second;
      id = c.id;
      required_since = c.diagnosis_time;
      const bool removed =
          open != nullptr && (open->place == v1::QUARANTINE_PLACE_HOSPITAL ||
                              open->place == v1::QUARANTINE_PLACE_CENTRALIZED);
      if (!removed && at >= c.diagnosis_time + p.placement_deadline) {
        out.push_back(LoopRow{id, LoopKind::kUnisolatedCase,
                              c.diagnosis_time + p.placement_deadline});
      }
    } else {
      const Contact& k = r->contacts.at(pid);
      id = k.id;
      required_since = k.required_since;
      if (open == nullptr) {
        int64_t released = kNever;
        for (const Stay& s : *stays) {
          if (s.end != kForever && s.end > required_since && s.end <= at) {
            released = std::max(released, s.end);
          }
        }
        if (released != kNever) {
          out.push_back(LoopRow{id, LoopKind::kEarlyRelease, released});
        } else if (at >= required_since + p.placement_deadline) {
          out.push_back(LoopRow{id, LoopKind::kUnplaced,
                                required_since + p.placement_deadline});
        }
      }
    }
    Stmt& w = household_worker_->Reset().Bind(1, pid);
    const bool has_household = w.Step(&status);
    if (!status.ok()) return status;
    if (!has_household || w.IsNull(0) || w.Text(0).empty()) {
      out.push_back(LoopRow{id, LoopKind::kNoOwner, required_since});
    }
  }
  // missed_check.
  Stmt& m = missed_checks_->Reset().Bind(1, at).Bind(2, p.check_interval);
  while (m.Step(&status)) {
    out.push_back(
        LoopRow{std::string(m.Text(0)), LoopKind::kMissedCheck, m.Int(1)});
  }
  if (!status.ok()) return status;
  // fever_not_escalated.
  Stmt& f = fevers_->Reset()
                .Bind(1, at)
                .BindDouble(2, p.fever_threshold_celsius)
                .Bind(3, p.escalation_deadline);
  while (f.Step(&status)) {
    out.push_back(LoopRow{std::string(f.Text(0)), LoopKind::kFeverNotEscalated,
                          f.Int(1)});
  }
  if (!status.ok()) return status;
  // checkpoint_breach: a passage during a stay or while in the roster.
  std::vector<std::pair<int64_t, int64_t>> passages;
  Stmt& ps = passages_->Reset().Bind(1, at);
  while (ps.Step(&status)) passages.emplace_back(ps.Int(0), ps.Int(1));
  if (!status.ok()) return status;
  for (const auto& [pid, t] : passages) {
    absl::StatusOr<std::vector<Stay>> stays = StaysOf(pid, at);
    if (!stays.ok()) return stays.status();
    bool breach = open_at(*stays, t) != nullptr;
    if (!breach) {
      absl::StatusOr<bool> in = InRosterAt(pid, t, p);
      if (!in.ok()) return in.status();
      breach = *in;
    }
    if (breach) {
      absl::StatusOr<std::string> id = PersonId(pid);
      if (!id.ok()) return id.status();
      out.push_back(LoopRow{std::move(*id), LoopKind::kCheckpointBreach, t});
    }
  }
  // unregistered.
  std::vector<std::pair<int64_t, std::string>> unregistered;
  Stmt& u = unregistered_->Reset();
  while (u.Step(&status)) unregistered.emplace_back(u.Int(0), u.Text(1));
  if (!status.ok()) return status;
  for (const auto& [pid, id] : unregistered) {
    Stmt& ref = references_->Reset().Bind(1, pid).Bind(2, at);
    if (!ref.Step(&status)) return status;
    if (!ref.IsNull(1) && ref.Int(1) > 0) {
      out.push_back(LoopRow{id, LoopKind::kUnregistered, ref.Int(0)});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bench
}  // namespace contactledger
