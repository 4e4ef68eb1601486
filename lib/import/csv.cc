// Copyright 2026 The ContactLedger Authors.

#include "lib/import/csv.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/util/text.h"

namespace contactledger {
namespace internal {
namespace {

// The position after consuming byte `c` at `p`.
inline void StepPosition(unsigned char c, CsvPosition* p) {
  if (c == '\n') {
    ++p->line;
    p->column = 1;
  } else if ((c & 0xC0) != 0x80) {
    ++p->column;
  }
}

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(absl::string_view text) : text_(text) {}

absl::Status CsvReader::Error(const CsvPosition& at,
                              absl::string_view reason) const {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", at.line, ", column ", at.column, ": ", reason));
}

void CsvReader::Advance() {
  StepPosition(static_cast<unsigned char>(text_[pos_]), &here_);
  ++pos_;
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord* record) {
  if (!error_.ok()) return error_;
  if (!checked_) {
    checked_ = true;
    error_ = ValidateUtf8(text_);
    if (!error_.ok()) return error_;
    if (absl::StartsWith(text_, kBom)) pos_ = kBom.size();
  }
  record->fields.clear();
  record->positions.clear();
  record->line = here_.line;
  if (pos_ >= text_.size()) return false;

  const size_t size = text_.size();
  while (true) {
    const CsvPosition start = here_;
    record->positions.push_back(start);
    std::string& field = record->fields.emplace_back();
    if (pos_ < size && text_[pos_] == '"') {
      Advance();
      while (true) {
        if (pos_ >= size) {
          error_ = Error(start, "quoted field is not closed");
          return error_;
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < size && text_[pos_ + 1] == '"') {
            field.push_back('"');
            Advance();
            Advance();
            continue;
          }
          Advance();  // the closing quote
          break;
        }
        field.push_back(c);
        Advance();
      }
      if (pos_ < size && text_[pos_] != ',' && text_[pos_] != '\n' &&
          text_[pos_] != '\r') {
        error_ = Error(here_,
                       "a closing quote must be followed by ',' or the end "
                       "of the line");
        return error_;
      }
    } else {
      const size_t begin = pos_;
      while (pos_ < size) {
        const char c = text_[pos_];
        if (c == ',' || c == '\n' || c == '\r') break;
        if (c == '"') {
          error_ = Error(here_,
                         "a quote inside an unquoted field (quote the whole "
                         "field and double the quote)");
          return error_;
        }
        Advance();
      }
      field.assign(text_.data() + begin, pos_ - begin);
    }
    if (pos_ >= size) return true;
    const char c = text_[pos_];
    if (c == ',') {
      Advance();
      continue;
    }
    if (c == '\r') {
      if (pos_ + 1 >= size || text_[pos_ + 1] != '\n') {
        error_ = Error(here_, "a carriage return not followed by a line feed");
        return error_;
      }
      Advance();
    }
    Advance();  // the line feed
    return true;
  }
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  std::vector<CsvRecord> records;
  CsvReader reader(text);
  while (true) {
    CsvRecord record;
    absl::StatusOr<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace internal
}  // namespace contactledger
