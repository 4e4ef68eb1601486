// Copyright 2026 The ContactLedger Authors.
//
// Imports a real proximity-sensor data set through the public API and checks
// the ledger's answers against counts worked out from the raw files with
// shell tools, independently of this code.
//
// Data: SocioPatterns "Contacts in a workplace, 2nd deployment" (InVS15),
// CC0, cite M. Genois and A. Barrat, EPJ Data Science 7:11 (2018). See
// tests/data/SOURCES.md. Files, relative to CONTACTLEDGER_TEST_DATA_DIR:
//   sociopatterns-workplace-invs15/workplace_InVS15_tij.dat.gz
//     "t i j": i and j were in contact during [t - 20 s, t], t in seconds
//     from the study start. 78,249 rows.
//   sociopatterns-workplace-invs15/workplace_InVS15_metadata.txt
//     "i<TAB>department". 232 rows, 12 departments.
//
// Mapping onto the ledger:
//   - one county area "invs15", one township area per department, id = the
//     department name (e.g. "DMI");
//   - one Person per metadata row, id = the decimal sensor id, area = the
//     department;
//   - one Exposure per contact row, setting WORK, id "row-N" (N = 1-based line
//     number), start = study_start + t - 20 s, end = study_start + t.
// The data set gives no calendar date. We take study_start = 2015-06-22
// 00:00:00 UTC (unix 1434931200), a Monday: the rows then fall on weekdays
// only (days 5 and 6 since the start have no rows) and start at 08:00:40.
//
// In the comments, $D is workplace_InVS15_tij.dat.gz and $M is
// workplace_InVS15_metadata.txt, both in the data directory.

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kDataDir[] =
    CONTACTLEDGER_TEST_DATA_DIR "/sociopatterns-workplace-invs15";
constexpr char kCounty[] = "invs15";
constexpr size_t kBatchSize = 1000;

// 2015-06-22 00:00:00 UTC; see the file comment.
absl::Time StudyStart() {
  return absl::FromCivil(absl::CivilSecond(2015, 6, 22, 0, 0, 0),
                         absl::UTCTimeZone());
}

// The study's end bound, after the last row: the largest t is 1022380
// (zcat $D | awk '$1>m{m=$1} END{print m}'), 11.83 days; 12 days covers it.
absl::Time StudyEnd() { return StudyStart() + absl::Hours(24 * 12); }

// An instant `t` seconds after the study start.
absl::Time At(int64_t t) { return StudyStart() + absl::Seconds(t); }

std::string TijPath() {
  return absl::StrCat(kDataDir, "/workplace_InVS15_tij.dat.gz");
}
std::string MetadataPath() {
  return absl::StrCat(kDataDir, "/workplace_InVS15_metadata.txt");
}

bool DataPresent() {
  return std::ifstream(TijPath()).good() &&
         std::ifstream(MetadataPath()).good();
}

struct ContactRow {
  int64_t line = 0;  // 1-based line number in the file
  int64_t t = 0;
  std::string i;
  std::string j;
};

struct MetadataRow {
  std::string id;
  std::string department;
};

// Reads the gzip'd "t i j" rows with zlib.
absl::Status ReadContacts(std::vector<ContactRow>* rows) {
  gzFile file = gzopen(TijPath().c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot open ", TijPath()));
  }
  char buffer[256];
  int64_t line = 0;
  absl::Status status;
  while (gzgets(file, buffer, sizeof(buffer)) != nullptr) {
    ++line;
    std::istringstream in(buffer);
    ContactRow row;
    row.line = line;
    if (!(in >> row.t >> row.i >> row.j)) {
      status = absl::DataLossError(
          absl::StrCat(TijPath(), ":", line, ": malformed row: ", buffer));
      break;
    }
    rows->push_back(std::move(row));
  }
  int error = Z_OK;
  const char* message = gzerror(file, &error);
  if (status.ok() && error != Z_OK && error != Z_STREAM_END) {
    status =
        absl::DataLossError(absl::StrCat(TijPath(), ": zlib error: ", message));
  }
  gzclose(file);
  return status;
}

absl::Status ReadMetadata(std::vector<MetadataRow>* rows) {
  std::ifstream in(MetadataPath());
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open ", MetadataPath()));
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) {
      return absl::DataLossError(absl::StrCat(MetadataPath(), ":", line_number,
                                              ": malformed row: ", line));
    }
    rows->push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return absl::OkStatus();
}

v1::LedgerEvent AreaEvent(const std::string& id, const std::string& parent,
                          v1::AreaLevel level, const std::string& name) {
  v1::LedgerEvent event;
  event.set_actor("real_data_test");
  v1::Area* area = event.mutable_area();
  area->set_id(id);
  area->set_parent_id(parent);
  area->set_level(level);
  area->set_name(name);
  return event;
}

v1::LedgerEvent PersonEvent(const MetadataRow& row) {
  v1::LedgerEvent event;
  event.set_actor("real_data_test");
  v1::Person* person = event.mutable_person();
  person->set_id(row.id);
  person->set_area_id(row.department);
  return event;
}

v1::LedgerEvent ExposureEvent(const ContactRow& row) {
  v1::LedgerEvent event;
  event.set_actor("real_data_test");
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_id(absl::StrCat("row-", row.line));
  exposure->set_person_a(row.i);
  exposure->set_person_b(row.j);
  exposure->mutable_start()->set_seconds(absl::ToUnixSeconds(At(row.t - 20)));
  exposure->mutable_end()->set_seconds(absl::ToUnixSeconds(At(row.t)));
  exposure->set_setting(v1::EXPOSURE_SETTING_WORK);
  return event;
}

// The county, then one township per department (sorted).
std::vector<v1::LedgerEvent> AreaEvents(
    const std::vector<MetadataRow>& metadata) {
  std::set<std::string> departments;
  for (const MetadataRow& row : metadata) departments.insert(row.department);
  std::vector<v1::LedgerEvent> events;
  events.push_back(AreaEvent(kCounty, "", v1::AREA_LEVEL_COUNTY,
                             "InVS15 workplace (SocioPatterns)"));
  for (const std::string& department : departments) {
    events.push_back(AreaEvent(department, kCounty, v1::AREA_LEVEL_TOWNSHIP,
                               absl::StrCat("Department ", department)));
  }
  return events;
}

// Appends `events` in batches of kBatchSize; returns the last sequence number
// appended.
absl::StatusOr<uint64_t> AppendInBatches(
    Ledger& ledger, const std::vector<v1::LedgerEvent>& events) {
  uint64_t last = ledger.last_sequence_number();
  for (size_t begin = 0; begin < events.size(); begin += kBatchSize) {
    const size_t size = std::min(kBatchSize, events.size() - begin);
    absl::StatusOr<std::vector<uint64_t>> sequence_numbers =
        ledger.AppendBatch(absl::MakeConstSpan(events.data() + begin, size));
    if (!sequence_numbers.ok()) {
      return absl::Status(sequence_numbers.status().code(),
                          absl::StrCat("batch at event ", begin, ": ",
                                       sequence_numbers.status().message()));
    }
    if (sequence_numbers->size() != size) {
      return absl::InternalError(
          absl::StrCat("batch at event ", begin, ": ", sequence_numbers->size(),
                       " sequence numbers for ", size, " events"));
    }
    last = sequence_numbers->back();
  }
  return last;
}

template <typename Make, typename Row>
std::vector<v1::LedgerEvent> EventsOf(const std::vector<Row>& rows, Make make) {
  std::vector<v1::LedgerEvent> events;
  events.reserve(rows.size());
  for (const Row& row : rows) events.push_back(make(row));
  return events;
}

// The data set imported in the documented order (areas, persons, contacts)
// once for the whole suite.
class WorkplaceImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!DataPresent()) return;
    import_status_ = Import();
  }

  static void TearDownTestSuite() {
    ledger_.reset();
    contacts_.clear();
    metadata_.clear();
  }

  void SetUp() override {
    if (!DataPresent()) {
      FAIL() << "data set not found in " << kDataDir
             << " (tests/data/SOURCES.md lists its files)";
    }
    ASSERT_TRUE(import_status_.ok()) << import_status_;
    ASSERT_NE(ledger_, nullptr);
  }

  static absl::Status Import() {
    absl::Status status = ReadMetadata(&metadata_);
    if (!status.ok()) return status;
    status = ReadContacts(&contacts_);
    if (!status.ok()) return status;
    ledger_ = Ledger::New(LedgerOptions());
    for (const std::vector<v1::LedgerEvent>& events :
         {AreaEvents(metadata_), EventsOf(metadata_, PersonEvent),
          EventsOf(contacts_, ExposureEvent)}) {
      absl::StatusOr<uint64_t> last = AppendInBatches(*ledger_, events);
      if (!last.ok()) return last.status();
    }
    return absl::OkStatus();
  }

  // Checks that `exposures` are ordered by start, then sequence number, and
  // that each involves `person_id`.
  static void ExpectOrderedAndInvolving(
      const std::vector<Recorded<v1::Exposure>>& exposures,
      const std::string& person_id) {
    for (size_t k = 0; k < exposures.size(); ++k) {
      const v1::Exposure& body = exposures[k].body;
      EXPECT_TRUE(body.person_a() == person_id || body.person_b() == person_id)
          << "exposure " << k << " (seq " << exposures[k].sequence_number
          << ") is between " << body.person_a() << " and " << body.person_b();
      EXPECT_EQ(body.end().seconds() - body.start().seconds(), 20)
          << "exposure " << k;
      EXPECT_EQ(body.setting(), v1::EXPOSURE_SETTING_WORK) << "exposure " << k;
      if (k == 0) continue;
      const Recorded<v1::Exposure>& previous = exposures[k - 1];
      const int64_t previous_start = previous.body.start().seconds();
      const int64_t start = body.start().seconds();
      EXPECT_TRUE(previous_start < start ||
                  (previous_start == start &&
                   previous.sequence_number < exposures[k].sequence_number))
          << "exposure " << k << " (start " << start << ", seq "
          << exposures[k].sequence_number << ") after exposure " << k - 1
          << " (start " << previous_start << ", seq "
          << previous.sequence_number << ")";
    }
  }

  static size_t CountExposures(const std::string& person_id, absl::Time from,
                               absl::Time to) {
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
        ledger_->ExposuresOf(person_id, from, to, ReadOptions());
    EXPECT_TRUE(exposures.ok()) << person_id << ": " << exposures.status();
    return exposures.ok() ? exposures->size() : 0;
  }

  static absl::Status import_status_;
  static std::unique_ptr<Ledger> ledger_;
  static std::vector<MetadataRow> metadata_;
  static std::vector<ContactRow> contacts_;
};

absl::Status WorkplaceImportTest::import_status_;
std::unique_ptr<Ledger> WorkplaceImportTest::ledger_;
std::vector<MetadataRow> WorkplaceImportTest::metadata_;
std::vector<ContactRow> WorkplaceImportTest::contacts_;

TEST_F(WorkplaceImportTest, RawFilesParseToTheExpectedRowCounts) {
  // zcat $D | wc -l
  EXPECT_THAT(contacts_, SizeIs(78249));
  // wc -l < $M
  EXPECT_THAT(metadata_, SizeIs(232));
}

TEST_F(WorkplaceImportTest, StatsCountEveryImportedRecord) {
  const LedgerStats stats = ledger_->Stats();
  // zcat $D | wc -l
  EXPECT_EQ(stats.exposures, 78249u);
  // 1 county + (cut -f2 $M | sort -u | wc -l) = 1 + 12
  EXPECT_EQ(stats.areas, 13u);
  // Every person in the contacts is in the metadata (see
  // EveryContactPersonIsInTheMetadata), so distinct persons = wc -l < $M.
  EXPECT_EQ(stats.persons, 232u);
  EXPECT_EQ(stats.person_versions, 232u);
  EXPECT_EQ(stats.households, 0u);
  EXPECT_EQ(stats.diagnoses, 0u);
  EXPECT_EQ(stats.retractions, 0u);
  // 13 areas + 232 persons + 78249 exposures.
  EXPECT_EQ(stats.events, 78494u);
  EXPECT_EQ(ledger_->last_sequence_number(), 78494u);
  EXPECT_GT(stats.memory_bytes, 0u);
}

TEST_F(WorkplaceImportTest, CountyChildrenAreTheTwelveDepartments) {
  // cut -f2 $M | sort -u
  const std::vector<std::string> departments = {"DCAR", "DG",   "DISQ", "DMCT",
                                                "DMI",  "DSE",  "DST",  "SCOM",
                                                "SDOC", "SFLE", "SRH",  "SSI"};
  absl::StatusOr<std::vector<std::string>> children =
      ledger_->ChildAreas(kCounty, ReadOptions());
  ASSERT_TRUE(children.ok()) << children.status();
  EXPECT_THAT(*children, ElementsAreArray(departments));

  absl::StatusOr<std::vector<std::string>> subtree =
      ledger_->AreaSubtree(kCounty, ReadOptions());
  ASSERT_TRUE(subtree.ok()) << subtree.status();
  std::vector<std::string> expected_subtree = {kCounty};
  expected_subtree.insert(expected_subtree.end(), departments.begin(),
                          departments.end());
  EXPECT_THAT(*subtree, ElementsAreArray(expected_subtree));

  for (const std::string& department : departments) {
    absl::StatusOr<std::vector<std::string>> below =
        ledger_->ChildAreas(department, ReadOptions());
    ASSERT_TRUE(below.ok()) << department << ": " << below.status();
    EXPECT_THAT(*below, IsEmpty()) << department;
  }
}

TEST_F(WorkplaceImportTest, PersonsPerDepartmentMatchTheMetadata) {
  // cut -f2 $M | sort | uniq -c
  const std::map<std::string, size_t> expected = {
      {"DCAR", 15}, {"DG", 2},    {"DISQ", 18}, {"DMCT", 33},
      {"DMI", 60},  {"DSE", 34},  {"DST", 24},  {"SCOM", 7},
      {"SDOC", 4},  {"SFLE", 17}, {"SRH", 9},   {"SSI", 9}};
  size_t total = 0;
  for (const auto& [department, count] : expected) {
    absl::StatusOr<std::vector<std::string>> persons =
        ledger_->PersonsInArea(department, ReadOptions());
    ASSERT_TRUE(persons.ok()) << department << ": " << persons.status();
    EXPECT_THAT(*persons, SizeIs(count)) << department;
    EXPECT_TRUE(std::is_sorted(persons->begin(), persons->end())) << department;
    total += count;
  }
  // wc -l < $M
  EXPECT_EQ(total, 232u);
  absl::StatusOr<std::vector<std::string>> everyone =
      ledger_->PersonsInArea(kCounty, ReadOptions());
  ASSERT_TRUE(everyone.ok()) << everyone.status();
  EXPECT_THAT(*everyone, SizeIs(232));
}

TEST_F(WorkplaceImportTest, SmallDepartmentListsItsPersonsById) {
  // awk -F'\t' '$2=="DG"{print $1}' $M | LC_ALL=C sort
  absl::StatusOr<std::vector<std::string>> persons =
      ledger_->PersonsInArea("DG", ReadOptions());
  ASSERT_TRUE(persons.ok()) << persons.status();
  EXPECT_THAT(*persons, ElementsAre("290", "502"));

  absl::StatusOr<v1::Person> person = ledger_->GetPerson("502", ReadOptions());
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->area_id(), "DG");
}

TEST_F(WorkplaceImportTest, EveryContactPersonIsInTheMetadata) {
  // Persons in contacts but not in the metadata:
  //   zcat $D | awk '{print $2; print $3}' | LC_ALL=C sort -u |
  //     comm -23 - <(cut -f1 $M | LC_ALL=C sort -u)
  // prints nothing, so none is unregistered.
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()), IsEmpty());
}

TEST_F(WorkplaceImportTest, PersonsWithContactsMatchTheRawFile) {
  size_t with_contacts = 0;
  size_t person_rows = 0;
  for (const MetadataRow& row : metadata_) {
    const size_t count = CountExposures(row.id, StudyStart(), StudyEnd());
    if (count > 0) ++with_contacts;
    person_rows += count;
  }
  // zcat $D | awk '{print $2; print $3}' | sort -u | wc -l
  EXPECT_EQ(with_contacts, 217u);
  // Metadata persons never in a contact:
  //   zcat $D | awk '{print $2; print $3}' | LC_ALL=C sort -u |
  //     comm -13 - <(cut -f1 $M | LC_ALL=C sort -u) | wc -l
  EXPECT_EQ(metadata_.size() - with_contacts, 15u);
  // Each row involves two distinct persons (zcat $D | awk '$2==$3' | wc -l
  // prints 0), so the per-person lists hold 2 x 78249 entries:
  //   zcat $D | awk '{print $2; print $3}' | wc -l
  EXPECT_EQ(person_rows, 156498u);
}

TEST_F(WorkplaceImportTest, BusiestPersonGetsAllTheirRowsInStartOrder) {
  // The person in the most rows:
  //   zcat $D | awk '{print $2; print $3}' | sort | uniq -c | sort -nr | head
  //   -1
  // prints "3301 366".
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger_->ExposuresOf("366", StudyStart(), StudyEnd(), ReadOptions());
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  ASSERT_THAT(*exposures, SizeIs(3301));
  ExpectOrderedAndInvolving(*exposures, "366");

  // zcat $D | awk '$2==366||$3==366' | head -1  ->  33380 119 366
  EXPECT_EQ(exposures->front().body.end().seconds(),
            absl::ToUnixSeconds(At(33380)));
  EXPECT_EQ(exposures->front().body.person_a(), "119");
  // zcat $D | awk '$2==366||$3==366' | tail -1  ->  924380 47 366
  EXPECT_EQ(exposures->back().body.end().seconds(),
            absl::ToUnixSeconds(At(924380)));
  EXPECT_EQ(exposures->back().body.person_a(), "47");

  // Times at which 366 has more than one row, so that the tie-break on
  // sequence number is exercised:
  //   zcat $D | awk '$2==366||$3==366{c[$1]++} END{for(t in c) if(c[t]>1) n++;
  //                  print n}'
  // prints 414.
  size_t shared_starts = 0;
  for (size_t k = 1; k < exposures->size(); ++k) {
    if ((*exposures)[k].body.start().seconds() ==
            (*exposures)[k - 1].body.start().seconds() &&
        (k < 2 || (*exposures)[k].body.start().seconds() !=
                      (*exposures)[k - 2].body.start().seconds())) {
      ++shared_starts;
    }
  }
  EXPECT_EQ(shared_starts, 414u);

  // Each exposure, read back by sequence number, is the one recorded.
  const Recorded<v1::Exposure>& first = exposures->front();
  absl::StatusOr<v1::LedgerEvent> event =
      ledger_->GetEvent(first.sequence_number);
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_TRUE(event->has_exposure());
  EXPECT_EQ(event->exposure().person_a(), first.body.person_a());
  EXPECT_EQ(event->exposure().person_b(), first.body.person_b());
  EXPECT_EQ(event->exposure().start().seconds(), first.body.start().seconds());
  EXPECT_EQ(event->sequence_number(), first.sequence_number);
}

TEST_F(WorkplaceImportTest, OrdinaryPersonGetsAllTheirRowsInStartOrder) {
  // The median person by row count:
  //   zcat $D | awk '{print $2; print $3}' | sort | uniq -c | sort -n |
  //     awk 'NR==109'
  // prints "588 34"; check: zcat $D | awk '$2==34||$3==34' | wc -l
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger_->ExposuresOf("34", StudyStart(), StudyEnd(), ReadOptions());
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  EXPECT_THAT(*exposures, SizeIs(588));
  ExpectOrderedAndInvolving(*exposures, "34");
}

TEST_F(WorkplaceImportTest, SubWindowReturnsOnlyOverlappingRows) {
  // Day 1 (Tuesday) 12:00-14:00, i.e. t in [129600, 136800]; a row overlaps
  // when start <= to and end >= from:
  //   zcat $D | awk '($2==366||$3==366) &&
  //                  $1-20<=86400+14*3600 && $1>=86400+12*3600' | wc -l
  const absl::Time from = At(86400 + 12 * 3600);
  const absl::Time to = At(86400 + 14 * 3600);
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger_->ExposuresOf("366", from, to, ReadOptions());
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  EXPECT_THAT(*exposures, SizeIs(97));
  ExpectOrderedAndInvolving(*exposures, "366");
  for (const Recorded<v1::Exposure>& exposure : *exposures) {
    EXPECT_LE(exposure.body.start().seconds(), absl::ToUnixSeconds(to));
    EXPECT_GE(exposure.body.end().seconds(), absl::ToUnixSeconds(from));
  }
}

TEST_F(WorkplaceImportTest, SubWindowBoundsAreInclusive) {
  // 366 has rows at t = 130760 and 130780 (both with 198), at 133860 (with
  // 119) and two at 134020 (with 198 and 119). With from = the end of the
  // 130780 row and to = the start of the 133860 row, both of those touch the
  // window and count, the 130760 row ends 20 s before it and the 134020 rows
  // start 160 s after it:
  //   zcat $D | awk '($2==366||$3==366) && $1>=130780 && $1-20<=133840' |
  //     wc -l
  const absl::Time from = At(130780);
  const absl::Time to = At(133860 - 20);
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger_->ExposuresOf("366", from, to, ReadOptions());
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  ASSERT_THAT(*exposures, SizeIs(93));
  EXPECT_EQ(exposures->front().body.end().seconds(), absl::ToUnixSeconds(from));
  EXPECT_EQ(exposures->back().body.start().seconds(), absl::ToUnixSeconds(to));
  // One second narrower on each side drops exactly those two rows (no other
  // row of 366 ends at 130780 or starts at 133840: the rows are 20 s apart).
  EXPECT_EQ(
      CountExposures("366", from + absl::Seconds(1), to - absl::Seconds(1)),
      91u);
}

TEST_F(WorkplaceImportTest, WeekendWindowIsEmpty) {
  // Days 5 and 6 (Saturday and Sunday with the chosen start) have no rows:
  //   zcat $D | awk 'int($1/86400)==5 || int($1/86400)==6' | wc -l  ->  0
  // and the rows nearest them end at t = 415020 (day 4) and start at
  // t = 633620 - 20 (day 7).
  EXPECT_EQ(CountExposures("366", At(5 * 86400), At(7 * 86400 - 1)), 0u);
  EXPECT_EQ(CountExposures("34", At(5 * 86400), At(7 * 86400 - 1)), 0u);
}

TEST_F(WorkplaceImportTest, PersonWhoNeverOccurredIsNotFound) {
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> unknown =
      ledger_->ExposuresOf("no-such-person", StudyStart(), StudyEnd(),
                           ReadOptions());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
}

// The other order: the sensor rows arrive before the department list. Every
// contact person is then unregistered until the Person records come in.
TEST(WorkplaceContactsBeforeRegistrationTest,
     ContactPersonsAreUnregisteredUntilTheMetadataArrives) {
  if (!DataPresent()) {
    FAIL() << "data set not found in " << kDataDir
           << " (tests/data/SOURCES.md lists its files)";
  }
  std::vector<MetadataRow> metadata;
  std::vector<ContactRow> contacts;
  ASSERT_TRUE(ReadMetadata(&metadata).ok());
  ASSERT_TRUE(ReadContacts(&contacts).ok());

  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  ASSERT_TRUE(AppendInBatches(*ledger, AreaEvents(metadata)).ok());
  absl::StatusOr<uint64_t> after_contacts =
      AppendInBatches(*ledger, EventsOf(contacts, ExposureEvent));
  ASSERT_TRUE(after_contacts.ok()) << after_contacts.status();
  absl::StatusOr<uint64_t> after_persons =
      AppendInBatches(*ledger, EventsOf(metadata, PersonEvent));
  ASSERT_TRUE(after_persons.ok()) << after_persons.status();
  // 13 areas + 78249 exposures; then + 232 persons.
  EXPECT_EQ(*after_contacts, 78262u);
  EXPECT_EQ(*after_persons, 78494u);

  ReadOptions before_persons;
  before_persons.sequence_limit = *after_contacts;
  const std::vector<std::string> unregistered =
      ledger->UnregisteredPersons(before_persons);
  // zcat $D | awk '{print $2; print $3}' | sort -u | wc -l
  ASSERT_THAT(unregistered, SizeIs(217));
  EXPECT_TRUE(std::is_sorted(unregistered.begin(), unregistered.end()));
  // Byte order, not numeric order:
  //   zcat $D | awk '{print $2; print $3}' | LC_ALL=C sort -u | head -3
  EXPECT_THAT(
      std::vector<std::string>(unregistered.begin(), unregistered.begin() + 3),
      ElementsAre("1", "106", "1067"));
  //   zcat $D | awk '{print $2; print $3}' | LC_ALL=C sort -u | tail -2
  EXPECT_THAT(
      std::vector<std::string>(unregistered.end() - 2, unregistered.end()),
      ElementsAre("99", "998"));
  // The same set as the file's, computed here too.
  std::set<std::string> in_contacts;
  for (const ContactRow& row : contacts) {
    in_contacts.insert(row.i);
    in_contacts.insert(row.j);
  }
  EXPECT_THAT(unregistered,
              ElementsAreArray(in_contacts.begin(), in_contacts.end()));

  // Unregistered persons' histories are still there.
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      ledger->ExposuresOf("366", StudyStart(), StudyEnd(), before_persons);
  ASSERT_TRUE(exposures.ok()) << exposures.status();
  EXPECT_THAT(*exposures, SizeIs(3301));

  // Once the metadata is in, no one is unregistered.
  EXPECT_THAT(ledger->UnregisteredPersons(ReadOptions()), IsEmpty());
  absl::StatusOr<std::vector<std::string>> dmi =
      ledger->PersonsInArea("DMI", ReadOptions());
  ASSERT_TRUE(dmi.ok()) << dmi.status();
  EXPECT_THAT(*dmi, SizeIs(60));
  // Before them, the department had no registered person.
  absl::StatusOr<std::vector<std::string>> dmi_before =
      ledger->PersonsInArea("DMI", before_persons);
  ASSERT_TRUE(dmi_before.ok()) << dmi_before.status();
  EXPECT_THAT(*dmi_before, IsEmpty());
}

}  // namespace
}  // namespace contactledger
