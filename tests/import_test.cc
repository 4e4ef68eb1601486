// Copyright 2026 The ContactLedger Authors.
//
// Tests of the CSV and JSON Lines importers (contactledger/import.h): every
// kind, columns in any order, missing and unknown columns, bad values named
// by line and column, ledger errors mapped back to their rows, and
// all-or-nothing files; files imported once (ImportSource, FindImports,
// --again), dry runs and sessions of several files, every bad row in one
// error, ids trimmed, and the CSV a spreadsheet writes (blank lines, a
// semicolon-separated header, a CSV file given as JSON Lines).

#include "contactledger/import.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::At;
using ::contactledger::testutil::EqualsProto;
using ::contactledger::testutil::FakeClock;
using ::contactledger::testutil::FromProto;
using ::contactledger::testutil::MakeDate;
using ::contactledger::testutil::MakeRetraction;
using ::contactledger::testutil::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

class ImportTest : public ::testing::Test {
 protected:
  ImportTest() : clock_(At(2020, 3, 1)) {
    LedgerOptions options;
    options.clock = &clock_;
    options.time_zone = Zone();
    ledger_ = Ledger::New(options);
  }

  static absl::TimeZone Zone() {
    absl::TimeZone zone;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
    return zone;
  }

  // Imports `csv` as `kind`, named `name` in errors.
  absl::StatusOr<ImportSummary> Import(ImportKind kind, absl::string_view csv,
                                       const std::string& name = "in.csv") {
    ImportOptions options;
    options.file_name = name;
    return ImportCsv(*ledger_, kind, csv, options);
  }

  // The area tree and households every test starts from.
  void ImportBasics() {
    ASSERT_TRUE(Import(ImportKind::kAreas,
                       "area_id,parent_id,level,name\n"
                       "c1,,county,Yuanling County\n"
                       "t1,c1,township,Madiyi\n"
                       "v1,t1,village,Village One\n"
                       "g1,v1,grid,Grid One\n")
                    .ok());
    ASSERT_TRUE(Import(ImportKind::kHouseholds,
                       "household_id,area_id,address,responsible_worker\n"
                       "h1,g1,\"1 Main St, Madiyi\",w1\n"
                       "h2,g1,,\n")
                    .ok());
  }

  FakeClock clock_;
  std::unique_ptr<Ledger> ledger_;
};

// ---------------------------------------------------------------------------
// Kinds.

TEST(ImportKindTest, NamesRoundTrip) {
  EXPECT_THAT(ImportKindNames(),
              ElementsAre("areas", "households", "persons", "exposures",
                          "diagnoses", "stays", "checks", "passages"));
  for (const std::string& name : ImportKindNames()) {
    absl::StatusOr<ImportKind> kind = ParseImportKind(name);
    ASSERT_TRUE(kind.ok()) << kind.status();
    EXPECT_EQ(ImportKindName(*kind), name);
  }
  EXPECT_THAT(ParseImportKind("Areas"),
              StatusIs(kInvalid, AllOf(HasSubstr("\"Areas\""),
                                       HasSubstr("areas|households|persons"))));
}

TEST(ImportKindTest, ColumnsAreTheIssuesColumns) {
  std::vector<std::string> names;
  for (const ImportColumn& c : ImportColumns(ImportKind::kPersons)) {
    names.push_back(c.name);
  }
  EXPECT_THAT(names, ElementsAre("person_id", "household_id", "area_id", "name",
                                 "national_id", "phone", "birth_date", "tags"));
}

// ---------------------------------------------------------------------------
// Every kind.

TEST_F(ImportTest, AreasAndHouseholds) {
  ImportBasics();
  absl::StatusOr<v1::Area> grid = ledger_->GetArea("g1", ReadOptions());
  ASSERT_TRUE(grid.ok()) << grid.status();
  v1::Area expected;
  expected.set_id("g1");
  expected.set_parent_id("v1");
  expected.set_level(v1::AREA_LEVEL_GRID);
  expected.set_name("Grid One");
  EXPECT_THAT(*grid, EqualsProto(expected));

  absl::StatusOr<v1::Household> h1 = ledger_->GetHousehold("h1", ReadOptions());
  ASSERT_TRUE(h1.ok()) << h1.status();
  EXPECT_EQ(h1->area_id(), "g1");
  EXPECT_EQ(h1->address(), "1 Main St, Madiyi");
  EXPECT_EQ(h1->responsible_worker(), "w1");
  absl::StatusOr<v1::Household> h2 = ledger_->GetHousehold("h2", ReadOptions());
  ASSERT_TRUE(h2.ok()) << h2.status();
  EXPECT_EQ(h2->responsible_worker(), "");
}

TEST_F(ImportTest, Persons) {
  ImportBasics();
  absl::StatusOr<ImportSummary> summary = Import(
      ImportKind::kPersons,
      "person_id,household_id,area_id,name,national_id,phone,birth_date,tags\n"
      "p1,h1,,张三,43000019900101123X,13800000000,1990-01-01,"
      "returnee;from_wuhan\n"
      "p2,,g1,,,,1985-06-30T23:30:00Z,\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 2u);
  EXPECT_EQ(summary->last_sequence - summary->first_sequence, 1u);

  absl::StatusOr<v1::Person> p1 = ledger_->GetPerson("p1", ReadOptions());
  ASSERT_TRUE(p1.ok()) << p1.status();
  v1::Person expected;
  expected.set_id("p1");
  expected.set_household_id("h1");
  expected.set_name("张三");
  expected.set_national_id("43000019900101123X");
  expected.set_phone("13800000000");
  *expected.mutable_birth_date() = MakeDate(1990, 1, 1);
  expected.add_tags("returnee");
  expected.add_tags("from_wuhan");
  EXPECT_THAT(*p1, EqualsProto(expected));

  // A birth date given as a time is its day in the ledger's zone
  // (Asia/Shanghai: 1985-06-30T23:30Z is 1985-07-01 07:30).
  absl::StatusOr<v1::Person> p2 = ledger_->GetPerson("p2", ReadOptions());
  ASSERT_TRUE(p2.ok()) << p2.status();
  EXPECT_THAT(p2->birth_date(), EqualsProto(MakeDate(1985, 7, 1)));
  EXPECT_EQ(p2->area_id(), "g1");
  EXPECT_EQ(p2->tags_size(), 0);
}

TEST_F(ImportTest, Exposures) {
  absl::StatusOr<ImportSummary> summary =
      Import(ImportKind::kExposures,
             "person_a,person_b,start,end,setting\n"
             "p1,p2,2020-02-01T08:00:00+08:00,2020-02-01T09:30:00+08:00,work\n"
             "p1,p3,2020-02-01T00:00:00Z,2020-02-01T00:00:20Z,household\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger_->ExposuresOf("p1", absl::InfinitePast(), absl::InfiniteFuture(),
                           ReadOptions());
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  ASSERT_THAT(*exposures, SizeIs(2));
  const v1::Exposure& first = (*exposures)[0].body;
  EXPECT_EQ(first.person_b(), "p2");
  EXPECT_EQ(FromProto(first.start()), At(2020, 2, 1, 0, 0));
  EXPECT_EQ(FromProto(first.end()), At(2020, 2, 1, 1, 30));
  EXPECT_EQ(first.setting(), v1::EXPOSURE_SETTING_WORK);
  EXPECT_EQ((*exposures)[1].body.setting(), v1::EXPOSURE_SETTING_HOUSEHOLD);
  EXPECT_EQ(FromProto((*exposures)[1].body.end()), At(2020, 2, 1, 0, 0, 20));
}

TEST_F(ImportTest, EverySettingSpelling) {
  const std::vector<std::pair<std::string, v1::ExposureSetting>> settings = {
      {"household", v1::EXPOSURE_SETTING_HOUSEHOLD},
      {"work", v1::EXPOSURE_SETTING_WORK},
      {"school", v1::EXPOSURE_SETTING_SCHOOL},
      {"transport", v1::EXPOSURE_SETTING_TRANSPORT},
      {"gathering", v1::EXPOSURE_SETTING_GATHERING},
      {"healthcare", v1::EXPOSURE_SETTING_HEALTHCARE},
      {"other", v1::EXPOSURE_SETTING_OTHER}};
  std::string csv = "setting,person_a,person_b,start,end\n";
  for (const auto& s : settings) {
    absl::StrAppend(&csv, s.first,
                    ",a,b,2020-02-01T00:00:00Z,2020-02-01T00:01:00Z\n");
  }
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      CsvToEvents(ImportKind::kExposures, csv, absl::UTCTimeZone());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(settings.size()));
  for (size_t i = 0; i < settings.size(); ++i) {
    EXPECT_EQ((*events)[i].exposure().setting(), settings[i].second);
  }
}

TEST_F(ImportTest, Diagnoses) {
  absl::StatusOr<std::vector<v1::LedgerEvent>> events = CsvToEvents(
      ImportKind::kDiagnoses,
      "person_id,status,onset,time\n"
      "p1,suspected,,2020-02-01T08:00:00+08:00\n"
      "p1,confirmed,2020-01-30,2020-02-02T08:00:00+08:00\n"
      "p2,asymptomatic,2020-01-29T17:00:00Z,2020-02-02T08:00:00+08:00\n"
      "p1,recovered,,2020-02-20T08:00:00+08:00\n"
      "p3,deceased,,2020-02-21T08:00:00+08:00\n"
      "p4,cleared,,2020-02-22T08:00:00+08:00\n",
      Zone());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(6));
  EXPECT_EQ((*events)[0].diagnosis().status(), v1::DIAGNOSIS_STATUS_SUSPECTED);
  EXPECT_FALSE((*events)[0].diagnosis().has_onset());
  EXPECT_EQ((*events)[1].diagnosis().status(), v1::DIAGNOSIS_STATUS_CONFIRMED);
  EXPECT_THAT((*events)[1].diagnosis().onset(),
              EqualsProto(MakeDate(2020, 1, 30)));
  // 17:00Z is 01:00 the next day in Asia/Shanghai.
  EXPECT_THAT((*events)[2].diagnosis().onset(),
              EqualsProto(MakeDate(2020, 1, 30)));
  EXPECT_EQ((*events)[2].diagnosis().status(),
            v1::DIAGNOSIS_STATUS_ASYMPTOMATIC);
  EXPECT_EQ((*events)[3].diagnosis().status(), v1::DIAGNOSIS_STATUS_RECOVERED);
  EXPECT_EQ((*events)[4].diagnosis().status(), v1::DIAGNOSIS_STATUS_DECEASED);
  EXPECT_EQ((*events)[5].diagnosis().status(), v1::DIAGNOSIS_STATUS_CLEARED);
  EXPECT_EQ(FromProto((*events)[1].diagnosis().time()), At(2020, 2, 2));
  ASSERT_TRUE(ledger_->AppendBatch(*events).ok());
}

TEST_F(ImportTest, Stays) {
  absl::StatusOr<ImportSummary> summary =
      Import(ImportKind::kStays,
             "person_id,action,time,place\n"
             "p1,start,2020-02-01T08:00:00+08:00,centralized\n"
             "p1,end,2020-02-15T08:00:00+08:00,\n"
             "p2,start,2020-02-01T08:00:00+08:00,hospital\n"
             "p3,start,2020-02-01T08:00:00+08:00,home\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>> actions =
      ledger_->QuarantineActionsOf("p1", ReadOptions());
  ASSERT_TRUE(actions.ok()) << actions.status();
  ASSERT_THAT(*actions, SizeIs(2));
  EXPECT_EQ((*actions)[0].body.action(), v1::QUARANTINE_ACTION_KIND_START);
  EXPECT_EQ((*actions)[0].body.place(), v1::QUARANTINE_PLACE_CENTRALIZED);
  EXPECT_EQ((*actions)[1].body.action(), v1::QUARANTINE_ACTION_KIND_END);
  EXPECT_EQ((*actions)[1].body.place(), v1::QUARANTINE_PLACE_UNSPECIFIED);
  actions = ledger_->QuarantineActionsOf("p2", ReadOptions());
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ((*actions)[0].body.place(), v1::QUARANTINE_PLACE_HOSPITAL);
  actions = ledger_->QuarantineActionsOf("p3", ReadOptions());
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ((*actions)[0].body.place(), v1::QUARANTINE_PLACE_HOME);
}

TEST_F(ImportTest, StaysWithoutPlaceColumnHoldOnlyEnds) {
  EXPECT_TRUE(Import(ImportKind::kStays,
                     "person_id,action,time\n"
                     "p1,end,2020-02-15T08:00:00+08:00\n")
                  .ok());
  EXPECT_THAT(Import(ImportKind::kStays,
                     "person_id,action,time\n"
                     "p1,start,2020-02-15T08:00:00+08:00\n"),
              StatusIs(kInvalid, HasSubstr("in.csv: line 2, column \"place\": "
                                           "is required for action start")));
}

TEST_F(ImportTest, Checks) {
  absl::StatusOr<ImportSummary> summary =
      Import(ImportKind::kChecks,
             "person_id,time,temperature_c,symptoms,checked_by\n"
             "p1,2020-02-01T08:00:00+08:00,36.6,false,w1\n"
             "p1,2020-02-01T20:00:00+08:00,38,true,\n"
             "p1,2020-02-02T08:00:00+08:00,37.3,,w2\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> checks =
      ledger_->HealthChecksOf("p1", ReadOptions());
  ASSERT_TRUE(checks.ok()) << checks.status();
  ASSERT_THAT(*checks, SizeIs(3));
  EXPECT_DOUBLE_EQ((*checks)[0].body.temperature_celsius(), 36.6);
  EXPECT_EQ((*checks)[0].body.symptoms_size(), 0);
  EXPECT_EQ((*checks)[0].body.checked_by(), "w1");
  EXPECT_DOUBLE_EQ((*checks)[1].body.temperature_celsius(), 38.0);
  EXPECT_THAT((*checks)[1].body.symptoms(), ElementsAre("symptoms"));
  EXPECT_EQ((*checks)[1].body.checked_by(), "");
  EXPECT_EQ((*checks)[2].body.symptoms_size(), 0);
}

TEST_F(ImportTest, Passages) {
  absl::StatusOr<ImportSummary> summary =
      Import(ImportKind::kPassages,
             "person_id,checkpoint_id,time,direction\n"
             "p1,gate-1,2020-02-01T08:00:00+08:00,out\n"
             "p1,gate-1,2020-02-01T10:00:00+08:00,in\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> passages =
      ledger_->PassagesOf("p1", ReadOptions());
  ASSERT_TRUE(passages.ok()) << passages.status();
  ASSERT_THAT(*passages, SizeIs(2));
  EXPECT_EQ((*passages)[0].body.checkpoint_id(), "gate-1");
  EXPECT_EQ((*passages)[0].body.direction(), v1::PASSAGE_DIRECTION_OUT);
  EXPECT_EQ((*passages)[1].body.direction(), v1::PASSAGE_DIRECTION_IN);
}

TEST_F(ImportTest, ActorIsRecorded) {
  ImportOptions options;
  options.actor = "ledgerctl";
  absl::StatusOr<ImportSummary> summary =
      ImportCsv(*ledger_, ImportKind::kPassages,
                "person_id,checkpoint_id,time,direction\n"
                "p1,gate-1,2020-02-01T08:00:00+08:00,out\n",
                options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  absl::StatusOr<v1::LedgerEvent> event =
      ledger_->GetEvent(summary->first_sequence);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->actor(), "ledgerctl");
}

// Issue 15, finding 6: a JSON line's own actor does not beat the import's.
TEST_F(ImportTest, ImportsActorReplacesAJsonLinesOwnActor) {
  ImportBasics();
  const std::string jsonl =
      "{\"actor\": \"forged-v21-worker\", \"person\": {\"id\": \"p1\", "
      "\"household_id\": \"h1\"}}\n"
      "{\"person\": {\"id\": \"p2\", \"household_id\": \"h1\"}}\n";
  ImportOptions options;
  options.actor = "office";
  absl::StatusOr<ImportSummary> summary = ImportJsonl(*ledger_, jsonl, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  for (uint64_t seq = summary->first_sequence; seq <= summary->last_sequence;
       ++seq) {
    absl::StatusOr<v1::LedgerEvent> event = ledger_->GetEvent(seq);
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_EQ(event->actor(), "office") << "event " << seq;
  }
  // keep_line_actors does not let a line beat a named actor either.
  options.keep_line_actors = true;
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      JsonlToEvents(jsonl, options);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].actor(), "office");
}

TEST_F(ImportTest, WithoutAnActorALinesOwnIsClearedUnlessKept) {
  const std::string jsonl =
      "{\"actor\": \"forged-v21-worker\", \"area\": {\"id\": \"c1\", "
      "\"level\": \"AREA_LEVEL_COUNTY\"}}\n";
  absl::StatusOr<std::vector<v1::LedgerEvent>> events = JsonlToEvents(jsonl);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].actor(), "");
  ImportOptions options;
  options.keep_line_actors = true;
  events = JsonlToEvents(jsonl, options);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].actor(), "forged-v21-worker");
}

// Issue 15, finding 5: a refused national id, phone or birth date is never
// quoted, whatever shape the JSON gives it.
TEST_F(ImportTest, JsonErrorsNeverQuoteARefusedPrivateValue) {
  ImportOptions options;
  options.file_name = "events.jsonl";
  const std::string jsonl =
      "{\"person\": {\"id\": \"p1\", \"national_id\": "
      "431222199001011235}}\n"
      "{\"person\": {\"id\": \"p2\", \"phone\": 13800138000}}\n"
      "{\"person\": {\"id\": \"p3\", \"birthDate\": \"1990-07-15\"}}\n"
      "{\"person\": {\"id\": \"p4\", \"birth_date\": 19900715}}\n"
      "{\"person\": {\"id\": \"p5\", \"nationalId\": "
      "431222199001011235.5}}\n"
      "{\"person\": {\"id\": \"p6\", \"birth_date\": {\"year\": "
      "\"1990x\"}}}\n";
  absl::Status status = ImportJsonl(*ledger_, jsonl, options).status();
  EXPECT_THAT(status,
              StatusIs(kInvalid, HasSubstr("events.jsonl: 6 bad lines")));
  const std::string message(status.message());
  for (const char* value :
       {"431222199001011235", "4312221990", "13800138000", "1990-07-15",
        "19900715", "1990x", "4.3122219900101"}) {
    EXPECT_THAT(message, Not(HasSubstr(value))) << message;
  }
  EXPECT_THAT(message,
              AllOf(HasSubstr("line 1: not a LedgerEvent in protobuf JSON: "
                              "(person.national_id): invalid value (not "
                              "shown: a private field) for type TYPE_STRING"),
                    HasSubstr("line 2: not a LedgerEvent in protobuf JSON: "
                              "(person.phone): invalid value (not shown")));
  // A day the ledger refuses is not quoted either.
  EXPECT_THAT(ImportJsonl(*ledger_,
                          "{\"area\": {\"id\": \"c1\", \"level\": "
                          "\"AREA_LEVEL_COUNTY\"}}\n"
                          "{\"person\": {\"id\": \"p1\", \"area_id\": \"c1\", "
                          "\"birth_date\": {\"year\": 1990, \"month\": 2, "
                          "\"day\": 30}}}\n",
                          options),
              StatusIs(kInvalid,
                       "events.jsonl: line 2: birth_date: is not a "
                       "real day"));
  // Runs of 6 or more digits are masked in any parse error.
  status = ImportJsonl(*ledger_,
                       "{\"person\": {\"id\": \"p1\", \"tags\": "
                       "13800138000}}\n",
                       options)
               .status();
  EXPECT_THAT(status, StatusIs(kInvalid, Not(HasSubstr("13800138000"))));
  EXPECT_THAT(status, StatusIs(kInvalid, HasSubstr("<11 digits>")));
}

TEST_F(ImportTest, CsvBirthDateErrorsNameTheColumnNotTheValue) {
  ImportOptions options;
  options.file_name = "persons.csv";
  absl::Status status =
      ImportCsv(*ledger_, ImportKind::kPersons,
                "person_id,birth_date\np1,1990-02-30\np2,19900715x\n", options)
          .status();
  EXPECT_THAT(
      status,
      StatusIs(kInvalid,
               "persons.csv: 2 bad rows:\n"
               "  line 2, column \"birth_date\": is not a real day\n"
               "  line 3, column \"birth_date\": is neither a day (YYYY-MM-DD) "
               "nor an RFC 3339 time (e.g. 2020-02-01T08:00:00+08:00)"));
  // An onset is not private: it is still quoted.
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kDiagnoses,
                "person_id,status,onset,time\n"
                "p1,confirmed,2020-02-30,2020-02-01T08:00:00+08:00\n",
                options),
      StatusIs(kInvalid, HasSubstr("\"2020-02-30\" is not a real day")));
}

// ---------------------------------------------------------------------------
// Columns.

TEST_F(ImportTest, ColumnsInAnyOrder) {
  const std::string in_order =
      "person_a,person_b,start,end,setting\n"
      "p1,p2,2020-02-01T08:00:00+08:00,2020-02-01T09:00:00+08:00,school\n";
  const std::string shuffled =
      "setting,end,person_b,start,person_a\n"
      "school,2020-02-01T09:00:00+08:00,p2,2020-02-01T08:00:00+08:00,p1\n";
  absl::StatusOr<std::vector<v1::LedgerEvent>> a =
      CsvToEvents(ImportKind::kExposures, in_order, Zone());
  absl::StatusOr<std::vector<v1::LedgerEvent>> b =
      CsvToEvents(ImportKind::kExposures, shuffled, Zone());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_THAT(*b, SizeIs(1));
  EXPECT_THAT((*b)[0], EqualsProto((*a)[0]));
}

TEST_F(ImportTest, OptionalColumnsMayBeLeftOut) {
  ImportBasics();
  EXPECT_TRUE(Import(ImportKind::kPersons, "person_id\np9\n").ok());
  EXPECT_TRUE(Import(ImportKind::kAreas, "level,area_id\ncounty,c2\n").ok());
  EXPECT_TRUE(
      Import(ImportKind::kChecks,
             "temperature_c,time,person_id\n36.5,2020-02-01T08:00:00Z,p9\n")
          .ok());
}

TEST_F(ImportTest, MissingRequiredColumnIsNamed) {
  const uint64_t before = ledger_->last_sequence_number();
  EXPECT_THAT(Import(ImportKind::kAreas, "area_id,parent_id,name\nc1,,x\n",
                     "areas.csv"),
              StatusIs(kInvalid,
                       AllOf(HasSubstr("areas.csv: line 1: missing required "
                                       "column \"level\""),
                             HasSubstr("area_id*, parent_id, level*, name"))));
  EXPECT_THAT(
      Import(ImportKind::kExposures, "person_a,person_b,start,setting\n"),
      StatusIs(kInvalid, HasSubstr("missing required column \"end\"")));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
}

TEST_F(ImportTest, UnknownColumnIsNamed) {
  EXPECT_THAT(Import(ImportKind::kAreas,
                     "area_id,level,population\nc1,county,5\n", "areas.csv"),
              StatusIs(kInvalid, HasSubstr("areas.csv: line 1, column "
                                           "\"population\": unknown column")));
  // Names are exact: no case folding, no trimming.
  EXPECT_THAT(
      Import(ImportKind::kAreas, "area_id,Level\nc1,county\n"),
      StatusIs(kInvalid, HasSubstr("column \"Level\": unknown column")));
  EXPECT_THAT(Import(ImportKind::kAreas, "area_id, level\nc1,county\n"),
              StatusIs(kInvalid, HasSubstr("column \" level\": unknown")));
}

TEST_F(ImportTest, DuplicateColumnIsAnError) {
  EXPECT_THAT(Import(ImportKind::kAreas, "area_id,level,level\nc1,county,x\n"),
              StatusIs(kInvalid, HasSubstr("column \"level\": the column "
                                           "appears twice")));
}

TEST_F(ImportTest, EmptyFileHasNoHeader) {
  EXPECT_THAT(Import(ImportKind::kAreas, ""),
              StatusIs(kInvalid, HasSubstr("in.csv: no header row")));
}

TEST_F(ImportTest, HeaderOnlyRecordsNothing) {
  absl::StatusOr<ImportSummary> summary =
      Import(ImportKind::kAreas, "area_id,parent_id,level,name\r\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 0u);
  EXPECT_EQ(summary->first_sequence, 0u);
  EXPECT_EQ(ledger_->last_sequence_number(), 0u);
}

TEST_F(ImportTest, FieldCountMustMatchTheHeader) {
  EXPECT_THAT(Import(ImportKind::kAreas, "area_id,level\nc1,county\nc2\n"),
              StatusIs(kInvalid, HasSubstr("in.csv: line 3: 1 field, but the "
                                           "header has 2")));
  EXPECT_THAT(
      Import(ImportKind::kAreas, "area_id,level\nc1,county,extra\n"),
      StatusIs(kInvalid, HasSubstr("line 2: 3 fields, but the header has 2")));
}

// ---------------------------------------------------------------------------
// Bad values name the line and the column.

struct BadValue {
  ImportKind kind;
  std::string csv;
  std::string message;  // a substring of the error
};

class BadValueTest : public ImportTest,
                     public ::testing::WithParamInterface<BadValue> {};

TEST_P(BadValueTest, NamesLineColumnAndReason) {
  const BadValue& bad = GetParam();
  const uint64_t before = ledger_->last_sequence_number();
  EXPECT_THAT(Import(bad.kind, bad.csv, "f.csv"),
              StatusIs(kInvalid, HasSubstr(bad.message)));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
}

INSTANTIATE_TEST_SUITE_P(
    Values, BadValueTest,
    ::testing::Values(
        BadValue{ImportKind::kAreas, "area_id,level\nc1,county\nc2,County\n",
                 "f.csv: line 3, column \"level\": unknown value \"County\" "
                 "(expected county|township|village|grid)"},
        BadValue{ImportKind::kAreas, "area_id,level\n,county\n",
                 "f.csv: line 2, column \"area_id\": is required and empty"},
        BadValue{ImportKind::kAreas, "area_id,level\nc1,\n",
                 "f.csv: line 2, column \"level\": is required and empty"},
        BadValue{ImportKind::kHouseholds, "household_id,area_id\nh1,\n",
                 "line 2, column \"area_id\": is required and empty"},
        BadValue{ImportKind::kPersons, "person_id,birth_date\np1,1990-02-30\n",
                 "line 2, column \"birth_date\": is not a real day"},
        BadValue{ImportKind::kPersons, "person_id,birth_date\np1,1990/01/01\n",
                 "line 2, column \"birth_date\": is neither a day (YYYY-MM-DD) "
                 "nor an RFC 3339 time"},
        BadValue{ImportKind::kPersons, "person_id,tags\np1,a;;b\n",
                 "line 2, column \"tags\": \"a;;b\" has an empty tag"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2,2020-02-01 08:00,2020-02-01T09:00:00Z,work\n",
                 "line 2, column \"start\": \"2020-02-01 08:00\" is not an RFC "
                 "3339 time"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2,2020-02-01T08:00:00Z,2020-02-01T09:00:00,work\n",
                 "line 2, column \"end\": \"2020-02-01T09:00:00\" is not an "
                 "RFC 3339 time with an offset"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2,2020-02-01T08:00:00.5Z,2020-02-01T09:00:00Z,work\n",
                 "line 2, column \"start\": \"2020-02-01T08:00:00.5Z\" has a "
                 "fraction of a second"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2, 2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,work\n",
                 "line 2, column \"start\": \" 2020-02-01T08:00:00Z\" has "
                 "spaces around it"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2,infinite-past,2020-02-01T09:00:00Z,work\n",
                 "line 2, column \"start\": \"infinite-past\" is not an RFC "
                 "3339 time"},
        BadValue{ImportKind::kExposures,
                 "person_a,person_b,start,end,setting\n"
                 "p1,p2,2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,office\n",
                 "line 2, column \"setting\": unknown value \"office\" "
                 "(expected household|work|school|transport|gathering|"
                 "healthcare|other)"},
        BadValue{ImportKind::kDiagnoses,
                 "person_id,status,time\np1,positive,2020-02-01T08:00:00Z\n",
                 "line 2, column \"status\": unknown value \"positive\" "
                 "(expected suspected|confirmed|asymptomatic|recovered|"
                 "deceased|cleared)"},
        BadValue{ImportKind::kDiagnoses,
                 "person_id,status,time,onset\np1,confirmed,,\n",
                 "line 2, column \"time\": is required and empty"},
        BadValue{ImportKind::kStays,
                 "person_id,action,time,place\np1,begin,2020-02-01T08:00:00Z,"
                 "home\n",
                 "line 2, column \"action\": unknown value \"begin\" (expected "
                 "start|end)"},
        BadValue{ImportKind::kStays,
                 "person_id,action,time,place\np1,start,2020-02-01T08:00:00Z,"
                 "hotel\n",
                 "line 2, column \"place\": unknown value \"hotel\" (expected "
                 "hospital|centralized|home)"},
        BadValue{ImportKind::kStays,
                 "person_id,action,time,place\np1,end,2020-02-01T08:00:00Z,"
                 "home\n",
                 "line 2, column \"place\": must be empty for action end"},
        BadValue{ImportKind::kChecks,
                 "person_id,time,temperature_c\np1,2020-02-01T08:00:00Z,hot\n",
                 "line 2, column \"temperature_c\": \"hot\" is not a decimal "
                 "number"},
        BadValue{ImportKind::kChecks,
                 "person_id,time,temperature_c\np1,2020-02-01T08:00:00Z,nan\n",
                 "column \"temperature_c\": \"nan\" is not a decimal number"},
        BadValue{ImportKind::kChecks,
                 "person_id,time,temperature_c\np1,2020-02-01T08:00:00Z,1e2\n",
                 "column \"temperature_c\": \"1e2\" is not a decimal number"},
        BadValue{ImportKind::kChecks,
                 "person_id,time,temperature_c,symptoms\n"
                 "p1,2020-02-01T08:00:00Z,37,yes\n",
                 "line 2, column \"symptoms\": unknown value \"yes\" (expected "
                 "true|false)"},
        BadValue{ImportKind::kPassages,
                 "person_id,checkpoint_id,time,direction\n"
                 "p1,g,2020-02-01T08:00:00Z,inbound\n",
                 "line 2, column \"direction\": unknown value \"inbound\" "
                 "(expected in|out)"},
        BadValue{ImportKind::kPassages,
                 "person_id,checkpoint_id,time,direction\n"
                 "p1,,2020-02-01T08:00:00Z,in\n",
                 "line 2, column \"checkpoint_id\": is required and empty"},
        // CSV syntax errors carry a numeric column.
        BadValue{ImportKind::kAreas, "area_id,level\nc1,\"county\n",
                 "f.csv: line 2, column 4: quoted field is not closed"},
        BadValue{
            ImportKind::kAreas, "area_id,level\nc\xFF,county\n",
            "f.csv: line 2, column 2: malformed UTF-8 at byte offset 15"}));

TEST_F(ImportTest, LineNumbersCountPhysicalLines) {
  ImportBasics();
  // The second household's address spans three lines, so the bad row after
  // it is on line 5.
  EXPECT_THAT(Import(ImportKind::kHouseholds,
                     "household_id,area_id,address\n"
                     "h3,g1,\"Building 2\nRoom 301\r\nMadiyi\"\n"
                     "h4,,x\n"),
              StatusIs(kInvalid, HasSubstr("line 5, column \"area_id\"")));
}

// ---------------------------------------------------------------------------
// Errors the ledger finds map back to the row.

TEST_F(ImportTest, LedgerErrorsNameTheRowsLineAndColumn) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  EXPECT_THAT(Import(ImportKind::kHouseholds,
                     "household_id,area_id\nh3,g1\nh4,nowhere\nh5,g1\n",
                     "households.csv"),
              StatusIs(kInvalid,
                       HasSubstr("households.csv: line 3, column \"area_id\": "
                                 "no area 'nowhere' is recorded")));
  EXPECT_THAT(
      Import(ImportKind::kExposures,
             "person_a,person_b,start,end,setting\n"
             "p1,p2,2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,work\n"
             "p1,p2,2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,work\n"
             "p3,p3,2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,work\n"),
      StatusIs(kInvalid, HasSubstr("in.csv: line 4, column \"person_b\": ")));
  EXPECT_THAT(
      Import(ImportKind::kExposures,
             "person_a,person_b,start,end,setting\n"
             "p1,p2,2020-02-01T09:00:00Z,2020-02-01T08:00:00Z,work\n"),
      StatusIs(kInvalid, HasSubstr("in.csv: line 2, column \"end\": ")));
  EXPECT_THAT(
      Import(ImportKind::kAreas, "area_id,parent_id,level\nt2,v1,township\n"),
      StatusIs(kInvalid, HasSubstr("line 2, column \"parent_id\": parent 'v1' "
                                   "is a ")));
  EXPECT_THAT(
      Import(ImportKind::kChecks,
             "person_id,time,temperature_c\n"
             "p1,2020-02-01T08:00:00Z,36.5\n"
             "p1,2020-02-01T09:00:00Z,55\n"),
      StatusIs(kInvalid, HasSubstr("line 3, column \"temperature_c\"")));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
}

TEST_F(ImportTest, LaterRowsMayReferToEarlierOnes) {
  // An area's parent and a person's household in the same file as them.
  EXPECT_TRUE(Import(ImportKind::kAreas,
                     "area_id,parent_id,level\n"
                     "c1,,county\nt1,c1,township\nv1,t1,village\n")
                  .ok());
}

// ---------------------------------------------------------------------------
// All or nothing.

TEST_F(ImportTest, OneBadRowRecordsNothing) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  std::string csv = "person_id,household_id\n";
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&csv, "p", i, ",h1\n");
  absl::StrAppend(&csv, "bad,h9\n");  // unknown household: found by the ledger
  EXPECT_THAT(
      Import(ImportKind::kPersons, csv),
      StatusIs(kInvalid, HasSubstr("line 1002, column \"household_id\"")));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
  EXPECT_FALSE(ledger_->GetPerson("p0", ReadOptions()).ok());

  // A parse error on the last row too.
  csv = "person_id,household_id\n";
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&csv, "p", i, ",h1\n");
  absl::StrAppend(&csv, "bad,\"h1\n");
  EXPECT_THAT(Import(ImportKind::kPersons, csv),
              StatusIs(kInvalid, HasSubstr("line 1002, column 5: quoted field "
                                           "is not closed")));
  EXPECT_EQ(ledger_->last_sequence_number(), before);

  // The good file records every row, with consecutive sequence numbers.
  csv = "person_id,household_id\n";
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&csv, "p", i, ",h1\n");
  absl::StatusOr<ImportSummary> summary = Import(ImportKind::kPersons, csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 1000u);
  EXPECT_EQ(summary->first_sequence, before + 1);
  EXPECT_EQ(summary->last_sequence, before + 1000);
}

// ---------------------------------------------------------------------------
// JSON Lines.

TEST_F(ImportTest, JsonlRoundTripsEvents) {
  ImportBasics();
  std::string jsonl;
  for (uint64_t s = 1; s <= ledger_->last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger_->GetEvent(s);
    ASSERT_TRUE(event.ok());
    std::string line;
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = s % 2 == 0;  // both spellings
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(*event, &line, print).ok());
    absl::StrAppend(&jsonl, line, s == 2 ? "\r\n\n" : "\n");
  }
  LedgerOptions options;
  options.clock = &clock_;
  std::unique_ptr<Ledger> copy = Ledger::New(options);
  absl::StatusOr<ImportSummary> summary = ImportJsonl(*copy, jsonl);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, ledger_->last_sequence_number());
  for (uint64_t s = 1; s <= ledger_->last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> a = ledger_->GetEvent(s);
    absl::StatusOr<v1::LedgerEvent> b = copy->GetEvent(s);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_THAT(b->area(), EqualsProto(a->area()));
    EXPECT_THAT(b->household(), EqualsProto(a->household()));
  }
}

TEST_F(ImportTest, JsonlErrorsNameTheLine) {
  const std::string good =
      R"({"area": {"id": "c1", "level": "AREA_LEVEL_COUNTY"}})";
  ImportOptions options;
  options.file_name = "events.jsonl";
  EXPECT_THAT(ImportJsonl(*ledger_, good + "\n\n{\"area\": \n", options),
              StatusIs(kInvalid, HasSubstr("events.jsonl: line 3: not a "
                                           "LedgerEvent in protobuf JSON")));
  EXPECT_THAT(
      ImportJsonl(*ledger_, good + "\n{\"colour\": \"red\"}\n", options),
      StatusIs(kInvalid, HasSubstr("events.jsonl: line 2: not a LedgerEvent")));
  EXPECT_THAT(ImportJsonl(*ledger_, good + "\n{\"actor\": \"x\"}\n", options),
              StatusIs(kInvalid, HasSubstr("line 2: the event has no body")));
  // A ledger error maps to the line (blank lines counted).
  EXPECT_THAT(
      ImportJsonl(*ledger_,
                  good + "\n\n" +
                      R"({"area": {"id": "t1", "parent_id": "nowhere",)"
                      R"( "level": "AREA_LEVEL_TOWNSHIP"}})" +
                      "\n",
                  options),
      StatusIs(kInvalid, HasSubstr("events.jsonl: line 3: parent_id: no area "
                                   "'nowhere'")));
  EXPECT_EQ(ledger_->last_sequence_number(), 0u);
  EXPECT_THAT(
      ImportJsonl(*ledger_, "\xFF\n", options),
      StatusIs(kInvalid, HasSubstr("malformed UTF-8 at byte offset 0")));
}

// ---------------------------------------------------------------------------
// Files through an Env.

TEST_F(ImportTest, FilesAreReadThroughTheEnv) {
  std::unique_ptr<Env> env = NewMemEnv();
  ASSERT_TRUE(env->CreateDir("/d").ok());
  const auto write = [&](const std::string& path, absl::string_view text) {
    absl::StatusOr<std::unique_ptr<WritableFile>> file =
        env->NewWritableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append(text).ok());
    ASSERT_TRUE((*file)->Close().ok());
  };
  write("/d/areas.csv", "area_id,level\nc1,county\nc2,nation\n");
  EXPECT_THAT(ImportCsvFile(*ledger_, ImportKind::kAreas, "/d/areas.csv", {},
                            env.get()),
              StatusIs(kInvalid, HasSubstr("/d/areas.csv: line 3, column "
                                           "\"level\"")));
  write("/d/areas.csv", "area_id,level\nc1,county\n");
  EXPECT_TRUE(
      ImportCsvFile(*ledger_, ImportKind::kAreas, "/d/areas.csv", {}, env.get())
          .ok());
  write("/d/e.jsonl",
        R"({"area": {"id": "c2", "level": "AREA_LEVEL_COUNTY"}})");
  EXPECT_TRUE(ImportJsonlFile(*ledger_, "/d/e.jsonl", {}, env.get()).ok());
  EXPECT_TRUE(ledger_->GetArea("c2", ReadOptions()).ok());
  EXPECT_FALSE(ImportCsvFile(*ledger_, ImportKind::kAreas, "/d/missing.csv", {},
                             env.get())
                   .ok());
}

// ---------------------------------------------------------------------------
// Imported once.

constexpr char kPersonsCsv[] =
    "person_id,household_id\n"
    "p1,h1\n"
    "p2,h1\n";

TEST_F(ImportTest, ImportTwice_SameContent_RecordsOnceAndSaysWhen) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  clock_.Set(At(2020, 3, 2, 9));
  ASSERT_OK_AND_ASSIGN(ImportSummary first, Import(ImportKind::kPersons,
                                                   kPersonsCsv, "persons.csv"));
  EXPECT_EQ(first.rows, 2u);
  EXPECT_EQ(first.sha256, Sha256Hex(kPersonsCsv));
  EXPECT_FALSE(first.already_imported.has_value());

  // The same bytes again, under another name: nothing recorded, and the
  // summary says which import holds them.
  clock_.Set(At(2020, 3, 5));
  ASSERT_OK_AND_ASSIGN(ImportSummary second,
                       Import(ImportKind::kPersons, kPersonsCsv, "copy.csv"));
  EXPECT_EQ(ledger_->last_sequence_number(), before + 2);
  EXPECT_EQ(second.rows, 0u);
  EXPECT_EQ(second.first_sequence, 0u);
  EXPECT_EQ(second.sha256, first.sha256);
  ASSERT_TRUE(second.already_imported.has_value());
  const ImportRecord& earlier = *second.already_imported;
  EXPECT_EQ(earlier.file_name, "persons.csv");
  EXPECT_EQ(earlier.sha256, first.sha256);
  EXPECT_EQ(earlier.first_sequence, first.first_sequence);
  EXPECT_EQ(earlier.last_sequence, first.last_sequence);
  EXPECT_EQ(earlier.record_time, At(2020, 3, 2, 9));

  // One byte more is other content.
  ASSERT_OK_AND_ASSIGN(
      ImportSummary third,
      Import(ImportKind::kPersons, absl::StrCat(kPersonsCsv, "\n")));
  EXPECT_FALSE(third.already_imported.has_value());
  EXPECT_EQ(third.rows, 2u);
}

TEST_F(ImportTest, ImportTwice_Again_RecordsTwice) {
  ImportBasics();
  ASSERT_OK(Import(ImportKind::kPersons, kPersonsCsv));
  const uint64_t before = ledger_->last_sequence_number();
  ImportOptions options;
  options.again = true;
  ASSERT_OK_AND_ASSIGN(
      ImportSummary again,
      ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options));
  EXPECT_FALSE(again.already_imported.has_value());
  EXPECT_EQ(again.first_sequence, before + 1);
  EXPECT_EQ(ledger_->last_sequence_number(), before + 2);
  EXPECT_THAT(FindImports(*ledger_, Sha256Hex(kPersonsCsv)), SizeIs(2));
}

TEST_F(ImportTest, ImportAfterItsEventsAreAllRetracted_RecordsAgain) {
  ImportBasics();
  ASSERT_OK_AND_ASSIGN(ImportSummary first,
                       Import(ImportKind::kPersons, kPersonsCsv));
  // One event retracted: the import still stands.
  ASSERT_OK(ledger_->Append(MakeRetraction(first.first_sequence)));
  ASSERT_OK_AND_ASSIGN(ImportSummary second,
                       Import(ImportKind::kPersons, kPersonsCsv));
  ASSERT_TRUE(second.already_imported.has_value());
  // Every event retracted (the undo): the file may be imported again.
  ASSERT_OK(ledger_->Append(MakeRetraction(first.last_sequence)));
  ASSERT_OK_AND_ASSIGN(ImportSummary third,
                       Import(ImportKind::kPersons, kPersonsCsv));
  EXPECT_FALSE(third.already_imported.has_value());
  EXPECT_EQ(third.rows, 2u);
  EXPECT_TRUE(ledger_->GetPerson("p1", ReadOptions()).ok());
}

TEST_F(ImportTest, Import_StampsTheFirstEventWithItsSource) {
  ImportBasics();
  ASSERT_OK_AND_ASSIGN(ImportSummary summary,
                       Import(ImportKind::kPersons, kPersonsCsv, "p.csv"));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent first,
                       ledger_->GetEvent(summary.first_sequence));
  ASSERT_TRUE(first.has_import_source());
  EXPECT_EQ(first.import_source().file_name(), "p.csv");
  EXPECT_EQ(first.import_source().sha256(), Sha256Hex(kPersonsCsv));
  EXPECT_EQ(first.import_source().events(), 2u);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent last,
                       ledger_->GetEvent(summary.last_sequence));
  EXPECT_FALSE(last.has_import_source());
  // FindImports finds it by content.
  std::vector<ImportRecord> found = FindImports(*ledger_, summary.sha256);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].first_sequence, summary.first_sequence);
  EXPECT_EQ(found[0].last_sequence, summary.last_sequence);
}

TEST_F(ImportTest, Jsonl_ImportSourcesInTheFileAreReplacedByTheImportsOwn) {
  // An export carries the import sources of the imports that made it: an
  // import of it is one new import, stamped on its own first event only.
  const std::string jsonl =
      R"({"import_source": {"file_name": "old.csv", "sha256": ")" +
      std::string(64, 'a') +
      R"(", "events": "2"}, "area": {"id": "c1", "level": "AREA_LEVEL_COUNTY"}})"
      "\n" +
      R"({"import_source": {"file_name": "x", "sha256": ")" +
      std::string(64, 'b') +
      R"(", "events": "1"}, "area": {"id": "c2", "level": "AREA_LEVEL_COUNTY"}})"
      "\n";
  ImportOptions options;
  options.file_name = "export.jsonl";
  ASSERT_OK_AND_ASSIGN(ImportSummary summary,
                       ImportJsonl(*ledger_, jsonl, options));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent first, ledger_->GetEvent(1));
  EXPECT_EQ(first.import_source().file_name(), "export.jsonl");
  EXPECT_EQ(first.import_source().sha256(), Sha256Hex(jsonl));
  EXPECT_EQ(first.import_source().events(), 2u);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent second, ledger_->GetEvent(2));
  EXPECT_FALSE(second.has_import_source());
}

TEST_F(ImportTest, LongFileName_IsCutToFitTheSource) {
  ImportBasics();
  const std::string name = std::string(300, 'd') + "/persons.csv";
  ASSERT_OK_AND_ASSIGN(ImportSummary summary,
                       Import(ImportKind::kPersons, kPersonsCsv, name));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent first,
                       ledger_->GetEvent(summary.first_sequence));
  const std::string& kept = first.import_source().file_name();
  EXPECT_LE(kept.size(), ledger_->options().limits.max_name_bytes);
  EXPECT_THAT(kept, AllOf(::testing::StartsWith("..."),
                          ::testing::EndsWith("/persons.csv")));
}

// Two imports of the same bytes at once: the second to append finds that
// the ledger moved since it looked, looks again, and records nothing.
TEST_F(ImportTest, ImportTwiceAtOnce_TheLaterRecordsNothing) {
  ImportBasics();
  bool raced = false;
  ImportOptions options;
  options.file_name = "persons.csv";
  options.progress = [&](const ImportProgress& p) {
    if (!p.recording || raced) return;
    raced = true;  // another importer gets there first
    ImportOptions other;
    other.file_name = "persons (copy).csv";
    ASSERT_OK(ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, other));
  };
  const uint64_t before = ledger_->last_sequence_number();
  ASSERT_OK_AND_ASSIGN(
      ImportSummary summary,
      ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options));
  EXPECT_TRUE(raced);
  ASSERT_TRUE(summary.already_imported.has_value());
  EXPECT_EQ(summary.already_imported->file_name, "persons (copy).csv");
  EXPECT_EQ(ledger_->last_sequence_number(), before + 2);
}

// ---------------------------------------------------------------------------
// Dry runs, and every bad row in one error.

// Rows 3 and 6 fail to parse; rows 4 and 5 are refused by the ledger.
constexpr char kBadPersonsCsv[] =
    "person_id,household_id,birth_date\n"
    "p1,h1,1990-01-01\n"
    "p2,h1,1990-02-30\n"
    "p3,h9,\n"
    "p4,h8,\n"
    ",h1,\n"
    "p7,h2,\n";

TEST_F(ImportTest, DryRun_ReportsEveryBadRowUpToLimit_RecordsNothing) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  ImportOptions options;
  options.file_name = "persons.csv";
  options.dry_run = true;
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kPersons, kBadPersonsCsv, options),
      StatusIs(kInvalid,
               "persons.csv: 4 bad rows:\n"
               "  line 3, column \"birth_date\": is not a real day\n"
               "  line 4, column \"household_id\": no household 'h9' is "
               "recorded\n"
               "  line 5, column \"household_id\": no household 'h8' is "
               "recorded\n"
               "  line 6, column \"person_id\": is required and empty"));
  options.max_errors = 2;
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kPersons, kBadPersonsCsv, options),
      StatusIs(kInvalid,
               "persons.csv: more than 2 bad rows:\n"
               "  line 3, column \"birth_date\": is not a real day\n"
               "  line 6, column \"person_id\": is required and empty\n"
               "  ... and more (first 2 shown)"));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
}

TEST_F(ImportTest, Import_WithBadRows_ListsEveryOneAsTheDryRunDoes) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  ImportOptions options;
  options.file_name = "persons.csv";
  const absl::Status imported =
      ImportCsv(*ledger_, ImportKind::kPersons, kBadPersonsCsv, options)
          .status();
  options.dry_run = true;
  EXPECT_EQ(imported,
            ImportCsv(*ledger_, ImportKind::kPersons, kBadPersonsCsv, options)
                .status());
  EXPECT_THAT(imported, StatusIs(kInvalid, HasSubstr("4 bad rows")));
  // Rows only the ledger refuses: found when the append fails, then listed
  // in full.
  EXPECT_THAT(Import(ImportKind::kHouseholds,
                     "household_id,area_id\nh3,g1\nh4,nowhere\nh5,gone\n",
                     "households.csv"),
              StatusIs(kInvalid,
                       "households.csv: 2 bad rows:\n"
                       "  line 3, column \"area_id\": no area 'nowhere' is "
                       "recorded\n"
                       "  line 4, column \"area_id\": no area 'gone' is "
                       "recorded"));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
}

TEST_F(ImportTest, DryRun_GoodFile_SaysWhatItWouldRecord_RecordsNothing) {
  ImportBasics();
  const uint64_t before = ledger_->last_sequence_number();
  ImportOptions options;
  options.dry_run = true;
  ASSERT_OK_AND_ASSIGN(
      ImportSummary summary,
      ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options));
  EXPECT_EQ(summary.rows, 2u);
  EXPECT_EQ(summary.first_sequence, 0u);
  EXPECT_EQ(summary.sha256, Sha256Hex(kPersonsCsv));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
  EXPECT_THAT(FindImports(*ledger_, summary.sha256), SizeIs(0));
  // It left no trace: the real import records.
  ASSERT_OK_AND_ASSIGN(ImportSummary real,
                       Import(ImportKind::kPersons, kPersonsCsv));
  EXPECT_EQ(real.rows, 2u);
  // A dry run of a file imported already says so too.
  ASSERT_OK_AND_ASSIGN(
      summary, ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options));
  EXPECT_TRUE(summary.already_imported.has_value());
}

TEST_F(ImportTest, DryRunSession_LaterFilesSeeTheEarlierOnes_RecordsNothing) {
  const std::string areas =
      "area_id,parent_id,level\nc1,,county\nt1,c1,township\n";
  const std::string households = "household_id,area_id\nh1,t1\nh2,t9\n";
  const std::string persons = "person_id,household_id\np1,h1\np2,h2\n";
  ImportOptions options;
  options.dry_run = true;
  ImportSession session(*ledger_, options);
  ASSERT_OK_AND_ASSIGN(ImportSummary a,
                       session.Csv(ImportKind::kAreas, areas, "areas.csv"));
  EXPECT_EQ(a.rows, 2u);
  // h1's area t1 is in areas.csv; t9 is nowhere.
  EXPECT_THAT(
      session.Csv(ImportKind::kHouseholds, households, "households.csv"),
      StatusIs(kInvalid,
               "households.csv: line 3, column \"area_id\": "
               "no area 't9' is recorded"));
  // The bad file's good rows still count for the files after it: p1's
  // household h1 is known, h2 (the bad row) is not.
  EXPECT_THAT(session.Csv(ImportKind::kPersons, persons, "persons.csv"),
              StatusIs(kInvalid,
                       "persons.csv: line 3, column "
                       "\"household_id\": no household 'h2' is "
                       "recorded"));
  EXPECT_EQ(ledger_->last_sequence_number(), 0u);
  // Each file alone against the empty ledger fails where it refers back.
  EXPECT_FALSE(ImportCsv(*ledger_, ImportKind::kHouseholds,
                         "household_id,area_id\nh1,t1\n", options)
                   .ok());
}

TEST_F(ImportTest, Session_RecordsEachFileInTurn) {
  ImportSession session(*ledger_, ImportOptions());
  ASSERT_OK_AND_ASSIGN(
      ImportSummary areas,
      session.Csv(ImportKind::kAreas, "area_id,level\nc1,county\n", "a.csv"));
  EXPECT_EQ(areas.first_sequence, 1u);
  ASSERT_OK_AND_ASSIGN(
      ImportSummary events,
      session.Jsonl(R"({"household": {"id": "h1", "area_id": "c1"}})",
                    "h.jsonl"));
  EXPECT_EQ(events.first_sequence, 2u);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent h1, ledger_->GetEvent(2));
  EXPECT_EQ(h1.import_source().file_name(), "h.jsonl");
}

TEST_F(ImportTest, JsonlBadLines_AreAllListed) {
  ImportOptions options;
  options.file_name = "events.jsonl";
  EXPECT_THAT(
      ImportJsonl(*ledger_,
                  "{\"area\": {\"id\": \"c1\", \"level\": "
                  "\"AREA_LEVEL_COUNTY\"}}\n"
                  "{\"area\": \n"
                  "\n"
                  "{\"actor\": \"x\"}\n"
                  "{\"household\": {\"id\": \"h1\", \"area_id\": \"c9\"}}\n",
                  options),
      StatusIs(kInvalid,
               AllOf(HasSubstr("events.jsonl: 3 bad lines:\n  line 2: not a "
                               "LedgerEvent in protobuf JSON"),
                     HasSubstr("\n  line 4: the event has no body"),
                     HasSubstr("\n  line 5: area_id: no area 'c9' is "
                               "recorded"))));
  EXPECT_EQ(ledger_->last_sequence_number(), 0u);
}

// The `append` hook (a scoped view's AppendBatch): its errors naming an
// event map back to the line.
TEST_F(ImportTest, AppendHookErrors_NameTheLine) {
  ImportBasics();
  ImportOptions options;
  options.file_name = "persons.csv";
  int calls = 0;
  options.append =
      [&calls](absl::Span<const v1::LedgerEvent> events,
               const WriteOptions&) -> absl::StatusOr<std::vector<uint64_t>> {
    ++calls;
    EXPECT_THAT(events, SizeIs(2));
    return absl::PermissionDeniedError(
        "event 2 of 2 (person 'p2'): household_id: outside the scope");
  };
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options),
      StatusIs(absl::StatusCode::kPermissionDenied,
               "persons.csv: line 3: event 2 of 2 (person 'p2'): "
               "household_id: outside the scope (event 2 is the file's data "
               "row 2)"));
  EXPECT_EQ(calls, 1);
  // A dry run does not call it.
  options.dry_run = true;
  EXPECT_OK(ImportCsv(*ledger_, ImportKind::kPersons, kPersonsCsv, options));
  EXPECT_EQ(calls, 1);
}

// ---------------------------------------------------------------------------
// Ids are trimmed.

TEST_F(ImportTest, IdsWithSpacesAround_AreRecordedTrimmed) {
  ImportBasics();
  ASSERT_OK(Import(ImportKind::kPersons,
                   "person_id,household_id,name\n"
                   "q8 ,\th1 , Wang Wu \n"
                   "\"\xC2\xA0q9\xE3\x80\x80\",h1,\n"));
  ASSERT_OK_AND_ASSIGN(v1::Person q8, ledger_->GetPerson("q8", ReadOptions()));
  EXPECT_EQ(q8.household_id(), "h1");
  EXPECT_EQ(q8.name(), " Wang Wu ");  // not an id: as it is
  EXPECT_TRUE(ledger_->GetPerson("q9", ReadOptions()).ok());
  EXPECT_FALSE(ledger_->GetPerson("q8 ", ReadOptions()).ok());

  ASSERT_OK(Import(ImportKind::kExposures,
                   "person_a,person_b,start,end,setting\n"
                   " q8,q9 ,2020-02-01T08:00:00Z,2020-02-01T09:00:00Z,work\n"));
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> exposures,
      ledger_->ExposuresOf("q8", absl::InfinitePast(), absl::InfiniteFuture(),
                           ReadOptions()));
  ASSERT_THAT(exposures, SizeIs(1));
  EXPECT_EQ(exposures[0].body.person_b(), "q9");

  EXPECT_THAT(Import(ImportKind::kPersons, "person_id,name\n   ,Li\n"),
              StatusIs(kInvalid,
                       "in.csv: line 2, column \"person_id\": is "
                       "required and holds only spaces"));
}

TEST_F(ImportTest, JsonlIdsWithSpacesAround_AreRecordedTrimmed) {
  ImportBasics();
  ASSERT_OK(ImportJsonl(
      *ledger_,
      R"({"person": {"id": " q8 ", "household_id": "h1 ", "name": " Li "}})"
      "\n"
      R"({"health_check": {"person_id": "q8\t", "time": "2020-02-01T00:00:00Z",)"
      R"( "temperature_celsius": 36.5, "checked_by": " w1"}})"
      "\n"));
  ASSERT_OK_AND_ASSIGN(v1::Person q8, ledger_->GetPerson("q8", ReadOptions()));
  EXPECT_EQ(q8.household_id(), "h1");
  EXPECT_EQ(q8.name(), " Li ");
  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::HealthCheck>> checks,
                       ledger_->HealthChecksOf("q8", ReadOptions()));
  ASSERT_THAT(checks, SizeIs(1));
  EXPECT_EQ(checks[0].body.checked_by(), "w1");
}

// ---------------------------------------------------------------------------
// What spreadsheets write.

TEST_F(ImportTest, BlankLines_AreSkippedWhereverTheyAre) {
  ImportBasics();
  ASSERT_OK_AND_ASSIGN(ImportSummary summary, Import(ImportKind::kPersons,
                                                     "\r\n"
                                                     "person_id,household_id\n"
                                                     "p1,h1\n"
                                                     "\n"
                                                     ",\n"
                                                     "p2,h1\r\n"
                                                     " , \r\n"
                                                     "\n"));
  EXPECT_EQ(summary.rows, 2u);
  // Lines are still counted as the file has them.
  EXPECT_THAT(
      Import(ImportKind::kPersons, "person_id,household_id\n\n\np3,h9\n\n"),
      StatusIs(kInvalid, HasSubstr("in.csv: line 4, column "
                                   "\"household_id\"")));
  EXPECT_THAT(Import(ImportKind::kPersons, "\n,\n"),
              StatusIs(kInvalid, HasSubstr("in.csv: no header row")));
}

TEST_F(ImportTest, SemicolonOrTabSeparatedHeader_GetsAHint) {
  EXPECT_THAT(
      Import(ImportKind::kPersons, "person_id;household_id;area_id\np1;h1;\n",
             "persons.csv"),
      StatusIs(kInvalid,
               HasSubstr("persons.csv: line 1: the file looks "
                         "semicolon-separated (header: "
                         "\"person_id;household_id;area_id\"); save it as "
                         "CSV with commas")));
  EXPECT_THAT(Import(ImportKind::kPersons, "person_id\thousehold_id\n"),
              StatusIs(kInvalid, HasSubstr("the file looks tab-separated")));
}

TEST_F(ImportTest, CsvFileGivenAsJsonl_SaysItLooksLikeCsv) {
  ImportOptions options;
  options.file_name = "persons.csv";
  EXPECT_THAT(ImportJsonl(*ledger_, kPersonsCsv, options),
              StatusIs(kInvalid,
                       AllOf(HasSubstr("persons.csv: line 1: not a LedgerEvent "
                                       "in protobuf JSON; the file looks like "
                                       "CSV"),
                             HasSubstr("import it as CSV of its kind (areas, "
                                       "households, persons"))));
}

}  // namespace
}  // namespace contactledger
