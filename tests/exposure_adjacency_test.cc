// Copyright 2026 The ContactLedger Authors.
//
// The per-person exposure adjacency (lib/index/tables.h, ExposureTable): a
// compacted CSR base plus a linked tail of recent rows, merged when the tail
// reaches a quarter of the rows (at least 65,536). These tests append enough
// exposures to compact several times, out of time order, with far-off start
// times (before 1970, after 2106) and retractions, and check every person's
// ExposuresOf and Contacts against a brute-force model, before and after
// a snapshot reopen and at earlier cuts. The zone map (MayOverlap) is
// checked against every row for many windows.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "gtest/gtest.h"
#include "lib/index/tables.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using testutil::At;
using testutil::MakeExposure;
using testutil::MakeRetraction;

struct ModelExposure {
  uint64_t sequence = 0;
  int a = 0;
  int b = 0;
  int64_t start = 0;
  int64_t end = 0;
  bool retracted = false;
};

std::string PersonName(int i) { return absl::StrCat("p", i); }

// Builds a ledger of `count` exposures among `persons` persons in batches,
// retracting every 97th exposure, and keeps the model.
class AdjacencyWorld {
 public:
  AdjacencyWorld(int persons, int count, uint32_t seed)
      : persons_(persons), count_(count), rng_(seed) {}

  void Fill(Ledger& ledger) {
    std::uniform_int_distribution<int> who(0, persons_ - 1);
    // Mostly January 2020, some far before 1970 and after 2106.
    std::uniform_int_distribution<int64_t> minute(0, 31 * 24 * 60);
    std::uniform_int_distribution<int> kind(0, 99);
    const int64_t base = absl::ToUnixSeconds(At(2020, 1, 1));
    std::vector<v1::LedgerEvent> batch;
    std::vector<ModelExposure> pending;
    for (int i = 0; i < count_; ++i) {
      ModelExposure e;
      e.a = who(rng_);
      do {
        e.b = who(rng_);
      } while (e.b == e.a);
      const int k = kind(rng_);
      if (k == 0) {
        e.start = absl::ToUnixSeconds(At(1960, 5, 1)) + minute(rng_) * 60;
      } else if (k == 1) {
        e.start = absl::ToUnixSeconds(At(2107, 5, 1)) + minute(rng_) * 60;
      } else {
        e.start = base + minute(rng_) * 60;
      }
      e.end = e.start + 60 * (1 + minute(rng_) % 240);
      batch.push_back(MakeExposure(PersonName(e.a), PersonName(e.b),
                                   absl::FromUnixSeconds(e.start),
                                   absl::FromUnixSeconds(e.end)));
      pending.push_back(e);
      if (batch.size() == 5000 || i + 1 == count_) {
        absl::StatusOr<std::vector<uint64_t>> seqs = ledger.AppendBatch(batch);
        ASSERT_TRUE(seqs.ok()) << seqs.status();
        for (size_t j = 0; j < pending.size(); ++j) {
          pending[j].sequence = (*seqs)[j];
          exposures_.push_back(pending[j]);
        }
        batch.clear();
        pending.clear();
        // Retract every 97th exposure recorded so far and not yet retracted.
        std::vector<v1::LedgerEvent> retractions;
        std::vector<size_t> which;
        for (size_t j = next_retraction_; j < exposures_.size(); j += 97) {
          retractions.push_back(MakeRetraction(exposures_[j].sequence));
          which.push_back(j);
          next_retraction_ = j + 97;
        }
        if (!retractions.empty()) {
          ASSERT_TRUE(ledger.AppendBatch(retractions).ok());
          for (size_t j : which) exposures_[j].retracted = true;
          retraction_sequences_.push_back(ledger.last_sequence_number());
        }
      }
    }
  }

  // The model's answer to ExposuresOf(p, from, to) as sequence numbers,
  // seeing events up to `limit`.
  std::vector<uint64_t> ExpectedExposures(int p, int64_t from, int64_t to,
                                          uint64_t limit,
                                          uint64_t retracted_by_limit) const {
    std::vector<std::pair<int64_t, uint64_t>> found;
    for (const ModelExposure& e : exposures_) {
      if (e.sequence > limit) continue;
      if (e.a != p && e.b != p) continue;
      if (e.start > to || e.end < from) continue;
      if (e.retracted && retracted_by_limit) continue;
      found.push_back({e.start, e.sequence});
    }
    std::sort(found.begin(), found.end());
    std::vector<uint64_t> out;
    for (const auto& f : found) out.push_back(f.second);
    return out;
  }

  const std::vector<ModelExposure>& exposures() const { return exposures_; }
  int persons() const { return persons_; }

 private:
  int persons_;
  int count_;
  std::mt19937 rng_;
  std::vector<ModelExposure> exposures_;
  size_t next_retraction_ = 0;
  std::vector<uint64_t> retraction_sequences_;
};

std::vector<uint64_t> Sequences(
    const std::vector<Recorded<v1::Exposure>>& recorded) {
  std::vector<uint64_t> out;
  for (const auto& r : recorded) out.push_back(r.sequence_number);
  return out;
}

void ExpectEveryPersonMatches(const Ledger& ledger, const AdjacencyWorld& w) {
  const int64_t from = absl::ToUnixSeconds(At(2020, 1, 10));
  const int64_t to = absl::ToUnixSeconds(At(2020, 1, 20));
  for (int p = 0; p < w.persons(); ++p) {
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> all =
        ledger.ExposuresOf(PersonName(p), absl::InfinitePast(),
                           absl::InfiniteFuture(), ReadOptions());
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(Sequences(*all),
              w.ExpectedExposures(p, INT64_MIN, INT64_MAX, UINT64_MAX, true))
        << "person " << p;
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> window =
        ledger.ExposuresOf(PersonName(p), absl::FromUnixSeconds(from),
                           absl::FromUnixSeconds(to), ReadOptions());
    ASSERT_TRUE(window.ok());
    ASSERT_EQ(Sequences(*window),
              w.ExpectedExposures(p, from, to, UINT64_MAX, true))
        << "person " << p;
  }
  // Record bodies come back from the 16-byte rows exactly, far starts too.
  for (size_t i = 0; i < w.exposures().size(); i += 1013) {
    const ModelExposure& e = w.exposures()[i];
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(e.sequence);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->exposure().person_a(), PersonName(e.a));
    EXPECT_EQ(event->exposure().person_b(), PersonName(e.b));
    EXPECT_EQ(event->exposure().start().seconds(), e.start);
    EXPECT_EQ(event->exposure().end().seconds(), e.end);
  }
}

TEST(ExposureAdjacency, ManyCompactionsKeepEveryPersonsExposures) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  AdjacencyWorld world(/*persons=*/600, /*count=*/210000, /*seed=*/7);
  world.Fill(*ledger);
  ExpectEveryPersonMatches(*ledger, world);
}

TEST(ExposureAdjacency, EarlierCutsSeeOnlyTheirRows) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  AdjacencyWorld world(/*persons=*/300, /*count=*/140000, /*seed=*/11);
  world.Fill(*ledger);
  // A cut in the middle of the first tail and one after two compactions.
  for (uint64_t limit : {uint64_t{30000}, uint64_t{120000}}) {
    ReadOptions read;
    read.sequence_limit = limit;
    for (int p = 0; p < world.persons(); p += 7) {
      absl::StatusOr<std::vector<Recorded<v1::Exposure>>> got =
          ledger->ExposuresOf(PersonName(p), absl::InfinitePast(),
                              absl::InfiniteFuture(), read);
      ASSERT_TRUE(got.ok());
      // Retractions recorded after the limit do not apply.
      std::vector<std::pair<int64_t, uint64_t>> want;
      for (const ModelExposure& e : world.exposures()) {
        if (e.sequence > limit || (e.a != p && e.b != p)) continue;
        if (e.retracted) {
          absl::StatusOr<v1::LedgerEvent> event = ledger->GetEvent(e.sequence);
          ASSERT_TRUE(event.ok());
          if (ledger->IsRetracted(e.sequence, read)) continue;
        }
        want.push_back({e.start, e.sequence});
      }
      std::sort(want.begin(), want.end());
      std::vector<uint64_t> want_seq;
      for (const auto& w : want) want_seq.push_back(w.second);
      ASSERT_EQ(Sequences(*got), want_seq) << "person " << p << " at " << limit;
    }
  }
}

TEST(ExposureAdjacency, ContactsWithinOneHopMatchTheModel) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  AdjacencyWorld world(/*persons=*/2000, /*count=*/100000, /*seed=*/3);
  world.Fill(*ledger);
  const int64_t from = absl::ToUnixSeconds(At(2020, 1, 5));
  const int64_t to = absl::ToUnixSeconds(At(2020, 1, 8));
  for (int p = 0; p < world.persons(); p += 13) {
    std::set<std::string> want;
    for (const ModelExposure& e : world.exposures()) {
      if (e.retracted || e.start > to || e.end < from) continue;
      if (e.a == p) want.insert(PersonName(e.b));
      if (e.b == p) want.insert(PersonName(e.a));
    }
    absl::StatusOr<std::vector<ContactAtDistance>> got =
        Contacts(*ledger, PersonName(p), 1, absl::FromUnixSeconds(from),
                 absl::FromUnixSeconds(to));
    ASSERT_TRUE(got.ok()) << got.status();
    std::set<std::string> got_ids;
    for (const ContactAtDistance& c : *got) got_ids.insert(c.person_id);
    EXPECT_EQ(got_ids, want) << "person " << p;
  }
}

TEST(ExposureAdjacency, SnapshotReopenRebuildsTheAdjacency) {
  std::unique_ptr<Env> env = NewMemEnv();
  LedgerOptions options;
  options.env = env.get();
  AdjacencyWorld world(/*persons=*/800, /*count=*/90000, /*seed=*/5);
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, "/adjacency");
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    world.Fill(**ledger);
    ASSERT_TRUE((*ledger)->WriteSnapshot().ok());
    // A tail after the snapshot, replayed from the log on reopen.
    ASSERT_TRUE((*ledger)
                    ->Append(MakeExposure("p1", "p2", At(2020, 1, 15),
                                          At(2020, 1, 15, 1)))
                    .ok());
  }
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(options, "/adjacency");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> p1 =
      (*reopened)->ExposuresOf("p1", At(2020, 1, 15), At(2020, 1, 15, 1),
                               ReadOptions());
  ASSERT_TRUE(p1.ok());
  ASSERT_FALSE(p1->empty());
  EXPECT_EQ(p1->back().sequence_number, (*reopened)->last_sequence_number());
  // Everything else as before the reopen (the extra exposure is p1-p2 at
  // 2020-01-15, which the model does not know: skip those two persons).
  const int64_t from = absl::ToUnixSeconds(At(2020, 1, 10));
  const int64_t to = absl::ToUnixSeconds(At(2020, 1, 20));
  for (int p = 3; p < world.persons(); ++p) {
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> got =
        (*reopened)->ExposuresOf(PersonName(p), absl::FromUnixSeconds(from),
                                 absl::FromUnixSeconds(to), ReadOptions());
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(Sequences(*got),
              world.ExpectedExposures(p, from, to, UINT64_MAX, true))
        << "person " << p;
  }
}

// Exposures recorded mostly in time order, some days late, some far off
// (before 1970, after 2106), a few lasting days: MayOverlap must hold for
// every row that overlaps a window, and skip most rows of narrow windows.
TEST(ExposureZones, MayOverlapNeverHidesAnOverlappingRow) {
  internal::ExposureTable t;
  const uint32_t persons = 50;
  for (uint32_t p = 0; p < persons; ++p) t.AddPerson();
  std::mt19937 rng(9);
  struct Span {
    int64_t start;
    int64_t end;
  };
  std::vector<Span> model;
  int64_t clock = absl::ToUnixSeconds(At(2020, 1, 1));
  for (int i = 0; i < 40000; ++i) {
    clock += rng() % 120;
    int64_t start = clock;
    uint32_t seconds = rng() % 7200;
    const uint32_t kind = rng() % 1000;
    if (kind < 3) {
      start = clock - 86400 * (1 + rng() % 3);  // recorded days late
    } else if (kind < 4) {
      seconds = 86400 * (1 + rng() % 3);  // days long
    } else if (i % 9973 == 5) {
      start = absl::ToUnixSeconds(At(1965, 3, 1)) + rng() % 86400;
    } else if (i % 9973 == 17) {
      start = absl::ToUnixSeconds(At(2107, 3, 1)) + rng() % 86400;
    } else if (i % 9973 == 29) {
      start = clock;
      seconds = UINT32_MAX;  // to past 2106
    }
    const uint32_t a = rng() % persons;
    const uint32_t b = (a + 1 + rng() % (persons - 1)) % persons;
    t.AppendRow(a, b, start, seconds, 0, persons);
    model.push_back(Span{start, start + seconds});
  }
  const int64_t first = model.front().start;
  const int64_t last = model.back().end;
  size_t checked = 0;
  size_t skipped = 0;
  for (int q = 0; q < 360; ++q) {
    int64_t from = 0;
    int64_t to = 0;
    const size_t picked = rng() % model.size();
    const Span& pick = model[picked];
    // The earliest start and latest end in the picked row's zone.
    const size_t zone_begin = picked / internal::ExposureTable::kZoneRows *
                              internal::ExposureTable::kZoneRows;
    const size_t zone_end =
        std::min(model.size(), zone_begin + internal::ExposureTable::kZoneRows);
    int64_t zone_first = INT64_MAX;
    int64_t zone_last = INT64_MIN;
    for (size_t r = zone_begin; r < zone_end; ++r) {
      zone_first = std::min(zone_first, model[r].start);
      zone_last = std::max(zone_last, model[r].end);
    }
    switch (q % 6) {
      case 4:  // ending exactly at the zone's earliest start
        to = zone_first;
        from = to - 600;
        break;
      case 5:  // starting exactly at the zone's latest end
        from = zone_last;
        to = from + 600;
        break;
      case 0:  // an hour somewhere in the month
        from = first + static_cast<int64_t>(rng() % (last - first));
        to = from + 3600;
        break;
      case 1:  // exactly a row's start
        from = to = pick.start;
        break;
      case 2:  // exactly a row's end
        from = to = pick.end;
        break;
      default:  // open-ended
        from = q % 12 == 3 ? INT64_MIN : pick.start;
        to = q % 12 == 3 ? pick.end : INT64_MAX;
        break;
    }
    for (uint32_t r = 0; r < model.size(); ++r) {
      const bool overlaps = model[r].start <= to && model[r].end >= from;
      const bool may = t.MayOverlap(r, from, to);
      if (overlaps) {
        ASSERT_TRUE(may) << "row " << r << " [" << model[r].start << ", "
                         << model[r].end << "] window [" << from << ", " << to
                         << "]";
      }
      if (q % 6 == 0) {
        ++checked;
        skipped += may ? 0 : 1;
      }
    }
  }
  // Windows at the far-off rows themselves (before 1970, after 2106).
  for (uint32_t far = 0; far < model.size(); ++far) {
    if (model[far].start >= 0 && model[far].end <= int64_t{UINT32_MAX}) {
      continue;
    }
    for (const Span& w : {Span{model[far].start, model[far].start},
                          Span{model[far].end, model[far].end}}) {
      ASSERT_TRUE(t.MayOverlap(far, w.start, w.end)) << "far row " << far;
    }
  }
  // Rows mostly in time order make narrow zones: an hour's window skips
  // most rows unread.
  EXPECT_GT(skipped, checked * 3 / 4);

  // The zones rebuilt from the rows (as after a snapshot load) are the same.
  internal::ExposureTable rebuilt;
  for (uint32_t r = 0; r < t.size(); ++r) {
    rebuilt.rows.push_back(t.rows[r]);
    rebuilt.setting.push_back(t.setting[r]);
  }
  rebuilt.far_start = t.far_start;
  ASSERT_TRUE(rebuilt.RebuildAdjacency(persons));
  ASSERT_EQ(rebuilt.zones.size(), t.zones.size());
  for (size_t z = 0; z < t.zones.size(); ++z) {
    EXPECT_EQ(rebuilt.zones[z].min_start, t.zones[z].min_start) << z;
    EXPECT_EQ(rebuilt.zones[z].max_end, t.zones[z].max_end) << z;
  }
}

// Everyone within `hops` exposures of person `p` over [from, to] in the
// model, by a brute-force breadth-first search: id -> hops.
std::map<std::string, int> ModelContacts(
    const std::vector<ModelExposure>& model, int p, int hops, int64_t from,
    int64_t to) {
  std::map<int, int> distance = {{p, 0}};
  std::vector<int> frontier = {p};
  for (int hop = 1; hop <= hops; ++hop) {
    std::vector<int> next;
    for (int x : frontier) {
      for (const ModelExposure& e : model) {
        if (e.start > to || e.end < from || (e.a != x && e.b != x)) continue;
        const int other = e.a == x ? e.b : e.a;
        if (distance.emplace(other, hop).second) next.push_back(other);
      }
    }
    frontier = next;
  }
  std::map<std::string, int> out;
  for (const auto& [who, d] : distance) {
    if (d > 0) out[PersonName(who)] = d;
  }
  return out;
}

std::map<std::string, int> ById(const std::vector<ContactAtDistance>& got) {
  std::map<std::string, int> out;
  for (const ContactAtDistance& c : got) out[c.person_id] = c.hops;
  return out;
}

// Two hops over time-ordered exposures (narrow zones, so the walk skips
// rows): Contacts agrees with a brute-force breadth-first search.
TEST(ExposureZones, TwoHopContactsOverOrderedExposuresMatchTheModel) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::mt19937 rng(21);
  const int persons = 400;
  std::vector<ModelExposure> model;
  std::vector<v1::LedgerEvent> batch;
  int64_t clock = absl::ToUnixSeconds(At(2020, 1, 1));
  for (int i = 0; i < 60000; ++i) {
    clock += rng() % 90;
    ModelExposure e;
    e.a = static_cast<int>(rng() % persons);
    e.b = (e.a + 1 + static_cast<int>(rng() % (persons - 1))) % persons;
    e.start = rng() % 100 == 0 ? clock - 86400 * 3 : clock;
    e.end = e.start + 60 + rng() % 3600;
    batch.push_back(MakeExposure(PersonName(e.a), PersonName(e.b),
                                 absl::FromUnixSeconds(e.start),
                                 absl::FromUnixSeconds(e.end)));
    model.push_back(e);
    if (batch.size() == 10000) {
      ASSERT_TRUE(ledger->AppendBatch(batch).ok());
      batch.clear();
    }
  }
  const int64_t from = absl::ToUnixSeconds(At(2020, 1, 10));
  const int64_t to = from + 6 * 3600;
  for (int p = 0; p < persons; p += 37) {
    absl::StatusOr<std::vector<ContactAtDistance>> got =
        Contacts(*ledger, PersonName(p), 2, absl::FromUnixSeconds(from),
                 absl::FromUnixSeconds(to));
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(ById(*got), ModelContacts(model, p, 2, from, to))
        << "person " << p;
    // Sorted by hops, then id.
    for (size_t i = 1; i < got->size(); ++i) {
      const ContactAtDistance& x = (*got)[i - 1];
      const ContactAtDistance& y = (*got)[i];
      EXPECT_TRUE(x.hops < y.hops ||
                  (x.hops == y.hops && x.person_id < y.person_id));
    }
  }
}

// A walk that reaches hundreds of persons (past the reached set's inline
// buffer): Contacts still agrees with a breadth-first search of the model.
TEST(ExposureZones, WalksReachingHundredsOfPersonsMatchTheModel) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::mt19937 rng(33);
  const int persons = 3000;
  std::vector<ModelExposure> model;
  std::vector<v1::LedgerEvent> batch;
  const int64_t day = absl::ToUnixSeconds(At(2020, 1, 3));
  for (int i = 0; i < 9000; ++i) {
    ModelExposure e;
    e.a = static_cast<int>(rng() % persons);
    e.b = (e.a + 1 + static_cast<int>(rng() % (persons - 1))) % persons;
    e.start = day + static_cast<int64_t>(rng() % 86400);
    e.end = e.start + 600;
    batch.push_back(MakeExposure(PersonName(e.a), PersonName(e.b),
                                 absl::FromUnixSeconds(e.start),
                                 absl::FromUnixSeconds(e.end)));
    model.push_back(e);
  }
  ASSERT_TRUE(ledger->AppendBatch(batch).ok());
  for (int p : {0, 1234, 2999}) {
    absl::StatusOr<std::vector<ContactAtDistance>> got =
        Contacts(*ledger, PersonName(p), 4, absl::FromUnixSeconds(day),
                 absl::FromUnixSeconds(day + 86400));
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_GT(got->size(), 600u);  // past the inline buffer (512)
    EXPECT_EQ(ById(*got), ModelContacts(model, p, 4, day, day + 86400))
        << "person " << p;
  }
}

}  // namespace
}  // namespace contactledger
