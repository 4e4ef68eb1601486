// Copyright 2026 The ContactLedger Authors.
//
// Tests of the strict RFC 4180 reader in lib/import/csv.h.

#include "lib/import/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace internal {
namespace {

using ::contactledger::testutil::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<std::vector<std::string>> Fields(
    const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& r : records) out.push_back(r.fields);
  return out;
}

std::vector<std::vector<std::string>> MustParse(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  EXPECT_TRUE(records.ok()) << records.status();
  if (!records.ok()) return {};
  return Fields(*records);
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvTest, EmptyInputHasNoRecords) { EXPECT_THAT(MustParse(""), IsEmpty()); }

TEST(CsvTest, PlainFieldsWithLf) {
  EXPECT_EQ(MustParse("a,b,c\n1,2,3\n"),
            (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvTest, CrLfAndMixedLineEnds) {
  EXPECT_EQ(MustParse("a,b\r\n1,2\r\n3,4\n"),
            (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
}

TEST(CsvTest, LastRecordWithoutLineBreak) {
  EXPECT_EQ(MustParse("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvTest, EmptyFields) {
  EXPECT_EQ(MustParse(",\n,x,\n"), (Rows{{"", ""}, {"", "x", ""}}));
  // An empty line is one empty field (the caller checks field counts).
  EXPECT_EQ(MustParse("a\n\nb\n"), (Rows{{"a"}, {""}, {"b"}}));
}

TEST(CsvTest, QuotedFields) {
  EXPECT_EQ(MustParse("\"a,b\",\"\",\"say \"\"hi\"\"\"\n"),
            (Rows{{"a,b", "", "say \"hi\""}}));
  EXPECT_EQ(MustParse("\"\"\"\"\n"), (Rows{{"\""}}));
}

TEST(CsvTest, LineBreaksInsideQuotesAreKept) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("id,address\n1,\"line one\nline two\r\nthree\"\n2,x\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_THAT(*records, SizeIs(3));
  EXPECT_THAT((*records)[1].fields,
              ElementsAre("1", "line one\nline two\r\nthree"));
  EXPECT_EQ((*records)[1].line, 2);
  // The record after a multi-line one starts on the right line.
  EXPECT_EQ((*records)[2].line, 5);
  EXPECT_THAT((*records)[2].fields, ElementsAre("2", "x"));
}

TEST(CsvTest, FieldPositionsCountCharactersNotBytes) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("a,b\n沅陵县,\"x\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_THAT(*records, SizeIs(2));
  const CsvRecord& r = (*records)[1];
  EXPECT_EQ(r.positions[0].line, 2);
  EXPECT_EQ(r.positions[0].column, 1);
  EXPECT_EQ(r.positions[1].line, 2);
  EXPECT_EQ(r.positions[1].column, 5);  // three characters, then the comma
  EXPECT_EQ(r.fields[0], "沅陵县");
}

TEST(CsvTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(MustParse("\xEF\xBB\xBF"
                      "a,b\n1,2\n"),
            (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvTest, QuoteInsideUnquotedFieldIsAnError) {
  EXPECT_THAT(ParseCsv("a,b\n1,x\"y\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2, column 4: a quote inside an "
                                 "unquoted field")));
}

TEST(CsvTest, TextAfterClosingQuoteIsAnError) {
  EXPECT_THAT(ParseCsv("a,b\n\"x\"y,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2, column 4: a closing quote must be "
                                 "followed by ','")));
  // A space after the closing quote too.
  EXPECT_THAT(ParseCsv("\"x\" ,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1, column 4")));
}

TEST(CsvTest, UnclosedQuoteNamesWhereItOpened) {
  EXPECT_THAT(ParseCsv("a,b\n1,\"open\nstill open\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2, column 3: quoted field is not "
                                 "closed")));
}

TEST(CsvTest, BareCarriageReturnIsAnError) {
  EXPECT_THAT(ParseCsv("a,b\r1,2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1, column 4: a carriage return not "
                                 "followed by a line feed")));
  EXPECT_THAT(ParseCsv("a\r"), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("carriage return")));
}

TEST(CsvTest, MalformedUtf8NamesTheByteOffset) {
  // 0xFF never occurs in UTF-8.
  EXPECT_THAT(ParseCsv("a,b\n1,x\xFFy\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2, column 4: malformed UTF-8 at byte "
                                 "offset 7 (byte 0xFF)")));
  // Inside quotes too, and after multi-byte characters.
  EXPECT_THAT(ParseCsv("\"县\xC3\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1, column 3: malformed UTF-8 at byte "
                                 "offset 4")));
}

TEST(CsvTest, Utf8ValidatorRejectsOverlongSurrogatesAndTooLarge) {
  EXPECT_TRUE(ValidateUtf8("plain ascii").ok());
  EXPECT_TRUE(ValidateUtf8("沅陵县 \xF0\x9F\x98\x80").ok());  // U+1F600
  EXPECT_TRUE(ValidateUtf8("\xF4\x8F\xBF\xBF").ok());         // U+10FFFF
  EXPECT_FALSE(ValidateUtf8("\xC0\xAF").ok());                // overlong '/'
  EXPECT_FALSE(ValidateUtf8("\xE0\x80\xAF").ok());            // overlong
  EXPECT_FALSE(ValidateUtf8("\xF0\x80\x80\xAF").ok());        // overlong
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());            // surrogate
  EXPECT_FALSE(ValidateUtf8("\xF4\x90\x80\x80").ok());        // > U+10FFFF
  EXPECT_FALSE(ValidateUtf8("\x80").ok());                    // lone cont.
  EXPECT_FALSE(ValidateUtf8("\xE6\xB2").ok());                // cut off
  EXPECT_FALSE(ValidateUtf8("\xE6\x41\x41").ok());            // bad cont.
}

TEST(CsvTest, ReaderStopsAtTheError) {
  CsvReader reader("a\n\"x\"y\nb\n");
  CsvRecord record;
  absl::StatusOr<bool> more = reader.Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  EXPECT_THAT(record.fields, ElementsAre("a"));
  more = reader.Next(&record);
  EXPECT_FALSE(more.ok());
  more = reader.Next(&record);  // the same error again
  EXPECT_THAT(more, StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("line 2, column 4")));
}

TEST(CsvTest, TrailingCommaMakesAnEmptyLastField) {
  EXPECT_EQ(MustParse("a,\n"), (Rows{{"a", ""}}));
  EXPECT_EQ(MustParse("a,"), (Rows{{"a", ""}}));
}

// The reader keeps blank lines as records of empty fields (so that line
// numbers and field counts stay the file's); the importer skips them
// (contactledger/import.h, tests/import_test.cc BlankLines_...).
TEST(CsvTest, BlankLinesAreRecordsOfEmptyFields) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("a,b\r\n\r\n,\n\"\"\nc,d\n\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records),
            (Rows{{"a", "b"}, {""}, {"", ""}, {""}, {"c", "d"}, {""}}));
  std::vector<int64_t> lines;
  for (const CsvRecord& r : *records) lines.push_back(r.line);
  EXPECT_THAT(lines, ElementsAre(1, 2, 3, 4, 5, 6));
}

// A semicolon- or tab-separated line is one field to an RFC 4180 reader;
// the importer recognises such a header and says so.
TEST(CsvTest, OtherSeparatorsAreNotSeparators) {
  EXPECT_EQ(MustParse("a;b;c\n1;2;3\n"), (Rows{{"a;b;c"}, {"1;2;3"}}));
  EXPECT_EQ(MustParse("a\tb\n"), (Rows{{"a\tb"}}));
}

}  // namespace
}  // namespace internal
}  // namespace contactledger
