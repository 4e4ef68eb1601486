// Copyright 2026 The ContactLedger Authors.
//
// Limits (contactledger/ledger.h) and what every string must be: each string
// class at its limit is accepted and one byte more is refused naming the
// field and the limit; lists, batches, import lines, rows and files likewise;
// malformed UTF-8 and control characters are refused on append; national ids
// and phones follow LedgerOptions::identity_rules, on append and on import;
// and a ledger reopened under other rules or limits opens with all it held.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;
using testutil::At;
using testutil::MakeCounty;
using testutil::MakeDate;
using testutil::MakeExposure;
using testutil::MakeHealthCheck;
using testutil::MakeHousehold;
using testutil::MakePassage;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::StatusIs;

absl::Time Noon() { return At(2020, 1, 22, 12); }

class LimitsTest : public ::testing::Test {
 protected:
  // A ledger with the county "c" and the household "h", and the given
  // options.
  void Reset(LedgerOptions options = LedgerOptions()) {
    ledger_ = Ledger::New(options);
    ASSERT_OK(ledger_->AppendBatch({MakeCounty("c"), MakeHousehold("h", "c")}));
  }
  void SetUp() override { Reset(); }

  absl::Status Try(const v1::LedgerEvent& event) {
    return ledger_->Append(event).status();
  }

  std::unique_ptr<Ledger> ledger_;
};

// One string field: how to put a value of n bytes in an event, the field
// name the error names, and the limit.
struct StringCase {
  const char* field;
  const char* limit;
  size_t max;
  std::function<v1::LedgerEvent(const std::string&)> make;
};

std::vector<StringCase> StringCases() {
  const auto person = [](auto set) {
    return [set](const std::string& v) {
      v1::LedgerEvent e = MakePerson("p");
      set(e.mutable_person(), v);
      return e;
    };
  };
  return {
      {"actor", "max_id_bytes", 128,
       [](const std::string& v) {
         v1::LedgerEvent e = MakePerson("p");
         e.set_actor(v);
         return e;
       }},
      {"parent_id", "max_id_bytes", 128,
       [](const std::string& v) { return testutil::MakeTownship("t", v); }},
      {"name", "max_name_bytes", 256,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeCounty("c2");
         e.mutable_area()->set_name(v);
         return e;
       }},
      {"address", "max_text_bytes", 4096,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeHousehold("h2", "c");
         e.mutable_household()->set_address(v);
         return e;
       }},
      {"responsible_worker", "max_name_bytes", 256,
       [](const std::string& v) { return MakeHousehold("h2", "c", v); }},
      {"name", "max_name_bytes", 256,
       person([](v1::Person* p, const std::string& v) { p->set_name(v); })},
      {"id", "max_id_bytes", 128,
       [](const std::string& v) { return MakePerson(v); }},
      {"tags[0]", "max_tag_bytes", 64,
       person([](v1::Person* p, const std::string& v) { p->add_tags(v); })},
      {"travel_history[0].place", "max_name_bytes", 256,
       person([](v1::Person* p, const std::string& v) {
         p->add_travel_history()->set_place(v);
       })},
      {"id", "max_id_bytes", 128,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeExposure("a", "b", Noon(), Noon());
         e.mutable_exposure()->set_id(v);
         return e;
       }},
      {"note", "max_text_bytes", 4096,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeExposure("a", "b", Noon(), Noon());
         e.mutable_exposure()->set_note(v);
         return e;
       }},
      {"symptoms[0]", "max_tag_bytes", 64,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeHealthCheck("a", Noon());
         e.mutable_health_check()->add_symptoms(v);
         return e;
       }},
      {"checked_by", "max_id_bytes", 128,
       [](const std::string& v) {
         v1::LedgerEvent e = MakeHealthCheck("a", Noon());
         e.mutable_health_check()->set_checked_by(v);
         return e;
       }},
      {"checkpoint_id", "max_id_bytes", 128,
       [](const std::string& v) { return MakePassage("a", v, Noon()); }},
      {"reason", "max_text_bytes", 4096,
       [](const std::string& v) { return MakeRetraction(1, v); }},
  };
}

TEST_F(LimitsTest, EveryStringAcceptsItsLimitAndRefusesOneByteMore) {
  for (const StringCase& c : StringCases()) {
    SCOPED_TRACE(c.field);
    Reset();
    const uint64_t before = ledger_->last_sequence_number();
    absl::Status over = Try(c.make(std::string(c.max + 1, 'x')));
    EXPECT_THAT(
        over,
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr(absl::StrCat(c.field, ": is ", c.max + 1,
                                        " bytes, more than the ", c.max,
                                        " allowed (Limits::", c.limit, ")"))));
    EXPECT_EQ(ledger_->last_sequence_number(), before);
    // At the limit it is recorded (a township needs a real parent, so that
    // case is done with the county's own id instead).
    if (std::string(c.field) == "parent_id") continue;
    EXPECT_OK(Try(c.make(std::string(c.max, 'x'))));
  }
}

TEST_F(LimitsTest, LimitsAreBytesNotCharacters) {
  std::string name;
  for (int i = 0; i < 85; ++i) name += "张";  // 255 bytes
  v1::LedgerEvent ok = MakePerson("p");
  ok.mutable_person()->set_name(name);
  EXPECT_OK(Try(ok));
  v1::LedgerEvent over = MakePerson("q");
  over.mutable_person()->set_name(name + "张");
  EXPECT_THAT(Try(over),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'q'): name: is 258 bytes, more "
                       "than the 256 allowed (Limits::max_name_bytes)"));
}

TEST_F(LimitsTest, ListsHoldAtMostMaxListEntries) {
  v1::LedgerEvent ok = MakePerson("p");
  for (int i = 0; i < 100; ++i) ok.mutable_person()->add_tags("t");
  EXPECT_OK(Try(ok));
  v1::LedgerEvent tags = ok;
  tags.mutable_person()->add_tags("t");
  EXPECT_THAT(Try(tags),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'p'): tags: has 101 entries, more "
                       "than the 100 allowed (Limits::max_list_entries)"));
  v1::LedgerEvent travel = MakePerson("q");
  for (int i = 0; i < 101; ++i) {
    travel.mutable_person()->add_travel_history()->set_place("Wuhan");
  }
  EXPECT_THAT(Try(travel), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("travel_history: has 101")));
  v1::LedgerEvent check = MakeHealthCheck("q", Noon(), 37.5);
  for (int i = 0; i < 101; ++i) {
    check.mutable_health_check()->add_symptoms("cough");
  }
  EXPECT_THAT(Try(check), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("symptoms: has 101")));
}

TEST_F(LimitsTest, LedgerOptionsSetTheLimits) {
  LedgerOptions options;
  options.limits.max_name_bytes = 8;
  options.limits.max_id_bytes = 4;
  Reset(options);
  v1::LedgerEvent person = MakePerson("p");
  person.mutable_person()->set_name("Li Wei");
  EXPECT_OK(Try(person));
  person.mutable_person()->set_name("Zhang Wei");
  EXPECT_THAT(Try(person),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: is 9 bytes, more than the 8 allowed "
                                 "(Limits::max_name_bytes)")));
  EXPECT_THAT(Try(MakePerson("p12345")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("id: is 6 bytes, more than the 4 allowed")));
}

TEST_F(LimitsTest,
       BatchOverMaxBatchEventsIsResourceExhaustedAndRecordsNothing) {
  EXPECT_EQ(Limits().max_batch_events, 10000000u);
  LedgerOptions hundred_thousand;
  hundred_thousand.limits.max_batch_events = 100000;
  Reset(hundred_thousand);
  std::vector<v1::LedgerEvent> batch(100001, MakeHealthCheck("p", Noon()));
  EXPECT_THAT(ledger_->AppendBatch(batch),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "batch of 100001 events is more than the 100000 "
                       "allowed (Limits::max_batch_events); split it"));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);

  LedgerOptions options;
  options.limits.max_batch_events = 10;
  Reset(options);
  batch.resize(10);
  EXPECT_OK(ledger_->AppendBatch(batch));
  batch.resize(11, MakeHealthCheck("p", Noon()));
  EXPECT_THAT(ledger_->AppendBatch(batch),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("batch of 11 events is more than the 10")));
  EXPECT_EQ(ledger_->last_sequence_number(), 12u);
}

// --- What a string may hold. ---

TEST_F(LimitsTest, MalformedUtf8IsRefusedOnAppendWithItsByteOffset) {
  const std::pair<std::string, std::string> cases[] = {
      {std::string("Li\xFF", 3), "malformed UTF-8 at byte 2 (0xFF)"},
      {std::string("\xC0\xAF", 2), "malformed UTF-8 at byte 0 (0xC0)"},
      {std::string("a\xED\xA0\x80", 4), "malformed UTF-8 at byte 1 (0xED)"},
      {std::string("ab\xE5\xBC", 4), "malformed UTF-8 at byte 2 (0xE5)"},
  };
  for (const auto& [name, reason] : cases) {
    v1::LedgerEvent person = MakePerson("p");
    person.mutable_person()->set_name(name);
    EXPECT_THAT(Try(person), StatusIs(absl::StatusCode::kInvalidArgument,
                                      absl::StrCat("event 1 of 1 (person "
                                                   "'p'): name: ",
                                                   reason)));
  }
  v1::LedgerEvent exposure = MakeExposure("a", "b", Noon(), Noon());
  exposure.mutable_exposure()->set_note(std::string("\x80", 1));
  EXPECT_THAT(Try(exposure),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("note: malformed UTF-8 at byte 0 (0x80)")));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);
}

TEST_F(LimitsTest, OneLineFieldsRefuseControlAndLayoutCharacters) {
  EXPECT_THAT(Try(MakePerson("p\n1")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'p\\n1'): id: control character "
                       "U+000A at byte 1 (this field is one line of text)"));
  EXPECT_THAT(Try(MakePassage("a", "gate\t1", Noon())),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("checkpoint_id: control character U+0009")));
  // The id an error shows is escaped and cut to 64 bytes, so that a
  // hostile id can neither forge nor flood a log line.
  EXPECT_THAT(Try(MakePerson(absl::StrCat("p1\r\n", std::string(300, 'x')))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("event 1 of 1 (person 'p1\\r\\n",
                                    std::string(60, 'x'),
                                    "...'): id: is 304 bytes, more than the "
                                    "128 allowed (Limits::max_id_bytes)")));
  EXPECT_THAT(Try(MakePerson("p\x7F")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("control character U+007F")));
  // A right-to-left override would make "p1\u202Egpj.exe" read otherwise.
  EXPECT_THAT(Try(MakePerson("p1\u202Egpj")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invisible layout character U+202E at byte "
                                 "2")));
  EXPECT_THAT(
      Try(MakePerson("p\u200B1")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("U+200B")));
  // Free text keeps its tabs and line breaks.
  v1::LedgerEvent household = MakeHousehold("h2", "c");
  household.mutable_household()->set_address("Building 2\r\nRoom\t301");
  EXPECT_OK(Try(household));
  v1::LedgerEvent bell = MakeHousehold("h3", "c");
  bell.mutable_household()->set_address("Room \a301");
  EXPECT_THAT(Try(bell), StatusIs(absl::StatusCode::kInvalidArgument,
                                  "event 1 of 1 (household 'h3'): address: "
                                  "control character U+0007 at byte 5"));
  // A name in any script is fine.
  EXPECT_OK(Try(MakePerson("王芳")));
  EXPECT_OK(Try(MakePerson("Zoë-Ŵ")));
}

// --- Identity rules. ---

TEST_F(LimitsTest, ChinaRulesAreTheDefaultAndNameEventFieldAndReason) {
  EXPECT_EQ(Ledger::New(LedgerOptions())->options().identity_rules,
            IdentityRules::kChina);
  v1::LedgerEvent bad_id = MakePerson("p1");
  bad_id.mutable_person()->set_national_id("110105194912310021");
  EXPECT_THAT(ledger_->AppendBatch({MakePerson("p0"), MakePerson("p2"), bad_id,
                                    MakePerson("p3"), MakePerson("p4")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 3 of 5 (person 'p1'): national_id: check "
                       "character is '1', expected 'X'"));
  v1::LedgerEvent bad_phone = MakePerson("p1");
  bad_phone.mutable_person()->set_phone("1381234567");
  EXPECT_THAT(Try(bad_phone), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("(person 'p1'): phone: has "
                                                 "10 digits starting 1")));
  v1::LedgerEvent mismatch = MakePerson("p1");
  mismatch.mutable_person()->set_national_id("11010519491231002X");
  *mismatch.mutable_person()->mutable_birth_date() = MakeDate(1949, 12, 30);
  EXPECT_THAT(Try(mismatch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'p1'): national_id: the birth "
                       "date in characters 7-14 differs from birth_date"));
  *mismatch.mutable_person()->mutable_birth_date() = MakeDate(1949, 12, 31);
  mismatch.mutable_person()->set_phone("+86 138 1234 5678");
  EXPECT_OK(Try(mismatch));
  EXPECT_EQ(ledger_->last_sequence_number(), 3u);
}

TEST_F(LimitsTest, NoneRulesTakeOtherCountriesNumbers) {
  LedgerOptions options;
  options.identity_rules = IdentityRules::kNone;
  Reset(options);
  v1::LedgerEvent person = MakePerson("p1");
  person.mutable_person()->set_national_id("8001015009087");  // South Africa
  person.mutable_person()->set_phone("+27 11 555 0100");
  EXPECT_OK(Try(person));
  person.mutable_person()->set_phone("+27\n11");
  EXPECT_THAT(Try(person), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("phone: control character")));
}

TEST_F(LimitsTest, ImportersHonourTheIdentityRules) {
  ImportOptions options;
  options.file_name = "persons.csv";
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPersons,
                        "person_id,national_id,phone\n"
                        "p1,11010519491231002X,13812345678\n"
                        "p2,110105194912310021,\n",
                        options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "persons.csv: line 3, column \"national_id\": check "
                       "character is '1', expected 'X'"));
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPersons,
                        "person_id,phone\np1,555-0100\n", options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2, column \"phone\": has 7 digits")));
  options.file_name = "persons.jsonl";
  EXPECT_THAT(
      ImportJsonl(*ledger_,
                  "{\"person\": {\"id\": \"p1\", \"nationalId\": \"12345\"}}\n",
                  options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "persons.jsonl: line 1: national_id: is 5 characters; a "
               "resident identity number has 18 (GB 11643-1999)"));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);
}

// --- Imports. ---

TEST_F(LimitsTest, ImportLineOverMaxLineBytesNamesTheLineAndOffset) {
  ImportOptions options;
  options.file_name = "areas.csv";
  const std::string header = "area_id,parent_id,level,name\n";
  const std::string first = "t1,c,township,One\n";
  const std::string name(65536, 'n');
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kAreas,
                absl::StrCat(header, first, "t2,c,township,", name, "\n"),
                options),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("areas.csv: line 3 (byte offset ",
                       header.size() + first.size(), ") is ", 14 + name.size(),
                       " bytes, more than the 65536 allowed "
                       "(Limits::max_line_bytes)")));
  options.file_name = "areas.jsonl";
  EXPECT_THAT(
      ImportJsonl(*ledger_,
                  absl::StrCat("{\"area\": {\"id\": \"t\", \"name\": \"", name,
                               "\"}}\n"),
                  options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("areas.jsonl: line 1 (byte offset 0) is")));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);
}

TEST_F(LimitsTest, ImportOfMoreRowsThanABatchIsResourceExhausted) {
  LedgerOptions ledger_options;
  ledger_options.limits.max_batch_events = 3;
  Reset(ledger_options);
  ImportOptions options;
  options.file_name = "passages.csv";
  std::string csv = "person_id,checkpoint_id,time,direction\n";
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&csv, "p", i, ",gate,2020-02-01T08:00:00+08:00,in\n");
  }
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPassages, csv, options),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "passages.csv: line 5: more than 3 events, the most "
                       "one import records (Limits::max_batch_events: an "
                       "import is one batch); split the file"));
  std::string jsonl;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&jsonl, "{\"area\": {\"id\": \"t", i,
                    "\", \"parentId\": \"c\", \"level\": "
                    "\"AREA_LEVEL_TOWNSHIP\"}}\n");
  }
  options.file_name = "areas.jsonl";
  EXPECT_THAT(ImportJsonl(*ledger_, jsonl, options),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("areas.jsonl: line 4: more than 3 events")));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);
  // Three rows are one batch.
  EXPECT_OK(ImportJsonl(*ledger_, jsonl.substr(0, jsonl.rfind("{\"area\"")),
                        options));
}

TEST_F(LimitsTest, ImportFileOverMaxImportBytesIsRefusedBeforeReading) {
  LedgerOptions ledger_options;
  ledger_options.limits.max_import_bytes = 64;
  Reset(ledger_options);
  internal::MemEnv env;
  ASSERT_OK(env.CreateDir("/in"));
  const std::string csv =
      "area_id,parent_id,level,name\nt1,c,township,"
      "A township with a rather long name\n";
  ASSERT_GT(csv.size(), 64u);
  ASSERT_OK(env.SetContents("/in/areas.csv", csv));
  EXPECT_THAT(
      ImportCsvFile(*ledger_, ImportKind::kAreas, "/in/areas.csv", {}, &env),
      StatusIs(absl::StatusCode::kResourceExhausted,
               absl::StrCat("/in/areas.csv: ", csv.size(),
                            " bytes, more than the 64 an import may read "
                            "(Limits::max_import_bytes)")));
  EXPECT_THAT(
      ImportCsv(*ledger_, ImportKind::kAreas, csv),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("<input>: ")));
  EXPECT_EQ(ledger_->last_sequence_number(), 2u);
}

// --- Reopening under other rules and limits. ---

TEST(LimitsReopenTest, RecordedEventsReplayUnderOtherRulesAndLimits) {
  internal::MemEnv env;
  LedgerOptions loose;
  loose.env = &env;
  loose.identity_rules = IdentityRules::kNone;
  loose.limits.max_name_bytes = 1000;
  v1::LedgerEvent person = MakePerson("p1");
  person.mutable_person()->set_national_id("8001015009087");
  person.mutable_person()->set_phone("+27 11 555 0100");
  person.mutable_person()->set_name(std::string(600, 'n'));
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(loose, "/ledger");
    ASSERT_OK(ledger);
    ASSERT_OK((*ledger)->AppendBatch({MakeCounty("c"), person}));
    ASSERT_OK((*ledger)->WriteSnapshot());
    v1::LedgerEvent second = person;
    second.mutable_person()->set_id("p2");
    ASSERT_OK((*ledger)->Append(second));  // in the log after the snapshot
  }
  LedgerOptions strict;
  strict.env = &env;  // China rules, default limits
  strict.identity_rules = IdentityRules::kChina;
  // The directory keeps its rules: other ones are refused...
  EXPECT_THAT(
      Ledger::Open(strict, "/ledger"),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("'none'")));
  // ... unless it is a directory from before manifests that never recorded
  // them: then the rules given apply from now on, and what it holds replays.
  ASSERT_OK(env.RemoveFile("/ledger/MANIFEST"));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(strict, "/ledger");
  ASSERT_OK(ledger);
  EXPECT_EQ((*ledger)->last_sequence_number(), 3u);
  for (const char* id : {"p1", "p2"}) {
    absl::StatusOr<v1::Person> p = (*ledger)->GetPerson(id, ReadOptions());
    ASSERT_OK(p);
    EXPECT_EQ(p->national_id(), "8001015009087");
    EXPECT_EQ(p->name().size(), 600u);
  }
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(strict, "/ledger");
  ASSERT_OK(verify);
  EXPECT_TRUE(verify->ok());
  // New appends are held to the new rules.
  person.mutable_person()->set_id("p3");
  EXPECT_THAT((*ledger)->Append(person),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: is 600 bytes")));
}

}  // namespace
}  // namespace contactledger
