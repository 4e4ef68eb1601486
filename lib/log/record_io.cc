#include "lib/log/record_io.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace contactledger {
namespace internal {
namespace {

uint32_t Crc(const char* data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    const uInt chunk = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

void PutU16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v & 0xff));
  out->push_back(static_cast<char>(v >> 8));
}
void PutU32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

constexpr size_t kReadChunk = 1 << 20;

}  // namespace

std::string EncodeHeader(const FileHeader& header) {
  std::string out(header.magic);
  PutU32(header.version, &out);
  PutU64(header.base_sequence, &out);
  PutU16(static_cast<uint16_t>(header.type_name.size()), &out);
  out.append(header.type_name);
  PutU32(Crc(out.data(), out.size()), &out);
  return out;
}

void AppendRecord(absl::string_view payload, std::string* out) {
  std::string length;
  PutU32(static_cast<uint32_t>(payload.size()), &length);
  out->append(length);
  PutU32(Crc(length.data(), 4), out);
  PutU32(Crc(payload.data(), payload.size()), out);
  out->append(payload.data(), payload.size());
}

RecordReader::RecordReader(SequentialFile* file, std::string path, bool recover)
    : file_(file), path_(std::move(path)), recover_(recover) {}

absl::Status RecordReader::Ensure(size_t n) {
  while (available() < n && !eof_) {
    if (pos_ > 0) {
      buffer_.erase(0, pos_);
      base_ += pos_;
      pos_ = 0;
    }
    const size_t want =
        std::max(kReadChunk, std::min(n - available(), size_t{64} << 20));
    const size_t old = buffer_.size();
    buffer_.resize(old + want);
    absl::StatusOr<absl::string_view> got = file_->Read(want, &buffer_[old]);
    if (!got.ok()) {
      buffer_.resize(old);
      return got.status();
    }
    // An Env may answer an empty read with a null view: nothing to move.
    if (!got->empty() && got->data() != &buffer_[old]) {
      std::memmove(&buffer_[old], got->data(), got->size());
    }
    buffer_.resize(old + got->size());
    if (got->size() < want) eof_ = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<FileHeader> RecordReader::ReadHeader(absl::string_view magic) {
  constexpr size_t kFixed = 8 + 4 + 8 + 2;
  if (absl::Status s = Ensure(kFixed); !s.ok()) return s;
  const char* p = buffer_.data() + pos_;
  if (available() < kFixed) {
    return absl::DataLossError(absl::StrFormat(
        "%s: file of %d bytes is too short for a header", path_, available()));
  }
  FileHeader header;
  header.magic.assign(p, 8);
  if (header.magic != magic) {
    return absl::DataLossError(
        absl::StrFormat("%s: offset 0: wrong magic (not a %s file)", path_,
                        magic == kLogMagic        ? "ContactLedger log"
                        : magic == kSnapshotMagic ? "ContactLedger snapshot"
                                                  : "ContactLedger manifest"));
  }
  header.version = GetU32(p + 8);
  header.base_sequence = GetU64(p + 12);
  const uint16_t type_len =
      static_cast<uint8_t>(p[20]) |
      (static_cast<uint16_t>(static_cast<uint8_t>(p[21])) << 8);
  if (absl::Status s = Ensure(kFixed + type_len + 4); !s.ok()) return s;
  p = buffer_.data() + pos_;
  if (available() < kFixed + type_len + 4) {
    return absl::DataLossError(
        absl::StrFormat("%s: offset 0: header cut off", path_));
  }
  const uint32_t crc = GetU32(p + kFixed + type_len);
  if (crc != Crc(p, kFixed + type_len)) {
    return absl::DataLossError(
        absl::StrFormat("%s: offset 0: header checksum mismatch", path_));
  }
  if (header.version != kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s: format version %d; this library reads version %d",
                        path_, header.version, kFormatVersion));
  }
  header.type_name.assign(p + kFixed, type_len);
  pos_ += kFixed + type_len + 4;
  valid_end_ = offset();
  return header;
}

void RecordReader::StartAt(uint64_t offset, std::string buffered) {
  buffer_ = std::move(buffered);
  pos_ = 0;
  base_ = offset;
  eof_ = false;
  valid_end_ = offset;
}

bool RecordReader::UnreadTail(std::string* tail) const {
  if (valid_end_ < base_ || valid_end_ - base_ > buffer_.size()) return false;
  tail->assign(buffer_, static_cast<size_t>(valid_end_ - base_),
               std::string::npos);
  return true;
}

absl::StatusOr<bool> RecordReader::RestIsZero() {
  if (absl::Status s = Ensure(SIZE_MAX / 2); !s.ok()) return s;
  const char* p = buffer_.data() + pos_;
  return std::all_of(p, p + available(), [](char c) { return c == 0; });
}

bool RecordReader::IntactRecordAt(size_t pos) const {
  if (buffer_.size() - pos < kRecordHeaderBytes) return false;
  const char* p = buffer_.data() + pos;
  const uint32_t length = GetU32(p);
  if (GetU32(p + 4) != Crc(p, 4) || length > kMaxRecordBytes) return false;
  if (buffer_.size() - pos - kRecordHeaderBytes < length) return false;
  return GetU32(p + 8) == Crc(p + kRecordHeaderBytes, length);
}

absl::StatusOr<bool> RecordReader::Corrupt(absl::string_view reason) {
  const uint64_t at = offset();
  if (!recover_) {
    return absl::DataLossError(
        absl::StrFormat("%s: offset %d: %s", path_, at, reason));
  }
  if (absl::Status s = Ensure(SIZE_MAX / 2); !s.ok()) return s;
  size_t next = pos_ + 1;
  while (next < buffer_.size() && !IntactRecordAt(next)) ++next;
  damage_.push_back(Damage{path_, at, next - pos_, false, std::string(reason)});
  first_skip_ = std::min(first_skip_, at);
  pos_ = next;
  return available() > 0;
}

absl::StatusOr<bool> RecordReader::Next(absl::string_view* payload,
                                        uint64_t* record_offset) {
  while (true) {
    if (absl::Status s = Ensure(kRecordHeaderBytes); !s.ok()) return s;
    if (available() == 0) return false;
    const uint64_t at = offset();
    if (available() < kRecordHeaderBytes) {
      damage_.push_back(Damage{path_, at, available(), true,
                               "record header cut off at the end"});
      return false;
    }
    const char* p = buffer_.data() + pos_;
    const uint32_t length = GetU32(p);
    if (GetU32(p + 4) != Crc(p, 4)) {
      absl::StatusOr<bool> zero = RestIsZero();
      if (!zero.ok()) return zero.status();
      if (*zero) {
        damage_.push_back(
            Damage{path_, at, available(), true, "zero-filled tail"});
        return false;
      }
      absl::StatusOr<bool> more = Corrupt("record length checksum mismatch");
      if (!more.ok() || !*more) return more;
      continue;
    }
    if (length > kMaxRecordBytes) {
      absl::StatusOr<bool> more = Corrupt(absl::StrFormat(
          "record length %d exceeds the maximum %d", length, kMaxRecordBytes));
      if (!more.ok() || !*more) return more;
      continue;
    }
    if (absl::Status s = Ensure(kRecordHeaderBytes + length + 1); !s.ok()) {
      return s;
    }
    p = buffer_.data() + pos_;
    if (available() < kRecordHeaderBytes + length) {
      damage_.push_back(
          Damage{path_, at, available(), true,
                 absl::StrFormat("record of %d bytes cut off after %d", length,
                                 available() - kRecordHeaderBytes)});
      return false;
    }
    if (GetU32(p + 8) != Crc(p + kRecordHeaderBytes, length)) {
      if (available() == kRecordHeaderBytes + length) {
        // The last record of the file: a write torn by a crash.
        damage_.push_back(Damage{path_, at, available(), true,
                                 "last record's payload checksum mismatch "
                                 "(torn write)"});
        return false;
      }
      absl::StatusOr<bool> more = Corrupt("record payload checksum mismatch");
      if (!more.ok() || !*more) return more;
      continue;
    }
    *payload = absl::string_view(p + kRecordHeaderBytes, length);
    *record_offset = at;
    pos_ += kRecordHeaderBytes + length;
    valid_end_ = offset();
    ++records_;
    return true;
  }
}

absl::Status RecordReader::Reject(uint64_t at, uint64_t length,
                                  absl::string_view reason) {
  if (!recover_) {
    return absl::DataLossError(
        absl::StrFormat("%s: offset %d: %s", path_, at, reason));
  }
  damage_.push_back(Damage{path_, at, length, false, std::string(reason)});
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace contactledger
