// Copyright 2026 The ContactLedger Authors.
//
// County drill: the first weeks of COVID-19 in a county shaped like Yuanling,
// Hunan (../shared/seed/DOMAIN.md), replayed day by day into a durable ledger.
//
//   county_drill [--persons=600000] [--out=./drill-output] [--seed=2020]
//                [--fresh]
//
// What it does:
//   1. Opens (or creates) the ledger in OUT/ledger, in the Asia/Shanghai zone.
//   2. Loads a synthetic county (contactledger::GenerateSyntheticCounty, with
//      no cases of its own): the household register (areas, households,
//      persons, recorded on the morning of 22 January) and the contacts the
//      grid workers record: about 6.5 exposures per person from 22 January to
//      7 February, each day's recorded the next morning.
//   3. Replays the story from 22 January to 8 February 2020, one day at a
//      time, with record times that follow it (a Clock the drill advances):
//      carpet screening registers the returnees with their travel (14 back
//      from Wuhan in one village) and puts the Hubei-related ones under home
//      observation; one of the 14 runs a fever on 25 January, is suspected and
//      isolated in hospital, and is confirmed on the 27th; the county CDC
//      records the case's account, asks the ledger for the close contacts and
//      places them in centralized stays (one a day late); everyone in a stay
//      is checked twice a day (a few checks are missed); one contact's fever
//      is escalated within two hours (suspected, later cleared) and another's
//      is not; a contact slips through a checkpoint; a township's re-screening
//      (回头看) re-checks 11,237 people and finds five who were never
//      registered; the 14-day observations and quarantines end; and the case
//      is discharged cured on 5 February.
//   4. Every evening it prints the county's ledger report: the roll-up by
//      township, the open loops by kind, and what changed since the day
//      before.
//   5. At the end it writes into OUT: roster.csv and roster.json (the columns
//      of `ledgerctl roster`), loops.csv, chain.dot (the case, its close
//      contacts and their contacts, for Graphviz) and chain.svg when `dot` is
//      installed; then a snapshot, so that the next open is quick.
//
// Run it again and it reopens the ledger in OUT/ledger, verifies it
// (Ledger::Verify), prints the final report and writes the files again.
// --fresh starts over.
//
// Build and run it with `bash scripts/run-example.sh`.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"

ABSL_FLAG(int64_t, persons, 600000,
          "people in the synthetic county (at least 10000)");
ABSL_FLAG(std::string, out, "./drill-output",
          "output folder: the ledger goes to OUT/ledger, the roster, loops "
          "and chain drawing beside it");
ABSL_FLAG(uint64_t, seed, 2020, "seed of the synthetic county");
ABSL_FLAG(bool, fresh, false,
          "start over even when OUT/ledger already holds the drill");

namespace {

namespace v1 = ::contactledger::v1;
namespace fs = ::std::filesystem;

using ::contactledger::Ledger;
using ::contactledger::LoopKind;
using ::contactledger::OpenLoop;
using ::contactledger::QueryOptions;
using ::contactledger::ReadOptions;
using ::contactledger::Role;
using ::contactledger::RosterEntry;
using ::contactledger::Tracer;

constexpr absl::CivilDay kFirstDay(2020, 1, 22);
constexpr absl::CivilDay kLastDay(2020, 2, 8);
constexpr int kReportHour = 22;  // each day's report is as of 22:00
constexpr int kMinPersons = 10000;

// ---------------------------------------------------------------------------
// Time.

struct CountyZoneInfo {
  absl::TimeZone zone;
  bool named = false;  // Asia/Shanghai from the tz database
};

const CountyZoneInfo& CountyZone() {
  static const CountyZoneInfo* info = [] {
    auto* i = new CountyZoneInfo;
    i->named = absl::LoadTimeZone("Asia/Shanghai", &i->zone);
    if (!i->named) {
      // No tz database (Debian package tzdata). China has kept UTC+8 all
      // year round since 1991, so a fixed offset is exact for 2020.
      std::cerr << "note: no tz data for Asia/Shanghai; using UTC+08:00\n";
      i->zone = absl::FixedTimeZone(8 * 60 * 60);
    }
    return i;
  }();
  return *info;
}

const absl::TimeZone& Zone() { return CountyZone().zone; }

absl::Time At(absl::CivilDay day, int hour, int minute = 0) {
  return absl::FromCivil(
      absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute),
      Zone());
}

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, Zone()); }

std::string Hm(absl::Time t) { return absl::FormatTime("%H:%M", t, Zone()); }
std::string Md(absl::CivilDay d) {
  return absl::FormatCivilTime(d).substr(5);  // "01-27"
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds());
}
void SetTime(absl::Time time, google::protobuf::Timestamp* timestamp) {
  timestamp->set_seconds(absl::ToUnixSeconds(time));
  timestamp->set_nanos(0);
}
v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}
absl::CivilDay FromDate(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// The record times: the drill sets the ledger's clock to the moment each
// batch is written down, so that `known_at` reads "as the county knew it".
class StoryClock : public contactledger::Clock {
 public:
  absl::Time Now() override { return absl::FromUnixNanos(nanos_.load()); }
  // Moves the clock forward (never back) to `t`.
  void AdvanceTo(absl::Time t) {
    const int64_t n = absl::ToUnixNanos(t);
    int64_t current = nanos_.load();
    while (n > current && !nanos_.compare_exchange_weak(current, n)) {
    }
  }

 private:
  std::atomic<int64_t> nanos_{0};
};

// ---------------------------------------------------------------------------
// Small helpers.

void Check(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) {
    std::cerr << "county_drill: " << what << ": " << status << "\n";
    std::exit(EXIT_FAILURE);
  }
}

template <typename T>
T Unwrap(absl::StatusOr<T> value, absl::string_view what) {
  Check(value.status(), what);
  return *std::move(value);
}

// 1234567 -> "1,234,567".
std::string Num(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

// A stable hash (FNV-1a; absl::Hash is salted per process), for the drill's
// deterministic choices.
uint64_t StableHash(absl::string_view text, uint64_t salt) {
  uint64_t h = 1469598103934665603ull ^ (salt * 0x9e3779b97f4a7c15ull);
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

// SplitMix64, for the checkpoint traffic.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Below(uint64_t n) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
  }

 private:
  uint64_t state_;
};

// CPU seconds used by the process so far (all threads).
double CpuSeconds() {
  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The ASCII part of an area name: "Madiyi Township 马底驿乡" -> "Madiyi
// Township" (table columns count bytes, and CJK glyphs are two cells wide).
std::string AsciiName(absl::string_view name) {
  size_t end = 0;
  while (end < name.size() && static_cast<unsigned char>(name[end]) < 0x80) {
    ++end;
  }
  std::string out(name.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string SettingName(v1::ExposureSetting setting) {
  std::string name = v1::ExposureSetting_Name(setting);
  absl::string_view view(name);
  if (absl::ConsumePrefix(&view, "EXPOSURE_SETTING_")) {
    std::string lower(view);
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    return lower;
  }
  return name;
}

// --- Event builders. ---

v1::LedgerEvent PersonEvent(const v1::Person& person) {
  v1::LedgerEvent event;
  *event.mutable_person() = person;
  return event;
}

v1::LedgerEvent ExposureEvent(absl::string_view a, absl::string_view b,
                              absl::Time start, absl::Time end,
                              v1::ExposureSetting setting,
                              absl::string_view note) {
  v1::LedgerEvent event;
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_person_a(std::string(a));
  exposure->set_person_b(std::string(b));
  SetTime(start, exposure->mutable_start());
  SetTime(end, exposure->mutable_end());
  exposure->set_setting(setting);
  exposure->set_note(std::string(note));
  return event;
}

v1::LedgerEvent DiagnosisEvent(absl::string_view person_id,
                               v1::DiagnosisStatus status, absl::Time time,
                               std::optional<absl::CivilDay> onset = {}) {
  v1::LedgerEvent event;
  v1::Diagnosis* diagnosis = event.mutable_diagnosis();
  diagnosis->set_person_id(std::string(person_id));
  diagnosis->set_status(status);
  SetTime(time, diagnosis->mutable_time());
  if (onset.has_value()) *diagnosis->mutable_onset() = ToDate(*onset);
  return event;
}

v1::LedgerEvent StayStartEvent(absl::string_view person_id,
                               v1::QuarantinePlace place, absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(std::string(person_id));
  action->set_action(v1::QUARANTINE_ACTION_KIND_START);
  action->set_place(place);
  SetTime(time, action->mutable_time());
  return event;
}

v1::LedgerEvent StayEndEvent(absl::string_view person_id, absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(std::string(person_id));
  action->set_action(v1::QUARANTINE_ACTION_KIND_END);
  SetTime(time, action->mutable_time());
  return event;
}

v1::LedgerEvent CheckEvent(absl::string_view person_id, absl::Time time,
                           double temperature,
                           const std::vector<std::string>& symptoms,
                           absl::string_view checked_by) {
  v1::LedgerEvent event;
  v1::HealthCheck* check = event.mutable_health_check();
  check->set_person_id(std::string(person_id));
  SetTime(time, check->mutable_time());
  check->set_temperature_celsius(temperature);
  for (const std::string& s : symptoms) check->add_symptoms(s);
  check->set_checked_by(std::string(checked_by));
  return event;
}

v1::LedgerEvent PassageEvent(absl::string_view person_id,
                             absl::string_view checkpoint, absl::Time time,
                             v1::PassageDirection direction) {
  v1::LedgerEvent event;
  v1::CheckpointPassage* passage = event.mutable_checkpoint_passage();
  passage->set_person_id(std::string(person_id));
  passage->set_checkpoint_id(std::string(checkpoint));
  SetTime(time, passage->mutable_time());
  passage->set_direction(direction);
  return event;
}

void AddTag(v1::Person* person, absl::string_view tag) {
  for (const std::string& t : person->tags()) {
    if (t == tag) return;
  }
  person->add_tags(std::string(tag));
}

bool HasTag(const v1::Person& person, absl::string_view tag) {
  for (const std::string& t : person.tags()) {
    if (t == tag) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// The synthetic county, fed into the ledger day by day.
//
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
class SyntheticFeed {
 public:
  using Intervals = std::vector<std::pair<int64_t, int64_t>>;  // [from, to)

  SyntheticFeed(Ledger* ledger,
                const absl::flat_hash_map<std::string, Intervals>* removed)
      : ledger_(ledger), removed_(removed) {}

  ~SyntheticFeed() {
    if (generator_.joinable()) Finish();
  }

  // Starts the generator; returns once the register is recorded.
  void Start(const contactledger::SyntheticCountyOptions& options) {
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

  // Lets the exposures that start before the end of `day` through, and
  // returns when they are recorded.
  void ReleaseThrough(absl::CivilDay day) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      limit_seconds_ = absl::ToUnixSeconds(absl::FromCivil(day + 1, Zone()));
      paused_ = false;
    }
    cv_.notify_all();
    Wait();
  }

  // After the last day: lets the rest through and waits for the generator.
  void Finish() {
    ReleaseThrough(absl::CivilDay(9999, 1, 1));
    generator_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  // The persons the register came with tags or travel (the returnees), as
  // the generator made them.
  std::vector<v1::Person> TakeReturnees() { return std::move(returnees_); }

  int64_t dropped() const { return dropped_; }
  // Time the writer spent appending.
  absl::Duration append_time() const { return append_time_; }

 private:
  // Until the generator waits for the story (or is done) and everything it
  // made is recorded.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] {
      return (paused_ || done_) && queue_.empty() && !writing_;
    });
    Check(status_, "synthetic county");
  }

  bool Removed(const v1::Exposure& exposure) const {
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

  // The generator's callback: holds back what may not go yet, filters, and
  // queues the rest for the writer.
  absl::Status Sink(std::vector<v1::LedgerEvent>& batch) {
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
          if (event.has_person() &&
              (event.person().tags_size() > 0 ||
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

  void WriteLoop() {
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

  Ledger* const ledger_;
  // Read only while the story waits for the feed.
  const absl::flat_hash_map<std::string, Intervals>* const removed_;
  std::thread generator_;
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t limit_seconds_ = 0;  // exposures starting before this may go
  bool paused_ = false;        // the generator waits for the story
  bool done_ = false;          // the generator has finished
  std::deque<std::vector<v1::LedgerEvent>> queue_;  // for the writer
  bool writing_ = false;
  bool stop_ = false;
  absl::Status status_;  // the first error of either thread
  // Owned by the generator thread while it runs.
  std::vector<v1::Person> returnees_;
  int64_t dropped_ = 0;
  // Owned by the writer thread while it runs.
  absl::Duration append_time_;
};

// ---------------------------------------------------------------------------
// The daily report.

// What a report saw, for tomorrow's "what changed".
struct ReportView {
  std::set<std::string> roster;
  std::set<std::tuple<std::string, int, int64_t>> loops;  // person, kind, since
};

constexpr int kLoopKinds = 8;

std::string LoopCounts(const std::vector<int64_t>& counts) {
  std::vector<std::string> parts;
  for (int k = 0; k < kLoopKinds; ++k) {
    if (counts[k] == 0) continue;
    parts.push_back(absl::StrCat(
        contactledger::LoopKindName(static_cast<LoopKind>(k)), " ", counts[k]));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

QueryOptions QueryAt(absl::Time at) {
  QueryOptions options;
  options.at = at;
  options.read.known_at = at;  // as the county knew it then
  return options;
}

// Prints the roll-up, the loops and the changes as of `at`. `highlight`:
// township ids always shown; the others are shown when they have cases,
// contacts or stays in hospital or centralized quarantine, and folded into
// one line otherwise. `all_rows` shows every township.
ReportView PrintReport(const Ledger& ledger, absl::Time at,
                       const std::set<std::string>& highlight, bool all_rows,
                       const ReportView* before) {
  Tracer tracer = Unwrap(Tracer::Create(ledger, QueryAt(at)), "Tracer");
  ReportView view;
  const std::vector<RosterEntry> roster = tracer.Roster();
  for (const RosterEntry& e : roster) view.roster.insert(e.person_id);
  const std::vector<OpenLoop> loops = tracer.OpenLoops();
  std::vector<int64_t> loop_counts(kLoopKinds, 0);
  for (const OpenLoop& l : loops) {
    ++loop_counts[static_cast<int>(l.kind)];
    view.loops.emplace(l.person_id, static_cast<int>(l.kind),
                       absl::ToUnixSeconds(l.since));
  }
  const std::vector<contactledger::AreaRollupRow> rows =
      Unwrap(tracer.AreaRollup("yl"), "AreaRollup");

  // One line of the table: a township, the others folded, or the county.
  struct Line {
    uint64_t persons = 0, cases = 0, close = 0, hospital = 0, centralized = 0,
             home = 0, loops = 0, checks = 0;
    void Add(const contactledger::AreaRollupRow& r) {
      persons += r.persons;
      cases += r.active_cases;
      close += r.close_contacts;
      hospital += r.in_hospital;
      centralized += r.in_centralized;
      home += r.at_home;
      for (uint64_t n : r.loops) loops += n;
      checks += r.checks_last_24h;
    }
  };
  auto print = [](absl::string_view label, const Line& l) {
    std::cout << absl::StrFormat("  %-27s %9s %5d %6d %5d %6d %6s %6s %8s\n",
                                 label, Num(l.persons), l.cases, l.close,
                                 l.hospital, l.centralized, Num(l.home),
                                 Num(l.loops), Num(l.checks));
  };
  std::cout << absl::StrFormat("  %-27s %9s %5s %6s %5s %6s %6s %6s %8s\n",
                               "township", "persons", "cases", "close", "hosp",
                               "centr", "home", "loops", "checks");
  Line others, county;
  int folded = 0;
  for (const contactledger::AreaRollupRow& r : rows) {
    const bool busy = r.active_cases + r.close_contacts + r.secondary_contacts +
                          r.in_hospital + r.in_centralized >
                      0;
    county.Add(r);
    if (all_rows || busy || highlight.count(r.area_id) > 0) {
      Line row;
      row.Add(r);
      print(absl::StrCat(r.area_id, " ", AsciiName(r.name)), row);
    } else {
      ++folded;
      others.Add(r);
    }
  }
  if (folded > 0) print(absl::StrCat(folded, " other townships"), others);
  // The county's loops include those of no township (unregistered persons).
  county.loops = loops.size();
  print("county", county);
  std::cout << "  open loops: " << LoopCounts(loop_counts) << "\n";

  if (before != nullptr) {
    int64_t in = 0, out = 0;
    for (const std::string& id : view.roster) {
      if (before->roster.count(id) == 0) ++in;
    }
    for (const std::string& id : before->roster) {
      if (view.roster.count(id) == 0) ++out;
    }
    std::vector<int64_t> opened(kLoopKinds, 0), closed(kLoopKinds, 0);
    int64_t opened_total = 0, closed_total = 0;
    for (const auto& key : view.loops) {
      if (before->loops.count(key) == 0) {
        ++opened[std::get<1>(key)];
        ++opened_total;
      }
    }
    for (const auto& key : before->loops) {
      if (view.loops.count(key) == 0) {
        ++closed[std::get<1>(key)];
        ++closed_total;
      }
    }
    std::cout << "  since the day before: roster " << view.roster.size()
              << " (+" << in << " in, -" << out << " out); loops +"
              << opened_total;
    if (opened_total > 0) std::cout << " (" << LoopCounts(opened) << ")";
    std::cout << ", -" << closed_total;
    if (closed_total > 0) std::cout << " (" << LoopCounts(closed) << ")";
    std::cout << "\n";
  }
  return view;
}

// ---------------------------------------------------------------------------
// The files written at the end.

// roster.csv, roster.json and loops.csv are written by contactledger/report.h,
// in the formats of `ledgerctl roster` and `ledgerctl loops`.

std::string DotId(absl::string_view id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::cerr << "county_drill: cannot write " << path << "\n";
    std::exit(EXIT_FAILURE);
  }
}

bool DotOnPath() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = absl::StrCat(dir, "/dot");
    if (access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

// The case(s) of the drill, their close contacts and, from Contacts(), the
// people those contacts met (2 hops), as a Graphviz digraph.
std::string ChainDot(const Ledger& ledger, const Tracer& tracer,
                     absl::Time at) {
  const ReadOptions read = tracer.options().read;
  std::string dot = absl::StrCat(
      "// The drill's transmission chain: the case, its close contacts (the\n"
      "// roster's rule) and, in grey, the people the case's contacts met\n"
      "// between the start of the case's infectious window and two days\n"
      "// after its diagnosis (2 hops of contactledger::Contacts).\n"
      "// Render: dot -Tsvg chain.dot -o chain.svg\n"
      "digraph transmission_chain {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=",
      DotId(absl::StrCat(
          "Yuanling county drill: the transmission chain as of ",
          absl::FormatTime("%Y-%m-%d %H:%M %Z", at, Zone()),
          "\nred: the case; orange: its close contacts (china-2020 rules); "
          "grey: whom the close contacts met, from 2 days before onset to "
          "2 days after diagnosis")),
      "];\n"
      "  node [fontname=\"Helvetica\", fontsize=10, shape=box, "
      "style=\"rounded,filled\", fillcolor=\"#eeeeee\", color=\"#999999\"];\n"
      "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#888888\"];\n");
  for (const contactledger::TransmissionChain& chain :
       tracer.TransmissionChains()) {
    for (const std::string& case_id : chain.cases) {
      // The case's diagnoses: onset, diagnosis time, discharge.
      std::optional<absl::CivilDay> onset;
      absl::Time diagnosed = absl::InfiniteFuture();
      std::string history;
      for (const auto& d :
           Unwrap(ledger.DiagnosesOf(case_id, read), "DiagnosesOf")) {
        if (d.body.has_onset()) onset = FromDate(d.body.onset());
        const absl::Time t = ToTime(d.body.time());
        if (d.body.status() == v1::DIAGNOSIS_STATUS_CONFIRMED) {
          diagnosed = std::min(diagnosed, t);
          absl::StrAppend(&history, "\\nconfirmed ",
                          absl::FormatTime("%m-%d %H:%M", t, Zone()));
        } else if (d.body.status() == v1::DIAGNOSIS_STATUS_RECOVERED) {
          absl::StrAppend(&history, "\\nrecovered ", Md(DayOf(t)));
        }
      }
      if (diagnosed == absl::InfiniteFuture()) continue;
      const absl::Time from =
          onset.has_value() ? absl::FromCivil(*onset - 2, Zone()) : diagnosed;
      const absl::Time to = diagnosed + absl::Hours(48);
      absl::StrAppend(
          &dot, "  ", DotId(case_id), " [label=\"", case_id, "\\ncase",
          onset.has_value() ? absl::StrCat("\\nonset ", Md(*onset)) : "",
          history,
          "\", shape=doubleoctagon, fillcolor=\"#e53935\", "
          "fontcolor=white, color=\"#b71c1c\"];\n");

      // Close contacts: everyone the case met in the window, and the
      // household, as the tracer explains them.
      std::vector<contactledger::ContactAtDistance> reached =
          Unwrap(contactledger::Contacts(ledger, case_id, 2, from, to, read),
                 "Contacts");
      std::set<std::string> candidates;
      for (const auto& c : reached) {
        if (c.hops == 1) candidates.insert(c.person_id);
      }
      if (absl::StatusOr<v1::Person> p = ledger.GetPerson(case_id, read);
          p.ok() && !p->household_id().empty()) {
        for (const std::string& m : Unwrap(
                 ledger.HouseholdMembers(p->household_id(), read), "members")) {
          if (m != case_id) candidates.insert(m);
        }
      }
      std::set<std::string> close;
      for (const std::string& id : candidates) {
        absl::StatusOr<contactledger::Explanation> x = tracer.Explain(id);
        if (!x.ok() || !x->role.has_value() ||
            *x->role != Role::kCloseContact) {
          continue;
        }
        // "household" (the household rule), or the settings and days of
        // the qualifying exposures.
        std::set<std::string> how;
        bool household = false;
        for (const auto& s : x->sources) {
          household |= s.person_id == case_id && s.rule == "household";
        }
        if (household) how.insert("household");
        for (const auto& s : x->sources) {
          if (s.person_id != case_id || s.rule == "household") continue;
          for (uint64_t seq : s.exposures) {
            absl::StatusOr<v1::LedgerEvent> e = ledger.GetEvent(seq);
            if (!e.ok() || !e->has_exposure()) continue;
            if (household &&
                e->exposure().setting() == v1::EXPOSURE_SETTING_HOUSEHOLD) {
              continue;
            }
            how.insert(absl::StrCat(SettingName(e->exposure().setting()), " ",
                                    Md(DayOf(ToTime(e->exposure().start())))));
          }
        }
        if (how.empty()) continue;
        close.insert(id);
        absl::StrAppend(&dot, "  ", DotId(id), " [label=\"", id,
                        "\\nclose contact",
                        x->until.has_value()
                            ? absl::StrCat("\\nquarantine to ", Md(*x->until))
                            : "",
                        x->in_roster ? "" : "\\n(released)",
                        "\", fillcolor=\"#ffb74d\", color=\"#e65100\"];\n");
        absl::StrAppend(&dot, "  ", DotId(case_id), " -> ", DotId(id),
                        " [color=\"#c62828\", penwidth=1.5, label=",
                        DotId(absl::StrJoin(how, ", ")), "];\n");
      }

      // Two hops: whom the close contacts met in the same window.
      std::set<std::string> second;
      for (const auto& c : reached) {
        if (c.hops == 2 && close.count(c.person_id) == 0) {
          second.insert(c.person_id);
        }
      }
      std::set<std::pair<std::string, std::string>> edges;
      for (const std::string& contact : close) {
        for (const auto& e :
             Unwrap(ledger.ExposuresOf(contact, from, to, read), "Exposures")) {
          const std::string& other = e.body.person_a() == contact
                                         ? e.body.person_b()
                                         : e.body.person_a();
          if (second.count(other) == 0) continue;
          if (!edges.emplace(contact, other).second) continue;
          absl::StrAppend(
              &dot, "  ", DotId(contact), " -> ", DotId(other), " [label=",
              DotId(absl::StrCat(SettingName(e.body.setting()), " ",
                                 Md(DayOf(ToTime(e.body.start()))))),
              "];\n");
        }
      }
      for (const std::string& id : second) {
        absl::StrAppend(&dot, "  ", DotId(id), ";\n");
      }
    }
  }
  dot += "}\n";
  return dot;
}

// Writes roster.csv, roster.json, loops.csv, chain.dot and chain.svg as of
// `at`, and lists them.
void WriteOutputs(const Ledger& ledger, absl::Time at, const fs::path& out) {
  Tracer tracer = Unwrap(Tracer::Create(ledger, QueryAt(at)), "Tracer");
  const std::vector<RosterEntry> roster = tracer.Roster();
  WriteFile(out / "roster.csv", contactledger::WriteRosterCsv(roster, Zone()));
  WriteFile(out / "roster.json",
            contactledger::WriteRosterJson(roster, Zone()));
  const std::vector<OpenLoop> loops = tracer.OpenLoops();
  WriteFile(out / "loops.csv", contactledger::WriteLoopsCsv(loops, Zone()));

  WriteFile(out / "chain.dot", ChainDot(ledger, tracer, at));
  std::string svg_note;
  const fs::path svg = out / "chain.svg";
  if (DotOnPath()) {
    const std::string command =
        absl::StrCat("dot -Tsvg '", (out / "chain.dot").string(), "' -o '",
                     svg.string(), "'");
    if (std::system(command.c_str()) != 0) {
      svg_note = "  chain.svg: `dot` failed (see above)\n";
    }
  } else {
    std::error_code ignored;
    fs::remove(svg, ignored);
    svg_note =
        "  chain.svg: not drawn, Graphviz `dot` is not installed (Debian: "
        "apt-get install graphviz; scripts/install-deps.sh does it)\n";
  }
  std::cout << "\nFiles in " << out.string() << " (as of "
            << absl::FormatTime("%Y-%m-%d %H:%M %Z", at, Zone()) << "):\n";
  auto list = [&](absl::string_view name, absl::string_view what) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(out / std::string(name), ec);
    if (ec) return;
    std::cout << absl::StrFormat("  %-12s %9s bytes  %s\n", name, Num(size),
                                 what);
  };
  list("roster.csv", absl::StrCat(roster.size(), " in the roster"));
  list("roster.json", "the same, as JSON");
  list("loops.csv", absl::StrCat(loops.size(), " open loops"));
  list("chain.dot", "the transmission chain and contacts (Graphviz)");
  list("chain.svg", "the same, drawn");
  std::cout << svg_note;
}

// ---------------------------------------------------------------------------
// The story.

struct DrillConfig {
  int64_t persons = 600000;
  uint64_t seed = 2020;
  fs::path out;
  fs::path ledger_dir;
};

// An override of one scheduled health check.
struct CheckScript {
  double temperature = 0;  // 0: the usual
  std::vector<std::string> symptoms;
  bool missed = false;
};

class Drill {
 public:
  Drill(Ledger* ledger, StoryClock* clock, const DrillConfig& config)
      : ledger_(ledger),
        clock_(clock),
        config_(config),
        feed_(ledger, &removed_),
        traffic_(config.seed ^ 0x5eed) {}

  void Run();

 private:
  struct Pending {
    absl::Time record_time;
    std::string actor;
    v1::LedgerEvent event;
  };
  struct StaySpan {
    v1::QuarantinePlace place;
    absl::Time start;
    absl::Time end = absl::InfiniteFuture();  // open
  };

  // --- Recording. ---
  // Queues an event recorded at `record_time` by `actor`.
  // Events recorded on a later day wait for it.
  void Add(absl::Time record_time, absl::string_view actor,
           v1::LedgerEvent event) {
    Pending p{record_time, std::string(actor), std::move(event)};
    if (DayOf(record_time) > today_) {
      later_[DayOf(record_time)].push_back(std::move(p));
    } else {
      pending_.push_back(std::move(p));
    }
  }
  // Records the queued events in record-time order, one batch per record
  // time and actor, with the clock set to each record time.
  void Flush();
  void Track(const v1::QuarantineAction& action);
  // A line of today's story, shown in the evening report.
  void Note(absl::Time t, std::string text) {
    notes_.emplace_back(t, std::move(text));
  }

  // --- The parts of the story. ---
  void Setup();
  void MorningChecksAndReleases(absl::CivilDay day);
  void EveningChecksAndTraffic(absl::CivilDay day);
  void ChecksAt(absl::Time slot);
  void Screening(absl::CivilDay day);
  void Story(absl::CivilDay day);
  void TraceContacts(absl::CivilDay day);
  void Rescreening(absl::CivilDay day);
  void Schedule(absl::CivilDay day, const std::string& person,
                v1::QuarantinePlace place) {
    releases_[day].emplace_back(person, place);
  }
  std::string Label(const std::string& id) {
    absl::StatusOr<v1::Person> p = ledger_->GetPerson(id, ReadOptions());
    return p.ok() ? absl::StrCat(id, " ", p->name()) : id;
  }

  Ledger* const ledger_;
  StoryClock* const clock_;
  const DrillConfig config_;
  absl::flat_hash_map<std::string, SyntheticFeed::Intervals> removed_;
  SyntheticFeed feed_;
  Random traffic_;

  absl::CivilDay today_ = kFirstDay;
  std::vector<Pending> pending_;
  std::map<absl::CivilDay, std::vector<Pending>> later_;
  std::vector<std::pair<absl::Time, std::string>> notes_;
  // Every stay recorded, per person, in time order.
  absl::flat_hash_map<std::string, std::vector<StaySpan>> stays_;
  // The open stay of `id`, or null.
  const StaySpan* OpenStayOf(const std::string& id) const {
    auto it = stays_.find(id);
    if (it == stays_.end() || it->second.empty() ||
        it->second.back().end != absl::InfiniteFuture()) {
      return nullptr;
    }
    return &it->second.back();
  }
  std::map<absl::CivilDay,
           std::vector<std::pair<std::string, v1::QuarantinePlace>>>
      releases_;
  absl::flat_hash_map<std::string, CheckScript> scripts_;  // "id@unix"
  absl::flat_hash_set<std::string> not_traffic_;  // never drawn for traffic
  int64_t missed_today_ = 0;

  // Picked in Setup().
  std::vector<std::string> townships_;
  std::vector<std::vector<std::string>> township_persons_;
  std::string madiyi_, madiyi_village_, nanmupu_;
  std::string case_id_;
  std::vector<std::string> wuhan14_;
  std::vector<std::string> dinner_guests_;
  std::string driver_;
  std::map<absl::CivilDay, std::vector<v1::Person>> screening_;
  // Set on the day of confirmation.
  std::vector<std::string> contacts_;
  std::string fever_escalated_, fever_missed_, breacher_, late_;
  std::vector<std::string> newcomers_;
  std::vector<std::string> newcomer_hosts_;
};

void Drill::Track(const v1::QuarantineAction& action) {
  const std::string& id = action.person_id();
  const absl::Time t = ToTime(action.time());
  std::vector<StaySpan>& spans = stays_[id];
  if (!spans.empty() && spans.back().end == absl::InfiniteFuture()) {
    // An end, or a start while a stay is open (a transfer), ends it.
    spans.back().end = t;
    if (spans.back().place != v1::QUARANTINE_PLACE_HOME) {
      removed_[id].back().second = absl::ToUnixSeconds(t);
    }
  }
  if (action.action() == v1::QUARANTINE_ACTION_KIND_START) {
    spans.push_back(StaySpan{action.place(), t});
    if (action.place() != v1::QUARANTINE_PLACE_HOME) {
      removed_[id].emplace_back(absl::ToUnixSeconds(t),
                                std::numeric_limits<int64_t>::max());
    }
    not_traffic_.insert(id);
  }
}

void Drill::Flush() {
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) {
                     return a.record_time < b.record_time;
                   });
  std::vector<v1::LedgerEvent> batch;
  for (size_t i = 0; i < pending_.size();) {
    size_t j = i;
    batch.clear();
    while (j < pending_.size() &&
           pending_[j].record_time == pending_[i].record_time &&
           pending_[j].actor == pending_[i].actor) {
      pending_[j].event.set_actor(pending_[j].actor);
      batch.push_back(std::move(pending_[j].event));
      ++j;
    }
    clock_->AdvanceTo(pending_[i].record_time);
    Unwrap(ledger_->AppendBatch(batch),
           absl::StrCat("recording for ", pending_[i].actor));
    for (const v1::LedgerEvent& e : batch) {
      if (e.has_quarantine_action()) Track(e.quarantine_action());
    }
    i = j;
  }
  pending_.clear();
}

void Drill::Setup() {
  const ReadOptions read;
  townships_ = Unwrap(ledger_->ChildAreas("yl", read), "ChildAreas");
  for (const std::string& t : townships_) {
    township_persons_.push_back(
        Unwrap(ledger_->PersonsInArea(t, read), "PersonsInArea"));
  }
  // The article's places: Madiyi township and village, Nanmupu township.
  madiyi_ = townships_[std::min<size_t>(6, townships_.size() - 1)];
  nanmupu_ = townships_[std::min<size_t>(11, townships_.size() - 1)];
  madiyi_village_ = Unwrap(ledger_->ChildAreas(madiyi_, read), "villages")[0];
  const absl::Time named = At(kFirstDay, 8, 5);
  for (const auto& [id, name] :
       std::vector<std::pair<std::string, std::string>>{
           {madiyi_, "Madiyi Township 马底驿乡"},
           {madiyi_village_, "Madiyi Village 马底驿村"},
           {nanmupu_, "Nanmupu Township 楠木铺乡"}}) {
    v1::LedgerEvent event;
    *event.mutable_area() = Unwrap(ledger_->GetArea(id, read), "GetArea");
    event.mutable_area()->set_name(name);
    Add(named, "county command", std::move(event));
  }

  // Madiyi village: the 14 back from Wuhan, one of whom becomes the case.
  const std::vector<std::string> village =
      Unwrap(ledger_->PersonsInArea(madiyi_village_, read), "village");
  std::map<std::string, std::vector<std::string>> households;  // sorted
  std::vector<std::string> household_order;
  for (const std::string& id : village) {
    const std::string h =
        Unwrap(ledger_->GetPerson(id, read), "GetPerson").household_id();
    if (households[h].empty()) household_order.push_back(h);
    households[h].push_back(id);
  }
  // The case lives with three others (or in the largest household).
  size_t case_household = 0;
  for (size_t i = 0; i < household_order.size(); ++i) {
    const size_t size = households[household_order[i]].size();
    if (size == 4) {
      case_household = i;
      break;
    }
    if (size > households[household_order[case_household]].size()) {
      case_household = i;
    }
  }
  case_id_ = households[household_order[case_household]][0];
  // The other 13: one per household, from the households after the case's.
  wuhan14_.push_back(case_id_);
  for (size_t k = 1; wuhan14_.size() < 14 && k < household_order.size(); ++k) {
    const auto& members = households[household_order[(case_household + 3 * k) %
                                                     household_order.size()]];
    const std::string& pick = members.back();
    if (std::find(wuhan14_.begin(), wuhan14_.end(), pick) == wuhan14_.end()) {
      wuhan14_.push_back(pick);
    }
  }
  std::sort(wuhan14_.begin(), wuhan14_.end());
  // New Year's Eve dinner: the two households next door; the minibus driver
  // lives in the township's next village.
  for (size_t k = 1; k <= 2 && k < household_order.size(); ++k) {
    for (const std::string& id :
         households[household_order[(case_household + k) %
                                    household_order.size()]]) {
      if (dinner_guests_.size() < 6) dinner_guests_.push_back(id);
    }
  }
  const std::vector<std::string> villages =
      Unwrap(ledger_->ChildAreas(madiyi_, read), "villages");
  const std::vector<std::string> next_village = Unwrap(
      ledger_->PersonsInArea(villages[villages.size() > 1 ? 1 : 0], read),
      "village");
  driver_ = next_village[next_village.size() / 2];
  if (driver_ == case_id_) driver_ = next_village.front();

  // Carpet screening: the returnees the register lacked, registered over
  // three days with their travel. In Madiyi village exactly the 14 are back
  // from Wuhan.
  const absl::flat_hash_set<std::string> in_village(village.begin(),
                                                    village.end());
  const absl::flat_hash_set<std::string> group(wuhan14_.begin(),
                                               wuhan14_.end());
  std::vector<v1::Person> returnees = feed_.TakeReturnees();
  for (v1::Person& p : returnees) {
    if (group.count(p.id()) > 0) continue;  // re-made below
    if (in_village.count(p.id()) > 0 && HasTag(p, "from_wuhan")) {
      // Someone else in the village: back from Xiaogan instead.
      p.clear_tags();
      p.add_tags("returnee");
      p.add_tags("hubei_related");
      p.mutable_travel_history(0)->set_place("Xiaogan, Hubei");
    }
    absl::CivilDay day =
        kFirstDay + static_cast<int>(StableHash(p.id(), 3) % 3);
    for (const v1::TravelEntry& t : p.travel_history()) {
      if (t.has_to()) day = std::max(day, FromDate(t.to()) + 1);
    }
    screening_[std::min(day, kFirstDay + 2)].push_back(std::move(p));
  }
  for (size_t i = 0; i < wuhan14_.size(); ++i) {
    v1::Person p = Unwrap(ledger_->GetPerson(wuhan14_[i], read), "GetPerson");
    p.clear_tags();
    p.clear_travel_history();
    p.add_tags("returnee");
    p.add_tags("hubei_related");
    p.add_tags("from_wuhan");
    v1::TravelEntry* travel = p.add_travel_history();
    travel->set_place("Wuhan, Hubei");
    *travel->mutable_from() =
        ToDate(absl::CivilDay(2020, 1, 6) + static_cast<int>(i % 5));
    *travel->mutable_to() = ToDate(absl::CivilDay(2020, 1, 20));
    screening_[kFirstDay + 1].push_back(std::move(p));
  }
  not_traffic_.insert(case_id_);
  for (const std::string& id : dinner_guests_) not_traffic_.insert(id);
  not_traffic_.insert(driver_);
  for (const std::string& m : households[household_order[case_household]]) {
    not_traffic_.insert(m);
  }
  Flush();
  std::cout << "  the drill's places: " << madiyi_ << " (Madiyi Township), "
            << madiyi_village_ << " (Madiyi Village, " << Num(village.size())
            << " people), " << nanmupu_ << " (Nanmupu Township)\n";
}

// Registers the day's returnees and puts the Hubei-related ones whose 14
// days since their return are not over under home observation.
void Drill::Screening(absl::CivilDay day) {
  auto it = screening_.find(day);
  if (it == screening_.end()) return;
  int64_t hubei = 0, wuhan = 0, observed = 0, group = 0;
  const absl::flat_hash_set<std::string> fourteen(wuhan14_.begin(),
                                                  wuhan14_.end());
  for (v1::Person& p : it->second) {
    const bool in_group = fourteen.count(p.id()) > 0;
    const absl::Time recorded = in_group ? At(day, 17) : At(day, 18);
    const absl::string_view actor =
        in_group ? "Madiyi village cadres" : "carpet screening teams";
    if (HasTag(p, "hubei_related")) ++hubei;
    if (HasTag(p, "from_wuhan")) ++wuhan;
    group += in_group ? 1 : 0;
    if (HasTag(p, "hubei_related") && p.travel_history_size() > 0 &&
        p.travel_history(0).has_to()) {
      const absl::CivilDay last = FromDate(p.travel_history(0).to()) + 14;
      if (last >= day) {
        const absl::Time start = in_group ? At(day, 18) : At(day, 19);
        Add(start + absl::Minutes(10), actor,
            StayStartEvent(p.id(), v1::QUARANTINE_PLACE_HOME, start));
        Schedule(last + 1, p.id(), v1::QUARANTINE_PLACE_HOME);
        ++observed;
      }
    }
    Add(recorded, actor, PersonEvent(p));
  }
  Note(At(day, 18),
       absl::StrCat("carpet screening: ", Num(it->second.size()),
                    " returnees registered with their travel (", Num(hubei),
                    " Hubei-related, ", Num(wuhan), " from Wuhan); ",
                    Num(observed), " put under 14-day home observation"));
  if (group > 0) {
    Note(At(day, 17),
         absl::StrCat("Madiyi Village: the ", group,
                      " back from Wuhan (returned 01-20) registered, checked "
                      "twice a day at home"));
  }
}

// The scheduled checks of everyone in a stay at `slot` (08:00 or 20:00).
void Drill::ChecksAt(absl::Time slot) {
  std::vector<std::pair<std::string, v1::QuarantinePlace>> in_stay;
  for (const auto& [id, spans] : stays_) {
    for (const StaySpan& span : spans) {
      if (span.start <= slot && slot < span.end) {
        in_stay.emplace_back(id, span.place);
      }
    }
  }
  std::sort(in_stay.begin(), in_stay.end());
  const bool evening = absl::ToCivilHour(slot, Zone()).hour() >= 12;
  for (const auto& [id, place] : in_stay) {
    double temperature =
        36.1 +
        static_cast<double>(StableHash(id, absl::ToUnixSeconds(slot)) % 9) /
            10.0;
    std::vector<std::string> symptoms;
    auto script =
        scripts_.find(absl::StrCat(id, "@", absl::ToUnixSeconds(slot)));
    if (script != scripts_.end()) {
      if (script->second.missed) {
        ++missed_today_;
        continue;
      }
      temperature = script->second.temperature;
      symptoms = script->second.symptoms;
    } else if (place == v1::QUARANTINE_PLACE_HOME && id != case_id_) {
      // Now and then a home check is not done: in the evening it shows as a
      // missed_check by 22:00; in the morning the evening check covers it.
      const uint64_t h = StableHash(id, absl::ToUnixSeconds(slot) + 7);
      if (h % (evening ? 900 : 400) == 0) {
        ++missed_today_;
        continue;
      }
    }
    std::string by;
    switch (place) {
      case v1::QUARANTINE_PLACE_HOSPITAL:
        by = "county people's hospital";
        break;
      case v1::QUARANTINE_PLACE_CENTRALIZED:
        by = "quarantine site doctor";
        break;
      default:
        by = "village doctor";
    }
    Add(slot + absl::Minutes(30), "health check rounds",
        CheckEvent(id, slot, temperature, symptoms, by));
  }
}

void Drill::MorningChecksAndReleases(absl::CivilDay day) {
  ChecksAt(At(day, 8));
  auto it = releases_.find(day);
  if (it == releases_.end()) return;
  int64_t home = 0, centralized = 0, group = 0;
  for (const auto& [id, place] : it->second) {
    const StaySpan* stay = OpenStayOf(id);
    if (stay == nullptr || stay->place != place) continue;
    Add(At(day, 9, 15), "township teams", StayEndEvent(id, At(day, 9)));
    (place == v1::QUARANTINE_PLACE_HOME ? home : centralized) += 1;
    if (place == v1::QUARANTINE_PLACE_HOME &&
        std::find(wuhan14_.begin(), wuhan14_.end(), id) != wuhan14_.end()) {
      ++group;
    }
  }
  if (home > 0) {
    Note(
        At(day, 9),
        absl::StrCat(
            Num(home), home == 1 ? " returnee ends" : " returnees end",
            " 14 days of home observation",
            group > 0 ? absl::StrCat(" (", group, " of the Madiyi group of 14)")
                      : ""));
  }
  if (centralized > 0) {
    Note(At(day, 9),
         absl::StrCat(centralized,
                      centralized == 1 ? " close contact" : " close contacts",
                      " released from centralized quarantine after 14 days"));
  }
}

void Drill::EveningChecksAndTraffic(absl::CivilDay day) {
  ChecksAt(At(day, 20));
  // Residents passing the townships' checkpoints during the day.
  const int64_t passages = std::max<int64_t>(20, config_.persons / 6000);
  for (int64_t i = 0; i < passages; ++i) {
    const size_t t = traffic_.Below(townships_.size());
    const std::vector<std::string>& people = township_persons_[t];
    const std::string& id = people[traffic_.Below(people.size())];
    if (not_traffic_.count(id) > 0) continue;
    const absl::Time when =
        At(day, 7) + absl::Minutes(static_cast<int64_t>(traffic_.Below(780)));
    Add(At(day, 21), "checkpoint guards",
        PassageEvent(
            id, absl::StrCat(townships_[t], "-cp", traffic_.Below(4) + 1), when,
            traffic_.Below(2) == 0 ? v1::PASSAGE_DIRECTION_IN
                                   : v1::PASSAGE_DIRECTION_OUT));
  }
}

// The day of confirmation: the case's account, then the ledger's answer to
// "who are the close contacts", then their placement.
void Drill::TraceContacts(absl::CivilDay day) {
  const absl::Time confirmed = At(day, 10);
  Add(confirmed + absl::Minutes(20), "county CDC",
      DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_CONFIRMED, confirmed,
                     absl::CivilDay(2020, 1, 25)));
  Note(confirmed, absl::StrCat(Label(case_id_),
                               " confirmed (onset 01-25), in hospital since "
                               "01-25 21:40"));
  const absl::Time told = At(day, 13);
  for (const std::string& guest : dinner_guests_) {
    Add(told, "county CDC epidemiologists",
        ExposureEvent(case_id_, guest, At(absl::CivilDay(2020, 1, 24), 18),
                      At(absl::CivilDay(2020, 1, 24), 21),
                      v1::EXPOSURE_SETTING_GATHERING,
                      "New Year's Eve dinner with the neighbours"));
  }
  Add(told, "county CDC epidemiologists",
      ExposureEvent(case_id_, driver_, At(absl::CivilDay(2020, 1, 23), 9, 10),
                    At(absl::CivilDay(2020, 1, 23), 9, 50),
                    v1::EXPOSURE_SETTING_TRANSPORT,
                    "minibus to the township market"));
  Flush();

  // Who must be placed? The ledger answers as of 14:00.
  const absl::Time asked = At(day, 14);
  clock_->AdvanceTo(asked);
  Tracer tracer = Unwrap(Tracer::Create(*ledger_, QueryAt(asked)), "Tracer");
  int64_t household = 0;
  std::map<std::string, std::optional<absl::CivilDay>> until;
  for (const RosterEntry& e : tracer.Roster()) {
    if (e.role != Role::kCloseContact) continue;
    contacts_.push_back(e.person_id);
    until[e.person_id] = e.until;
    absl::StatusOr<contactledger::Explanation> x = tracer.Explain(e.person_id);
    if (x.ok()) {
      for (const auto& s : x->sources) {
        if (s.rule == "household") ++household;
      }
    }
  }
  Note(asked, absl::StrCat("tracing: the ledger names ", contacts_.size(),
                           " close contacts (", household, " household, ",
                           contacts_.size() - household,
                           " by exposure, from the records and the case's "
                           "account)"));
  for (const std::string& id : contacts_) not_traffic_.insert(id);

  // Placement: most this evening, the rest tomorrow morning, one late.
  const size_t n = contacts_.size();
  const size_t tonight = n < 3 ? n - 1 : (n * 3 + 4) / 5;
  late_ = contacts_.back();
  for (size_t i = 0; i < n; ++i) {
    const std::string& id = contacts_[i];
    absl::Time placed;
    if (id == late_) {
      placed = At(day + 2, 11);
    } else if (i < tonight) {
      placed = At(day, 18);
    } else {
      placed = At(day + 1, 9, 30);
    }
    Add(placed + absl::Minutes(10), "Madiyi township team",
        StayStartEvent(id, v1::QUARANTINE_PLACE_CENTRALIZED, placed));
    if (until[id].has_value() && *until[id] + 1 <= kLastDay) {
      Schedule(*until[id] + 1, id, v1::QUARANTINE_PLACE_CENTRALIZED);
    }
  }
  Flush();
  Note(At(day, 18), absl::StrCat(tonight,
                                 " of them placed in centralized "
                                 "quarantine tonight"));

  // The follow-up the story needs: one fever escalated, one not, one
  // breach, a missed check.
  if (n >= 4) {
    // Spread over the list (sorted by id, so household and neighbours
    // first): 0, 1, the middle one and the last but one when there are
    // enough.
    const bool spread = n >= 6;
    fever_escalated_ = contacts_[0];
    fever_missed_ = contacts_[spread ? n / 2 : 1];
    breacher_ = contacts_[spread ? n - 2 : 2];
    scripts_[absl::StrCat(contacts_[spread ? 1 : 3], "@",
                          absl::ToUnixSeconds(At(day + 2, 20)))]
        .missed = true;
  }
  if (!fever_escalated_.empty()) {
    CheckScript& a = scripts_[absl::StrCat(
        fever_escalated_, "@", absl::ToUnixSeconds(At(day + 3, 8)))];
    a.temperature = 37.6;
    a.symptoms = {"sore throat", "cough"};
    CheckScript& b = scripts_[absl::StrCat(
        fever_missed_, "@", absl::ToUnixSeconds(At(day + 6, 8)))];
    b.temperature = 37.4;
  }
}

// Nanmupu's re-screening (回头看): every household visited again, each
// person's record confirmed; five people who were never on any register turn
// up, named first in the contact records and registered in the days after.
void Drill::Rescreening(absl::CivilDay day) {
  const size_t t = static_cast<size_t>(
      std::find(townships_.begin(), townships_.end(), nanmupu_) -
      townships_.begin());
  const std::vector<std::string>& people = township_persons_[t];
  // The article: 979 households, 11,237 people. Scaled with the county.
  const int64_t target =
      std::max<int64_t>(1, (11237 * config_.persons + 300000) / 600000);
  const ReadOptions read;
  const absl::Time recorded = At(day, 19);
  int64_t visited = 0, households = 0;
  std::string household;
  std::vector<std::string> seen;
  for (const std::string& id : people) {
    v1::Person p = Unwrap(ledger_->GetPerson(id, read), "GetPerson");
    if (p.household_id() != household) {
      if (visited >= target) break;
      household = p.household_id();
      ++households;
    }
    AddTag(&p, "rechecked_0201");
    Add(recorded, "Nanmupu re-screening teams", PersonEvent(p));
    seen.push_back(id);
    ++visited;
  }
  static constexpr int kFound = 5;
  for (int k = 0; k < kFound; ++k) {
    const std::string host = seen[(seen.size() - 1) * k / kFound + 1];
    const std::string id = absl::StrFormat("nmp-0201-%d", k + 1);
    newcomers_.push_back(id);
    newcomer_hosts_.push_back(host);
    not_traffic_.insert(id);
    not_traffic_.insert(host);
    Add(recorded, "Nanmupu re-screening teams",
        ExposureEvent(host, id, At(absl::CivilDay(2020, 1, 21), 18 + k),
                      At(day, 9), v1::EXPOSURE_SETTING_HOUSEHOLD,
                      "staying with the family since the Spring Festival; on "
                      "no register"));
  }
  Note(recorded,
       absl::StrCat("Nanmupu re-screening (回头看): ", Num(households),
                    " households, ", Num(visited),
                    " people re-checked (the article: 979 households, "
                    "11,237 people); ",
                    kFound, " people found who were never registered"));
}

void Drill::Story(absl::CivilDay day) {
  const absl::CivilDay jan27(2020, 1, 27);
  if (day <= kFirstDay + 2) Screening(day);
  if (day == absl::CivilDay(2020, 1, 25)) {
    // The case's evening check at home: fever, escalated within the hour.
    const absl::Time suspected = At(day, 21, 10);
    const absl::Time admitted = At(day, 21, 40);
    Add(suspected + absl::Minutes(5), "township health centre",
        DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_SUSPECTED, suspected));
    Add(admitted + absl::Minutes(5), "county people's hospital",
        StayStartEvent(case_id_, v1::QUARANTINE_PLACE_HOSPITAL, admitted));
    Note(At(day, 20),
         absl::StrCat(Label(case_id_),
                      " (one of the 14) 37.8 °C with a cough at the evening "
                      "check -> 21:10 suspected -> 21:40 isolated in the "
                      "county hospital"));
  }
  if (day == jan27) TraceContacts(day);
  if (day == jan27 + 1 && contacts_.size() > 1) {
    const size_t n = contacts_.size();
    const size_t tonight = n < 3 ? n - 1 : (n * 3 + 4) / 5;
    if (n - tonight - 1 > 0) {
      Note(At(day, 9, 30),
           absl::StrCat(n - tonight - 1, " more close contacts placed; ", late_,
                        " still not found"));
    }
  }
  if (day == jan27 + 2) {
    Note(At(day, 11), absl::StrCat(late_,
                                   " placed at last, a day late (unplaced "
                                   "since 01-28 10:00)"));
  }
  if (day == jan27 + 3 && !fever_escalated_.empty()) {
    const absl::Time suspected = At(day, 9, 30);
    Add(suspected + absl::Minutes(5), "quarantine site doctor",
        DiagnosisEvent(fever_escalated_, v1::DIAGNOSIS_STATUS_SUSPECTED,
                       suspected));
    Add(At(day, 10, 40), "county people's hospital",
        StayStartEvent(fever_escalated_, v1::QUARANTINE_PLACE_HOSPITAL,
                       At(day, 10, 30)));
    Note(At(day, 8),
         absl::StrCat("close contact ", fever_escalated_,
                      " 37.6 °C, sore throat -> 09:30 suspected (escalated "
                      "in 1.5 h) -> 10:30 to hospital for tests"));
  }
  if (day == absl::CivilDay(2020, 2, 1)) {
    if (!breacher_.empty()) {
      // A contact slips out of the quarantine hotel; the guard asks the
      // ledger, turns him back and logs the passage: a breach.
      Flush();
      const absl::Time t = At(day, 15, 10);
      const std::string checkpoint = absl::StrCat(madiyi_, "-cp2");
      Tracer tracer = Unwrap(Tracer::Create(*ledger_, QueryAt(t)), "Tracer");
      const contactledger::PassDecision decision =
          Unwrap(tracer.MayPass(breacher_, checkpoint), "MayPass");
      Add(t + absl::Minutes(20), absl::StrCat("checkpoint ", checkpoint),
          PassageEvent(breacher_, checkpoint, t, v1::PASSAGE_DIRECTION_OUT));
      Note(t, absl::StrCat("close contact ", breacher_, " at ", checkpoint,
                           ": MayPass says ", decision.allowed ? "yes" : "no",
                           " (", decision.reason, "); a breach, logged"));
      Flush();
    }
    if (!fever_escalated_.empty()) {
      Add(At(day, 16, 10), "county CDC",
          DiagnosisEvent(fever_escalated_, v1::DIAGNOSIS_STATUS_CLEARED,
                         At(day, 16)));
      Add(At(day, 17, 10), "Madiyi township team",
          StayStartEvent(fever_escalated_, v1::QUARANTINE_PLACE_CENTRALIZED,
                         At(day, 17)));
      Note(At(day, 16), absl::StrCat(fever_escalated_,
                                     " cleared (two negative tests), back to "
                                     "the quarantine site"));
    }
    Rescreening(day);
  }
  if (day == absl::CivilDay(2020, 2, 2) && !fever_missed_.empty()) {
    Note(At(day, 8), absl::StrCat("close contact ", fever_missed_,
                                  " 37.4 °C at the morning check; nobody "
                                  "escalates it"));
  }
  if ((day == absl::CivilDay(2020, 2, 2) ||
       day == absl::CivilDay(2020, 2, 3)) &&
      !newcomers_.empty()) {
    // Registered once their identities are checked: four today, one the
    // day after.
    static const char* const kNames[] = {"向军", "李秀英", "张桂平", "刘建国",
                                         "陈红"};
    static const char* const kFrom[] = {"Wuhan, Hubei", "Guangzhou, Guangdong",
                                        "Changsha, Hunan",
                                        "Shenzhen, Guangdong", "Shanghai"};
    const ReadOptions read;
    const size_t first = day == absl::CivilDay(2020, 2, 2) ? 0 : 4;
    const size_t last = day == absl::CivilDay(2020, 2, 2) ? 4 : 5;
    for (size_t k = first; k < last && k < newcomers_.size(); ++k) {
      const v1::Person host =
          Unwrap(ledger_->GetPerson(newcomer_hosts_[k], read), "host");
      v1::Person p;
      p.set_id(newcomers_[k]);
      p.set_name(kNames[k]);
      p.set_household_id(host.household_id());
      p.add_tags("returnee");
      v1::TravelEntry* travel = p.add_travel_history();
      travel->set_place(kFrom[k]);
      *travel->mutable_from() = ToDate(absl::CivilDay(2020, 1, 12));
      *travel->mutable_to() = ToDate(absl::CivilDay(2020, 1, 21));
      if (k == 0) {
        p.add_tags("hubei_related");
        p.add_tags("from_wuhan");
        // 14 days from 21 January: observed at home to 4 February.
        Add(At(day, 12, 10), "Nanmupu township team",
            StayStartEvent(p.id(), v1::QUARANTINE_PLACE_HOME, At(day, 12)));
        Schedule(absl::CivilDay(2020, 2, 5), p.id(), v1::QUARANTINE_PLACE_HOME);
      }
      Add(At(day, first == 0 ? 11 : 10), "Nanmupu township team",
          PersonEvent(p));
    }
    Note(At(day, first == 0 ? 11 : 10),
         first == 0 ? "4 of the 5 found in Nanmupu registered (one back from "
                      "Wuhan: home observation to 02-04)"
                    : "the fifth found in Nanmupu registered");
  }
  if (day == absl::CivilDay(2020, 2, 5)) {
    Add(At(day, 10, 10), "county people's hospital",
        DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_RECOVERED, At(day, 10)));
    Add(At(day, 10, 40), "county people's hospital",
        StayEndEvent(case_id_, At(day, 10, 30)));
    Add(At(day, 11, 10), "Madiyi township team",
        StayStartEvent(case_id_, v1::QUARANTINE_PLACE_HOME, At(day, 11)));
    Note(At(day, 10), absl::StrCat(Label(case_id_),
                                   " discharged cured; 14 days of home "
                                   "health observation"));
  }
}

std::string Recorded(const contactledger::LedgerStats& a,
                     const contactledger::LedgerStats& b, int64_t missed,
                     absl::CivilDay day) {
  std::vector<std::string> parts;
  auto part = [&](uint64_t x, uint64_t y, absl::string_view what) {
    if (y > x) parts.push_back(absl::StrCat(Num(y - x), " ", what));
  };
  part(a.exposures, b.exposures,
       day == kFirstDay ? "exposures"
                        : absl::StrCat("exposures (of ", Md(day - 1), ")"));
  part(a.person_versions, b.person_versions,
       b.person_versions - a.person_versions == 1 ? "person record"
                                                  : "person records");
  part(a.health_checks, b.health_checks,
       missed > 0 ? absl::StrCat("checks (", missed, " missed)") : "checks");
  part(a.quarantine_actions, b.quarantine_actions, "stay starts/ends");
  part(a.diagnoses, b.diagnoses,
       b.diagnoses - a.diagnoses == 1 ? "diagnosis" : "diagnoses");
  part(a.checkpoint_passages, b.checkpoint_passages, "passages");
  part(a.areas + a.households, b.areas + b.households, "areas/households");
  return absl::StrCat("recorded today: ", Num(b.events - a.events),
                      " events: ", absl::StrJoin(parts, ", "));
}

void Drill::Run() {
  const absl::Time started = absl::Now();
  contactledger::SyntheticCountyOptions synthetic;
  synthetic.seed = config_.seed;
  synthetic.persons = config_.persons;
  synthetic.first_day = kFirstDay;
  synthetic.days = 17;  // 22 January to 7 February, each recorded next morning
  synthetic.time_zone = Zone();
  synthetic.cases = 0;  // the story brings its own
  synthetic.activity = false;
  // Small batches: each is indexed while it is still in the cache (50,000
  // took several times longer).
  synthetic.batch_size = 1000;

  clock_->AdvanceTo(At(kFirstDay, 8));
  feed_.Start(synthetic);
  const contactledger::LedgerStats loaded = ledger_->Stats();
  std::cout << "Loaded the household register at 08:00 on 2020-01-22: "
            << Num(loaded.areas) << " areas, " << Num(loaded.households)
            << " households, " << Num(loaded.persons) << " persons ("
            << absl::StrFormat("%.1f",
                               absl::ToDoubleSeconds(absl::Now() - started))
            << " s)\n";
  Setup();
  // The case's fever at the evening check of 25 January.
  CheckScript& fever = scripts_[absl::StrCat(
      case_id_, "@", absl::ToUnixSeconds(At(absl::CivilDay(2020, 1, 25), 20)))];
  fever.temperature = 37.8;
  fever.symptoms = {"cough", "fatigue"};

  const std::set<std::string> highlight = {madiyi_, nanmupu_};
  std::optional<ReportView> before;
  absl::Duration report_time;
  int day_number = 0;
  for (absl::CivilDay day = kFirstDay; day <= kLastDay; ++day) {
    ++day_number;
    today_ = day;
    missed_today_ = 0;
    notes_.clear();
    const contactledger::LedgerStats start = ledger_->Stats();
    if (day > kFirstDay) {
      // Yesterday's contact records, filed in the morning.
      clock_->AdvanceTo(At(day, 7));
      feed_.ReleaseThrough(day - 1);
    }
    auto later = later_.find(day);
    if (later != later_.end()) {
      for (Pending& p : later->second) pending_.push_back(std::move(p));
      later_.erase(later);
    }
    MorningChecksAndReleases(day);
    Story(day);
    Flush();
    EveningChecksAndTraffic(day);
    Flush();

    std::cout << "\n== " << absl::FormatTime("%a %Y-%m-%d", At(day, 12), Zone())
              << "  day " << day_number << " of 18 " << std::string(50, '=')
              << "\n";
    std::stable_sort(
        notes_.begin(), notes_.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [t, text] : notes_) {
      std::cout << "  " << Hm(t) << "  " << text << "\n";
    }
    std::cout << "  " << Recorded(start, ledger_->Stats(), missed_today_, day)
              << "\n";
    const absl::Time report_start = absl::Now();
    ReportView view = PrintReport(*ledger_, At(day, kReportHour), highlight,
                                  /*all_rows=*/false,
                                  before.has_value() ? &*before : nullptr);
    report_time += absl::Now() - report_start;
    before = std::move(view);
  }
  feed_.Finish();
  const absl::Duration replay = absl::Now() - started;

  std::cout << "\n== The county on 2020-02-08 at 22:00, every township "
            << std::string(27, '=') << "\n";
  const absl::Time at = At(kLastDay, kReportHour);
  const absl::Time final_start = absl::Now();
  PrintReport(*ledger_, at, highlight, /*all_rows=*/true, nullptr);
  WriteOutputs(*ledger_, at, config_.out);
  const absl::Duration outputs = absl::Now() - final_start;

  const absl::Time snapshot_start = absl::Now();
  const uint64_t covered = Unwrap(ledger_->WriteSnapshot(), "WriteSnapshot");
  const absl::Duration snapshot = absl::Now() - snapshot_start;
  WriteFile(config_.out / "drill.done",
            absl::StrCat("# county_drill finished this ledger\npersons=",
                         config_.persons, "\nseed=", config_.seed,
                         "\nlast_sequence=", covered, "\n"));

  const contactledger::LedgerStats stats = ledger_->Stats();
  std::cout << "\nLedger " << config_.ledger_dir.string() << ": "
            << Num(stats.events) << " events (" << Num(stats.exposures)
            << " exposures, " << Num(feed_.dropped())
            << " not recorded: the person was in quarantine), "
            << Num(stats.memory_bytes >> 20) << " MiB in memory; snapshot at "
            << "sequence " << Num(covered) << "\n";
  std::cout << absl::StrFormat(
      "Time: %.1f s in all (%.1f s of CPU): replay %.1f s (appending the "
      "synthetic "
      "exposures %.1f s, daily reports %.1f s), final report and files "
      "%.1f s, snapshot %.1f s\n",
      absl::ToDoubleSeconds(absl::Now() - started), CpuSeconds(),
      absl::ToDoubleSeconds(replay), absl::ToDoubleSeconds(feed_.append_time()),
      absl::ToDoubleSeconds(report_time), absl::ToDoubleSeconds(outputs),
      absl::ToDoubleSeconds(snapshot));
  const std::string dir = config_.ledger_dir.string();
  std::cout << "\nRun it again to reopen and verify the ledger. Ask it more "
               "with ledgerctl, e.g.\n  ledgerctl explain "
            << dir << " --person " << case_id_
            << " --at 2020-01-27T14:00:00+08:00\n  ledgerctl loops " << dir
            << " --at 2020-02-01T22:00:00+08:00 --known-at "
               "2020-02-01T22:00:00+08:00\n";
}

// ---------------------------------------------------------------------------
// Running it again: reopen, verify, report.

std::optional<std::map<std::string, std::string>> ReadMarker(
    const fs::path& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq != std::string::npos) {
      values[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return values;
}

int Reopen(const DrillConfig& config) {
  const absl::Time started = absl::Now();
  contactledger::LedgerOptions options;
  options.time_zone = Zone();
  options.create_if_missing = false;
  const std::string dir = config.ledger_dir.string();

  std::cout << "The drill is already in " << dir
            << ": verifying and reopening it (--fresh starts over).\n\n";
  const contactledger::VerifyReport report =
      Unwrap(Ledger::Verify(options, dir), "Verify");
  std::cout << "Verify " << dir << ":\n";
  for (const contactledger::VerifyReport::File& f : report.files) {
    std::cout << "  " << f.name << ": " << Num(f.bytes) << " bytes";
    if (f.records > 0) std::cout << ", " << Num(f.records) << " records";
    if (f.first_sequence != 0) {
      std::cout << ", events " << Num(f.first_sequence) << "-"
                << Num(f.last_sequence);
    } else if (f.last_sequence != 0) {
      std::cout << ", state as of event " << Num(f.last_sequence);
    }
    std::cout << "\n";
  }
  for (const contactledger::DamagedRange& d : report.damage) {
    std::cout << "  " << (d.truncated_tail ? "cut-off tail" : "damage") << ": "
              << d.file << " at byte " << d.offset << ", " << d.length
              << " bytes: " << d.reason << "\n";
  }
  for (const std::string& problem : report.problems) {
    std::cout << "  problem: " << problem << "\n";
  }
  std::cout << "  " << Num(report.events) << " events, last sequence number "
            << Num(report.last_sequence) << ": "
            << (report.ok() ? "ok" : "DAMAGED")
            << absl::StrFormat(" (%.1f s)\n",
                               absl::ToDoubleSeconds(absl::Now() - started));
  if (!report.ok()) {
    std::cerr << "county_drill: the ledger in " << dir
              << " is damaged; run with --fresh to start over\n";
    return EXIT_FAILURE;
  }

  const absl::Time open_start = absl::Now();
  std::unique_ptr<Ledger> ledger =
      Unwrap(Ledger::Open(options, dir), "Ledger::Open");
  const contactledger::RecoveryReport& recovery = ledger->recovery_report();
  std::cout << "Reopened in "
            << absl::StrFormat("%.1f s",
                               absl::ToDoubleSeconds(absl::Now() - open_start))
            << ": "
            << (recovery.snapshot_file.empty()
                    ? std::string("no snapshot")
                    : absl::StrCat("snapshot ", recovery.snapshot_file,
                                   " (to event ",
                                   Num(recovery.snapshot_sequence), ")"))
            << ", " << Num(recovery.replayed_events)
            << " events replayed from the log\n";
  if (auto marker = ReadMarker(config.out / "drill.done"); marker.has_value()) {
    const std::string expected = (*marker)["last_sequence"];
    if (expected != absl::StrCat(ledger->last_sequence_number())) {
      std::cout << "  note: the drill ended at event " << expected
                << ", the ledger holds " << ledger->last_sequence_number()
                << " (appended to since?)\n";
    }
  }

  const absl::Time at = At(kLastDay, kReportHour);
  std::cout << "\n== The county on 2020-02-08 at 22:00 (final report) "
            << std::string(28, '=') << "\n";
  // What changed on the last day: the view as of the evening before.
  std::optional<ReportView> before;
  {
    Tracer tracer =
        Unwrap(Tracer::Create(*ledger, QueryAt(At(kLastDay - 1, kReportHour))),
               "Tracer");
    ReportView v;
    for (const RosterEntry& e : tracer.Roster()) v.roster.insert(e.person_id);
    for (const OpenLoop& l : tracer.OpenLoops()) {
      v.loops.emplace(l.person_id, static_cast<int>(l.kind),
                      absl::ToUnixSeconds(l.since));
    }
    before = std::move(v);
  }
  PrintReport(*ledger, at, {}, /*all_rows=*/true, &*before);
  WriteOutputs(*ledger, at, config.out);
  std::cout << absl::StrFormat("\nTime: %.1f s (%.1f s of CPU)\n",
                               absl::ToDoubleSeconds(absl::Now() - started),
                               CpuSeconds());
  return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "replays the first weeks of COVID-19 in a synthetic county shaped like "
      "Yuanling into a durable ContactLedger and prints its daily report.\n"
      "  county_drill [--persons=600000] [--out=./drill-output] [--seed=2020] "
      "[--fresh]");
  absl::ParseCommandLine(argc, argv);
  DrillConfig config;
  config.persons = absl::GetFlag(FLAGS_persons);
  config.seed = absl::GetFlag(FLAGS_seed);
  config.out = fs::path(absl::GetFlag(FLAGS_out));
  config.ledger_dir = config.out / "ledger";
  if (config.persons < kMinPersons || config.persons > 50'000'000) {
    std::cerr << "county_drill: --persons must be 10,000 to 50,000,000 (the "
                 "county needs its 23 townships)\n";
    return 2;
  }
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec) {
    std::cerr << "county_drill: cannot create " << config.out << ": "
              << ec.message() << "\n";
    return EXIT_FAILURE;
  }
  const CountyZoneInfo& zone = CountyZone();

  const fs::path marker_path = config.out / "drill.done";
  if (!absl::GetFlag(FLAGS_fresh) && fs::exists(config.ledger_dir)) {
    auto marker = ReadMarker(marker_path);
    if (marker.has_value() &&
        (*marker)["persons"] == absl::StrCat(config.persons) &&
        (*marker)["seed"] == absl::StrCat(config.seed)) {
      return Reopen(config);
    }
    std::cout << "note: " << config.ledger_dir.string()
              << (marker.has_value() ? " holds a drill with other options"
                                     : " holds an unfinished drill")
              << "; starting over\n";
  }
  fs::remove(marker_path, ec);
  fs::remove_all(config.ledger_dir, ec);
  if (ec) {
    std::cerr << "county_drill: cannot remove " << config.ledger_dir << ": "
              << ec.message() << "\n";
    return EXIT_FAILURE;
  }

  std::cout << "ContactLedger county drill: a county shaped like Yuanling, "
               "Hunan, "
            << Num(config.persons) << " people, 2020-01-22 to 2020-02-08 in "
            << (zone.named ? "Asia/Shanghai" : "UTC+08:00")
            << "\nLedger: " << config.ledger_dir.string() << "\n\n";
  StoryClock clock;
  contactledger::LedgerOptions options;
  options.clock = &clock;
  options.time_zone = zone.zone;
  options.error_if_exists = true;
  std::unique_ptr<Ledger> ledger =
      Unwrap(Ledger::Open(options, config.ledger_dir.string()), "Ledger::Open");
  if (zone.named) {
    // ledgerctl reads the ledger's zone from here (`ledgerctl init`).
    WriteFile(config.ledger_dir / "LEDGERCTL",
              "# ledgerctl settings of this ledger directory\n"
              "time_zone=Asia/Shanghai\n");
  }
  {
    Drill drill(ledger.get(), &clock, config);
    drill.Run();
  }
  return EXIT_SUCCESS;
}
