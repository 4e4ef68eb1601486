// Copyright 2026 The ContactLedger Authors.
//
// The synthetic county fed into the ledger day by day (synthetic_feed.h): the
// generator thread, the writer thread, and the hand-over between them and
// the story.

#include "county_drill/synthetic_feed.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/synthetic.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"

namespace county_drill {

namespace v1 = ::contactledger::v1;

void SyntheticFeed::Start(
    const contactledger::SyntheticCountyOptions& options) {
  limit_seconds_ = absl::ToUnixSeconds(absl::FromCivil(kFirstDay, Zone()));
  writer_ = std::thread([this] { WriteLoop(); });
  generator_ = std::thread([this, options] {
    absl::StatusOr<contactledger::SyntheticCountySummary> summary =
        contactledger::GenerateSyntheticCounty(
            options, [this](std::vector<v1::LedgerEvent>& batch) {
              return Sink(batch);
            });
    std::lock_guard<std::mutex> lock(mu_);
    if (!summary.ok() && status_.ok()) status_ = summary.status();
    done_ = true;
    cv_.notify_all();
  });
  Wait();
}

void SyntheticFeed::ReleaseThrough(absl::CivilDay day) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    limit_seconds_ = absl::ToUnixSeconds(absl::FromCivil(day + 1, Zone()));
    paused_ = false;
  }
  cv_.notify_all();
  Wait();
}

void SyntheticFeed::Finish() {
  ReleaseThrough(absl::CivilDay(9999, 1, 1));
  generator_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void SyntheticFeed::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] {
    return (paused_ || done_) && queue_.empty() && !writing_;
  });
  Check(status_, "synthetic county");
}

bool SyntheticFeed::Removed(const v1::Exposure& exposure) const {
  if (removed_->empty()) return false;
  const int64_t start = exposure.start().seconds();
  for (const std::string* id : {&exposure.person_a(), &exposure.person_b()}) {
    auto it = removed_->find(*id);
    if (it == removed_->end()) continue;
    for (const auto& [from, to] : it->second) {
      if (start >= from && start < to) return true;
    }
  }
  return false;
}

absl::Status SyntheticFeed::Sink(std::vector<v1::LedgerEvent>& batch) {
  const size_t n = batch.size();
  size_t i = 0;
  while (i < n) {
    int64_t limit;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto may_go = [&] {
        return !status_.ok() || !batch[i].has_exposure() ||
               batch[i].exposure().start().seconds() < limit_seconds_;
      };
      if (!may_go()) {
        paused_ = true;
        cv_.notify_all();
        cv_.wait(lock, may_go);
      }
      if (!status_.ok()) return status_;
      limit = limit_seconds_;
    }
    std::vector<v1::LedgerEvent> out;
    out.reserve(n - i);
    for (; i < n && (!batch[i].has_exposure() ||
                     batch[i].exposure().start().seconds() < limit);
         ++i) {
      v1::LedgerEvent& event = batch[i];
      if (event.has_exposure()) {
        if (Removed(event.exposure())) {
          ++dropped_;
          continue;
        }
        event.set_actor("grid workers (contact records)");
      } else {
        event.set_actor("county household register");
        if (event.has_person() && (event.person().tags_size() > 0 ||
                                   event.person().travel_history_size() > 0)) {
          returnees_.push_back(event.person());
          event.mutable_person()->clear_tags();
          event.mutable_person()->clear_travel_history();
        }
      }
      out.push_back(std::move(event));
    }
    if (out.empty()) continue;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < 4 || !status_.ok(); });
    if (!status_.ok()) return status_;
    queue_.push_back(std::move(out));
    cv_.notify_all();
  }
  return absl::OkStatus();
}

void SyntheticFeed::WriteLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return !queue_.empty() || stop_; });
    if (queue_.empty()) return;
    std::vector<v1::LedgerEvent> events = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    cv_.notify_all();
    lock.unlock();
    const absl::Time start = absl::Now();
    absl::Status status = ledger_->AppendBatch(events).status();
    events.clear();
    append_time_ += absl::Now() - start;
    lock.lock();
    writing_ = false;
    if (!status.ok() && status_.ok()) status_ = status;
    cv_.notify_all();
  }
}

}  // namespace county_drill
