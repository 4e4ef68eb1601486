// LedgerState's apply path for recorded batches (lib/state/ledger_state.h):
// what log replay uses, and what a follower applying a leader's batches will.
// A batch that carries its sequence numbers and record time is applied only
// when it continues the state exactly; anything else is DataLoss naming the
// numbers, and changes nothing.

#include "lib/state/ledger_state.h"

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/state/reader.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;

v1::LedgerEvent Area(const std::string& id, const std::string& parent) {
  v1::LedgerEvent event;
  event.mutable_area()->set_id(id);
  event.mutable_area()->set_level(parent.empty() ? v1::AREA_LEVEL_COUNTY
                                                 : v1::AREA_LEVEL_TOWNSHIP);
  event.mutable_area()->set_parent_id(parent);
  event.mutable_area()->set_name(id);
  return event;
}

// A batch of `events` numbered from `first`, recorded at `seconds`.
v1::EventBatch Batch(uint64_t first, int64_t seconds,
                     std::initializer_list<v1::LedgerEvent> events) {
  v1::EventBatch batch;
  uint64_t sequence = first;
  for (const v1::LedgerEvent& e : events) {
    v1::LedgerEvent* event = batch.add_events();
    *event = e;
    event->set_sequence_number(sequence++);
    internal::SetTimestamp(absl::FromUnixSeconds(seconds),
                           event->mutable_record_time());
  }
  return batch;
}

class LedgerStateTest : public ::testing::Test {
 protected:
  // Checks and applies `batch` as replay does.
  absl::Status Apply(const v1::EventBatch& batch, bool recovering = false,
                     uint64_t lost_allowed = 0) {
    internal::LedgerWriter writer(state_);
    if (absl::Status s = state_.CheckRecorded(batch, recovering, lost_allowed);
        !s.ok()) {
      return s;
    }
    lost_ += state_.ApplyRecorded(batch);
    return absl::OkStatus();
  }

  internal::LedgerState state_{absl::UTCTimeZone()};
  uint64_t lost_ = 0;
};

TEST_F(LedgerStateTest, RecordedBatchesKeepTheirNumbersAndRecordTimes) {
  ASSERT_TRUE(Apply(Batch(1, 1000, {Area("c", "")})).ok());
  ASSERT_TRUE(Apply(Batch(2, 2000, {Area("t1", "c"), Area("t2", "c")})).ok());
  EXPECT_EQ(state_.last_sequence_number(), 3u);
  absl::StatusOr<v1::LedgerEvent> event = state_.GetEvent(3, ReadOptions());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->area().id(), "t2");
  EXPECT_EQ(event->record_time().seconds(), 2000);
  // As known at the first batch's record time, the townships are not there.
  ReadOptions then;
  then.known_at = absl::FromUnixSeconds(1000);
  EXPECT_TRUE(state_.GetArea("c", then).ok());
  EXPECT_EQ(state_.GetArea("t1", then).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<std::string>> children =
      state_.ChildAreas("c", ReadOptions());
  ASSERT_TRUE(children.ok());
  EXPECT_THAT(*children, ::testing::ElementsAre("t1", "t2"));
}

TEST_F(LedgerStateTest, AGapIsDataLossNamingTheMissingNumbers) {
  ASSERT_TRUE(Apply(Batch(1, 1000, {Area("c", "")})).ok());
  const absl::Status status = Apply(Batch(4, 2000, {Area("t1", "c")}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(),
              HasSubstr("sequence numbers 2 to 3 are missing"));
  EXPECT_EQ(state_.last_sequence_number(), 1u);
  EXPECT_EQ(state_.GetArea("t1", ReadOptions()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LedgerStateTest, ABatchAlreadyAppliedIsRefused) {
  ASSERT_TRUE(Apply(Batch(1, 1000, {Area("c", ""), Area("t1", "c")})).ok());
  const absl::Status status = Apply(Batch(2, 1000, {Area("t9", "c")}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("already at 2"));
  EXPECT_EQ(state_.last_sequence_number(), 2u);
}

TEST_F(LedgerStateTest, RecordTimesMustNotGoBackOrDifferWithinABatch) {
  ASSERT_TRUE(Apply(Batch(1, 2000, {Area("c", "")})).ok());
  absl::Status status = Apply(Batch(2, 1000, {Area("t1", "c")}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("before the previous batch's"));

  v1::EventBatch mixed = Batch(2, 3000, {Area("t1", "c"), Area("t2", "c")});
  mixed.mutable_events(1)->mutable_record_time()->set_seconds(3001);
  status = Apply(mixed);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("differ in record time"));

  v1::EventBatch renumbered =
      Batch(2, 3000, {Area("t1", "c"), Area("t2", "c")});
  renumbered.mutable_events(1)->set_sequence_number(7);
  status = Apply(renumbered);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(),
              HasSubstr("batch event 2 has sequence number 7, expected 3"));
  EXPECT_EQ(state_.last_sequence_number(), 1u);
  EXPECT_EQ(Apply(v1::EventBatch()).code(), absl::StatusCode::kDataLoss);
}

TEST_F(LedgerStateTest, RecoveringMarksSkippedNumbersLost) {
  ASSERT_TRUE(Apply(Batch(1, 1000, {Area("c", "")})).ok());
  // Damage skipped before this batch could have held up to 5 events.
  ASSERT_TRUE(Apply(Batch(4, 2000, {Area("t1", "c")}), /*recovering=*/true,
                    /*lost_allowed=*/5)
                  .ok());
  EXPECT_EQ(lost_, 2u);
  EXPECT_EQ(state_.last_sequence_number(), 4u);
  EXPECT_EQ(state_.GetEvent(2, ReadOptions()).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(state_.GetArea("t1", ReadOptions()).ok());
  // More missing numbers than the damage could have held is damage itself.
  EXPECT_EQ(Apply(Batch(20, 3000, {Area("t2", "c")}), true, 5).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace contactledger
