// Copyright 2026 The ContactLedger Authors.
//
// Tests of contactledger/dashboard.h: the page's data gathered from a small
// county worked out by hand (a case, its household member and a dinner
// guest; docs/rules.md with the china-2020 preset), the per-day series, the
// counts against the Tracer's own answers, HTML escaping of hostile names,
// the Content-Security-Policy and its style hash, redaction, the lists cut
// at max_listed, the options refused, and the chain layout. The same page in
// a real browser: tests/browser/dashboard_browser_test.py.

#include "contactledger/dashboard.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/dashboard/svg.h"
#include "lib/util/sha256.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::MakeArea;
using ::contactledger::testutil::MakeDate;
using ::contactledger::testutil::MakeDiagnosis;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePassage;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakeQuarantineStart;
using ::contactledger::testutil::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
constexpr char kHostileName[] = "<script>alert(1)</script>";

absl::Time Jan2020(int day, int hour, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(2020, 1, day, hour, minute, second),
                         kChina);
}

// The last instant of a day of January 2020: the next day's start less 1 ns.
absl::Time EndOfJan2020(int day) {
  return absl::FromCivil(absl::CivilDay(2020, 1, day + 1), kChina) -
         absl::Nanoseconds(1);
}

// A person in `household_id`, with a name (the shared MakePerson has none).
v1::LedgerEvent NamedPerson(const std::string& id,
                            const std::string& household_id,
                            const std::string& name) {
  v1::LedgerEvent event = MakePerson(id, household_id);
  event.mutable_person()->set_name(name);
  return event;
}

// The county c: townships t1 (villages v1, v2) and t2 (village v3, named
// with markup). h1 in v1 (worker Wang Jun) holds p1, named kHostileName, and
// p2, Li Na; h2 in v3 (no worker) holds p3, Zhang San. p1 and p3 dine on
// the 24th, 18:00-21:00; p1 goes to hospital on the 26th at 11:00 and is
// confirmed on the 27th at 10:00 (onset the 25th).
//
// By hand (china-2020): from the 27th, 10:00, the roster is p1 (case, in
// hospital), p2 (household, last exposure the 26th 11:00, until 02-09) and
// p3 (dinner, until 02-07), both required since 10:00 on the 27th.
// Loops: p1 in a stay since the 26th 11:00 with no check is missed_check
// once 12 h have passed (from the 26th 23:00); p3's household has no
// worker: no_owner from the 27th 10:00; p2 and p3 have no stay: unplaced
// 24 h after required since (the 28th 10:00).
class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LedgerOptions options;
    options.time_zone = kChina;
    ledger_ = Ledger::New(options);
    v1::LedgerEvent confirmed = MakeDiagnosis("p1", Jan2020(27, 10));
    *confirmed.mutable_diagnosis()->mutable_onset() = MakeDate(2020, 1, 25);
    const std::vector<v1::LedgerEvent> batch = {
        MakeArea("c", v1::AREA_LEVEL_COUNTY, "", "Test County"),
        MakeArea("t1", v1::AREA_LEVEL_TOWNSHIP, "c", "North"),
        MakeArea("t2", v1::AREA_LEVEL_TOWNSHIP, "c", "<b>South</b> & co"),
        MakeArea("v1", v1::AREA_LEVEL_VILLAGE, "t1", "Upper"),
        MakeArea("v2", v1::AREA_LEVEL_VILLAGE, "t1", "Lower"),
        MakeArea("v3", v1::AREA_LEVEL_VILLAGE, "t2", "<i>Riverside</i>"),
        MakeHousehold("h1", "v1", "Wang Jun"),
        MakeHousehold("h2", "v3"),
        NamedPerson("p1", "h1", kHostileName),
        NamedPerson("p2", "h1", "Li Na"),
        NamedPerson("p3", "h2", "Zhang San"),
        // The dinner.
        MakeExposure("p1", "p3", Jan2020(24, 18), Jan2020(24, 21),
                     v1::EXPOSURE_SETTING_GATHERING),
        MakeQuarantineStart("p1", Jan2020(26, 11),
                            v1::QUARANTINE_PLACE_HOSPITAL),
        confirmed,
    };
    ASSERT_OK(ledger_->AppendBatch(batch));
  }

  DashboardOptions Options(absl::Time at, int days) const {
    DashboardOptions options;
    options.query.at = at;
    options.area_id = "c";
    options.days = days;
    return options;
  }

  DashboardData Gather(const DashboardOptions& options) const {
    absl::StatusOr<DashboardData> data = GatherDashboard(*ledger_, options);
    EXPECT_TRUE(data.ok()) << data.status();
    return data.ok() ? *std::move(data) : DashboardData();
  }

  std::unique_ptr<Ledger> ledger_;
};

TEST_F(DashboardTest, DaysAreEvaluatedAtTheirEndWorkedOutByHand) {
  const DashboardData data = Gather(Options(Jan2020(28, 12), 4));
  ASSERT_EQ(data.days.size(), 4u);
  struct Expected {
    absl::CivilDay day;
    absl::Time at;
    uint64_t roster, cases, close, loops;
  };
  const Expected expected[] = {
      // Nothing known yet.
      {absl::CivilDay(2020, 1, 25), EndOfJan2020(25), 0, 0, 0, 0},
      // p1 in hospital since 11:00, unchecked for more than 12 h.
      {absl::CivilDay(2020, 1, 26), EndOfJan2020(26), 0, 0, 0, 1},
      // Confirmed: p1, p2, p3; missed_check p1, no_owner p3.
      {absl::CivilDay(2020, 1, 27), EndOfJan2020(27), 3, 1, 2, 2},
      // The last day at the page's moment: also unplaced p2 and p3.
      {absl::CivilDay(2020, 1, 28), Jan2020(28, 12), 3, 1, 2, 4},
  };
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(absl::FormatCivilTime(expected[i].day));
    EXPECT_EQ(data.days[i].day, expected[i].day);
    EXPECT_EQ(data.days[i].at, expected[i].at);
    EXPECT_EQ(data.days[i].roster, expected[i].roster);
    EXPECT_EQ(data.days[i].cases, expected[i].cases);
    EXPECT_EQ(data.days[i].close_contacts, expected[i].close);
    EXPECT_EQ(data.days[i].secondary_contacts, 0u);
    EXPECT_EQ(data.days[i].open_loops, expected[i].loops);
  }
}

TEST_F(DashboardTest, OneThreadGivesTheSameDays) {
  DashboardOptions options = Options(Jan2020(28, 12), 6);
  options.threads = 1;
  const DashboardData one = Gather(options);
  options.threads = 4;
  const DashboardData four = Gather(options);
  ASSERT_EQ(one.days.size(), four.days.size());
  for (size_t i = 0; i < one.days.size(); ++i) {
    EXPECT_EQ(one.days[i].roster, four.days[i].roster);
    EXPECT_EQ(one.days[i].open_loops, four.days[i].open_loops);
  }
}

TEST_F(DashboardTest, TablesAreTheTracersAnswers) {
  QueryOptions query;
  query.at = Jan2020(28, 12);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*ledger_, query));
  const DashboardData data = Gather(Options(query.at, 14));

  const std::vector<RosterEntry> roster = tracer->Roster();
  ASSERT_EQ(data.roster.size(), roster.size());
  for (size_t i = 0; i < roster.size(); ++i) {
    EXPECT_EQ(data.roster[i].person_id, roster[i].person_id);
    EXPECT_EQ(data.roster[i].until, roster[i].until);
    EXPECT_EQ(data.roster[i].place, roster[i].place);
  }
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  ASSERT_EQ(data.loops.size(), loops.size());
  for (size_t i = 0; i < loops.size(); ++i) {
    EXPECT_EQ(data.loops[i].person_id, loops[i].person_id);
    EXPECT_EQ(data.loops[i].kind, loops[i].kind);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> county,
                       tracer->AreaRollup("c"));
  ASSERT_EQ(data.areas.size(), county.size());
  for (size_t i = 0; i < county.size(); ++i) {
    EXPECT_EQ(data.areas[i].row.area_id, county[i].area_id);
    EXPECT_EQ(data.areas[i].row.persons, county[i].persons);
    EXPECT_EQ(data.areas[i].row.loops, county[i].loops);
    ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> villages,
                         tracer->AreaRollup(county[i].area_id));
    ASSERT_EQ(data.areas[i].children.size(), villages.size());
    for (size_t j = 0; j < villages.size(); ++j) {
      EXPECT_EQ(data.areas[i].children[j].area_id, villages[j].area_id);
      EXPECT_EQ(data.areas[i].children[j].close_contacts,
                villages[j].close_contacts);
    }
  }
  EXPECT_EQ(data.chains.size(), tracer->TransmissionChains().size());

  // And by hand: t1 holds p1 (case, in hospital) and p2; t2 holds p3.
  ASSERT_EQ(data.areas.size(), 2u);
  EXPECT_EQ(data.areas[0].row.area_id, "t1");
  EXPECT_EQ(data.areas[0].row.persons, 2u);
  EXPECT_EQ(data.areas[0].row.active_cases, 1u);
  EXPECT_EQ(data.areas[0].row.in_hospital, 1u);
  ASSERT_EQ(data.areas[0].children.size(), 2u);
  EXPECT_EQ(data.areas[0].children[0].area_id, "v1");
  EXPECT_EQ(data.areas[0].children[0].persons, 2u);
  EXPECT_EQ(data.areas[0].children[1].persons, 0u);
  EXPECT_EQ(data.areas[1].row.close_contacts, 1u);
  EXPECT_EQ(data.area_name, "Test County");
  EXPECT_EQ(data.policy_name, "china-2020");
}

TEST_F(DashboardTest, PeopleListedCarryTheirNamesAndAreas) {
  const DashboardData data = Gather(Options(Jan2020(28, 12), 1));
  ASSERT_EQ(data.people.size(), 3u);
  EXPECT_EQ(data.people[0].first, "p1");
  EXPECT_EQ(data.people[0].second.name, kHostileName);
  EXPECT_EQ(data.people[0].second.area_id, "v1");
  EXPECT_EQ(data.people[2].first, "p3");
  EXPECT_EQ(data.people[2].second.area_id, "v3");
}

// Counts the occurrences of `needle` in `text`.
size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

TEST_F(DashboardTest, PageShowsHostileNamesAsText) {
  const std::string page =
      WriteDashboardHtml(Gather(Options(Jan2020(28, 12), 3)));
  EXPECT_THAT(page, Not(HasSubstr(kHostileName)));
  EXPECT_THAT(page, Not(HasSubstr("<b>South")));
  EXPECT_THAT(page, Not(HasSubstr("<i>Riverside")));
  EXPECT_THAT(page,
              HasSubstr("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_THAT(page, HasSubstr("&lt;b&gt;South&lt;/b&gt; &amp; co"));
  EXPECT_THAT(page, HasSubstr("&lt;i&gt;Riverside&lt;/i&gt;"));
  // No script, and nothing that names another place to fetch from.
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("http:")));
  EXPECT_THAT(page, Not(HasSubstr("https:")));
  EXPECT_THAT(page, Not(HasSubstr(" src=")));
  EXPECT_THAT(page, Not(HasSubstr(" style=")));
}

TEST_F(DashboardTest, PageTablesHoldEveryRowOnce) {
  const DashboardData data = Gather(Options(Jan2020(28, 12), 5));
  const std::string page = WriteDashboardHtml(data);
  // The roster: one row per entry; the loops: one row per loop.
  EXPECT_EQ(Count(page, "<tr data-person=\"p1\">"), 1u + 1u);  // roster, loop
  EXPECT_EQ(Count(page, "<tr data-person="), 3u + data.loops.size());
  EXPECT_THAT(page, HasSubstr("<h2>Roster: 3</h2>"));
  EXPECT_THAT(page, HasSubstr(absl::StrCat(
                        "<h2>Open loops: ", data.loops.size(), "</h2>")));
  EXPECT_THAT(page, HasSubstr("<tr data-person=\"p3\"><td>p3</td><td>Zhang "
                              "San</td><td>v3</td><td>close_contact</td>"
                              "<td>centralized</td><td>2020-02-07</td>"
                              "<td>p1</td>"));
  // Five days in the table, the roll-up's two townships and three villages.
  EXPECT_EQ(Count(page, "<tr data-day="), 5u);
  EXPECT_THAT(page, HasSubstr("<tr data-day=\"2020-01-28\"><td>2020-01-28"
                              "</td><td><time datetime=\"2020-01-28T12:00:00"
                              "+08:00\">"));
  EXPECT_EQ(Count(page, "<tr data-area="), 2u + 3u);
  EXPECT_EQ(Count(page, "<details class=\"drill\""), 2u);
  EXPECT_THAT(page, HasSubstr("<span class=\"n\">3</span><span "
                              "class=\"l\">in the roster</span>"));
  // One chain: p1 alone. Its box shows the id only: no count the page
  // would have to work out itself (the page shows the library's answers).
  EXPECT_EQ(Count(page, "<g class=\"case\" data-case=\"p1\">"), 1u);
  EXPECT_THAT(page, HasSubstr("<figcaption>Chain 1: 1 case</figcaption>"));
  EXPECT_THAT(page, Not(HasSubstr("close contact</text>")));
  EXPECT_THAT(page, Not(HasSubstr("close contacts</text>")));
  EXPECT_THAT(page, Not(HasSubstr("close contacts</title>")));
  // The day's end to the nanosecond, so that ledgerctl can be asked at it.
  EXPECT_THAT(page, HasSubstr("<time datetime=\"2020-01-27T23:59:59.999999999"
                              "+08:00\">"));
}

TEST_F(DashboardTest, LastDayAgreesWithTheTables) {
  const DashboardData data = Gather(Options(Jan2020(28, 12), 3));
  ASSERT_FALSE(data.days.empty());
  const DashboardDay& last = data.days.back();
  EXPECT_EQ(last.at, data.at);
  EXPECT_EQ(last.roster, data.roster.size());
  EXPECT_EQ(last.open_loops, data.loops.size());
  uint64_t cases = 0, close = 0, secondary = 0;
  for (const RosterEntry& e : data.roster) {
    cases += e.role == Role::kCase;
    close += e.role == Role::kCloseContact;
    secondary += e.role == Role::kSecondaryContact;
  }
  EXPECT_EQ(last.cases, cases);
  EXPECT_EQ(last.close_contacts, close);
  EXPECT_EQ(last.secondary_contacts, secondary);
  EXPECT_EQ(last.roster, 3u);  // and by hand
}

TEST_F(DashboardTest, HostileIdDetailAndTitleAreEscaped) {
  // p1 met someone never registered, with an id full of markup (an
  // unregistered loop and a roster entry under that id); p3, a close
  // contact, passed a checkpoint whose id is markup too (a checkpoint_breach
  // whose detail quotes it).
  const std::string hostile_id = "x\"><b>&'y";
  const std::string hostile_checkpoint = "gate\"<i>&'";
  const v1::LedgerEvent meal =
      MakeExposure("p1", hostile_id, Jan2020(25, 12), Jan2020(25, 13),
                   v1::EXPOSURE_SETTING_GATHERING);
  const v1::LedgerEvent passage = MakePassage(
      "p3", hostile_checkpoint, Jan2020(28, 8), v1::PASSAGE_DIRECTION_OUT);
  ASSERT_OK(ledger_->AppendBatch({meal, passage}));
  DashboardOptions options = Options(Jan2020(28, 12), 2);
  options.title = "<i>Count\"y</i> & 'co'";
  const DashboardData data = Gather(options);
  auto find_loop = [&](absl::string_view person, LoopKind kind) {
    return std::find_if(data.loops.begin(), data.loops.end(),
                        [&](const OpenLoop& loop) {
                          return loop.person_id == person && loop.kind == kind;
                        });
  };
  ASSERT_NE(find_loop(hostile_id, LoopKind::kUnregistered), data.loops.end());
  const auto breach = find_loop("p3", LoopKind::kCheckpointBreach);
  ASSERT_NE(breach, data.loops.end());
  ASSERT_THAT(breach->detail, HasSubstr(hostile_checkpoint));
  const std::string page = WriteDashboardHtml(data);
  EXPECT_THAT(page, Not(HasSubstr(hostile_id)));
  EXPECT_THAT(page, Not(HasSubstr(hostile_checkpoint)));
  EXPECT_THAT(page, Not(HasSubstr("<i>")));
  const std::string escaped_id = "x&quot;&gt;&lt;b&gt;&amp;&#39;y";
  EXPECT_THAT(page, HasSubstr(absl::StrCat("<tr data-person=\"", escaped_id,
                                           "\"><td>", escaped_id, "</td>")));
  EXPECT_THAT(page, HasSubstr("passed gate&quot;&lt;i&gt;&amp;&#39; (out)"));
  const std::string escaped_title =
      "&lt;i&gt;Count&quot;y&lt;/i&gt; &amp; &#39;co&#39;";
  EXPECT_THAT(page,
              HasSubstr(absl::StrCat("<title>", escaped_title, "</title>")));
  EXPECT_THAT(page, HasSubstr(absl::StrCat("<h1>", escaped_title, "</h1>")));
}

// A chain of one index case that infected 99 others.
TransmissionChain StarChain(int leaves) {
  TransmissionChain chain;
  chain.cases.push_back("c000");
  for (int i = 1; i <= leaves; ++i) {
    char id[8];
    snprintf(id, sizeof(id), "c%03d", i);
    chain.cases.push_back(id);
    chain.edges.push_back({"c000", id, "exposure", {static_cast<uint64_t>(i)}});
  }
  return chain;
}

TEST(DashboardPageTest, AHugeChainIsDrawnFromItsTopWithANote) {
  DashboardData data;
  data.title = "t";
  data.area_id = "c";
  data.at = absl::FromUnixSeconds(1580000000);
  data.chains = {StarChain(99)};
  const std::string page = WriteDashboardHtml(data);
  EXPECT_EQ(Count(page, "<g class=\"case\""), internal::kMaxChainNodes);
  EXPECT_EQ(Count(page, "<g class=\"case\" data-case=\"c000\">"), 1u);
  EXPECT_THAT(page, HasSubstr("<figcaption>Chain 1: 100 cases</figcaption>"));
  EXPECT_THAT(page,
              HasSubstr(absl::StrCat("and ", 100 - internal::kMaxChainNodes,
                                     " more cases: see 'ledgerctl chains'.")));
  // A chain at the cap is drawn whole, with no note.
  data.chains = {StarChain(internal::kMaxChainNodes - 1)};
  const std::string whole = WriteDashboardHtml(data);
  EXPECT_EQ(Count(whole, "<g class=\"case\""), internal::kMaxChainNodes);
  EXPECT_THAT(whole, Not(HasSubstr("more cases")));
}

TEST_F(DashboardTest, StyleSheetIsTheOneThePolicyAllows) {
  const std::string page =
      WriteDashboardHtml(Gather(Options(Jan2020(28, 12), 2)));
  const size_t open = page.find("<style>");
  const size_t close = page.find("</style>");
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(Count(page, "<style"), 1u);
  const std::string style = page.substr(open + 7, close - open - 7);
  internal::Sha256 sha;
  sha.Update(style);
  const std::array<uint8_t, 32> digest = sha.Digest();
  const std::string hash = absl::Base64Escape(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
  const std::string policy = DashboardContentSecurityPolicy(style);
  EXPECT_TRUE(absl::StartsWith(policy, "default-src 'none'; ")) << policy;
  EXPECT_THAT(policy, HasSubstr(absl::StrCat("style-src 'sha256-", hash, "'")));
  // The page has no image: nothing, not even a data: URL, may be one.
  EXPECT_THAT(policy, Not(HasSubstr("img-src")));
  EXPECT_THAT(policy, Not(HasSubstr("data:")));
  EXPECT_THAT(policy, Not(HasSubstr("script-src")));
  EXPECT_THAT(policy, Not(HasSubstr("unsafe")));
  // In the page, in a meta element before anything else can load.
  const size_t meta =
      page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"");
  ASSERT_NE(meta, std::string::npos);
  EXPECT_LT(meta, open);
  EXPECT_THAT(page, HasSubstr("default-src &#39;none&#39;; style-src "
                              "&#39;sha256-" +
                              hash + "&#39;"));
}

TEST_F(DashboardTest, RedactionMasksNamesEverywhere) {
  DashboardData data = Gather(Options(Jan2020(28, 12), 2));
  Redactor redactor;
  ASSERT_OK(redactor.LearnLedger(*ledger_));
  RedactDashboard(redactor, &data);
  EXPECT_TRUE(data.redacted);
  const std::string page = WriteDashboardHtml(data);
  EXPECT_THAT(page, Not(HasSubstr("Li Na")));
  EXPECT_THAT(page, Not(HasSubstr("Zhang San")));
  EXPECT_THAT(page, Not(HasSubstr("alert(1)")));
  EXPECT_THAT(page, HasSubstr("<td>L****</td>"));
  EXPECT_THAT(page, HasSubstr("<td>Z********</td>"));
  EXPECT_THAT(page, HasSubstr("id=\"redacted\""));
  // The ids and counts stay.
  EXPECT_THAT(page, HasSubstr("<tr data-person=\"p3\">"));
  EXPECT_THAT(page, HasSubstr("<h2>Roster: 3</h2>"));
}

TEST_F(DashboardTest, RedactionMasksAOneCharacterName) {
  // p4 lives with the case p1: a close contact by the household rule, listed
  // with its name. A one-character name is too short for a Redactor to look
  // for in text (privacy.h), so it is never learned.
  ASSERT_OK(ledger_->Append(NamedPerson("p4", "h1", "李")));
  DashboardData data = Gather(Options(Jan2020(28, 12), 1));
  const auto p4 =
      std::find_if(data.people.begin(), data.people.end(),
                   [](const auto& entry) { return entry.first == "p4"; });
  ASSERT_NE(p4, data.people.end());
  ASSERT_EQ(p4->second.name, "李");
  Redactor redactor;
  ASSERT_OK(redactor.LearnLedger(*ledger_));
  RedactDashboard(redactor, &data);
  const std::string page = WriteDashboardHtml(data);
  EXPECT_THAT(page, Not(HasSubstr("李")));
  EXPECT_THAT(page, HasSubstr("<tr data-person=\"p4\"><td>p4</td><td>*</td>"));
}

TEST_F(DashboardTest, RedactionMasksNamesARedactorNeverLearned) {
  DashboardData data = Gather(Options(Jan2020(28, 12), 1));
  const Redactor redactor;  // learned nothing
  RedactDashboard(redactor, &data);
  const std::string page = WriteDashboardHtml(data);
  EXPECT_THAT(page, Not(HasSubstr("Li Na")));
  EXPECT_THAT(page, Not(HasSubstr("Zhang San")));
  EXPECT_THAT(page, Not(HasSubstr("alert(1)")));
  EXPECT_THAT(page, HasSubstr("<td>L****</td>"));
  EXPECT_THAT(page, HasSubstr("<td>Z********</td>"));
}

TEST_F(DashboardTest, ListsAreCutAtMaxListedButCountsAreWhole) {
  DashboardOptions options = Options(Jan2020(28, 12), 1);
  options.max_listed = 1;
  const DashboardData data = Gather(options);
  const std::string page = WriteDashboardHtml(data);
  EXPECT_THAT(page, HasSubstr("<h2>Roster: 3</h2>"));
  EXPECT_THAT(page, HasSubstr("and 2 more: 'ledgerctl roster' lists them "
                              "all."));
  // unplaced has p2 and p3: one listed, one more.
  EXPECT_THAT(page, HasSubstr("<b>unplaced</b>: 2</summary>"));
  EXPECT_THAT(page, HasSubstr("and 1 more: 'ledgerctl loops'"));
}

TEST_F(DashboardTest, BadOptionsAreRefusedNamingTheOption) {
  DashboardOptions options = Options(Jan2020(28, 12), 0);
  EXPECT_THAT(GatherDashboard(*ledger_, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("days")));
  options = Options(Jan2020(28, 12), 367);
  EXPECT_THAT(GatherDashboard(*ledger_, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("days")));
  options = Options(absl::InfinitePast(), 3);
  EXPECT_THAT(GatherDashboard(*ledger_, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at")));
  options = Options(Jan2020(28, 12), 3);
  options.area_id = "";
  EXPECT_THAT(
      GatherDashboard(*ledger_, options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("area_id")));
  options.area_id = "nowhere";
  EXPECT_THAT(GatherDashboard(*ledger_, options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nowhere")));
  options = Options(Jan2020(28, 12), 3);
  options.max_listed = 0;
  EXPECT_THAT(
      GatherDashboard(*ledger_, options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("max_listed")));
  options = Options(Jan2020(28, 12), 3);
  options.threads = 0;
  EXPECT_THAT(
      GatherDashboard(*ledger_, options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("threads")));
}

TEST_F(DashboardTest, ScopedViewGivesTheScopesPage) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ScopedLedger> view,
                       ScopedLedger::Create(*ledger_, "t2", "worker"));
  DashboardOptions options = Options(Jan2020(28, 12), 2);
  options.area_id = "t2";
  absl::StatusOr<DashboardData> data = GatherDashboard(*view, options);
  ASSERT_TRUE(data.ok()) << data.status();
  // Only p3 is in scope; the case appears as an opaque id.
  ASSERT_EQ(data->roster.size(), 1u);
  EXPECT_EQ(data->roster[0].person_id, "p3");
  EXPECT_TRUE(absl::StartsWith(data->roster[0].source, "ext-"));
  ASSERT_EQ(data->areas.size(), 1u);
  EXPECT_EQ(data->areas[0].row.area_id, "v3");
  const std::string page = WriteDashboardHtml(*data);
  EXPECT_THAT(page, Not(HasSubstr("alert(1)")));
  options.area_id = "c";
  EXPECT_THAT(GatherDashboard(*view, options),
              StatusIs(absl::StatusCode::kPermissionDenied, testing::_));
}

TEST(EscapeHtmlTest, EscapesMarkupQuotesAndBadBytes) {
  EXPECT_EQ(EscapeHtml("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("a \"b\" & 'c'"), "a &quot;b&quot; &amp; &#39;c&#39;");
  EXPECT_EQ(EscapeHtml("张三丰"), "张三丰");
  EXPECT_EQ(EscapeHtml("tab\tline\n"), "tab\tline\n");
  EXPECT_EQ(EscapeHtml(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeHtml("bad \xFF byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(EscapeHtml("cut \xE5\xBC"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EscapeHtml("\x1B[31m"), "\xEF\xBF\xBD[31m");
}

TEST(DashboardSvgTest, RoundAxisMax) {
  EXPECT_EQ(internal::RoundAxisMax(0), 1u);
  EXPECT_EQ(internal::RoundAxisMax(1), 1u);
  EXPECT_EQ(internal::RoundAxisMax(3), 5u);
  EXPECT_EQ(internal::RoundAxisMax(7), 10u);
  EXPECT_EQ(internal::RoundAxisMax(11), 20u);
  EXPECT_EQ(internal::RoundAxisMax(600000), 1000000u);
}

TEST(DashboardSvgTest, ChainLayersFollowTheLinks) {
  TransmissionChain chain;
  chain.cases = {"a", "b", "c", "d"};
  chain.edges = {{"a", "b", "exposure", {3}},
                 {"a", "c", "household", {}},
                 {"c", "d", "exposure", {9}}};
  const internal::ChainLayout layout = internal::LayoutChain(chain);
  ASSERT_EQ(layout.nodes.size(), 4u);
  EXPECT_EQ(layout.layers, 3);
  EXPECT_EQ(layout.widest, 2);
  EXPECT_EQ(layout.nodes[0].layer, 0);  // a
  EXPECT_EQ(layout.nodes[1].layer, 1);  // b
  EXPECT_EQ(layout.nodes[2].layer, 1);  // c
  EXPECT_EQ(layout.nodes[3].layer, 2);  // d
  EXPECT_EQ(layout.nodes[1].slot, 0);
  EXPECT_EQ(layout.nodes[2].slot, 1);
  EXPECT_EQ(layout.links.size(), 3u);
}

TEST(DashboardSvgTest, ACycleStartsAtItsSmallestId) {
  TransmissionChain chain;
  chain.cases = {"x", "y"};
  chain.edges = {{"x", "y", "exposure", {1}}, {"y", "x", "exposure", {2}}};
  const internal::ChainLayout layout = internal::LayoutChain(chain);
  EXPECT_EQ(layout.nodes[0].layer, 0);
  EXPECT_EQ(layout.nodes[1].layer, 1);
  const internal::ChainDrawing drawing = internal::ChainSvg(chain, 7);
  EXPECT_EQ(drawing.cases, 2u);
  EXPECT_EQ(drawing.drawn, 2u);
  const std::string& svg = drawing.svg;
  EXPECT_THAT(svg, HasSubstr("marker id=\"arrow-7\""));
  EXPECT_EQ(Count(svg, "<g class=\"link\""), 2u);
  EXPECT_EQ(Count(svg, "<g class=\"case\""), 2u);
}

TEST(DashboardSvgTest, ChartHasAPointPerDay) {
  std::vector<internal::ChartPoint> points = {
      {"01-25", 0, "a"}, {"01-26", 4, "b"}, {"01-27", 7, "c<d"}};
  const std::string svg =
      internal::LineChartSvg("chart-x", "Roster", "roster", points);
  EXPECT_EQ(Count(svg, "<circle "), 3u);
  EXPECT_THAT(svg, HasSubstr("<title>c&lt;d</title>"));
  EXPECT_THAT(svg, HasSubstr(">10</text>"));  // the axis top
  EXPECT_THAT(svg, HasSubstr(">01-27</text>"));
}

}  // namespace
}  // namespace contactledger
