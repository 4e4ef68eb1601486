// Copyright 2026 The ContactLedger Authors.
//
// lib/import/import_rows.h: one data row of a CSV import file to one
// LedgerEvent.
//
// The kinds of import file and their columns (contactledger/import.h), and
// for each kind a builder that reads a row's cells by column name and fills
// the event's body, or says which cell is wrong and why. The file driver
// (import.cc) reads the header and the rows (lib/import/csv.h), checks the
// columns against ImportKindSpecOf, and calls the kind's builder per row:
//
//   const RowBuilder build = RowBuilderOf(kind);
//   v1::LedgerEvent event;
//   if (CellResult e = build(RowView(index, record), zone, &event)) {
//     ... line record.line, column e->column: e->reason ...
//   }

#ifndef CONTACTLEDGER_LIB_IMPORT_IMPORT_ROWS_H_
#define CONTACTLEDGER_LIB_IMPORT_IMPORT_ROWS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/import.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/import/csv.h"

namespace contactledger {
namespace internal {

// A kind of import file: its name ("areas") and its columns, in the order
// of contactledger/import.h.
struct ImportKindSpec {
  ImportKind kind;
  const char* name;
  std::vector<ImportColumn> columns;
};

// Every kind, in ImportKind order.
const std::vector<ImportKindSpec>& ImportKindSpecs();
const ImportKindSpec& ImportKindSpecOf(ImportKind kind);

// A value as error messages show it: in double quotes, with '"' and '\'
// escaped by a backslash and line breaks written as \n and \r.
std::string QuotedValue(absl::string_view value);

// `id` without the spaces around it: ASCII whitespace (space, tab, line
// breaks), U+00A0 NO-BREAK SPACE and U+3000 IDEOGRAPHIC SPACE, which
// spreadsheets and input methods leave around ids. Applied to every id an
// import reads (contactledger/import.h).
absl::string_view TrimId(absl::string_view id);

// What is wrong with one cell of a row.
struct CellError {
  std::string column;
  std::string reason;
};
using CellResult = std::optional<CellError>;

// A data row whose cells are found by column name.
class RowView {
 public:
  // `index` maps each column of the header to its position in `record`.
  RowView(const absl::flat_hash_map<std::string, size_t>& index,
          const CsvRecord& record)
      : index_(index), record_(record) {}

  // The cell of `column`; empty when the header does not have the column.
  absl::string_view Get(absl::string_view column) const {
    auto it = index_.find(column);
    if (it == index_.end()) return absl::string_view();
    return record_.fields[it->second];
  }

 private:
  const absl::flat_hash_map<std::string, size_t>& index_;
  const CsvRecord& record_;
};

// Fills the body of `event` from `row` (days in `zone`); the first bad cell
// otherwise.
using RowBuilder = CellResult (*)(const RowView& row, absl::TimeZone zone,
                                  v1::LedgerEvent* event);

// The builder of a kind's rows.
RowBuilder RowBuilderOf(ImportKind kind);

// The CSV column of `kind` that a ledger validation error's field
// ("temperature_celsius", "id", "tags[2]") is about, or "".
std::string ColumnOfField(ImportKind kind, absl::string_view field);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_IMPORT_IMPORT_ROWS_H_
