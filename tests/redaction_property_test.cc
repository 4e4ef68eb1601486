// Copyright 2026 The ContactLedger Authors.
//
// Redaction as a property (issue 15, finding 3): over ledgers generated from
// a seeded PRNG, with persons (Latin names of mixed case and Chinese names,
// valid resident ids, phones), households (addresses, workers) and notes,
// reasons, symptoms, actors and ids that quote those values in random forms
// (upper or mixed case, digits regrouped with spaces, hyphens or dots, +86 or
// 0086 in front, side by side with other numbers, inside ids), every output
// the library has (each event redacted by Redactor::Redact and printed as
// JSON; every report.h writer of the Tracer's answers, the audit trail and
// the records) is passed through Redactor::Text as `ledgerctl --redact`
// does, and then holds
//   - no learned private value: no name, address or worker (ignoring the
//     case of ASCII letters, also as CSV and JSON escape it), and no
//     national id or phone among the digits of any number of the text
//     (digit groups joined by single separators, read as one digit string);
//   - no number of 11 or more digits (dates not counted), so no phone and
//     nothing shaped like an id (15 or 18 characters), however grouped.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using testutil::At;
using testutil::MakeCounty;
using testutil::MakeDiagnosis;
using testutil::MakeExposure;
using testutil::MakeHealthCheck;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeQuarantineStart;
using testutil::MakeRetraction;
using testutil::MakeTownship;
using testutil::MakeVillage;

constexpr const char* kSurnames[] = {"Wang", "Li",   "Zhang", "Liu",
                                     "Chen", "Yang", "Zhao",  "Huang"};
constexpr const char* kGivenNames[] = {"Xiaoming", "Wei",     "Fang", "Na",
                                       "Jianguo",  "Xiuying", "Lei",  "Yang"};
constexpr const char* kChineseSurnames[] = {"王", "李", "张", "刘",
                                            "陈", "杨", "赵", "黄"};
constexpr const char* kChineseGiven[] = {"小", "明", "伟", "芳", "娜",
                                         "建", "国", "秀", "英", "磊"};
constexpr const char* kStreets[] = {"Plum Street", "Willow Lane", "Elm Road",
                                    "Peach Avenue"};
constexpr const char* kChineseStreets[] = {"幸福路", "解放街", "人民巷"};
constexpr const char* kDivisions[] = {"431222", "110105", "440524", "330102",
                                      "510104"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }
  template <typename T, size_t N>
  const T& Pick(const T (&values)[N]) {
    return values[Below(N)];
  }

  std::string Digits(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out.push_back('0' + Below(10));
    return out;
  }

  std::string Name() {
    if (OneIn(2)) {
      std::string name = Pick(kChineseSurnames);
      const size_t given = 1 + Below(2);
      for (size_t i = 0; i < given; ++i) name += Pick(kChineseGiven);
      return name;
    }
    return absl::StrCat(Pick(kSurnames), " ", Pick(kGivenNames),
                        OneIn(2) ? "" : Pick(kGivenNames));
  }

  std::string Address() {
    switch (Below(3)) {
      case 0:
        return absl::StrCat(1 + Below(99), " ", Pick(kStreets), " #",
                            100 + Below(900));
      case 1:
        return absl::StrCat(Pick(kChineseStreets), 1 + Below(99), "号");
      default:
        return absl::StrCat("Building ", 1 + Below(9), " \"East\", Room ",
                            100 + Below(900));
    }
  }

  std::string NationalId() {
    const std::string first17 =
        absl::StrFormat("%s%04d%02d%02d%s", Pick(kDivisions), 1940 + Below(70),
                        1 + Below(12), 1 + Below(28), Digits(3));
    return first17 + ResidentIdCheckCharacter(first17);
  }

  std::string Mobile() { return absl::StrCat("1", 3 + Below(7), Digits(9)); }

  // `phone` (11 digits) as a person record may hold it.
  std::string RecordedPhone(const std::string& phone) {
    switch (Below(4)) {
      case 0:
        return absl::StrCat("+86 ", phone.substr(0, 3), " ", phone.substr(3, 4),
                            " ", phone.substr(7));
      case 1:
        return absl::StrCat(phone.substr(0, 3), "-", phone.substr(3, 4), "-",
                            phone.substr(7));
      default:
        return phone;
    }
  }

  // `text` with the case of its ASCII letters changed at random.
  std::string Recase(const std::string& text) {
    switch (Below(4)) {
      case 0:
        return absl::AsciiStrToUpper(text);
      case 1:
        return absl::AsciiStrToLower(text);
      case 2: {
        std::string out = text;
        for (char& c : out) {
          if (absl::ascii_isalpha(c) && OneIn(2)) c ^= 0x20;
        }
        return out;
      }
      default:
        return text;
    }
  }

  // The digits (and check character) `digits` regrouped at random, with
  // one kind of separator or several, maybe with +86 / 0086 / 86 in front.
  std::string Regroup(const std::string& digits, bool phone) {
    static constexpr char kSeparators[] = {' ', '-', '.'};
    const bool mixed = OneIn(3);
    const char one = Pick(kSeparators);
    std::string out;
    if (phone) {
      switch (Below(5)) {
        case 0:
          out = OneIn(2) ? "+86 " : "+86";
          break;
        case 1:
          out = OneIn(2) ? "0086 " : "0086";
          break;
        case 2:
          out = "86";
          break;
        default:
          break;
      }
    }
    size_t group = 0;
    const size_t size = 2 + Below(5);
    for (size_t i = 0; i < digits.size(); ++i) {
      if (group == size && i > 0) {
        out.push_back(mixed ? Pick(kSeparators) : one);
        group = 0;
      }
      char c = digits[i];
      if (c == 'X' && OneIn(2)) c = 'x';
      out.push_back(c);
      ++group;
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

// One generated ledger with what it learned.
struct GeneratedLedger {
  std::unique_ptr<Ledger> ledger;
  std::vector<std::string> person_ids;
  std::vector<std::string> texts;    // names, addresses, workers
  std::vector<std::string> numbers;  // ids and phones: their digits
};

// A person or household's private values, for the notes to quote.
struct Quotable {
  std::string text;
  bool number = false;
  bool phone = false;
};

GeneratedLedger Generate(uint64_t seed) {
  Generator gen(seed);
  GeneratedLedger out;
  out.ledger = Ledger::New(LedgerOptions());
  std::vector<v1::LedgerEvent> events = {
      MakeCounty("c"),          MakeTownship("t1", "c"),
      MakeTownship("t2", "c"),  MakeVillage("v11", "t1"),
      MakeVillage("v12", "t1"), MakeVillage("v21", "t2")};
  const char* const villages[] = {"v11", "v12", "v21"};
  std::vector<Quotable> quotable;
  std::vector<std::string> households;
  const size_t household_count = 3 + gen.Below(4);
  for (size_t h = 0; h < household_count; ++h) {
    const std::string address = gen.Address();
    const std::string worker = gen.Name();
    const std::string id = gen.OneIn(3) ? address : absl::StrCat("h", h + 1);
    v1::LedgerEvent event = MakeHousehold(id, villages[gen.Below(3)], worker);
    event.mutable_household()->set_address(address);
    if (gen.OneIn(2)) event.set_actor(worker);
    events.push_back(event);
    households.push_back(id);
    out.texts.push_back(address);
    out.texts.push_back(worker);
    quotable.push_back({address});
    quotable.push_back({worker});
  }
  const size_t person_count = 6 + gen.Below(8);
  for (size_t p = 0; p < person_count; ++p) {
    const std::string name = gen.Name();
    const std::string national_id = gen.NationalId();
    const std::string phone = gen.Mobile();
    std::string id;
    switch (gen.Below(4)) {
      case 0:
        id = national_id;
        break;
      case 1:
        id = absl::StrCat("x-out-", p + 1, "-", phone);
        break;
      default:
        id = absl::StrCat("p", p + 1);
    }
    v1::LedgerEvent event =
        MakePerson(id, households[gen.Below(households.size())]);
    event.mutable_person()->set_name(name);
    event.mutable_person()->set_national_id(national_id);
    event.mutable_person()->set_phone(gen.RecordedPhone(phone));
    events.push_back(event);
    out.person_ids.push_back(id);
    out.texts.push_back(name);
    out.numbers.push_back(national_id);
    out.numbers.push_back(phone);
    quotable.push_back({name});
    quotable.push_back({national_id, true, false});
    quotable.push_back({phone, true, true});
  }
  // Notes that quote those values in random forms.
  const auto quote = [&](const Quotable& q) {
    std::string value =
        q.number ? gen.Regroup(q.text, q.phone) : gen.Recase(q.text);
    switch (gen.Below(6)) {
      case 0:  // beside another number, registered or not
        return absl::StrCat(value, gen.OneIn(2) ? " " : "-",
                            gen.OneIn(2) ? gen.Mobile() : gen.NationalId());
      case 1:
        return absl::StrCat(gen.Mobile(), " ", value);
      case 2:  // an unregistered id with a suffix
        return absl::StrCat(gen.NationalId(), "-", 1 + gen.Below(9), " ",
                            value);
      case 3:  // inside an id
        return absl::StrCat("x-", value, "-a1");
      default:
        return value;
    }
  };
  const auto note = [&]() {
    std::string text = "seen 2020-01-23 09:00 with";
    const size_t n = 1 + gen.Below(3);
    for (size_t i = 0; i < n; ++i) {
      absl::StrAppend(&text, i == 0 ? " " : ", ",
                      quote(quotable[gen.Below(quotable.size())]));
    }
    return text;
  };
  const absl::Time day = At(2020, 1, 20, 1);
  const size_t exposures = person_count + gen.Below(person_count);
  for (size_t e = 0; e < exposures; ++e) {
    const size_t a = gen.Below(person_count);
    size_t b = gen.Below(person_count);
    if (a == b) b = (b + 1) % person_count;
    const absl::Time start = day + absl::Hours(gen.Below(72));
    v1::LedgerEvent event = MakeExposure(
        out.person_ids[a], out.person_ids[b], start,
        start + absl::Minutes(30 + gen.Below(120)), v1::EXPOSURE_SETTING_WORK);
    event.mutable_exposure()->set_note(note());
    if (gen.OneIn(2)) event.mutable_exposure()->set_id(quote(quotable[0]));
    events.push_back(event);
  }
  for (size_t p = 0; p < person_count; ++p) {
    if (gen.OneIn(3)) {
      events.push_back(MakeDiagnosis(out.person_ids[p], day + absl::Hours(80)));
    }
    if (gen.OneIn(3)) {
      events.push_back(
          MakeQuarantineStart(out.person_ids[p], day + absl::Hours(90)));
    }
    if (gen.OneIn(2)) {
      v1::LedgerEvent check =
          MakeHealthCheck(out.person_ids[p], day + absl::Hours(95));
      check.mutable_health_check()->set_checked_by(
          quote(quotable[gen.Below(quotable.size())]));
      check.mutable_health_check()->add_symptoms(
          quote(quotable[gen.Below(quotable.size())]));
      check.set_actor(gen.Recase(out.texts[1]));
      events.push_back(check);
    }
  }
  EXPECT_OK(out.ledger->AppendBatch(events));
  // Retractions whose reasons quote values too.
  for (size_t r = 0; r < 3; ++r) {
    const uint64_t first_exposure = 6 + household_count + person_count + 1;
    const uint64_t target = first_exposure + 2 * r + gen.Below(2);
    EXPECT_OK(out.ledger->Append(MakeRetraction(target, note())).status());
  }
  return out;
}

// Whether `c` joins two digit groups of one number (RedactText's rule).
bool Joins(char c) { return c == ' ' || c == '-' || c == '.' || c == '/'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// What in `text` breaks the property, or "" when nothing does.
std::string Violation(const std::string& text, const GeneratedLedger& g) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (const std::string& value : g.texts) {
    if (value.size() < 2) continue;
    for (const std::string& form :
         {value, absl::StrReplaceAll(value, {{"\"", "\"\""}}),
          absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}})}) {
      if (absl::StrContains(lower, absl::AsciiStrToLower(form))) {
        return absl::StrCat("holds '", form, "'");
      }
    }
  }
  // Every number: digit groups joined by single separators.
  for (size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    std::vector<std::string> groups(1);
    std::string separators;  // separators[k] joins groups k and k + 1
    size_t j = i;
    while (j < text.size()) {
      if (IsDigit(text[j])) {
        groups.back().push_back(text[j]);
        ++j;
      } else if (Joins(text[j]) && j + 1 < text.size() &&
                 IsDigit(text[j + 1])) {
        separators.push_back(text[j]);
        groups.emplace_back();
        ++j;
      } else {
        break;
      }
    }
    std::string digits = absl::StrJoin(groups, "");
    if (j < text.size() && (text[j] == 'X' || text[j] == 'x')) {
      digits.push_back('X');
    }
    // Its digits but those of dates (YYYY-MM-DD, or with '/' or '.') and of
    // seconds with a fraction (after a ':').
    size_t count = digits.size();
    size_t k = 0;
    if (i > 0 && text[i - 1] == ':' && groups.size() >= 2 &&
        groups[0].size() == 2 && separators[0] == '.' &&
        groups[1].size() <= 9) {
      count -= groups[0].size() + groups[1].size();
      k = 2;
    }
    for (; k + 2 < groups.size(); ++k) {
      if (groups[k].size() == 4 && groups[k + 1].size() <= 2 &&
          groups[k + 2].size() <= 2 && separators[k] != ' ' &&
          separators[k] == separators[k + 1]) {
        count -= groups[k].size() + groups[k + 1].size() + groups[k + 2].size();
        k += 2;
      }
    }
    if (count >= 11) {
      return absl::StrCat("holds a number of ", count, " digits at byte ", i);
    }
    for (const std::string& number : g.numbers) {
      if (absl::StrContains(digits, number)) {
        return absl::StrCat("holds the digits of '", number, "' at byte ", i);
      }
    }
    i = j;
  }
  return "";
}

// Every output of `g`'s ledger, each through the redactor.
std::vector<std::pair<std::string, std::string>> Outputs(
    const GeneratedLedger& g, const Redactor& redactor) {
  std::vector<std::pair<std::string, std::string>> outputs;
  const auto add = [&](std::string what, const std::string& text) {
    outputs.emplace_back(std::move(what), redactor.Text(text));
  };
  const Ledger& ledger = *g.ledger;
  const absl::TimeZone zone = ledger.time_zone();
  // The export: each event redacted field by field, as JSON.
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  for (uint64_t s = 1; s <= ledger.last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    EXPECT_OK(event);
    if (!event.ok()) continue;
    redactor.Redact(&*event);
    std::string line;
    EXPECT_TRUE(
        google::protobuf::util::MessageToJsonString(*event, &line, json).ok());
    add(absl::StrCat("export of event ", s), line);
  }
  // The Tracer's answers.
  QueryOptions query;
  query.at = At(2020, 1, 25);
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(ledger, query);
  EXPECT_OK(tracer);
  if (!tracer.ok()) return outputs;
  const std::vector<RosterEntry> roster = (*tracer)->Roster();
  add("roster csv", WriteRosterCsv(roster, zone));
  add("roster json", WriteRosterJson(roster, zone));
  const std::vector<OpenLoop> loops = (*tracer)->OpenLoops();
  add("loops csv", WriteLoopsCsv(loops, zone));
  add("loops json", WriteLoopsJson(loops, zone));
  absl::StatusOr<std::vector<AreaRollupRow>> rollup =
      (*tracer)->AreaRollup("c");
  EXPECT_OK(rollup);
  if (rollup.ok()) {
    add("rollup csv", WriteAreaRollupCsv(*rollup));
    add("rollup json", WriteAreaRollupJson(*rollup));
  }
  const std::vector<TransmissionChain> chains = (*tracer)->TransmissionChains();
  add("chains csv", WriteTransmissionChainsCsv(chains));
  add("chains json", WriteTransmissionChainsJson(chains));
  add("chains dot", WriteTransmissionChainsDot(chains));
  for (const std::string& id : g.person_ids) {
    absl::StatusOr<Explanation> explanation = (*tracer)->Explain(id);
    if (explanation.ok()) {
      add("explain text", WriteExplanationText(*explanation, zone));
      add("explain csv", WriteExplanationCsv(*explanation, zone));
      add("explain json", WriteExplanationJson(*explanation, zone));
    }
    absl::StatusOr<PassDecision> pass = (*tracer)->MayPass(id, "gate-1");
    if (pass.ok()) {
      add("pass text", WritePassDecisionText(*pass));
      add("pass csv", WritePassDecisionCsv(id, "gate-1", *pass));
      add("pass json", WritePassDecisionJson(id, "gate-1", *pass));
    }
    absl::StatusOr<std::vector<ContactAtDistance>> contacts =
        Contacts(ledger, id, 2, At(2020, 1, 19), At(2020, 1, 25));
    if (contacts.ok()) {
      add("contacts csv", WriteContactsCsv(*contacts));
      add("contacts json", WriteContactsJson(*contacts));
    }
    // The audit trail, each event redacted before it is described.
    absl::StatusOr<std::vector<AuditEntry>> trail = AuditTrail(ledger, id);
    if (trail.ok()) {
      std::vector<std::string> details;
      v1::Person previous;
      bool has_previous = false;
      for (const AuditEntry& entry : *trail) {
        absl::StatusOr<v1::LedgerEvent> event =
            ledger.GetEvent(entry.sequence_number);
        if (!event.ok()) {
          details.emplace_back();
          continue;
        }
        redactor.Redact(&*event);
        details.push_back(AuditEventDetail(
            *event, id, has_previous ? &previous : nullptr, zone));
        if (event->has_person()) {
          previous = event->person();
          has_previous = true;
        }
      }
      add("audit csv", WriteAuditTrailCsv(*trail, details, zone));
      add("audit json", WriteAuditTrailJson(*trail, details, zone));
    }
    // The person's record, redacted, as `show` prints it.
    absl::StatusOr<v1::Person> person = ledger.GetPerson(id, ReadOptions());
    if (person.ok()) {
      redactor.Redact(&*person);
      RecordSheet sheet;
      sheet.kind = "person";
      sheet.id = person->id();
      sheet.fields = RecordFields(*person);
      sheet.related = {{"household", {person->household_id()}}};
      absl::StatusOr<std::vector<RecordVersion>> versions =
          PersonVersions(ledger, id);
      if (versions.ok()) sheet.versions = *versions;
      add("person text", WriteRecordText(sheet, zone));
      add("person json", WriteRecordJson(sheet, zone));
    }
  }
  return outputs;
}

TEST(RedactionPropertyTest, NoLearnedValueOrNumberShapeSurvivesAnyOutput) {
  constexpr uint64_t kLedgers = 60;
  size_t checked = 0, unredacted_leaks = 0;
  for (uint64_t seed = 1; seed <= kLedgers; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const GeneratedLedger g = Generate(seed);
    Redactor redactor;
    ASSERT_OK(redactor.LearnLedger(*g.ledger));
    // Without redaction the values are there, so that the check can fail.
    Redactor nothing_learned;
    for (uint64_t s = 1; s <= g.ledger->last_sequence_number(); ++s) {
      absl::StatusOr<v1::LedgerEvent> event = g.ledger->GetEvent(s);
      ASSERT_OK(event);
      std::string line;
      ASSERT_TRUE(
          google::protobuf::util::MessageToJsonString(*event, &line).ok());
      unredacted_leaks += Violation(line, g).empty() ? 0 : 1;
    }
    for (const auto& [what, text] : Outputs(g, redactor)) {
      ++checked;
      const std::string violation = Violation(text, g);
      EXPECT_EQ(violation, "") << what << ":\n" << text;
    }
  }
  EXPECT_GT(checked, kLedgers * 50);
  EXPECT_GT(unredacted_leaks, kLedgers * 10);
}

// The pattern rules alone, over random numbers in random forms: no run of 11
// digits and no id shape is left, and dates stay.
TEST(RedactionPropertyTest, ShapeRulesAloneHideEveryPhoneAndIdForm) {
  Generator gen(2026);
  const GeneratedLedger none;
  for (int i = 0; i < 20000; ++i) {
    const bool phone = gen.OneIn(2);
    const std::string value = phone ? gen.Mobile() : gen.NationalId();
    std::string text = absl::StrCat("on 2020-02-0", 1 + gen.Below(9), " ",
                                    gen.Regroup(value, phone));
    if (gen.OneIn(2)) {
      absl::StrAppend(
          &text, gen.OneIn(2) ? " " : "-",
          gen.Regroup(gen.OneIn(2) ? gen.Mobile() : gen.NationalId(),
                      gen.OneIn(2)));
    }
    const std::string redacted = RedactText(text);
    ASSERT_EQ(Violation(redacted, none), "") << text << " -> " << redacted;
    ASSERT_TRUE(absl::StartsWith(redacted, text.substr(0, 13)))
        << text << " -> " << redacted;
  }
}

}  // namespace
}  // namespace contactledger
