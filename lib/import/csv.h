// Copyright 2026 The ContactLedger Authors.
//
// lib/import/csv.h: a small, strict RFC 4180 CSV reader.
//
// Why our own parser rather than Debian's libcsv: the importer needs exact
// error positions (line and column of the offending character, and the byte
// offset of malformed UTF-8) and strictness that libcsv leaves to the caller
// (it accepts a quote in the middle of an unquoted field, text after a
// closing quote, and does not check UTF-8). What RFC 4180 asks for is
// about 150 lines, tested in tests/csv_test.cc, and saves a C dependency
// and its callback API.
//
// What it accepts (RFC 4180, section 2):
//   - fields separated by ',' and records by CRLF or LF (either, per line);
//   - a field enclosed in double quotes may hold ',', CR, LF and '""' (one
//     escaped quote); line breaks inside quotes are kept as they are;
//   - the last record may end with or without a line break;
//   - a UTF-8 byte order mark at the very start is skipped.
// What it rejects, with "line L, column C: reason" (line and column 1-based,
// the column counted in characters):
//   - malformed UTF-8 anywhere (also "byte offset N");
//   - a '"' inside an unquoted field, and anything but ',', a line break or
//     the end after a closing quote;
//   - a quoted field left open at the end of the input;
//   - a CR not followed by LF outside quotes.
// It does not check that records have the same number of fields; the caller
// does (with its own, better, message).
//
// Example:
//   CsvReader reader(text);
//   CsvRecord record;
//   while (true) {
//     absl::StatusOr<bool> more = reader.Next(&record);
//     if (!more.ok()) return more.status();
//     if (!*more) break;
//     ... record.fields[i], record.line ...
//   }

#ifndef CONTACTLEDGER_LIB_IMPORT_CSV_H_
#define CONTACTLEDGER_LIB_IMPORT_CSV_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lib/util/text.h"  // ValidateUtf8

namespace contactledger {
namespace internal {

// Where a field starts in the input.
struct CsvPosition {
  int64_t line = 1;    // 1-based
  int64_t column = 1;  // 1-based, in characters
};

struct CsvRecord {
  std::vector<std::string> fields;
  // Where each field starts (the opening quote of a quoted field).
  std::vector<CsvPosition> positions;
  // The line the record starts on (a record spans several lines when a
  // quoted field holds line breaks).
  int64_t line = 1;
};

class CsvReader {
 public:
  // `text` must outlive the reader. It is checked for UTF-8 on the first
  // call to Next.
  explicit CsvReader(absl::string_view text);

  // Reads the next record into `record`. Returns true when a record was read,
  // false at the end of the input, or InvalidArgument "line L, column C: ...".
  // After an error the reader stays at the error.
  absl::StatusOr<bool> Next(CsvRecord* record);

  // The byte offset of the first character Next has not read yet.
  size_t offset() const { return pos_; }

 private:
  absl::Status Error(const CsvPosition& at, absl::string_view reason) const;
  // Advances over one character starting at pos_ (1-4 bytes), keeping the
  // line and column.
  void Advance();

  absl::string_view text_;
  size_t pos_ = 0;
  CsvPosition here_;
  bool checked_ = false;
  absl::Status error_;
};

// Parses the whole of `text` into records.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_IMPORT_CSV_H_
