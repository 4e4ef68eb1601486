// Framed record files: the container of both the log and snapshots.
//
// A file is a header followed by records (see docs/log_format.md for the
// byte layout and the reasons for it):
//
//   header  := magic[8] version:u32 base_sequence:u64 type_len:u16
//              type_name[type_len] header_crc:u32
//   record  := length:u32 length_crc:u32 payload_crc:u32 payload[length]
//
// All integers are little-endian; checksums are zlib's CRC-32.
//
// The reader tells a clean end from damage the way LevelDB and Riegeli do: a
// record cut off at the end of the file (or a zero-filled tail, or a last
// record whose payload checksum fails) is where a writer died, and ends the
// file cleanly, reported as a truncated tail; a bad checksum or length in the
// middle is corruption, reported with its byte offset as DataLoss, or, when
// the caller asks to recover, skipped up to the next intact record and
// reported as a skipped range.

#ifndef CONTACTLEDGER_LIB_LOG_RECORD_IO_H_
#define CONTACTLEDGER_LIB_LOG_RECORD_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/env.h"

namespace contactledger {
namespace internal {

inline constexpr absl::string_view kLogMagic = "CLEDGLOG";
inline constexpr absl::string_view kSnapshotMagic = "CLEDSNAP";
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kRecordHeaderBytes = 12;
// No record may be longer; a longer length field is corruption.
inline constexpr uint32_t kMaxRecordBytes = 256u << 20;

struct FileHeader {
  std::string magic;
  uint32_t version = kFormatVersion;
  // Log: the sequence number of its first event. Snapshot: the sequence
  // number the state is as of.
  uint64_t base_sequence = 0;
  // The full name of the payload message type.
  std::string type_name;
};

// One damaged or cut-off byte range found while reading.
struct Damage {
  std::string file;
  uint64_t offset = 0;
  uint64_t length = 0;  // bytes dropped
  bool tail = false;    // a cut-off end (clean) rather than corruption
  std::string reason;
};

std::string EncodeHeader(const FileHeader& header);
// Appends one framed record holding `payload` to `out`.
void AppendRecord(absl::string_view payload, std::string* out);

class RecordReader {
 public:
  // Reads `file` (named `path` in messages). With `recover`, corruption is
  // skipped and reported instead of failing.
  RecordReader(SequentialFile* file, std::string path, bool recover);

  // Reads and checks the header; the magic must be `magic` and the version
  // one this library reads.
  absl::StatusOr<FileHeader> ReadHeader(absl::string_view magic);

  // Instead of ReadHeader: reads records from byte `offset` of the file on,
  // for a reader going on where an earlier one stopped (its valid_end(): a
  // log read again after a writer appended to it). `file` must be positioned
  // at `offset` + buffered.size(), and `buffered` hold the bytes from
  // `offset` up to there when they were read already (UnreadTail of the
  // earlier reader of the same file object), or be empty. Offsets in
  // messages and damage are the file's. Call before Next.
  void StartAt(uint64_t offset, std::string buffered = "");

  // Sets *payload to the next record's payload (valid until the next call)
  // and *offset to the record's byte offset; returns false at the end.
  absl::StatusOr<bool> Next(absl::string_view* payload, uint64_t* offset);

  // Reports a record that was intact but unusable (does not parse): an
  // error unless recovering, else recorded as skipped.
  absl::Status Reject(uint64_t offset, uint64_t length,
                      absl::string_view reason);

  // The offset just past the last intact record: where a writer continues.
  uint64_t valid_end() const { return valid_end_; }
  // Whether a writer may append at valid_end() with later readers still
  // reading the file as this one did: false when recovery skipped damaged
  // bytes before valid_end(), since a length field among them that ran into
  // the next record could then run past the end instead, and make the
  // appended records look like a cut-off tail.
  bool appendable() const { return first_skip_ >= valid_end_; }
  const std::vector<Damage>& damage() const { return damage_; }
  // How many records Next returned.
  uint64_t records() const { return records_; }
  // After Next returned false: sets *tail to the bytes read from the file
  // past valid_end() (a record cut off so far), which StartAt(valid_end(),
  // *tail) on the same file object needs. False when they are no longer all
  // held (recovery skipped damage after valid_end()).
  bool UnreadTail(std::string* tail) const;

 private:
  // Makes at least n bytes available from pos_, unless the file ends first.
  absl::Status Ensure(size_t n);
  size_t available() const { return buffer_.size() - pos_; }
  uint64_t offset() const { return base_ + pos_; }
  absl::StatusOr<bool> RestIsZero();
  // Corruption at offset(): error, or skip to the next intact record.
  absl::StatusOr<bool> Corrupt(absl::string_view reason);
  bool IntactRecordAt(size_t pos) const;

  SequentialFile* file_;
  std::string path_;
  bool recover_;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t base_ = 0;  // file offset of buffer_[0]
  bool eof_ = false;
  uint64_t valid_end_ = 0;
  uint64_t first_skip_ = UINT64_MAX;  // where recovery first skipped bytes
  uint64_t records_ = 0;
  std::vector<Damage> damage_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_LOG_RECORD_IO_H_
