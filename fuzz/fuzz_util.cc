// Copyright 2026 The ContactLedger Authors.

#include "fuzz/fuzz_util.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/stubs/logging.h"
#include "lib/log/record_io.h"

namespace contactledger {
namespace fuzz {
namespace {

// Protobuf logs every string field that fails UTF-8 validation while
// parsing; fuzzed inputs do that all the time. The ledger reports those
// records itself.
const bool kProtobufQuiet = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

uint32_t Crc(absl::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
            static_cast<uInt>(bytes.size())));
}

uint32_t GetU32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

void PutU32(uint32_t v, std::string* s, size_t at) {
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>(v >> (8 * i));
}

std::string Describe(const absl::Status& status) { return status.ToString(); }

// --- The files of a directory. ---

// name -> contents, without LOCK (which the ledger creates and holds).
std::map<std::string, std::string> Files(internal::MemEnv* env,
                                         const std::string& dir) {
  std::map<std::string, std::string> files;
  absl::StatusOr<std::vector<std::string>> names = env->GetChildren(dir);
  FUZZ_CHECK(names.ok(), Describe(names.status()));
  for (const std::string& name : *names) {
    if (name == "LOCK") continue;
    absl::StatusOr<std::string> contents = env->Contents(dir + "/" + name);
    FUZZ_CHECK(contents.ok(), Describe(contents.status()));
    files[name] = *std::move(contents);
  }
  return files;
}

// A log's header: magic, version, base sequence, the type name's length and
// "contactledger.v1.EventBatch", checksum.
constexpr size_t kLogHeaderBytes = 8 + 4 + 8 + 2 + 27 + 4;

bool IsNumbered(const std::string& name, absl::string_view suffix) {
  return name.size() == 20 + suffix.size() && absl::EndsWith(name, suffix) &&
         std::all_of(name.begin(), name.begin() + 20,
                     [](char c) { return c >= '0' && c <= '9'; });
}

// --- What a ledger holds. ---

// Every event as GetEvent gives it, serialised ("lost" for a lost one).
std::vector<std::string> ReadAll(const Ledger& ledger,
                                 std::vector<v1::LedgerEvent>* events) {
  const uint64_t last = ledger.last_sequence_number();
  FUZZ_CHECK(ledger.Stats().events == last,
             absl::StrCat("Stats().events ", ledger.Stats().events,
                          " != last sequence ", last));
  std::vector<std::string> out;
  absl::Time previous = absl::InfinitePast();
  for (uint64_t s = 1; s <= last; ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    if (absl::IsDataLoss(event.status())) {
      out.push_back("lost");
      continue;
    }
    FUZZ_CHECK(event.ok(),
               absl::StrCat("GetEvent(", s, "): ", Describe(event.status())));
    FUZZ_CHECK(event->sequence_number() == s,
               absl::StrCat("GetEvent(", s, ") has sequence number ",
                            event->sequence_number()));
    FUZZ_CHECK(event->body_case() != v1::LedgerEvent::BODY_NOT_SET,
               absl::StrCat("GetEvent(", s, ") has no body"));
    const absl::Time record_time =
        absl::FromUnixSeconds(event->record_time().seconds()) +
        absl::Nanoseconds(event->record_time().nanos());
    FUZZ_CHECK(record_time >= previous,
               absl::StrCat("record time of event ", s, " goes back"));
    previous = record_time;
    out.push_back(event->SerializeAsString());
    if (events != nullptr) events->push_back(*std::move(event));
  }
  FUZZ_CHECK(absl::IsNotFound(ledger.GetEvent(last + 1).status()),
             "GetEvent past the last sequence number is not NotFound");
  FUZZ_CHECK(absl::IsNotFound(ledger.GetEvent(0).status()),
             "GetEvent(0) is not NotFound");
  return out;
}

// The ids the events name, a few of each kind.
struct Names {
  std::set<std::string> persons, areas, households, national_ids;
  absl::Time latest = absl::InfinitePast();
};

void AddTime(const google::protobuf::Timestamp& ts, Names* names) {
  names->latest = std::max(names->latest, absl::FromUnixSeconds(ts.seconds()));
}

Names NamesOf(const std::vector<v1::LedgerEvent>& events) {
  constexpr size_t kMax = 16;
  Names n;
  auto add = [](std::set<std::string>* set, const std::string& id) {
    if (!id.empty() && set->size() < kMax) set->insert(id);
  };
  for (const v1::LedgerEvent& e : events) {
    switch (e.body_case()) {
      case v1::LedgerEvent::kArea:
        add(&n.areas, e.area().id());
        break;
      case v1::LedgerEvent::kHousehold:
        add(&n.households, e.household().id());
        break;
      case v1::LedgerEvent::kPerson:
        add(&n.persons, e.person().id());
        add(&n.national_ids, e.person().national_id());
        break;
      case v1::LedgerEvent::kExposure:
        add(&n.persons, e.exposure().person_a());
        add(&n.persons, e.exposure().person_b());
        AddTime(e.exposure().end(), &n);
        break;
      case v1::LedgerEvent::kDiagnosis:
        add(&n.persons, e.diagnosis().person_id());
        AddTime(e.diagnosis().time(), &n);
        break;
      case v1::LedgerEvent::kQuarantineAction:
        add(&n.persons, e.quarantine_action().person_id());
        AddTime(e.quarantine_action().time(), &n);
        break;
      case v1::LedgerEvent::kHealthCheck:
        add(&n.persons, e.health_check().person_id());
        AddTime(e.health_check().time(), &n);
        break;
      case v1::LedgerEvent::kCheckpointPassage:
        add(&n.persons, e.checkpoint_passage().person_id());
        AddTime(e.checkpoint_passage().time(), &n);
        break;
      default:
        break;
    }
  }
  return n;
}

// A history read must return exactly events GetEvent agrees with.
template <typename Body, typename GetBody>
void CheckHistory(const Ledger& ledger, const std::string& person,
                  const absl::StatusOr<std::vector<Recorded<Body>>>& got,
                  GetBody get_body, const char* what) {
  FUZZ_CHECK(got.ok(),
             absl::StrCat(what, "(", person, "): ", Describe(got.status())));
  for (const Recorded<Body>& r : *got) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(r.sequence_number);
    FUZZ_CHECK(event.ok(), absl::StrCat(what, "(", person, ") returned event ",
                                        r.sequence_number,
                                        " that GetEvent "
                                        "does not have"));
    FUZZ_CHECK(
        get_body(*event).SerializeAsString() == r.body.SerializeAsString(),
        absl::StrCat(what, "(", person,
                     ") and GetEvent disagree on "
                     "event ",
                     r.sequence_number));
  }
}

void CheckReads(const Ledger& ledger, const Names& names) {
  const ReadOptions all;
  ReadOptions half;
  half.sequence_limit = ledger.last_sequence_number() / 2;
  for (const ReadOptions& read : {all, half}) {
    for (const std::string& p : ledger.UnregisteredPersons(read)) {
      FUZZ_CHECK(!ledger.GetPerson(p, read).ok(),
                 absl::StrCat("unregistered person ", p, " has a version"));
    }
  }
  for (const std::string& p : names.persons) {
    absl::StatusOr<v1::Person> person = ledger.GetPerson(p, all);
    if (person.ok()) {
      FUZZ_CHECK(person->id() == p, "GetPerson returned another id");
    }
    CheckHistory(
        ledger, p,
        ledger.ExposuresOf(p, absl::InfinitePast(), absl::InfiniteFuture(),
                           all),
        [](const v1::LedgerEvent& e) { return e.exposure(); }, "ExposuresOf");
    CheckHistory(
        ledger, p, ledger.DiagnosesOf(p, all),
        [](const v1::LedgerEvent& e) { return e.diagnosis(); }, "DiagnosesOf");
    CheckHistory(
        ledger, p, ledger.QuarantineActionsOf(p, all),
        [](const v1::LedgerEvent& e) { return e.quarantine_action(); },
        "QuarantineActionsOf");
    CheckHistory(
        ledger, p, ledger.HealthChecksOf(p, all),
        [](const v1::LedgerEvent& e) { return e.health_check(); },
        "HealthChecksOf");
    CheckHistory(
        ledger, p, ledger.PassagesOf(p, half),
        [](const v1::LedgerEvent& e) { return e.checkpoint_passage(); },
        "PassagesOf");
  }
  for (const std::string& a : names.areas) {
    absl::StatusOr<v1::Area> area = ledger.GetArea(a, all);
    if (!area.ok()) continue;
    FUZZ_CHECK(area->id() == a, "GetArea returned another id");
    absl::StatusOr<std::vector<std::string>> subtree =
        ledger.AreaSubtree(a, all);
    FUZZ_CHECK(subtree.ok() && !subtree->empty() && subtree->front() == a,
               absl::StrCat("AreaSubtree(", a, ") does not start with it"));
    FUZZ_CHECK(ledger.ChildAreas(a, all).ok(), "ChildAreas failed");
    FUZZ_CHECK(ledger.PersonsInArea(a, all).ok(), "PersonsInArea failed");
    if (ledger.GetArea(a, half).ok()) {
      FUZZ_CHECK(ledger.PersonsInArea(a, half).ok(),
                 "PersonsInArea failed for an area visible at the cut");
    }
  }
  for (const std::string& h : names.households) {
    absl::StatusOr<std::vector<std::string>> members =
        ledger.HouseholdMembers(h, all);
    if (!members.ok()) continue;
    for (const std::string& m : *members) {
      absl::StatusOr<v1::Person> person = ledger.GetPerson(m, all);
      FUZZ_CHECK(person.ok() && person->household_id() == h,
                 absl::StrCat("member ", m, " of ", h, " is not in it"));
    }
  }
  for (const std::string& n : names.national_ids) {
    for (const std::string& p : ledger.FindPersonsByNationalId(n, all)) {
      absl::StatusOr<v1::Person> person = ledger.GetPerson(p, all);
      FUZZ_CHECK(person.ok() && person->national_id() == n,
                 absl::StrCat("person ", p, " found by national id ", n,
                              " does not carry it"));
    }
  }
}

bool InRange(absl::Time t) {
  return t > absl::FromCivil(absl::CivilSecond(1, 1, 2), absl::UTCTimeZone()) &&
         t < absl::FromCivil(absl::CivilSecond(9999, 12, 1),
                             absl::UTCTimeZone());
}

void CheckEverything(const Ledger& ledger, std::vector<std::string>* recorded) {
  std::vector<v1::LedgerEvent> events;
  *recorded = ReadAll(ledger, &events);
  const Names names = NamesOf(events);
  CheckReads(ledger, names);
  std::vector<absl::Time> moments = {absl::FromCivil(
      absl::CivilSecond(2020, 2, 1, 8, 0, 0), absl::UTCTimeZone())};
  if (InRange(names.latest)) moments.push_back(names.latest);
  for (absl::Time at : moments) AskTracer(ledger, at, std::nullopt);
}

// Where two lists of ReadAll's serialised events first differ, readably.
std::string FirstDifference(const std::vector<std::string>& a,
                            const std::vector<std::string>& b) {
  auto show = [](const std::string& bytes) {
    if (bytes == "lost") return bytes;
    v1::LedgerEvent event;
    event.ParseFromString(bytes);
    return event.ShortDebugString();
  };
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      return absl::StrCat("event ", i + 1, ": ", show(a[i]), " became ",
                          show(b[i]));
    }
  }
  return absl::StrCat(a.size(), " events became ", b.size());
}

v1::LedgerEvent Probe() {
  v1::LedgerEvent event;
  v1::Exposure* e = event.mutable_exposure();
  e->set_person_a("fuzz-probe-a");
  e->set_person_b("fuzz-probe-b");
  e->mutable_start()->set_seconds(1580515200);  // 2020-02-01T00:00:00Z
  e->mutable_end()->set_seconds(1580518800);
  e->set_setting(v1::EXPOSURE_SETTING_OTHER);
  return event;
}

class FixedClock : public Clock {
 public:
  absl::Time Now() override {
    return absl::FromCivil(absl::CivilSecond(2020, 3, 1, 0, 0, 0),
                           absl::UTCTimeZone());
  }
};

FixedClock* TheClock() {
  static FixedClock* clock = new FixedClock;
  return clock;
}

// With FUZZ_DEBUG set in the environment, what each open found.
void Debug(const std::string& what, const Ledger& ledger) {
  if (std::getenv("FUZZ_DEBUG") == nullptr) return;
  const RecoveryReport& r = ledger.recovery_report();
  std::fprintf(stderr,
               "%s: last %llu, snapshot '%s', replayed %llu, lost %llu\n",
               what.c_str(),
               static_cast<unsigned long long>(ledger.last_sequence_number()),
               r.snapshot_file.c_str(),
               static_cast<unsigned long long>(r.replayed_events),
               static_cast<unsigned long long>(r.lost_events));
  for (const DamagedRange& d : r.damage) {
    std::fprintf(stderr, "  damage %s @%llu +%llu %s: %s\n", d.file.c_str(),
                 static_cast<unsigned long long>(d.offset),
                 static_cast<unsigned long long>(d.length),
                 d.truncated_tail ? "tail" : "skipped", d.reason.c_str());
  }
}

std::string Show(const std::map<std::string, std::string>& files) {
  std::string out;
  for (const auto& [name, contents] : files) {
    absl::StrAppend(&out, " ", name, "(", contents.size(), ")");
  }
  return out;
}

}  // namespace

void CheckFailed(const char* file, int line, const char* condition,
                 const std::string& message) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", file, line,
               condition, message.c_str());
  std::fflush(stderr);
  std::abort();
}

std::vector<std::string> SplitBefore(absl::string_view data,
                                     absl::string_view magic) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (true) {
    const size_t next = data.find(magic, begin + 1);
    if (next == absl::string_view::npos) break;
    parts.emplace_back(data.substr(begin, next - begin));
    begin = next;
  }
  parts.emplace_back(data.substr(begin));
  return parts;
}

uint64_t HeaderBaseSequence(absl::string_view file, uint64_t fallback) {
  if (file.size() < 20) return fallback;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<uint8_t>(file[12 + i]);
  return v;
}

std::string NumberedName(uint64_t sequence, absl::string_view suffix) {
  return absl::StrCat(absl::StrFormat("%020d", sequence), suffix);
}

void RepairChecksums(std::string* file) {
  constexpr size_t kFixed = 22;
  if (file->size() < kFixed) return;
  const size_t type_len =
      static_cast<uint8_t>((*file)[20]) |
      (static_cast<size_t>(static_cast<uint8_t>((*file)[21])) << 8);
  if (file->size() < kFixed + type_len + 4) return;
  PutU32(Crc(absl::string_view(*file).substr(0, kFixed + type_len)), file,
         kFixed + type_len);
  size_t pos = kFixed + type_len + 4;
  while (file->size() - pos >= internal::kRecordHeaderBytes) {
    PutU32(Crc(absl::string_view(*file).substr(pos, 4)), file, pos + 4);
    const uint32_t length = GetU32(*file, pos);
    if (length > internal::kMaxRecordBytes ||
        file->size() - pos - internal::kRecordHeaderBytes < length) {
      return;
    }
    PutU32(Crc(absl::string_view(*file).substr(
               pos + internal::kRecordHeaderBytes, length)),
           file, pos + 8);
    pos += internal::kRecordHeaderBytes + length;
  }
}

LedgerOptions FuzzLedgerOptions(Env* env, bool recover) {
  LedgerOptions options;
  options.env = env;
  options.clock = TheClock();
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  options.create_if_missing = false;
  options.recover_damaged = recover;
  return options;
}

void FuzzLedgerDirectory(internal::MemEnv* env, const std::string& dir,
                         bool recover) {
  const LedgerOptions options = FuzzLedgerOptions(env, recover);
  const std::map<std::string, std::string> before = Files(env, dir);

  // Verify reads everything and changes nothing.
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(options, dir);
  FUZZ_CHECK(verify.ok(),
             absl::StrCat("Verify failed: ", Describe(verify.status())));
  FUZZ_CHECK(Files(env, dir) == before, "Verify changed the directory");
  for (const DamagedRange& range : verify->damage) {
    const std::string name = range.file.substr(range.file.rfind('/') + 1);
    auto it = before.find(name);
    FUZZ_CHECK(it != before.end(),
               absl::StrCat("damage reported in unknown file ", range.file));
    FUZZ_CHECK(range.offset <= it->second.size() &&
                   range.length <= it->second.size() - range.offset,
               absl::StrCat("damage range ", range.offset, "+", range.length,
                            " lies outside ", name, " (", it->second.size(),
                            " bytes)"));
  }

  absl::StatusOr<std::unique_ptr<Ledger>> opened = Ledger::Open(options, dir);
  if (!opened.ok()) {
    const absl::Status& s = opened.status();
    if (std::getenv("FUZZ_DEBUG") != nullptr) {
      std::fprintf(stderr, "open failed: %s\n", Describe(s).c_str());
    }
    FUZZ_CHECK(
        absl::IsDataLoss(s) || absl::IsFailedPrecondition(s),
        absl::StrCat("Open failed with an unexpected code: ", Describe(s)));
    FUZZ_CHECK(
        absl::StrContains(s.message(), dir + "/"),
        absl::StrCat("Open's error does not name the file: ", Describe(s)));
    FUZZ_CHECK(Files(env, dir) == before,
               absl::StrCat("a failed Open changed the directory:",
                            Show(before), " ->", Show(Files(env, dir))));
    FUZZ_CHECK(!verify->ok(),
               absl::StrCat("Open failed (", Describe(s),
                            ") where Verify found the directory ok"));
    return;
  }
  std::unique_ptr<Ledger> ledger = *std::move(opened);
  Debug("open", *ledger);
  const uint64_t last = ledger->last_sequence_number();
  FUZZ_CHECK(verify->last_sequence == last,
             absl::StrCat("Verify says last sequence ", verify->last_sequence,
                          ", Open ", last));
  if (!recover) {
    FUZZ_CHECK(verify->ok(), "Open succeeded where Verify found damage");
  }

  // Open may only cut the tail off the newest log; or drop a newest log
  // whose header was cut off (and start it again), and then cut the tail off
  // the log before it, now the newest.
  const std::map<std::string, std::string> after = Files(env, dir);
  std::vector<std::string> logs;
  for (const auto& [name, contents] : before) {
    if (IsNumbered(name, ".log")) logs.push_back(name);
  }
  std::set<std::string> may_shrink;
  if (!logs.empty()) {
    may_shrink.insert(logs.back());
    if (before.at(logs.back()).size() < kLogHeaderBytes && logs.size() > 1) {
      may_shrink.insert(logs[logs.size() - 2]);
    }
  }
  for (const auto& [name, contents] : before) {
    auto it = after.find(name);
    if (absl::EndsWith(name, ".tmp")) {
      FUZZ_CHECK(it == after.end(), "Open kept a .tmp file");
      continue;
    }
    if (may_shrink.count(name) > 0) {
      const bool torn_header = contents.size() < kLogHeaderBytes;
      FUZZ_CHECK(it == after.end() ? torn_header
                                   : absl::StartsWith(contents, it->second) ||
                                         (torn_header &&
                                          it->second.size() == kLogHeaderBytes),
                 absl::StrCat("Open changed the newest log ", name,
                              " other than by cutting its tail:", Show(before),
                              " ->", Show(after)));
      continue;
    }
    FUZZ_CHECK(it != after.end() && it->second == contents,
               absl::StrCat("Open changed or removed ", name, ":", Show(before),
                            " ->", Show(after)));
  }
  for (const auto& [name, contents] : after) {
    // A successful open writes the manifest of a directory that had none.
    FUZZ_CHECK(
        before.count(name) > 0 || name == "MANIFEST" ||
            (IsNumbered(name, ".log") && contents.size() == kLogHeaderBytes),
        absl::StrCat("Open created ", name));
  }

  std::vector<std::string> recorded;
  CheckEverything(*ledger, &recorded);

  // The ledger takes the next event, and reopening gives back the same
  // events, then again from a snapshot.
  absl::StatusOr<uint64_t> probe = ledger->Append(Probe());
  FUZZ_CHECK(probe.ok() && *probe == last + 1,
             absl::StrCat("append after open: ", Describe(probe.status())));
  ledger.reset();
  std::vector<std::string> recorded_and_probe;
  for (int round = 0; round < 2; ++round) {
    absl::StatusOr<std::unique_ptr<Ledger>> again = Ledger::Open(options, dir);
    FUZZ_CHECK(again.ok(), absl::StrCat(round == 0 ? "reopen"
                                                   : "reopen from "
                                                     "a snapshot",
                                        " failed: ", Describe(again.status())));
    Debug(round == 0 ? "reopen" : "reopen from a snapshot", **again);
    std::vector<std::string> now = ReadAll(**again, nullptr);
    FUZZ_CHECK(now.size() == recorded.size() + 1 &&
                   std::equal(recorded.begin(), recorded.end(), now.begin()),
               absl::StrCat("reopening changed the events (round ", round,
                            "): ", FirstDifference(recorded, now)));
    if (round == 0) {
      absl::StatusOr<uint64_t> snapshot = (*again)->WriteSnapshot();
      FUZZ_CHECK(snapshot.ok() && *snapshot == last + 1,
                 absl::StrCat("WriteSnapshot: ", Describe(snapshot.status())));
    } else {
      CheckEverything(**again, &recorded_and_probe);
    }
  }
  absl::StatusOr<VerifyReport> final_verify = Ledger::Verify(options, dir);
  FUZZ_CHECK(final_verify.ok() && final_verify->last_sequence == last + 1,
             "Verify after the snapshot disagrees");
  if (!recover) {
    FUZZ_CHECK(final_verify->ok(), "Verify finds damage after the snapshot");
  }
}

// ---------------------------------------------------------------------------

void AskTracer(const Ledger& ledger, absl::Time at,
               const std::optional<v1::Policy>& policy) {
  QueryOptions query;
  query.at = at;
  query.policy = policy;
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(ledger, query);
  FUZZ_CHECK(tracer.ok(),
             absl::StrCat("Tracer::Create: ", Describe(tracer.status())));
  const std::vector<RosterEntry> roster = (*tracer)->Roster();
  for (size_t i = 1; i < roster.size(); ++i) {
    FUZZ_CHECK(roster[i - 1].person_id < roster[i].person_id,
               "the roster is not sorted by person id");
  }
  const std::vector<OpenLoop> loops = (*tracer)->OpenLoops();
  for (size_t i = 1; i < loops.size(); ++i) {
    const OpenLoop& a = loops[i - 1];
    const OpenLoop& b = loops[i];
    FUZZ_CHECK(std::tie(a.person_id, a.kind, a.since) <=
                   std::tie(b.person_id, b.kind, b.since),
               "the open loops are not sorted");
  }
  size_t asked = 0;
  for (const RosterEntry& entry : roster) {
    if (++asked > 8) break;
    absl::StatusOr<Explanation> why = (*tracer)->Explain(entry.person_id);
    FUZZ_CHECK(why.ok() && why->in_roster && why->role == entry.role,
               absl::StrCat("Explain(", entry.person_id,
                            ") disagrees with the roster"));
    absl::StatusOr<PassDecision> pass =
        (*tracer)->MayPass(entry.person_id, "gate-1");
    FUZZ_CHECK(pass.ok() && !pass->allowed,
               absl::StrCat("MayPass lets ", entry.person_id,
                            " of the roster through"));
    absl::StatusOr<std::vector<ContactAtDistance>> near =
        Contacts(ledger, entry.person_id, 2, at - absl::Hours(24 * 30), at);
    FUZZ_CHECK(near.ok(), absl::StrCat("Contacts: ", Describe(near.status())));
  }
  for (const OpenLoop& loop : loops) {
    if (++asked > 16) break;
    FUZZ_CHECK((*tracer)->Explain(loop.person_id).ok(),
               absl::StrCat("Explain(", loop.person_id, ") of an open loop"));
  }
  for (const TransmissionChain& chain : (*tracer)->TransmissionChains()) {
    FUZZ_CHECK(std::is_sorted(chain.cases.begin(), chain.cases.end()),
               "a chain's cases are not sorted");
  }
  for (const char* area : {"c1", "t1"}) {
    absl::StatusOr<std::vector<AreaRollupRow>> rows =
        (*tracer)->AreaRollup(area);
    FUZZ_CHECK(rows.ok() || absl::IsNotFound(rows.status()),
               absl::StrCat("AreaRollup: ", Describe(rows.status())));
  }
}

namespace {

v1::LedgerEvent Area(const std::string& id, const std::string& parent,
                     v1::AreaLevel level) {
  v1::LedgerEvent e;
  e.mutable_area()->set_id(id);
  e.mutable_area()->set_parent_id(parent);
  e.mutable_area()->set_level(level);
  e.mutable_area()->set_name(absl::StrCat("Area ", id));
  return e;
}

v1::LedgerEvent Household(const std::string& id, const std::string& area,
                          const std::string& worker) {
  v1::LedgerEvent e;
  e.mutable_household()->set_id(id);
  e.mutable_household()->set_area_id(area);
  e.mutable_household()->set_responsible_worker(worker);
  return e;
}

// A resident identity number (GB 11643-1999) for person number `n`: a
// division code, a birth date, a sequence and the ISO 7064 MOD 11-2 check
// character, so that it passes the ledger's default identity rules.
std::string ResidentId(int n) {
  std::string id = absl::StrFormat("431222198001010%02d", n % 100);
  static constexpr int kWeights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                       3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  id.push_back("10X98765432"[sum % 11]);
  return id;
}

v1::LedgerEvent Person(const std::string& id, const std::string& household,
                       const std::string& area) {
  v1::LedgerEvent e;
  e.mutable_person()->set_id(id);
  e.mutable_person()->set_household_id(household);
  e.mutable_person()->set_area_id(area);
  e.mutable_person()->set_national_id(ResidentId(std::atoi(id.c_str() + 1)));
  return e;
}

constexpr int64_t kDay = 86400;
constexpr int64_t kT0 = 1580515200;  // 2020-02-01T00:00:00Z

v1::LedgerEvent Exposure(const std::string& a, const std::string& b,
                         int64_t start, int64_t seconds,
                         v1::ExposureSetting setting) {
  v1::LedgerEvent e;
  e.mutable_exposure()->set_person_a(a);
  e.mutable_exposure()->set_person_b(b);
  e.mutable_exposure()->mutable_start()->set_seconds(start);
  e.mutable_exposure()->mutable_end()->set_seconds(start + seconds);
  e.mutable_exposure()->set_setting(setting);
  return e;
}

v1::LedgerEvent Diagnosis(const std::string& p, v1::DiagnosisStatus status,
                          int64_t time, int onset_day) {
  v1::LedgerEvent e;
  e.mutable_diagnosis()->set_person_id(p);
  e.mutable_diagnosis()->set_status(status);
  e.mutable_diagnosis()->mutable_time()->set_seconds(time);
  if (onset_day > 0) {
    e.mutable_diagnosis()->mutable_onset()->set_year(2020);
    e.mutable_diagnosis()->mutable_onset()->set_month(1);
    e.mutable_diagnosis()->mutable_onset()->set_day(onset_day);
  }
  return e;
}

v1::LedgerEvent Stay(const std::string& p, v1::QuarantineActionKind action,
                     v1::QuarantinePlace place, int64_t time) {
  v1::LedgerEvent e;
  e.mutable_quarantine_action()->set_person_id(p);
  e.mutable_quarantine_action()->set_action(action);
  e.mutable_quarantine_action()->set_place(place);
  e.mutable_quarantine_action()->mutable_time()->set_seconds(time);
  return e;
}

v1::LedgerEvent Check(const std::string& p, double celsius, bool symptoms,
                      int64_t time) {
  v1::LedgerEvent e;
  e.mutable_health_check()->set_person_id(p);
  e.mutable_health_check()->set_temperature_celsius(celsius);
  if (symptoms) e.mutable_health_check()->add_symptoms("cough");
  e.mutable_health_check()->mutable_time()->set_seconds(time);
  return e;
}

v1::LedgerEvent Passage(const std::string& p, int64_t time) {
  v1::LedgerEvent e;
  e.mutable_checkpoint_passage()->set_person_id(p);
  e.mutable_checkpoint_passage()->set_checkpoint_id("gate-1");
  e.mutable_checkpoint_passage()->set_direction(v1::PASSAGE_DIRECTION_OUT);
  e.mutable_checkpoint_passage()->mutable_time()->set_seconds(time);
  return e;
}

}  // namespace

std::unique_ptr<Ledger> ScenarioLedger() {
  LedgerOptions options;
  options.clock = TheClock();
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  using v1::EXPOSURE_SETTING_HOUSEHOLD;
  using v1::EXPOSURE_SETTING_WORK;
  const std::vector<v1::LedgerEvent> events = {
      Area("c1", "", v1::AREA_LEVEL_COUNTY),
      Area("t1", "c1", v1::AREA_LEVEL_TOWNSHIP),
      Area("t2", "c1", v1::AREA_LEVEL_TOWNSHIP),
      Household("h1", "t1", "w1"),
      Household("h2", "t2", ""),
      Person("p1", "h1", "t1"),
      Person("p2", "h1", "t1"),
      Person("p3", "h2", "t2"),
      Person("p4", "", "t2"),
      Person("p6", "h2", "t2"),
      Exposure("p1", "p3", kT0 - 3 * kDay, 1800, EXPOSURE_SETTING_WORK),
      Exposure("p1", "p4", kT0 - 2 * kDay, 600, EXPOSURE_SETTING_WORK),
      Exposure("p3", "p5", kT0 - kDay, 7200, EXPOSURE_SETTING_WORK),
      Exposure("p4", "p6", kT0 - kDay, 60, EXPOSURE_SETTING_HOUSEHOLD),
      Exposure("p1", "p7", kT0 + kDay, 3600, EXPOSURE_SETTING_WORK),
      Diagnosis("p1", v1::DIAGNOSIS_STATUS_CONFIRMED, kT0, 30),
      Diagnosis("p6", v1::DIAGNOSIS_STATUS_SUSPECTED, kT0 + kDay, 0),
      Diagnosis("p4", v1::DIAGNOSIS_STATUS_ASYMPTOMATIC, kT0 + 2 * kDay, 0),
      Stay("p1", v1::QUARANTINE_ACTION_KIND_START,
           v1::QUARANTINE_PLACE_HOSPITAL, kT0 + 3600),
      Stay("p3", v1::QUARANTINE_ACTION_KIND_START,
           v1::QUARANTINE_PLACE_CENTRALIZED, kT0 + 7200),
      Stay("p3", v1::QUARANTINE_ACTION_KIND_END,
           v1::QUARANTINE_PLACE_UNSPECIFIED, kT0 + 3 * kDay),
      Stay("p2", v1::QUARANTINE_ACTION_KIND_START, v1::QUARANTINE_PLACE_HOME,
           kT0 + 7200),
      Check("p2", 36.6, false, kT0 + 4 * 3600),
      Check("p2", 37.9, true, kT0 + 20 * 3600),
      Check("p3", 38.4, false, kT0 + kDay),
      Passage("p3", kT0 + 4 * kDay),
      Passage("p5", kT0 + 2 * kDay),
  };
  absl::StatusOr<std::vector<uint64_t>> sequences = ledger->AppendBatch(events);
  FUZZ_CHECK(sequences.ok(),
             absl::StrCat("scenario: ", Describe(sequences.status())));
  v1::LedgerEvent retraction;
  retraction.mutable_retraction()->set_sequence_number(sequences->at(11));
  retraction.mutable_retraction()->set_reason("entered twice");
  FUZZ_CHECK(ledger->Append(retraction).ok(), "scenario retraction");
  return ledger;
}

std::unique_ptr<Ledger> ImportBaseLedger() {
  LedgerOptions options;
  options.clock = TheClock();
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  const std::vector<v1::LedgerEvent> events = {
      Area("c1", "", v1::AREA_LEVEL_COUNTY),
      Area("t1", "c1", v1::AREA_LEVEL_TOWNSHIP),
      Area("v1", "t1", v1::AREA_LEVEL_VILLAGE),
      Area("g1", "v1", v1::AREA_LEVEL_GRID),
      Household("h1", "g1", "w1"),
      Household("h2", "g1", ""),
      Person("p1", "h1", "g1"),
      Person("p2", "h2", ""),
  };
  absl::StatusOr<std::vector<uint64_t>> sequences = ledger->AppendBatch(events);
  FUZZ_CHECK(sequences.ok(),
             absl::StrCat("import base: ", Describe(sequences.status())));
  return ledger;
}

std::vector<std::string> RecordedEvents(const Ledger& ledger) {
  return ReadAll(ledger, nullptr);
}

void CheckImport(const Ledger& ledger, const std::vector<std::string>& before,
                 const absl::StatusOr<std::vector<v1::LedgerEvent>>& parsed,
                 const absl::StatusOr<ImportSummary>& imported,
                 absl::string_view file_name) {
  const std::string prefix = absl::StrCat(file_name, ": ");
  if (!parsed.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(parsed.status()) ||
                   absl::IsResourceExhausted(parsed.status()),
               absl::StrCat("parse error code: ", Describe(parsed.status())));
    FUZZ_CHECK(absl::StartsWith(parsed.status().message(), prefix),
               absl::StrCat("parse error does not name the file: ",
                            Describe(parsed.status())));
    // The import lists the parse's bad rows, and may add those the ledger
    // refuses among the others (contactledger/import.h).
    FUZZ_CHECK(
        imported.status().code() == parsed.status().code(),
        absl::StrCat("import and parse disagree: ", Describe(imported.status()),
                     " vs ", Describe(parsed.status())));
    absl::string_view listed = parsed.status().message();
    if (!absl::StrContains(listed, " bad rows:\n") &&
        !absl::StrContains(listed, " bad lines:\n")) {
      listed.remove_prefix(prefix.size());
    }
    for (absl::string_view part : absl::StrSplit(listed, '\n')) {
      if (absl::EndsWith(part, "bad rows:") ||
          absl::EndsWith(part, "bad lines:") ||
          absl::StrContains(part, "... and more (first ")) {
        continue;
      }
      FUZZ_CHECK(absl::StrContains(imported.status().message(), part),
                 absl::StrCat("the import's error leaves out the parse's '",
                              part, "': ", Describe(imported.status())));
    }
  }
  if (!imported.ok()) {
    const absl::Status& s = imported.status();
    FUZZ_CHECK(absl::IsInvalidArgument(s) || absl::IsResourceExhausted(s),
               absl::StrCat("import error code: ", Describe(s)));
    FUZZ_CHECK(
        absl::StartsWith(s.message(), prefix),
        absl::StrCat("import error does not name the file: ", Describe(s)));
    // Every error in the text names its line; only a file with no header
    // at all is wrong as a whole.
    if (absl::IsInvalidArgument(s) &&
        !absl::StrContains(s.message(), "no header row")) {
      FUZZ_CHECK(absl::StrContains(s.message(), "line "),
                 absl::StrCat("import error names no line: ", Describe(s)));
    }
    FUZZ_CHECK(
        RecordedEvents(ledger) == before,
        absl::StrCat("a failed import changed the ledger: ", Describe(s)));
    return;
  }
  FUZZ_CHECK(parsed.ok(), "the import succeeded where the parse failed");
  if (imported->already_imported.has_value()) {
    FUZZ_CHECK(RecordedEvents(ledger) == before,
               "an import found imported before changed the ledger");
    return;
  }
  const uint64_t rows = parsed->size();
  FUZZ_CHECK(
      imported->rows == rows,
      absl::StrCat("import says ", imported->rows, " rows, parse ", rows));
  const std::vector<std::string> after = RecordedEvents(ledger);
  FUZZ_CHECK(after.size() == before.size() + rows &&
                 std::equal(before.begin(), before.end(), after.begin()),
             "the import did not append exactly its rows");
  if (rows == 0) {
    FUZZ_CHECK(imported->first_sequence == 0 && imported->last_sequence == 0,
               "an empty import names sequence numbers");
    return;
  }
  FUZZ_CHECK(imported->first_sequence == before.size() + 1 &&
                 imported->last_sequence == before.size() + rows,
             "the import's sequence numbers are not the appended ones");
  for (uint64_t i = 0; i < rows; ++i) {
    absl::StatusOr<v1::LedgerEvent> got =
        ledger.GetEvent(imported->first_sequence + i);
    FUZZ_CHECK(got.ok(), Describe(got.status()));
    v1::LedgerEvent want = (*parsed)[i];
    want.clear_sequence_number();
    want.clear_record_time();
    got->clear_sequence_number();
    got->clear_record_time();
    // The first event carries the import's source (its file, content and
    // size), the others none.
    if (i == 0) {
      FUZZ_CHECK(got->has_import_source() &&
                     got->import_source().file_name() == file_name &&
                     got->import_source().sha256() == imported->sha256 &&
                     got->import_source().events() == rows,
                 absl::StrCat("the first event's import source is wrong: ",
                              got->import_source().ShortDebugString()));
    }
    got->clear_import_source();
    FUZZ_CHECK(got->SerializeAsString() == want.SerializeAsString(),
               absl::StrCat("row ", i + 1, " reads back differently:\n  got ",
                            got->ShortDebugString(), "\n  want ",
                            want.ShortDebugString()));
  }
}

std::vector<absl::Time> ScenarioMoments() {
  std::vector<absl::Time> out;
  for (int64_t offset : {-2 * kDay, kDay / 2, 2 * kDay, 5 * kDay, 20 * kDay}) {
    out.push_back(absl::FromUnixSeconds(kT0 + offset));
  }
  return out;
}

}  // namespace fuzz
}  // namespace contactledger
