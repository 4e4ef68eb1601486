// Copyright 2026 The ContactLedger Authors.
//
// ContactLedger and the SQLite baseline (bench/sqlite_baseline.h) give
// identical answers to the ledger_vs_sqlite questions: on a small synthetic
// county (every case, several moments, several policies) and on a
// hand-built world that exercises the rules' corners (transfers, an end with
// no stay, an unregistered person, a person registered after being named,
// an area override, an inactive case, cases exposed to each other, a
// household without a worker, fevers, passages).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/ledger_answers.h"
#include "bench/sqlite_baseline.h"
#include "bench/tracing_answers.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace bench {
namespace {

constexpr int64_t kOffset = 8 * 3600;
const absl::TimeZone& Zone() {
  static const absl::TimeZone* zone =
      new absl::TimeZone(absl::FixedTimeZone(kOffset));
  return *zone;
}

int64_t At(int y, int m, int d, int hour, int minute = 0) {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(y, m, d, hour, minute), Zone()));
}

TracingParams Params(int64_t at, const std::string& preset) {
  absl::StatusOr<v1::Policy> policy = PolicyPreset(preset);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return MakeTracingParams(at, kOffset, *policy);
}

// Both engines loaded with the same events.
struct Engines {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<SqliteBaseline> db;

  Engines() {
    LedgerOptions options;
    options.time_zone = Zone();
    ledger = Ledger::New(options);
    absl::StatusOr<std::unique_ptr<SqliteBaseline>> created =
        SqliteBaseline::Create();
    EXPECT_TRUE(created.ok()) << created.status();
    db = std::move(*created);
    EXPECT_TRUE(db->BeginLoad().ok());
  }
  absl::Status Load(std::vector<v1::LedgerEvent>& batch) {
    absl::Status s = ledger->AppendBatch(batch).status();
    if (!s.ok()) return s;
    return db->Load(batch);
  }
  void Finish() { ASSERT_TRUE(db->FinishLoad().ok()); }
};

template <typename T>
void ExpectSame(const absl::StatusOr<std::vector<T>>& ledger,
                const absl::StatusOr<std::vector<T>>& sqlite,
                const std::string& what) {
  ASSERT_TRUE(ledger.ok()) << what << ": " << ledger.status();
  ASSERT_TRUE(sqlite.ok()) << what << ": " << sqlite.status();
  EXPECT_EQ(Diff(*ledger, *sqlite), "") << what;
}

// Every question, both engines, for these persons.
void ExpectAllAgree(Engines& e, const TracingParams& p,
                    const std::vector<std::string>& persons,
                    const std::string& county) {
  const std::string when =
      absl::StrCat(" at ", p.at, " (", p.policy.name(), ")");
  for (const std::string& person : persons) {
    ExpectSame(LedgerCloseContacts(*e.ledger, person, p),
               e.db->CloseContactsOf(person, p),
               "CloseContacts(" + person + ")" + when);
    ExpectSame(LedgerTwoHop(*e.ledger, person, p.at - 14 * 86400, p.at),
               e.db->TwoHop(person, p.at - 14 * 86400, p.at),
               "TwoHop(" + person + ")" + when);
  }
  ExpectSame(LedgerRoster(*e.ledger, p), e.db->Roster(p), "Roster" + when);
  ExpectSame(LedgerVillageRollup(*e.ledger, p, county), e.db->VillageRollup(p),
             "VillageRollup" + when);
  ExpectSame(LedgerOpenLoops(*e.ledger, p), e.db->OpenLoops(p),
             "OpenLoops" + when);
}

// --- A small synthetic county. ---

class LedgerVsSqliteCountyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engines_ = new Engines;
    SyntheticCountyOptions options;
    options.persons = 20000;
    options.cases = 100;
    options.time_zone = Zone();
    absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
        options, [](std::vector<v1::LedgerEvent>& batch) {
          return engines_->Load(batch);
        });
    ASSERT_TRUE(summary.ok()) << summary.status();
    summary_ = new SyntheticCountySummary(*summary);
    engines_->Finish();
  }
  static void TearDownTestSuite() {
    delete engines_;
    delete summary_;
  }
  // 21:00 on the last day, as the benchmark asks.
  static int64_t End() { return At(2020, 2, 8, 21); }

  static Engines* engines_;
  static SyntheticCountySummary* summary_;
};
Engines* LedgerVsSqliteCountyTest::engines_ = nullptr;
SyntheticCountySummary* LedgerVsSqliteCountyTest::summary_ = nullptr;

TEST_F(LedgerVsSqliteCountyTest, BothHoldTheWholeCounty) {
  const LedgerStats stats = engines_->ledger->Stats();
  EXPECT_EQ(*engines_->db->Count("persons"),
            static_cast<int64_t>(stats.persons));
  EXPECT_EQ(*engines_->db->Count("households"),
            static_cast<int64_t>(stats.households));
  EXPECT_EQ(*engines_->db->Count("areas"), static_cast<int64_t>(stats.areas));
  EXPECT_EQ(*engines_->db->Count("exposures"),
            static_cast<int64_t>(stats.exposures));
  EXPECT_EQ(*engines_->db->Count("diagnoses"),
            static_cast<int64_t>(stats.diagnoses));
  EXPECT_EQ(*engines_->db->Count("quarantine_actions"),
            static_cast<int64_t>(stats.quarantine_actions));
  EXPECT_EQ(*engines_->db->Count("health_checks"),
            static_cast<int64_t>(stats.health_checks));
  EXPECT_EQ(*engines_->db->Count("passages"),
            static_cast<int64_t>(stats.checkpoint_passages));
  EXPECT_EQ(summary_->case_ids.size(), 100u);
}

TEST_F(LedgerVsSqliteCountyTest, EveryAnswerAgreesAtTheEnd) {
  ExpectAllAgree(*engines_, Params(End(), "china-2020"), summary_->case_ids,
                 summary_->county_id);
}

TEST_F(LedgerVsSqliteCountyTest,
       EveryAnswerAgreesMidPeriodAndUnderOtherPolicies) {
  // Mid-period: some cases diagnosed, others not yet; stays just starting.
  for (const int64_t at : {At(2020, 1, 27, 12), At(2020, 2, 1, 9, 30)}) {
    ExpectAllAgree(*engines_, Params(at, "china-2020"), summary_->case_ids,
                   summary_->county_id);
  }
  // min_exposure 15 min, other check intervals and fever thresholds.
  for (const char* preset : {"who-2020", "cdc-2020"}) {
    ExpectAllAgree(*engines_, Params(End(), preset), summary_->case_ids,
                   summary_->county_id);
  }
}

TEST_F(LedgerVsSqliteCountyTest, TheQuestionsHaveSubstantialAnswers) {
  const TracingParams p = Params(End(), "china-2020");
  absl::StatusOr<RosterRows> roster = engines_->db->Roster(p);
  ASSERT_TRUE(roster.ok());
  int cases = 0;
  int contacts = 0;
  for (const RosterRow& r : *roster) {
    (r.role == Role::kCase ? cases : contacts) += 1;
  }
  EXPECT_EQ(cases, 100);
  EXPECT_GT(contacts, 200);
  absl::StatusOr<LoopRows> loops = engines_->db->OpenLoops(p);
  ASSERT_TRUE(loops.ok());
  std::vector<LoopKind> kinds;
  for (const LoopRow& l : *loops) kinds.push_back(l.kind);
  EXPECT_THAT(kinds, ::testing::IsSupersetOf(
                         {LoopKind::kUnplaced, LoopKind::kMissedCheck,
                          LoopKind::kEarlyRelease, LoopKind::kNoOwner,
                          LoopKind::kCheckpointBreach}));
  absl::StatusOr<VillageRows> villages = engines_->db->VillageRollup(p);
  ASSERT_TRUE(villages.ok());
  uint64_t persons = 0;
  uint64_t active = 0;
  for (const VillageRow& v : *villages) {
    persons += v.persons;
    active += v.active_cases;
  }
  EXPECT_EQ(persons, 20000u);
  EXPECT_EQ(active, 100u);
  absl::StatusOr<HopContacts> hops =
      engines_->db->TwoHop(summary_->case_ids[0], End() - 14 * 86400, End());
  ASSERT_TRUE(hops.ok());
  EXPECT_GT(hops->size(), 5u);
}

// The benchmark's one-case path (LedgerCloseContacts) is the Tracer's
// per-case step: every contact it finds is explained by the Tracer with that
// case as a source and the same last exposure.
TEST_F(LedgerVsSqliteCountyTest, OneCaseCloseContactsMatchTheTracer) {
  const TracingParams p = Params(End(), "china-2020");
  QueryOptions options;
  options.at = absl::FromUnixSeconds(p.at);
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(*engines_->ledger, options);
  ASSERT_TRUE(tracer.ok());
  const std::set<std::string> cases(summary_->case_ids.begin(),
                                    summary_->case_ids.end());
  std::set<std::string> all;
  for (const std::string& c : summary_->case_ids) {
    absl::StatusOr<CloseContacts> contacts =
        LedgerCloseContacts(*engines_->ledger, c, p);
    ASSERT_TRUE(contacts.ok());
    for (const CloseContact& k : *contacts) {
      if (cases.count(k.person_id) > 0) continue;
      all.insert(k.person_id);
      absl::StatusOr<Explanation> e = (*tracer)->Explain(k.person_id);
      ASSERT_TRUE(e.ok());
      int64_t last = std::numeric_limits<int64_t>::min();
      for (const Explanation::Source& s : e->sources) {
        if (s.person_id == c) {
          last = std::max(last, absl::ToUnixSeconds(s.last_exposure));
        }
      }
      EXPECT_EQ(last, k.last) << k.person_id << " of " << c;
    }
  }
  // And nobody else is a close contact.
  int in_roster = 0;
  for (const RosterEntry& r : (*tracer)->Roster()) {
    if (r.role == Role::kCloseContact) {
      ++in_roster;
      EXPECT_EQ(all.count(r.person_id), 1u) << r.person_id;
    }
  }
  EXPECT_GT(in_roster, 0);
}

// --- A hand-built world with the rules' corners. ---

class Builder {
 public:
  v1::LedgerEvent& Add() {
    events_.emplace_back();
    return events_.back();
  }
  void Area(const std::string& id, const std::string& parent,
            v1::AreaLevel level) {
    v1::Area* a = Add().mutable_area();
    a->set_id(id);
    a->set_parent_id(parent);
    a->set_level(level);
  }
  void Household(const std::string& id, const std::string& area,
                 const std::string& worker) {
    v1::Household* h = Add().mutable_household();
    h->set_id(id);
    h->set_area_id(area);
    h->set_responsible_worker(worker);
  }
  void Person(const std::string& id, const std::string& household,
              const std::string& area = "") {
    v1::Person* p = Add().mutable_person();
    p->set_id(id);
    p->set_household_id(household);
    p->set_area_id(area);
    p->set_name("name of " + id);
  }
  void Exposure(const std::string& a, const std::string& b, int64_t start,
                int64_t minutes) {
    v1::Exposure* e = Add().mutable_exposure();
    e->set_person_a(a);
    e->set_person_b(b);
    e->mutable_start()->set_seconds(start);
    e->mutable_end()->set_seconds(start + minutes * 60);
    e->set_setting(v1::EXPOSURE_SETTING_OTHER);
  }
  void Diagnosis(const std::string& person, v1::DiagnosisStatus status,
                 int64_t time, int onset_month = 0, int onset_day = 0) {
    v1::Diagnosis* d = Add().mutable_diagnosis();
    d->set_person_id(person);
    d->set_status(status);
    d->mutable_time()->set_seconds(time);
    if (onset_month != 0) {
      d->mutable_onset()->set_year(2020);
      d->mutable_onset()->set_month(onset_month);
      d->mutable_onset()->set_day(onset_day);
    }
  }
  void Stay(const std::string& person, v1::QuarantinePlace place,
            int64_t time) {
    v1::QuarantineAction* q = Add().mutable_quarantine_action();
    q->set_person_id(person);
    q->set_action(v1::QUARANTINE_ACTION_KIND_START);
    q->set_place(place);
    q->mutable_time()->set_seconds(time);
  }
  void EndStay(const std::string& person, int64_t time) {
    v1::QuarantineAction* q = Add().mutable_quarantine_action();
    q->set_person_id(person);
    q->set_action(v1::QUARANTINE_ACTION_KIND_END);
    q->mutable_time()->set_seconds(time);
  }
  void Check(const std::string& person, int64_t time, double celsius,
             const std::string& symptom = "") {
    v1::HealthCheck* c = Add().mutable_health_check();
    c->set_person_id(person);
    c->mutable_time()->set_seconds(time);
    c->set_temperature_celsius(celsius);
    if (!symptom.empty()) c->add_symptoms(symptom);
  }
  void Passage(const std::string& person, int64_t time) {
    v1::CheckpointPassage* p = Add().mutable_checkpoint_passage();
    p->set_person_id(person);
    p->set_checkpoint_id("cp1");
    p->mutable_time()->set_seconds(time);
    p->set_direction(v1::PASSAGE_DIRECTION_OUT);
  }
  std::vector<v1::LedgerEvent>& events() { return events_; }

 private:
  std::vector<v1::LedgerEvent> events_;
};

TEST(LedgerVsSqliteCornersTest, EveryAnswerAgreesInTheCorners) {
  using v1::DIAGNOSIS_STATUS_CLEARED;
  using v1::DIAGNOSIS_STATUS_CONFIRMED;
  using v1::DIAGNOSIS_STATUS_RECOVERED;
  using v1::DIAGNOSIS_STATUS_SUSPECTED;
  using v1::QUARANTINE_PLACE_CENTRALIZED;
  using v1::QUARANTINE_PLACE_HOME;
  using v1::QUARANTINE_PLACE_HOSPITAL;
  Builder b;
  b.Area("c", "", v1::AREA_LEVEL_COUNTY);
  b.Area("t1", "c", v1::AREA_LEVEL_TOWNSHIP);
  b.Area("t2", "c", v1::AREA_LEVEL_TOWNSHIP);
  b.Area("v1", "t1", v1::AREA_LEVEL_VILLAGE);
  b.Area("v2", "t1", v1::AREA_LEVEL_VILLAGE);
  b.Area("v3", "t2", v1::AREA_LEVEL_VILLAGE);
  b.Area("g1", "v1", v1::AREA_LEVEL_GRID);
  b.Area("g3", "v3", v1::AREA_LEVEL_GRID);
  b.Household("h1", "g1", "w1");
  b.Household("h2", "v2", "");  // no responsible worker
  b.Household("h3", "g3", "w3");
  b.Household("h4", "t2", "w4");  // above the villages
  b.Person("a", "h1");
  b.Person("a2", "h1");
  b.Person("a3", "h1");
  b.Person("c", "h2");
  b.Person("d", "h2");
  b.Person("e", "h3");
  b.Person("f", "h3", "v2");  // area override
  b.Person("k", "h4");
  b.Person("m", "h3");
  b.Person("n", "");  // no household
  // "h" is named by an exposure before its Person record; "g" never gets
  // one.
  b.Exposure("a", "h", At(2020, 1, 19, 10), 30);
  b.Exposure("a", "g", At(2020, 1, 20, 10), 5);
  b.Person("h", "h1");
  // a: confirmed, onset 2020-01-20 (window from 01-18 00:00), in a
  // centralized stay, then transferred to hospital.
  b.Exposure("a", "c", At(2020, 1, 17, 23, 50), 20);  // ends in the window
  b.Exposure("a", "d", At(2020, 1, 17, 10), 60);      // before the window
  b.Exposure("e", "a", At(2020, 1, 21, 9), 10);       // e: a case too
  b.Exposure("a", "n", At(2020, 1, 22, 9), 3);
  b.Exposure("a", "n", At(2020, 1, 22, 11), 4);    // two short ones
  b.Exposure("a", "k", At(2020, 1, 22, 18), 600);  // runs across removal
  b.Exposure("a", "m", At(2020, 1, 23, 9), 30);    // after removal
  b.Exposure("c", "f", At(2020, 1, 24, 9), 30);
  b.Exposure("f", "k", At(2020, 1, 25, 9), 30);
  b.Exposure("k", "m", At(2020, 1, 26, 9), 30);
  b.Diagnosis("a", DIAGNOSIS_STATUS_SUSPECTED, At(2020, 1, 21, 8));
  b.Diagnosis("a", DIAGNOSIS_STATUS_CONFIRMED, At(2020, 1, 22, 8), 1, 20);
  b.Stay("a", QUARANTINE_PLACE_CENTRALIZED, At(2020, 1, 22, 20));
  b.Stay("a", QUARANTINE_PLACE_HOSPITAL, At(2020, 1, 23, 8));  // transfer
  // e: confirmed without onset, recovered later (inactive index case).
  b.Diagnosis("e", DIAGNOSIS_STATUS_CONFIRMED, At(2020, 1, 21, 20));
  b.Diagnosis("e", DIAGNOSIS_STATUS_RECOVERED, At(2020, 1, 28, 8));
  // f: suspected then cleared (never a case).
  b.Diagnosis("f", DIAGNOSIS_STATUS_SUSPECTED, At(2020, 1, 24, 8));
  b.Diagnosis("f", DIAGNOSIS_STATUS_CLEARED, At(2020, 1, 25, 8));
  // g (unregistered) confirmed at home: an unisolated case.
  b.Diagnosis("g", DIAGNOSIS_STATUS_CONFIRMED, At(2020, 1, 23, 8), 1, 21);
  b.Stay("g", QUARANTINE_PLACE_HOME, At(2020, 1, 23, 12));
  // c: placed then released early; d: an end with no stay, then placed.
  b.Stay("c", QUARANTINE_PLACE_CENTRALIZED, At(2020, 1, 23, 10));
  b.EndStay("c", At(2020, 1, 25, 10));
  b.EndStay("d", At(2020, 1, 23, 9));
  b.Stay("d", QUARANTINE_PLACE_CENTRALIZED, At(2020, 1, 23, 10));
  b.Check("d", At(2020, 1, 24, 8), 36.5);
  b.Check("d", At(2020, 1, 24, 20), 37.3);    // exactly the threshold
  b.Check("e", At(2020, 1, 24, 20), 37.295);  // rounds to 37.30, is below
  b.Check("k", At(2020, 1, 24, 8), 36.6, "cough");
  b.Check("m", At(2020, 1, 24, 8), 38.2);
  b.Diagnosis("m", DIAGNOSIS_STATUS_SUSPECTED,
              At(2020, 1, 24, 9));  // escalated
  b.Check("m", At(2020, 1, 26, 8), 38.4);
  // Passages: d during its stay, a2 while in the roster, m before anything.
  b.Passage("d", At(2020, 1, 24, 12));
  b.Passage("a2", At(2020, 1, 24, 12));
  b.Passage("m", At(2020, 1, 19, 12));
  b.Passage("h", At(2020, 1, 25, 12));

  Engines e;
  ASSERT_TRUE(e.Load(b.events()).ok());
  e.Finish();
  const std::vector<std::string> persons = {"a", "a2", "c", "d", "e", "f",
                                            "g", "h",  "k", "m", "n"};
  for (const int64_t at :
       {At(2020, 1, 21, 12), At(2020, 1, 22, 22, 10), At(2020, 1, 24, 12),
        At(2020, 1, 26, 9), At(2020, 2, 10, 12)}) {
    for (const char* preset : {"china-2020", "who-2020"}) {
      ExpectAllAgree(e, Params(at, preset), persons, "c");
    }
  }
  // Spot checks that the corners are reached.
  const TracingParams p = Params(At(2020, 1, 26, 9), "china-2020");
  absl::StatusOr<LoopRows> loops = e.db->OpenLoops(p);
  ASSERT_TRUE(loops.ok());
  std::vector<LoopKind> kinds;
  for (const LoopRow& l : *loops) kinds.push_back(l.kind);
  EXPECT_THAT(kinds,
              ::testing::IsSupersetOf(
                  {LoopKind::kUnisolatedCase, LoopKind::kEarlyRelease,
                   LoopKind::kNoOwner, LoopKind::kUnregistered,
                   LoopKind::kCheckpointBreach, LoopKind::kFeverNotEscalated}));
  absl::StatusOr<CloseContacts> of_a = e.db->CloseContactsOf("a", p);
  ASSERT_TRUE(of_a.ok());
  std::vector<std::string> ids;
  for (const CloseContact& k : *of_a) ids.push_back(k.person_id);
  EXPECT_THAT(ids,
              ::testing::ElementsAre("a2", "a3", "c", "e", "g", "h", "k", "n"));
}

}  // namespace
}  // namespace bench
}  // namespace contactledger
