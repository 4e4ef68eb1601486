// Copyright 2026 The ContactLedger Authors.
//
// SyntheticFeed: the synthetic county (contactledger::GenerateSyntheticCounty)
// fed into the ledger day by day, in step with the story.

#ifndef EXAMPLES_COUNTY_DRILL_SYNTHETIC_FEED_H_
#define EXAMPLES_COUNTY_DRILL_SYNTHETIC_FEED_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/v1/ledger.pb.h"

namespace county_drill {

// GenerateSyntheticCounty streams its events to a callback in one go. The
// feed runs it on a thread of its own and holds each exposure back until the
// story has reached the morning after its day: ReleaseThrough(day) lets the
// exposures of the days up to `day` through and returns once they are all
// recorded. The register (areas, households, persons) goes through at once,
// with the returnees' tags and travel taken out: carpet screening records
// those later, in the story. Exposures of a person who is in hospital or
// centralized quarantine at the time are not recorded.
//
// A second thread appends what the generator makes, so that generating and
// indexing overlap; batches of about a thousand events keep both in cache.
//
// An error of the generator or of an append ends the drill (Check).
class SyntheticFeed {
 public:
  // Unix seconds [from, to): the spans in which a person's exposures are not
  // recorded.
  using Intervals = std::vector<std::pair<int64_t, int64_t>>;

  // `removed`, per person id, is read only while the story waits for the
  // feed (in Start, ReleaseThrough and Finish); both must outlive the feed.
  SyntheticFeed(contactledger::Ledger* ledger,
                const absl::flat_hash_map<std::string, Intervals>* removed)
      : ledger_(ledger), removed_(removed) {}

  ~SyntheticFeed() {
    if (generator_.joinable()) Finish();
  }

  // Starts the generator; returns once the register is recorded.
  void Start(const contactledger::SyntheticCountyOptions& options);

  // Lets the exposures that start before the end of `day` through, and
  // returns when they are recorded.
  void ReleaseThrough(absl::CivilDay day);

  // After the last day: lets the rest through and waits for the generator.
  void Finish();

  // The persons the register came with tags or travel (the returnees), as
  // the generator made them.
  std::vector<contactledger::v1::Person> TakeReturnees() {
    return std::move(returnees_);
  }

  // Exposures not recorded because a person was in hospital or centralized
  // quarantine.
  int64_t dropped() const { return dropped_; }
  // Time the writer spent appending.
  absl::Duration append_time() const { return append_time_; }

 private:
  // Until the generator waits for the story (or is done) and everything it
  // made is recorded.
  void Wait();
  bool Removed(const contactledger::v1::Exposure& exposure) const;
  // The generator's callback: holds back what may not go yet, filters, and
  // queues the rest for the writer.
  absl::Status Sink(std::vector<contactledger::v1::LedgerEvent>& batch);
  void WriteLoop();

  contactledger::Ledger* const ledger_;
  const absl::flat_hash_map<std::string, Intervals>* const removed_;
  std::thread generator_;
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t limit_seconds_ = 0;  // exposures starting before this may go
  bool paused_ = false;        // the generator waits for the story
  bool done_ = false;          // the generator has finished
  std::deque<std::vector<contactledger::v1::LedgerEvent>> queue_;  // writer's
  bool writing_ = false;
  bool stop_ = false;
  absl::Status status_;  // the first error of either thread
  // Owned by the generator thread while it runs.
  std::vector<contactledger::v1::Person> returnees_;
  int64_t dropped_ = 0;
  // Owned by the writer thread while it runs.
  absl::Duration append_time_;
};

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_SYNTHETIC_FEED_H_
