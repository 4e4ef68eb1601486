// Copyright 2026 The ContactLedger Authors.
//
// The framed record reader (lib/log/record_io.h) on one file.
//
// Input: a flags byte, then the file.
//   bit 0  repair the checksums first (fuzz/fuzz_util.h), so that mutations
//          reach the framing behind them
//   bit 1  read it as a snapshot (magic CLEDSNAP) rather than a log
//
// The file is read twice, failing on damage and recovering from it. Checks:
//   - every record returned is intact: the file holds exactly its framing
//     (length, both checksums, payload) at the reported offset;
//   - records and reported damage tile the file after the header: every
//     byte is in exactly one record or one damaged range, in order, so
//     nothing is dropped silently;
//   - valid_end() is the end of the last record returned;
//   - failing on damage, the reader returns a prefix of the records the
//     recovering reader returns, stops with DataLoss naming the file and the
//     offset of the first damaged range that is not a cut-off tail, or else
//     agrees with the recovering reader entirely;
//   - recovering, the reader never fails.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_util.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"

namespace contactledger {
namespace fuzz {
namespace {

struct Record {
  uint64_t offset;
  std::string payload;
};

struct Result {
  absl::Status header;  // OK when the header was read
  std::vector<Record> records;
  std::vector<internal::Damage> damage;
  absl::Status error;  // how reading stopped, when it failed
  uint64_t header_end = 0;
};

constexpr char kPath[] = "/d/file";

Result Read(internal::MemEnv* env, absl::string_view magic, bool recover,
            const std::string& file) {
  Result result;
  absl::StatusOr<std::unique_ptr<SequentialFile>> in =
      env->NewSequentialFile(kPath);
  FUZZ_CHECK(in.ok(), in.status().ToString());
  internal::RecordReader reader(in->get(), kPath, recover);
  absl::StatusOr<internal::FileHeader> header = reader.ReadHeader(magic);
  result.header = header.status();
  if (!header.ok()) {
    FUZZ_CHECK(absl::IsDataLoss(header.status()) ||
                   absl::IsFailedPrecondition(header.status()),
               header.status().ToString());
    FUZZ_CHECK(absl::StrContains(header.status().message(), kPath),
               "a header error does not name the file");
    return result;
  }
  FUZZ_CHECK(header->magic == magic && header->version == 1,
             "an accepted header has the wrong magic or version");
  result.header_end = reader.valid_end();
  FUZZ_CHECK(result.header_end == 26 + header->type_name.size(),
             "the header's length is not 26 + its type name");
  FUZZ_CHECK(file.compare(22, header->type_name.size(), header->type_name) == 0,
             "the type name is not the header's bytes");
  while (true) {
    absl::string_view payload;
    uint64_t offset = 0;
    absl::StatusOr<bool> more = reader.Next(&payload, &offset);
    if (!more.ok()) {
      result.error = more.status();
      break;
    }
    if (!*more) break;
    std::string framed;
    internal::AppendRecord(payload, &framed);
    FUZZ_CHECK(
        offset <= file.size() && file.size() - offset >= framed.size() &&
            file.compare(offset, framed.size(), framed) == 0,
        absl::StrCat("record at ", offset, " is not what the file holds"));
    FUZZ_CHECK(reader.valid_end() == offset + framed.size(),
               "valid_end() is not the end of the last record");
    result.records.push_back(Record{offset, std::string(payload)});
  }
  result.damage = reader.damage();
  FUZZ_CHECK(reader.valid_end() <= file.size(), "valid_end() past the end");
  return result;
}

// Records and damage cover [header_end, end) exactly, in order.
void CheckTiling(const Result& r, uint64_t end) {
  struct Span {
    uint64_t begin, length;
  };
  std::vector<Span> spans;
  for (const Record& rec : r.records) {
    spans.push_back(
        {rec.offset, internal::kRecordHeaderBytes +
                         static_cast<uint64_t>(rec.payload.size())});
  }
  for (const internal::Damage& d : r.damage) {
    FUZZ_CHECK(d.file == kPath, "damage names another file");
    FUZZ_CHECK(d.length > 0, "an empty damaged range");
    spans.push_back({d.offset, d.length});
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t at = r.header_end;
  for (const Span& s : spans) {
    FUZZ_CHECK(s.begin == at, absl::StrCat("bytes ", at, " to ", s.begin,
                                           " are in no record and no range"));
    at += s.length;
  }
  FUZZ_CHECK(at == end, absl::StrCat("bytes ", at, " to ", end,
                                     " are in no record and no range"));
}

}  // namespace
}  // namespace fuzz
}  // namespace contactledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;        // NOLINT
  using namespace contactledger::fuzz;  // NOLINT
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (flags & 1) RepairChecksums(&file);
  const absl::string_view magic =
      (flags & 2) ? internal::kSnapshotMagic : internal::kLogMagic;

  internal::MemEnv env;
  FUZZ_CHECK(env.CreateDir("/d").ok(), "CreateDir");
  FUZZ_CHECK(env.SetContents(kPath, file).ok(), "SetContents");

  const Result recovering = Read(&env, magic, /*recover=*/true, file);
  const Result failing = Read(&env, magic, /*recover=*/false, file);
  FUZZ_CHECK(recovering.header.ok() == failing.header.ok(),
             "the header reads differently when recovering");
  if (!recovering.header.ok()) return 0;
  FUZZ_CHECK(recovering.error.ok(),
             absl::StrCat("the recovering reader failed: ",
                          recovering.error.ToString()));
  CheckTiling(recovering, file.size());

  FUZZ_CHECK(failing.records.size() <= recovering.records.size(),
             "the failing reader returned more records");
  for (size_t i = 0; i < failing.records.size(); ++i) {
    FUZZ_CHECK(failing.records[i].offset == recovering.records[i].offset &&
                   failing.records[i].payload == recovering.records[i].payload,
               absl::StrCat("record ", i, " differs between the readers"));
  }
  const internal::Damage* first_corruption = nullptr;
  for (const internal::Damage& d : recovering.damage) {
    if (!d.tail) {
      first_corruption = &d;
      break;
    }
  }
  if (first_corruption == nullptr) {
    FUZZ_CHECK(failing.error.ok(), absl::StrCat("failed without corruption: ",
                                                failing.error.ToString()));
    FUZZ_CHECK(failing.records.size() == recovering.records.size(),
               "the readers disagree on an undamaged file");
    CheckTiling(failing, file.size());
  } else {
    FUZZ_CHECK(absl::IsDataLoss(failing.error),
               absl::StrCat("corruption at ", first_corruption->offset,
                            " not reported: ", failing.error.ToString()));
    FUZZ_CHECK(
        absl::StrContains(
            failing.error.message(),
            absl::StrCat(kPath, ": offset ", first_corruption->offset, ": ")),
        absl::StrCat("the error does not name offset ",
                     first_corruption->offset, ": ", failing.error.ToString()));
  }
  return 0;
}
