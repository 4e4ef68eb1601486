// Copyright 2026 The ContactLedger Authors.
//
// tests/ledger_test_util.h: helpers shared by the ledger tests: a fake
// clock, status macros and matchers, and short builders for ledger events.
// Uses only the public API (contactledger/ledger.h and the schema).

#ifndef CONTACTLEDGER_TESTS_LEDGER_TEST_UTIL_H_
#define CONTACTLEDGER_TESTS_LEDGER_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace testutil {

// ---------------------------------------------------------------------------
// Status helpers.

inline absl::Status ToStatus(const absl::Status& status) { return status; }
template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

#define CL_TEST_CONCAT_INNER_(x, y) x##y
#define CL_TEST_CONCAT_(x, y) CL_TEST_CONCAT_INNER_(x, y)

// Asserts / expects that a Status or StatusOr is OK, printing it if not.
#define ASSERT_OK(expr)                                   \
  do {                                                    \
    const absl::Status cl_test_status_ =                  \
        ::contactledger::testutil::ToStatus(expr);        \
    ASSERT_TRUE(cl_test_status_.ok()) << cl_test_status_; \
  } while (false)
#define EXPECT_OK(expr)                                   \
  do {                                                    \
    const absl::Status cl_test_status_ =                  \
        ::contactledger::testutil::ToStatus(expr);        \
    EXPECT_TRUE(cl_test_status_.ok()) << cl_test_status_; \
  } while (false)

// ASSERT_OK_AND_ASSIGN(auto x, StatusOrExpression);
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  CL_TEST_ASSERT_OK_AND_ASSIGN_IMPL_(    \
      CL_TEST_CONCAT_(cl_test_status_or_, __LINE__), lhs, rexpr)
#define CL_TEST_ASSERT_OK_AND_ASSIGN_IMPL_(status_or, lhs, rexpr) \
  auto status_or = (rexpr);                                       \
  ASSERT_TRUE(status_or.ok()) << status_or.status();              \
  lhs = std::move(status_or).value()

// Matches an absl::Status or absl::StatusOr<T> whose code is `code` and whose
// message matches `message_matcher`.
MATCHER_P2(
    StatusIs, code, message_matcher,
    "status code " + ::testing::PrintToString(code) + " and a message that " +
        ::testing::DescribeMatcher<const std::string&>(message_matcher)) {
  const absl::Status status = ::contactledger::testutil::ToStatus(arg);
  *result_listener << "whose status is " << status;
  if (status.code() != code) return false;
  return ::testing::ExplainMatchResult(
      message_matcher, std::string(status.message()), result_listener);
}

// Matches a Status / StatusOr with the given code, whatever the message.
MATCHER_P(StatusCodeIs, code, "status code " + ::testing::PrintToString(code)) {
  const absl::Status status = ::contactledger::testutil::ToStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code;
}

// Case-insensitive substring.
MATCHER_P(HasSubstrIgnoringCase, substring,
          "contains \"" + std::string(substring) + "\" (ignoring case)") {
  return absl::StrContains(absl::AsciiStrToLower(std::string(arg)),
                           absl::AsciiStrToLower(std::string(substring)));
}

// Matches a string that contains any of `words`, ignoring case.
inline ::testing::Matcher<const std::string&> MentionsAny(
    const std::vector<std::string>& words) {
  std::vector<::testing::Matcher<const std::string&>> matchers;
  matchers.reserve(words.size());
  for (const std::string& word : words) {
    matchers.push_back(HasSubstrIgnoringCase(word));
  }
  return ::testing::AnyOfArray(matchers);
}

// Matches a message naming the field `name` as a whole word (so that "id"
// is not found inside "invalid" or "person_id"); a dotted path such as
// "area.id" or "travel_history[0].place" names its last component.
inline ::testing::Matcher<const std::string&> NamesField(
    const std::string& name) {
  return ::testing::ContainsRegex("(^|[^_a-z])" + name + "([^_a-z]|$)");
}

// Reasons, worded loosely so that any clear message passes.
inline ::testing::Matcher<const std::string&> ReasonRequired() {
  return MentionsAny({"required", "empty", "missing", "must be set", "not set",
                      "must not be unset"});
}
inline ::testing::Matcher<const std::string&> ReasonUnknownReference() {
  return MentionsAny({"unknown", "not found", "no such", "not recorded",
                      "does not exist", "doesn't exist", "not exist",
                      "undefined", "not registered", "never recorded",
                      "no area", "no household"});
}
inline ::testing::Matcher<const std::string&> ReasonOutOfRange() {
  return MentionsAny(
      {"range", "between", "30", "45", "nan", "finite", "not a number"});
}
inline ::testing::Matcher<const std::string&> ReasonBadEnum() {
  return MentionsAny({"unspecified", "unknown", "invalid", "not a valid",
                      "required", "99", "not a known", "unrecognized"});
}
inline ::testing::Matcher<const std::string&> ReasonNanos() {
  return MentionsAny(
      {"nanos", "whole second", "fraction", "sub-second", "subsecond"});
}
inline ::testing::Matcher<const std::string&> ReasonBadDate() {
  return MentionsAny({"invalid", "not a real", "not a valid", "day", "month",
                      "year", "range", "exist"});
}
inline ::testing::Matcher<const std::string&> ReasonOrder() {
  return MentionsAny(
      {"after", "before", "<=", ">", "later", "earlier", "precede"});
}

// The InvalidArgument status an event fails with, naming `field` and
// matching `reason`.
template <typename ReasonMatcher>
auto InvalidArgumentNaming(const std::string& field, ReasonMatcher reason) {
  return StatusIs(absl::StatusCode::kInvalidArgument,
                  ::testing::AllOf(NamesField(field), reason));
}

// Matches a protobuf message equal to `expected`.
MATCHER_P(EqualsProto, expected,
          "equals " + ::testing::PrintToString(expected.ShortDebugString())) {
  if (google::protobuf::util::MessageDifferencer::Equals(arg, expected)) {
    return true;
  }
  *result_listener << "which is " << arg.ShortDebugString();
  return false;
}

// ---------------------------------------------------------------------------
// Time.

// An instant given as a civil time in UTC.
inline absl::Time At(int year, int month, int day, int hour = 0, int minute = 0,
                     int second = 0) {
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::UTCTimeZone());
}

inline google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(
      (time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return timestamp;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// A clock the test sets by hand. Optionally advances by `step` after every
// reading. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}

  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    const absl::Time now = now_;
    now_ += step_;
    ++readings_;
    return now;
  }

  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }
  void Advance(absl::Duration duration) {
    absl::MutexLock lock(&mu_);
    now_ += duration;
  }
  void SetStep(absl::Duration step) {
    absl::MutexLock lock(&mu_);
    step_ = step;
  }
  int64_t readings() const {
    absl::MutexLock lock(&mu_);
    return readings_;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  absl::Duration step_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  int64_t readings_ ABSL_GUARDED_BY(mu_) = 0;
};

// ---------------------------------------------------------------------------
// Event builders.

inline v1::Date MakeDate(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline v1::LedgerEvent MakeArea(const std::string& id, v1::AreaLevel level,
                                const std::string& parent_id = "",
                                const std::string& name = "") {
  v1::LedgerEvent event;
  v1::Area* area = event.mutable_area();
  area->set_id(id);
  area->set_level(level);
  area->set_parent_id(parent_id);
  area->set_name(name);
  return event;
}

inline v1::LedgerEvent MakeCounty(const std::string& id) {
  return MakeArea(id, v1::AREA_LEVEL_COUNTY);
}
inline v1::LedgerEvent MakeTownship(const std::string& id,
                                    const std::string& parent_id) {
  return MakeArea(id, v1::AREA_LEVEL_TOWNSHIP, parent_id);
}
inline v1::LedgerEvent MakeVillage(const std::string& id,
                                   const std::string& parent_id) {
  return MakeArea(id, v1::AREA_LEVEL_VILLAGE, parent_id);
}
inline v1::LedgerEvent MakeGrid(const std::string& id,
                                const std::string& parent_id) {
  return MakeArea(id, v1::AREA_LEVEL_GRID, parent_id);
}

inline v1::LedgerEvent MakeHousehold(const std::string& id,
                                     const std::string& area_id,
                                     const std::string& worker = "") {
  v1::LedgerEvent event;
  v1::Household* household = event.mutable_household();
  household->set_id(id);
  household->set_area_id(area_id);
  household->set_responsible_worker(worker);
  return event;
}

inline v1::LedgerEvent MakePerson(const std::string& id,
                                  const std::string& household_id = "",
                                  const std::string& area_id = "") {
  v1::LedgerEvent event;
  v1::Person* person = event.mutable_person();
  person->set_id(id);
  person->set_household_id(household_id);
  person->set_area_id(area_id);
  return event;
}

inline v1::LedgerEvent MakePersonWithNationalId(
    const std::string& id, const std::string& national_id) {
  v1::LedgerEvent event = MakePerson(id);
  event.mutable_person()->set_national_id(national_id);
  return event;
}

inline v1::LedgerEvent MakeExposure(
    const std::string& person_a, const std::string& person_b, absl::Time start,
    absl::Time end,
    v1::ExposureSetting setting = v1::EXPOSURE_SETTING_HOUSEHOLD) {
  v1::LedgerEvent event;
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_person_a(person_a);
  exposure->set_person_b(person_b);
  *exposure->mutable_start() = ToProto(start);
  *exposure->mutable_end() = ToProto(end);
  exposure->set_setting(setting);
  return event;
}

inline v1::LedgerEvent MakeDiagnosis(
    const std::string& person_id, absl::Time time,
    v1::DiagnosisStatus status = v1::DIAGNOSIS_STATUS_CONFIRMED) {
  v1::LedgerEvent event;
  v1::Diagnosis* diagnosis = event.mutable_diagnosis();
  diagnosis->set_person_id(person_id);
  diagnosis->set_status(status);
  *diagnosis->mutable_time() = ToProto(time);
  return event;
}

inline v1::LedgerEvent MakeQuarantineStart(
    const std::string& person_id, absl::Time time,
    v1::QuarantinePlace place = v1::QUARANTINE_PLACE_CENTRALIZED) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(person_id);
  action->set_action(v1::QUARANTINE_ACTION_KIND_START);
  action->set_place(place);
  *action->mutable_time() = ToProto(time);
  return event;
}

inline v1::LedgerEvent MakeQuarantineEnd(const std::string& person_id,
                                         absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(person_id);
  action->set_action(v1::QUARANTINE_ACTION_KIND_END);
  *action->mutable_time() = ToProto(time);
  return event;
}

inline v1::LedgerEvent MakeHealthCheck(const std::string& person_id,
                                       absl::Time time,
                                       double temperature_celsius = 36.6) {
  v1::LedgerEvent event;
  v1::HealthCheck* check = event.mutable_health_check();
  check->set_person_id(person_id);
  *check->mutable_time() = ToProto(time);
  check->set_temperature_celsius(temperature_celsius);
  return event;
}

inline v1::LedgerEvent MakePassage(
    const std::string& person_id, const std::string& checkpoint_id,
    absl::Time time,
    v1::PassageDirection direction = v1::PASSAGE_DIRECTION_OUT) {
  v1::LedgerEvent event;
  v1::CheckpointPassage* passage = event.mutable_checkpoint_passage();
  passage->set_person_id(person_id);
  passage->set_checkpoint_id(checkpoint_id);
  *passage->mutable_time() = ToProto(time);
  passage->set_direction(direction);
  return event;
}

inline v1::LedgerEvent MakeRetraction(uint64_t sequence_number,
                                      const std::string& reason = "") {
  v1::LedgerEvent event;
  v1::Retraction* retraction = event.mutable_retraction();
  retraction->set_sequence_number(sequence_number);
  retraction->set_reason(reason);
  return event;
}

// ---------------------------------------------------------------------------
// Read options.

inline ReadOptions KnownAt(absl::Time known_at) {
  ReadOptions options;
  options.known_at = known_at;
  return options;
}

inline ReadOptions UpTo(uint64_t sequence_limit) {
  ReadOptions options;
  options.sequence_limit = sequence_limit;
  return options;
}

inline ReadOptions Everything() { return ReadOptions(); }

// The sequence numbers of recorded bodies, in the order given.
template <typename Body>
std::vector<uint64_t> SequenceNumbers(
    const std::vector<Recorded<Body>>& recorded) {
  std::vector<uint64_t> numbers;
  numbers.reserve(recorded.size());
  for (const Recorded<Body>& r : recorded) numbers.push_back(r.sequence_number);
  return numbers;
}

// ---------------------------------------------------------------------------
// A fixture holding a ledger driven by a FakeClock.

// The fake clock's initial reading.
inline absl::Time DefaultStartTime() { return At(2020, 1, 20, 8, 0, 0); }

class LedgerTestBase : public ::testing::Test {
 protected:
  LedgerTestBase() : clock_(DefaultStartTime()) {
    LedgerOptions options;
    options.clock = &clock_;
    ledger_ = Ledger::New(options);
  }

  // Appends one event that must be accepted; returns its sequence number
  // (0 after recording a test failure).
  uint64_t Add(const v1::LedgerEvent& event) {
    absl::StatusOr<uint64_t> sequence_number = ledger_->Append(event);
    EXPECT_TRUE(sequence_number.ok())
        << sequence_number.status() << "\nevent: " << event.ShortDebugString();
    return sequence_number.ok() ? *sequence_number : 0;
  }

  // Appends a batch that must be accepted; returns its sequence numbers.
  std::vector<uint64_t> AddBatch(const std::vector<v1::LedgerEvent>& events) {
    absl::StatusOr<std::vector<uint64_t>> numbers =
        ledger_->AppendBatch(events);
    EXPECT_TRUE(numbers.ok()) << numbers.status();
    return numbers.ok() ? *numbers : std::vector<uint64_t>();
  }

  // Sets the clock to `time` and appends `event` (recorded at `time`).
  uint64_t AddAt(absl::Time time, const v1::LedgerEvent& event) {
    clock_.Set(time);
    return Add(event);
  }

  FakeClock clock_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace testutil
}  // namespace contactledger

#endif  // CONTACTLEDGER_TESTS_LEDGER_TEST_UTIL_H_
