// Copyright 2026 The ContactLedger Authors.
//
// contactledger/privacy.h: identity validation (GB 11643-1999 resident
// identity numbers, Chinese phone numbers, the kNone rules) and redaction of
// national ids, phones, names, free text and whole records, alone and with a
// Redactor that has learned a ledger's persons. The last tests redact a
// synthetic county's whole export and scan it for every original value.

#include "contactledger/privacy.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testutil::At;
using testutil::MakeCounty;
using testutil::MakeDate;
using testutil::MakeExposure;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::MakeTownship;
using testutil::MakeVillage;
using testutil::StatusIs;

// --- Resident identity numbers (GB 11643-1999). ---

TEST(ResidentId, PublishedExamplesAreValid) {
  // The standard's own example, and ids with a digit check character.
  EXPECT_OK(CheckResidentId("11010519491231002X"));
  EXPECT_OK(CheckResidentId("440524188001010014"));
  EXPECT_OK(CheckResidentId("43000019900101123X"));
  EXPECT_OK(CheckResidentId("431222200002290037"));  // a leap day
  EXPECT_TRUE(IsValidResidentId("330102198001010077"));
}

TEST(ResidentId, CheckCharacterIsIso7064Mod11_2) {
  EXPECT_EQ(ResidentIdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckCharacter("44052418800101001"), '4');
  EXPECT_EQ(ResidentIdCheckCharacter("33010219800101007"), '7');
  EXPECT_EQ(ResidentIdCheckCharacter("3301021980010100"), '\0');  // 16
  EXPECT_EQ(ResidentIdCheckCharacter("3301021980010100A"), '\0');
}

TEST(ResidentId, WrongCheckCharacterNamesTheExpectedOne) {
  EXPECT_THAT(CheckResidentId("110105194912310021"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "check character is '1', expected 'X'"));
  EXPECT_THAT(CheckResidentId("440524188001010017"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "check character is '7', expected '4'"));
  EXPECT_THAT(CheckResidentId("11010519491231002x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "check character is 'x'; it is written 'X'"));
  EXPECT_THAT(CheckResidentId("11010519491231002Y"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a digit or 'X'; expected 'X'")));
}

TEST(ResidentId, ShapeRegionAndBirthDateAreChecked) {
  EXPECT_THAT(CheckResidentId("11010519491231002"),  // 17
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "is 17 characters; a resident identity number has 18 "
                       "(GB 11643-1999)"));
  EXPECT_THAT(CheckResidentId("110105490101002"),  // the old 15-digit form
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is 15 characters")));
  EXPECT_THAT(CheckResidentId("1101051949123100AX"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("character 17 is not a digit")));
  EXPECT_THAT(
      CheckResidentId("990105194912310027"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("starts with 99, which is no province-level")));
  // February 30th, month 13, before 1850, after 2099.
  for (const char* first17 : {"11010519490230002", "11010519491301002",
                              "11010518490101002", "11010521000101002"}) {
    const std::string id = absl::StrCat(
        first17, std::string(1, ResidentIdCheckCharacter(first17)));
    EXPECT_THAT(CheckResidentId(id),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("birth date (characters 7-14, YYYYMMDD) "
                                   "is not a real day")))
        << id;
  }
  // 1900 was not a leap year.
  EXPECT_FALSE(IsValidResidentId(absl::StrCat(
      "43122219000229003",
      std::string(1, ResidentIdCheckCharacter("43122219000229003")))));
}

TEST(ResidentId, ErrorsNeverQuoteTheNumber) {
  for (const char* id : {"110105194912310021", "990105194912310027",
                         "11010519490230002X", "1101051949123100"}) {
    absl::Status status = CheckResidentId(id);
    ASSERT_FALSE(status.ok());
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr(id)));
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("19491231")));
  }
}

// --- Phone numbers. ---

TEST(ChinesePhone, MobileAndFixedLinesWithOrWithoutPlus86AreAccepted) {
  for (const char* phone :
       {"13812345678", "19912345678", "138 1234 5678", "138-1234-5678",
        "+8613812345678", "+86 138 1234 5678", "+86-138-1234-5678",
        "010-12345678", "01012345678", "0745-4221234", "0731-84123456",
        "+86 10 1234 5678", "+86-731-84123456"}) {
    EXPECT_TRUE(CheckChinesePhone(phone).ok()) << CheckChinesePhone(phone);
  }
}

TEST(ChinesePhone, OtherShapesAreRejectedWithTheReason) {
  EXPECT_THAT(CheckChinesePhone("12345678901"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has 11 digits starting 1; expected a "
                                 "mobile number (11 digits starting 13-19)")));
  EXPECT_THAT(
      CheckChinesePhone("1381234567"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has 10 digits")));
  EXPECT_THAT(CheckChinesePhone("138 1234-5678"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "character 9 mixes spaces and hyphens between digit "
                       "groups"));
  EXPECT_THAT(CheckChinesePhone("138  12345678"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("character 5 is a separator where a digit "
                                 "must be")));
  EXPECT_THAT(CheckChinesePhone("(010)12345678"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("character 1 is not a digit")));
  EXPECT_THAT(
      CheckChinesePhone("13812345678-"),
      StatusIs(absl::StatusCode::kInvalidArgument, "ends with a separator"));
  EXPECT_THAT(
      CheckChinesePhone("+86"),
      StatusIs(absl::StatusCode::kInvalidArgument, "has no digits after +86"));
  EXPECT_THAT(CheckChinesePhone("+86 0745 4221234"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("digits after +86")));
  for (const char* phone : {"95588", "400-123-4567", "+1 415 555 0100",
                            "0012345678901", "13812345678 ext 2"}) {
    EXPECT_FALSE(CheckChinesePhone(phone).ok()) << phone;
  }
}

TEST(IdentityRules, NoneAcceptsAnyOneLineText) {
  EXPECT_OK(CheckNationalId("X1234567<ZAF", IdentityRules::kNone));
  EXPECT_OK(CheckPhone("+1 (415) 555-0100", IdentityRules::kNone));
  EXPECT_THAT(CheckPhone("555\n0100", IdentityRules::kNone),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("control character U+000A at byte 3")));
  EXPECT_FALSE(CheckNationalId("X1234567<ZAF", IdentityRules::kChina).ok());
  EXPECT_FALSE(CheckPhone("+1 (415) 555-0100", IdentityRules::kChina).ok());
}

TEST(IdentityRules, NamesParseBothWays) {
  EXPECT_EQ(IdentityRulesName(IdentityRules::kChina), "china");
  EXPECT_EQ(IdentityRulesName(IdentityRules::kNone), "none");
  EXPECT_EQ(*ParseIdentityRules("china"), IdentityRules::kChina);
  EXPECT_EQ(*ParseIdentityRules("none"), IdentityRules::kNone);
  EXPECT_THAT(ParseIdentityRules("China"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown identity rules 'China' (expected china|none)"));
}

// --- Redacting values. ---

TEST(Redact, NationalIdKeepsTheDivisionAndTheLastFour) {
  EXPECT_EQ(RedactNationalId("43122219900101123X"), "431222********123X");
  EXPECT_EQ(RedactNationalId("110105490101002"), "***********1002");
  EXPECT_EQ(RedactNationalId("X1234567<ZAF"), "********<ZAF");
  EXPECT_EQ(RedactNationalId("AB12345"), "*******");
  EXPECT_EQ(RedactNationalId(""), "");
}

TEST(Redact, PhoneKeepsTheFirstThreeAndLastFourDigits) {
  EXPECT_EQ(RedactPhone("13812345678"), "138****5678");
  EXPECT_EQ(RedactPhone("+86 138 1234 5678"), "+86 138 **** 5678");
  EXPECT_EQ(RedactPhone("+8613812345678"), "+86138****5678");
  EXPECT_EQ(RedactPhone("0745-4221234"), "074*-***1234");
  EXPECT_EQ(RedactPhone("+1 (415) 555-0100"), "+1 (41*) ***-0100");
  EXPECT_EQ(RedactPhone("95588"), "*****");  // too short to keep any
  // The last four digits are the last four of the whole text.
  EXPECT_EQ(RedactPhone("13812345678 ext 2"), "138*****678 *** 2");
}

TEST(Redact, NameKeepsItsFirstCharacterNotItsFirstByte) {
  EXPECT_EQ(RedactName("张三丰"), "张**");
  EXPECT_EQ(RedactName("张三"), "张*");
  EXPECT_EQ(RedactName("Zhang San"), "Z********");
  EXPECT_EQ(RedactName("王"), "*");
  EXPECT_EQ(RedactName(""), "");
}

TEST(Redact, TextHidesIdsAndPhonesButKeepsDatesAndNumbers) {
  EXPECT_EQ(RedactText("call 13812345678 or +86 138 1234 5678"),
            "call 138****5678 or +86 138 **** 5678");
  EXPECT_EQ(RedactText("id 43000019900101123X, old 110105490101002"),
            "id 430000********123X, old ***********1002");
  EXPECT_EQ(RedactText("person p43000019900101123X"),
            "person p430000********123X");
  const std::string kept =
      "2020-02-02T09:00:00+08:00 to 2020-02-16, exposures 34927;34928, "
      "file 00000000000000000011.snapshot, 2020-02-02 2020-02-16";
  EXPECT_EQ(RedactText(kept), kept);
}

// Issue 15, finding 3: numbers side by side, grouped otherwise, or
// prefixed otherwise were printed whole.
TEST(Redact, TextHidesTwoPhonesSideBySide) {
  const std::string redacted = RedactText("call 13822223333 13833334444");
  EXPECT_EQ(redacted, "call *********** *******4444");
  EXPECT_THAT(redacted, Not(HasSubstr("13822223333")));
  EXPECT_THAT(redacted, Not(HasSubstr("13833334444")));
}

TEST(Redact, TextHidesAnIdJoinedToAnotherNumber) {
  EXPECT_EQ(RedactText("id 431222199001011234-2"), "id ***************234-2");
  EXPECT_EQ(RedactText("431222199001011234 13811112222"),
            "****************** *******2222");
  EXPECT_EQ(RedactText("tel 13812345678/13987654321"),
            "tel ***********/*******4321");
}

TEST(Redact, TextHidesSpacedDottedAndPrefixedNumbers) {
  EXPECT_EQ(RedactText("id 431222 19900101 123X"), "id 431222 ******** 123X");
  EXPECT_EQ(RedactText("id 431222-1990-01-01-1234"),
            "id 431222-****-**-**-1234");
  EXPECT_EQ(RedactText("tel 138.1234.5678"), "tel 138.****.5678");
  EXPECT_EQ(RedactText("tel 0086 138 1234 5678"), "tel **** *** **** 5678");
  EXPECT_EQ(RedactText("tel 008613812345678"), "tel ***********5678");
  EXPECT_EQ(RedactText("tel +86.138.1234.5678"), "tel +86.138.****.5678");
  EXPECT_EQ(RedactText("tel 86 138 1234 5678"), "tel 86 1** **** 5678");
}

TEST(Redact, TextKeepsDatesBesideANumberAndHidesTheNumber) {
  EXPECT_EQ(RedactText("2020-01-23 13812345678 2020/01/24 09:00"),
            "2020-01-23 138****5678 2020/01/24 09:00");
  EXPECT_EQ(RedactText("from 2020.01.23 to 2020.02.06"),
            "from 2020.01.23 to 2020.02.06");
  // A date written with the separator of the digits around it is no date.
  EXPECT_EQ(RedactText("43-1222-1990-01-01-1234"), "43-1222-****-**-**-1234");
}

// --- Redacting records. ---

v1::Person SomePerson() {
  v1::Person p;
  p.set_id("p1");
  p.set_name("张三丰");
  p.set_national_id("43000019900101123X");
  p.set_phone("13812345678");
  *p.mutable_birth_date() = MakeDate(1990, 1, 1);
  p.set_household_id("h1");
  p.add_tags("returnee");
  v1::TravelEntry* t = p.add_travel_history();
  t->set_place("Wuhan, Hubei");
  return p;
}

TEST(Redact, PersonHidesNameIdPhoneAndBirthDateKeepsTheRest) {
  v1::Person p = SomePerson();
  RedactPerson(&p);
  EXPECT_EQ(p.id(), "p1");
  EXPECT_EQ(p.name(), "张**");
  EXPECT_EQ(p.national_id(), "430000********123X");
  EXPECT_EQ(p.phone(), "138****5678");
  EXPECT_FALSE(p.has_birth_date());
  EXPECT_EQ(p.household_id(), "h1");
  EXPECT_EQ(p.tags(0), "returnee");
  EXPECT_EQ(p.travel_history(0).place(), "Wuhan, Hubei");
}

TEST(Redact, EventHidesAddressesWorkersAndIdsQuotedInText) {
  v1::LedgerEvent household = MakeHousehold("h1", "g1", "李四");
  household.mutable_household()->set_address("1 Main St");
  RedactEvent(&household);
  EXPECT_EQ(household.household().address(), "1********");
  EXPECT_EQ(household.household().responsible_worker(), "李*");
  EXPECT_EQ(household.household().area_id(), "g1");

  v1::LedgerEvent exposure = MakeExposure(
      "43000019900101123X", "p2", At(2020, 1, 22, 8), At(2020, 1, 22, 9));
  exposure.mutable_exposure()->set_note("met at the market, tel 13812345678");
  RedactEvent(&exposure);
  EXPECT_EQ(exposure.exposure().person_a(), "430000********123X");
  EXPECT_EQ(exposure.exposure().note(), "met at the market, tel 138****5678");
  EXPECT_EQ(exposure.exposure().start().seconds(),
            absl::ToUnixSeconds(At(2020, 1, 22, 8)));

  v1::LedgerEvent retraction = MakeRetraction(4, "wrong phone 13812345678");
  RedactEvent(&retraction);
  EXPECT_EQ(retraction.retraction().reason(), "wrong phone 138****5678");
  EXPECT_EQ(retraction.retraction().sequence_number(), 4u);
}

TEST(Redactor, FindsLearnedValuesWhereverTheyAreQuoted) {
  Redactor redactor;
  v1::Person p = SomePerson();
  p.set_phone("5550100");  // a foreign number no pattern would find
  redactor.Learn(p);
  v1::Person foreign;
  foreign.set_id("p2");
  foreign.set_name("Anna \"Ann\" Lee");
  foreign.set_national_id("X1234567<ZAF");
  redactor.Learn(foreign);
  EXPECT_EQ(redactor.learned(), 7u);  // 3 + 2, and 2 escaped forms

  EXPECT_EQ(redactor.Text("household 张三丰家, call 5550100"),
            "household 张**家, call *******");
  EXPECT_EQ(redactor.Text("passport X1234567<ZAF"), "passport ********<ZAF");
  // As CSV and JSON write it.
  EXPECT_EQ(redactor.Text("p2,\"Anna \"\"Ann\"\" Lee\""),
            "p2,\"A*************\"");
  EXPECT_EQ(redactor.Text("{\"name\": \"Anna \\\"Ann\\\" Lee\"}"),
            "{\"name\": \"A*************\"}");
  // Patterns still apply.
  EXPECT_EQ(redactor.Text("13900000000"), "139****0000");

  v1::LedgerEvent event =
      MakeExposure("p1", "p9", At(2020, 1, 22, 8), At(2020, 1, 22, 9));
  event.mutable_exposure()->set_note("张三丰 said Anna \"Ann\" Lee was there");
  redactor.Redact(&event);
  EXPECT_EQ(event.exposure().note(), "张** said A************* was there");
}

TEST(Redactor, ShortValuesAreNotLookedForInText) {
  Redactor redactor;
  v1::Person p;
  p.set_id("p1");
  p.set_name("王");
  p.set_national_id("7");
  p.set_phone("110");
  redactor.Learn(p);
  EXPECT_EQ(redactor.learned(), 0u);
  EXPECT_EQ(redactor.Text("王 7 110"), "王 7 110");
  redactor.Redact(&p);
  EXPECT_EQ(p.name(), "*");
  EXPECT_EQ(p.national_id(), "*");
  EXPECT_EQ(p.phone(), "***");
}

TEST(Redactor, LearnsEveryVersionOfALedgersPersons) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  v1::LedgerEvent first = MakePerson("p1");
  first.mutable_person()->set_name("Zhang Sanfeng");
  v1::LedgerEvent second = MakePerson("p1");
  second.mutable_person()->set_name("Zhang San");
  second.mutable_person()->set_phone("13812345678");
  ASSERT_OK(ledger->AppendBatch({MakeCounty("c"), first, second}));
  ASSERT_OK(ledger->Append(MakeRetraction(3, "typo")));
  Redactor redactor;
  ASSERT_OK(redactor.LearnLedger(*ledger));
  EXPECT_EQ(redactor.Text("Zhang Sanfeng, Zhang San, 13812345678"),
            "Z************, Z********, 138****5678");
}

// Issue 15, finding 3: the red team's county, where household addresses and
// workers were never learned, and names and numbers were found only as
// written.
class RedTeamCountyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = Ledger::New(LedgerOptions());
    v1::LedgerEvent h11 = MakeHousehold("h11", "v11", "Wang Xiaoming");
    h11.mutable_household()->set_address("12 Plum Street");
    v1::LedgerEvent hmove = MakeHousehold("8 Willow Lane #301", "v12", "李华");
    hmove.mutable_household()->set_address("8 Willow Lane #301");
    v1::LedgerEvent a1 = MakePerson("a1", "h11");
    a1.mutable_person()->set_name("Zhao Lei");
    a1.mutable_person()->set_national_id("43122219900101123X");
    a1.mutable_person()->set_phone("13812345678");
    v1::LedgerEvent m1 = MakePerson("m1", "8 Willow Lane #301");
    m1.mutable_person()->set_name("钱多多");
    m1.mutable_person()->set_phone("+86 139 8765 4321");
    ASSERT_OK(ledger_->AppendBatch(
        {MakeCounty("c"), MakeTownship("t1", "c"), MakeTownship("t2", "c"),
         MakeVillage("v11", "t1"), MakeVillage("v12", "t1"),
         MakeVillage("v21", "t2"), h11, hmove, MakeHousehold("h21", "v21"), a1,
         m1}));
    ASSERT_OK(redactor_.LearnLedger(*ledger_));
  }

  std::unique_ptr<Ledger> ledger_;
  Redactor redactor_;
};

TEST_F(RedTeamCountyTest, AddressesAndWorkersAreLearnedAndFoundInNotes) {
  EXPECT_EQ(redactor_.Text("visited 12 Plum Street with Wang Xiaoming"),
            "visited 1************* with W************");
  EXPECT_EQ(redactor_.Text("moved to 8 Willow Lane #301"),
            "moved to 8*****************");
}

TEST_F(RedTeamCountyTest, AHouseholdIdQuotingItsAddressIsRedacted) {
  absl::StatusOr<v1::LedgerEvent> hmove = ledger_->GetEvent(8);
  ASSERT_OK(hmove);
  redactor_.Redact(&*hmove);
  EXPECT_EQ(hmove->household().id(), "8*****************");
  EXPECT_EQ(hmove->household().address(), "8*****************");
  EXPECT_EQ(hmove->household().responsible_worker(), "李*");
  absl::StatusOr<v1::LedgerEvent> m1 = ledger_->GetEvent(11);
  ASSERT_OK(m1);
  redactor_.Redact(&*m1);
  EXPECT_EQ(m1->person().household_id(), "8*****************");
}

TEST_F(RedTeamCountyTest, NamesAreFoundWhateverTheCaseButNotInsideWords) {
  EXPECT_EQ(redactor_.Text("ZHAO LEI and wang xiaoming, 12 PLUM STREET"),
            "Z******* and W************, 1*************");
  // Not inside a longer word: "Zhao Leia" is another name.
  EXPECT_EQ(redactor_.Text("Zhao Leia"), "Zhao Leia");
}

TEST_F(RedTeamCountyTest, LearnedNumbersAreFoundHoweverTheyAreGrouped) {
  EXPECT_EQ(redactor_.Text("id 431222 19900101 123x"),
            "id 431222 ******** 123x");
  EXPECT_EQ(redactor_.Text("tel 0086-138-1234-5678"), "tel 0086-138-****-5678");
  EXPECT_EQ(redactor_.Text("tel 139.8765.4321"), "tel 139.****.4321");
  EXPECT_EQ(redactor_.Text("out-zhao-a1-13987654321"),
            "out-zhao-a1-139****4321");
  EXPECT_EQ(redactor_.Text("p43122219900101123X9"), "p431222********123X9");
}

// A synthetic county, exported and redacted event by event as
// `ledgerctl export --redact` does: no name (of two characters or more),
// national id or phone number of any person is left in the text.
TEST(Redactor, RedactedExportOfACountyHoldsNoOriginalValue) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  SyntheticCountyOptions options;
  options.persons = 300;
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        return ledger->AppendBatch(batch).status();
      });
  ASSERT_OK(summary);
  Redactor redactor;
  ASSERT_OK(redactor.LearnLedger(*ledger));
  std::vector<std::string> originals;
  std::string plain, redacted;
  for (uint64_t s = 1; s <= ledger->last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger->GetEvent(s);
    ASSERT_OK(event);
    if (event->has_person()) {
      const v1::Person& p = event->person();
      originals.push_back(p.name());
      originals.push_back(p.national_id());
      originals.push_back(p.phone());
      originals.push_back(p.national_id().substr(6, 8));  // the birth date
    }
    std::string line;
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(*event, &line).ok());
    absl::StrAppend(&plain, line, "\n");
    redactor.Redact(&*event);
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(*event, &line).ok());
    absl::StrAppend(&redacted, redactor.Text(line), "\n");
  }
  ASSERT_GE(originals.size(), 4u * 300);
  int present_before = 0;
  for (const std::string& value : originals) {
    present_before += absl::StrContains(plain, value) ? 1 : 0;
    EXPECT_FALSE(absl::StrContains(redacted, value)) << value;
  }
  EXPECT_EQ(present_before, static_cast<int>(originals.size()));
  // What is kept is still there: ids, the division codes, the phone ends.
  EXPECT_THAT(redacted, HasSubstr("\"id\":\"p00000000\""));
  EXPECT_THAT(redacted, HasSubstr("\"nationalId\":\"431222********"));
}

}  // namespace
}  // namespace contactledger
