// Older ledger directories stay readable: tests/fixtures/ledger_7ef316a, a
// directory written by the library as of 7ef316a (no MANIFEST, a snapshot
// laid out before imports were kept, a log after it), opens read-only in
// place without a byte changed, and read-write on a copy, where it takes
// new imports and new snapshots.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testutil::MakePerson;

const char kFixture[] = CONTACTLEDGER_TEST_FIXTURES_DIR "/ledger_7ef316a";

// Every file of `dir` by name, with its bytes.
std::map<std::string, std::string> Files(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    files[entry.path().filename().string()] = bytes.str();
  }
  return files;
}

// What the fixture holds, as its README says.
void ExpectFixtureEvents(const Ledger& ledger) {
  ASSERT_EQ(ledger.last_sequence_number(), 7u);
  for (uint64_t s = 1; s <= 7; ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    ASSERT_TRUE(event.ok()) << s << ": " << event.status();
    EXPECT_FALSE(event->has_import_source()) << s;
    EXPECT_EQ(event->actor(), s <= 4 ? "office" : "") << s;
  }
  EXPECT_TRUE(ledger.GetEvent(1)->has_area());
  EXPECT_EQ(ledger.GetEvent(5)->diagnosis().person_id(), "p1");
  EXPECT_EQ(ledger.GetEvent(7)->person().id(), "p3");
  EXPECT_TRUE(ledger.IsRetracted(4, ReadOptions()));
  EXPECT_TRUE(ledger.GetPerson("p1", ReadOptions()).ok());
  EXPECT_FALSE(ledger.GetPerson("p2", ReadOptions()).ok());  // retracted
  EXPECT_EQ(ledger.recovery_report().snapshot_sequence, 6u);
}

TEST(OlderLedgers, SnapshotFromBeforeImportsOpensReadOnlyInPlaceUnchanged) {
  const std::map<std::string, std::string> before = Files(kFixture);
  ASSERT_EQ(before.size(), 2u) << "the fixture is a snapshot and a log";
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::OpenReadOnly(LedgerOptions(), kFixture);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ExpectFixtureEvents(**ledger);
    EXPECT_THAT(FindImports(**ledger, std::string(64, 'a')), IsEmpty());
  }
  EXPECT_EQ(Files(kFixture), before);
}

TEST(OlderLedgers, SnapshotFromBeforeImportsTakesImportsAndNewSnapshots) {
  char pattern[] = "/tmp/older_ledgers_test.XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = absl::StrCat(pattern, "/ledger");
  fs::copy(kFixture, dir);
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(LedgerOptions(), dir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ExpectFixtureEvents(**ledger);
    ImportOptions options;
    options.file_name = "late.jsonl";
    absl::StatusOr<ImportSummary> summary =
        ImportJsonl(**ledger, "{\"person\":{\"id\":\"p4\"}}\n", options);
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->first_sequence, 8u);
    ASSERT_TRUE((*ledger)->WriteSnapshot().ok());
  }
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(LedgerOptions(), dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->recovery_report().snapshot_sequence, 8u);
  absl::StatusOr<v1::LedgerEvent> imported = (*reopened)->GetEvent(8);
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported->import_source().file_name(), "late.jsonl");
  std::vector<ImportRecord> imports =
      FindImports(**reopened, imported->import_source().sha256());
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].first_sequence, 8u);
  // The older snapshot's events are all still there.
  for (uint64_t s = 1; s <= 7; ++s) EXPECT_TRUE((*reopened)->GetEvent(s).ok());
  reopened->reset();
  fs::remove_all(pattern);
}

// The snapshot's persons.v_area held the household's area at the time p1 was
// recorded (p1 names no area of their own): on load p1 follows h1 instead.
TEST(OlderLedgers, SnapshotFromBeforeHouseholdAreasLetsMembersMoveWithIt) {
  char pattern[] = "/tmp/older_ledgers_test.XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = absl::StrCat(pattern, "/ledger");
  fs::copy(kFixture, dir);
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(LedgerOptions(), dir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    EXPECT_THAT(*(*ledger)->PersonsInArea("c", ReadOptions()),
                ElementsAre("p1"));
    v1::LedgerEvent township = testutil::MakeTownship("t", "c");
    ASSERT_TRUE((*ledger)->Append(township).ok());
    ASSERT_TRUE((*ledger)->Append(testutil::MakeHousehold("h1", "t")).ok());
    EXPECT_THAT(*(*ledger)->PersonsInArea("t", ReadOptions()),
                ElementsAre("p1"));
    EXPECT_EQ((*ledger)->GetPerson("p1", ReadOptions())->area_id(), "");
    ASSERT_TRUE((*ledger)->WriteSnapshot().ok());
  }
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(LedgerOptions(), dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->recovery_report().snapshot_sequence, 9u);
  EXPECT_THAT(*(*reopened)->PersonsInArea("t", ReadOptions()),
              ElementsAre("p1"));
  reopened->reset();
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace contactledger
