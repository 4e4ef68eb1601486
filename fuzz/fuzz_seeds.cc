// Copyright 2026 The ContactLedger Authors.
//
// fuzz_seeds OUT_DIR: writes the generated seed corpora of the fuzz targets,
// one folder per target under OUT_DIR (scripts/fuzz.sh adds the checked-in
// text seeds of fuzz/corpus/):
//
//   record_reader/   logs and a snapshot written by the library, whole and
//                    with a cut-off tail, a zero-filled tail and a flipped
//                    byte (flags: fuzz/record_reader_fuzzer.cc)
//   log_open/        ledger directories of one and of two logs, whole and
//                    damaged the same ways
//   snapshot_open/   a snapshot and the log after it; area_own_child: the
//                    snapshot crafted as in issue 15 (finding 8), the
//                    county's first child its own row, checksums valid
//   jsonl_import/    the scenario's events as JSON Lines
//   policy_parser/   every policy preset as text format and as JSON
//   stream_message/  a ledger's stream as a Shipper writes it: the scenario
//                    in whole batches, then a batch split in parts
//
// Everything is written through the library (an in-memory Env), so the seeds
// follow the formats as they are, with no binary checked in.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/storage.pb.h"
#include "fuzz/fuzz_util.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"
#include "lib/replication/shipped_batches.h"

namespace contactledger {
namespace fuzz {
namespace {

std::string out_dir;  // NOLINT

void Write(const std::string& target, const std::string& name,
           const std::string& contents) {
  const std::string dir = absl::StrCat(out_dir, "/", target);
  FUZZ_CHECK(Env::Default()->CreateDir(dir).ok(), absl::StrCat("mkdir ", dir));
  std::ofstream out(absl::StrCat(dir, "/", name), std::ios::binary);
  out << contents;
  FUZZ_CHECK(out.good(), absl::StrCat("cannot write ", dir, "/", name));
}

std::string Contents(internal::MemEnv* env, const std::string& path) {
  absl::StatusOr<std::string> contents = env->Contents(path);
  FUZZ_CHECK(contents.ok(), contents.status().ToString());
  return *contents;
}

// The scenario's events, one batch each.
std::vector<v1::LedgerEvent> ScenarioEvents() {
  std::unique_ptr<Ledger> scenario = ScenarioLedger();
  std::vector<v1::LedgerEvent> events;
  for (uint64_t s = 1; s <= scenario->last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = scenario->GetEvent(s);
    FUZZ_CHECK(event.ok(), event.status().ToString());
    event->clear_sequence_number();
    event->clear_record_time();
    events.push_back(*event);
  }
  return events;
}

// Damaged copies of a framed record file that ends in a record.
std::vector<std::pair<std::string, std::string>> Variants(
    const std::string& file) {
  std::vector<std::pair<std::string, std::string>> out = {{"whole", file}};
  if (file.size() > 80) {
    out.emplace_back("cut_tail", file.substr(0, file.size() - 9));
    out.emplace_back("zero_tail", file + std::string(40, '\0'));
    std::string flipped = file;
    flipped[file.size() / 2] ^= 0x20;
    out.emplace_back("flipped", flipped);
  }
  return out;
}

// `snapshot` with the first uint32 of its first section named `column` set
// to `value`, framed again with valid checksums: damage that only the
// load's own checks of the columns can see. (The scenario of
// SnapshotRegressionTest in tests/fuzz_regression_test.cc, made here from
// the seeds' own snapshot.)
std::string WithFirstU32(const std::string& snapshot, absl::string_view column,
                         uint32_t value) {
  internal::MemEnv env;
  const std::string path = "/crafted.snapshot";
  FUZZ_CHECK(env.SetContents(path, snapshot).ok(), "SetContents");
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env.NewSequentialFile(path);
  FUZZ_CHECK(file.ok(), file.status().ToString());
  internal::RecordReader reader(file->get(), path, /*recover=*/false);
  absl::StatusOr<internal::FileHeader> header =
      reader.ReadHeader(internal::kSnapshotMagic);
  FUZZ_CHECK(header.ok(), header.status().ToString());
  std::string out = internal::EncodeHeader(*header);
  bool done = false;
  absl::string_view payload;
  uint64_t offset = 0;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&payload, &offset);
    FUZZ_CHECK(more.ok(), more.status().ToString());
    if (!*more) break;
    v1::SnapshotSection section;
    FUZZ_CHECK(section.ParseFromArray(payload.data(),
                                      static_cast<int>(payload.size())),
               absl::StrCat("section at offset ", offset));
    if (!done && section.name() == column && section.data().size() >= 4) {
      std::string data = section.data();
      for (int i = 0; i < 4; ++i) {
        data[i] = static_cast<char>(value >> (8 * i));
      }
      section.set_data(data);
      done = true;
    }
    internal::AppendRecord(section.SerializeAsString(), &out);
  }
  FUZZ_CHECK(done, absl::StrCat("no section '", column, "' with data"));
  FUZZ_CHECK(out != snapshot, absl::StrCat("'", column, "' was ", value));
  return out;
}

// Opening a directory that holds only `snapshot` (named after its base
// sequence `at`) fails with DataLoss naming `column`.
void CheckDamage(const std::string& snapshot, uint64_t at,
                 absl::string_view column) {
  internal::MemEnv env;
  const std::string dir = "/crafted";
  FUZZ_CHECK(env.CreateDir(dir).ok(), "CreateDir");
  FUZZ_CHECK(
      env.SetContents(dir + "/" + NumberedName(at, ".snapshot"), snapshot).ok(),
      "SetContents");
  absl::StatusOr<std::unique_ptr<Ledger>> opened =
      Ledger::Open(FuzzLedgerOptions(&env, false), dir);
  FUZZ_CHECK(!opened.ok() &&
                 opened.status().code() == absl::StatusCode::kDataLoss &&
                 absl::StrContains(opened.status().message(), column),
             absl::StrCat("the crafted snapshot opened as ",
                          opened.status().ToString()));
}

void Main() {
  const std::vector<v1::LedgerEvent> events = ScenarioEvents();

  // A durable ledger: the events in batches of 1 to 4, then a snapshot, then
  // more events.
  internal::MemEnv env;
  LedgerOptions options = FuzzLedgerOptions(&env, false);
  options.create_if_missing = true;
  const std::string dir = "/ledger";
  const std::string first_log = dir + "/" + NumberedName(1, ".log");
  std::string log_before_snapshot, snapshot, log_after_snapshot;
  uint64_t snapshot_at = 0;
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options, dir);
    FUZZ_CHECK(ledger.ok(), ledger.status().ToString());
    const size_t half = events.size() * 2 / 3;
    for (size_t i = 0, n = 1; i < half; i += n, n = n % 4 + 1) {
      std::vector<v1::LedgerEvent> batch(
          events.begin() + i, events.begin() + std::min(half, i + n));
      FUZZ_CHECK((*ledger)->AppendBatch(batch).ok(), "append");
    }
    log_before_snapshot = Contents(&env, first_log);
    absl::StatusOr<uint64_t> at = (*ledger)->WriteSnapshot();
    FUZZ_CHECK(at.ok(), at.status().ToString());
    for (size_t i = half; i < events.size(); ++i) {
      FUZZ_CHECK((*ledger)->Append(events[i]).ok(), "append");
    }
    snapshot_at = *at;
    snapshot = Contents(&env, dir + "/" + NumberedName(*at, ".snapshot"));
    log_after_snapshot =
        Contents(&env, dir + "/" + NumberedName(*at + 1, ".log"));
  }

  for (const auto& [name, file] : Variants(log_before_snapshot)) {
    // record_reader flags: bit 0 repair, bit 1 snapshot.
    Write("record_reader", absl::StrCat("log_", name),
          std::string(1, '\0') + file);
    // log_open flags: bit 0 repair, bit 1 recover.
    for (int flags = 0; flags < (name == "whole" ? 1 : 4); ++flags) {
      Write("log_open", absl::StrCat("one_log_", name, "_", flags),
            std::string(1, static_cast<char>(flags)) + file);
    }
  }
  for (const auto& [name, file] : Variants(log_after_snapshot)) {
    for (int flags = 0; flags < (name == "whole" ? 1 : 4); flags += 2) {
      Write("log_open", absl::StrCat("two_logs_", name, "_", flags),
            std::string(1, static_cast<char>(flags)) + log_before_snapshot +
                file);
    }
  }
  for (const auto& [name, file] : Variants(snapshot)) {
    Write("record_reader", absl::StrCat("snapshot_", name),
          std::string(1, '\2') + file);
  }
  // snapshot_open flags: bit 0 no repair, bit 1 recover.
  Write("snapshot_open", "snapshot_and_log",
        std::string(1, '\0') + snapshot + log_after_snapshot);
  Write("snapshot_open", "snapshot_only", std::string(1, '\0') + snapshot);
  Write("snapshot_open", "snapshot_and_old_logs",
        std::string(1, '\2') + snapshot + log_before_snapshot +
            log_after_snapshot);
  // Issue 15, finding 8: the county (area row 0) made its own first child,
  // which once sent a subtree walk round forever; now DataLoss on load.
  const std::string area_own_child =
      WithFirstU32(snapshot, "areas.child_head", 0);
  CheckDamage(area_own_child, snapshot_at, "areas.child_head");
  Write("snapshot_open", "area_own_child",
        std::string(1, '\0') + area_own_child + log_after_snapshot);

  // JSON Lines: the scenario's events, and one line each.
  std::string jsonl;
  for (size_t i = 0; i < events.size(); ++i) {
    std::string line;
    FUZZ_CHECK(
        google::protobuf::util::MessageToJsonString(events[i], &line).ok(),
        "json");
    absl::StrAppend(&jsonl, line, "\n");
    Write("jsonl_import", absl::StrCat("event_", i), line + "\n");
  }
  Write("jsonl_import", "scenario", jsonl);

  // The stream: each message a u16 length and a ShippedBatches. The
  // scenario's events in batches of three, two batches a message, then the
  // last batch in parts.
  {
    std::string stream;
    internal::ChainHash hash = internal::ZeroHash();
    uint64_t next = 1;
    auto add = [&](const v1::ShippedBatches& message) {
      const std::string bytes = message.SerializeAsString();
      FUZZ_CHECK(bytes.size() < 65536, "stream message too long for a seed");
      stream.push_back(static_cast<char>(bytes.size() & 0xff));
      stream.push_back(static_cast<char>(bytes.size() >> 8));
      stream += bytes;
    };
    std::vector<std::string> batches;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (size_t i = 0; i < events.size(); i += 3) {
      v1::EventBatch batch;
      for (size_t j = i; j < std::min(events.size(), i + 3); ++j) {
        v1::LedgerEvent* event = batch.add_events();
        *event = events[j];
        event->set_sequence_number(next++);
        event->mutable_record_time()->set_seconds(1580000000 + i);
      }
      ranges.emplace_back(batch.events(0).sequence_number(), next - 1);
      batches.push_back(batch.SerializeAsString());
    }
    auto header = [&](size_t first, size_t last) {
      v1::ShippedBatches message;
      message.set_ledger_id("county");
      message.set_first_sequence(ranges[first].first);
      message.set_last_sequence(ranges[last].second);
      message.set_previous_hash(internal::HashBytes(hash));
      return message;
    };
    // Whole batches, two a message, but the last batch.
    const size_t last = batches.size() - 1;
    for (size_t b = 0; b < last; b += 2) {
      const size_t end = std::min(last, b + 2);
      v1::ShippedBatches message = header(b, end - 1);
      for (size_t k = b; k < end; ++k) {
        hash = internal::ChainNext(hash, ranges[k].first, ranges[k].second,
                                   batches[k]);
        message.add_batches(batches[k]);
      }
      message.set_hash(internal::HashBytes(hash));
      add(message);
      Write("stream_message", absl::StrCat("first_", b / 2 + 1, "_messages"),
            stream);
    }
    // The last batch in two parts.
    const v1::ShippedBatches split = header(last, last);
    const std::string& bytes = batches[last];
    hash = internal::ChainNext(hash, ranges[last].first, ranges[last].second,
                               bytes);
    for (uint32_t part = 0; part < 2; ++part) {
      v1::ShippedBatches piece = split;
      piece.set_part(part);
      piece.set_parts(2);
      piece.add_batches(part == 0 ? bytes.substr(0, bytes.size() / 2)
                                  : bytes.substr(bytes.size() / 2));
      if (part == 1) piece.set_hash(internal::HashBytes(hash));
      add(piece);
    }
    Write("stream_message", "whole_stream", stream);
  }

  for (const std::string& preset : PolicyPresetNames()) {
    absl::StatusOr<v1::Policy> policy = PolicyPreset(preset);
    FUZZ_CHECK(policy.ok(), policy.status().ToString());
    std::string text, json;
    FUZZ_CHECK(google::protobuf::TextFormat::PrintToString(*policy, &text),
               "text");
    FUZZ_CHECK(google::protobuf::util::MessageToJsonString(*policy, &json).ok(),
               "json");
    Write("policy_parser", absl::StrCat(preset, ".txtpb"), text);
    Write("policy_parser", absl::StrCat(preset, ".json"), json);
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace contactledger

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  contactledger::fuzz::out_dir = argv[1];
  FUZZ_CHECK(contactledger::Env::Default()->CreateDir(argv[1]).ok(),
             "cannot create OUT_DIR");
  contactledger::fuzz::Main();
  return 0;
}
