// The MANIFEST of a ledger directory (lib/core/manifest.h): the directory
// keeps its time zone and identity rules, Open holds every opener to them,
// and directories from before manifests still open with the settings they
// were made with.

#include "lib/core/manifest.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;

constexpr char kDir[] = "/county";

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

v1::LedgerEvent County() {
  v1::LedgerEvent event;
  event.mutable_area()->set_id("yuanling");
  event.mutable_area()->set_level(v1::AREA_LEVEL_COUNTY);
  event.mutable_area()->set_name("Yuanling County");
  return event;
}

class ManifestTest : public ::testing::Test {
 protected:
  LedgerOptions Options() const {
    LedgerOptions options;
    options.env = env_.get();
    return options;
  }
  // Makes the directory with `options`, recording one event.
  void Create(LedgerOptions options) {
    options.env = env_.get();
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, kDir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ASSERT_TRUE((*ledger)->Append(County()).ok());
  }

  std::unique_ptr<internal::MemEnv> env_ = std::make_unique<internal::MemEnv>();
};

TEST_F(ManifestTest, NewDirectoryRecordsItsZoneAndRules) {
  LedgerOptions options;
  options.time_zone = Shanghai();
  options.identity_rules = IdentityRules::kNone;
  Create(options);
  EXPECT_TRUE(env_->FileExists(std::string(kDir) + "/MANIFEST"));

  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(Options(), kDir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->time_zone(), Shanghai());
  EXPECT_EQ((*reopened)->options().time_zone, Shanghai());
  EXPECT_EQ((*reopened)->options().identity_rules, IdentityRules::kNone);
}

TEST_F(ManifestTest, NewDirectoryWithoutSettingsTakesTheDefaults) {
  Create(LedgerOptions());
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(Options(), kDir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->time_zone(), absl::UTCTimeZone());
  EXPECT_EQ((*reopened)->options().identity_rules, IdentityRules::kChina);
}

TEST_F(ManifestTest, ContradictingZoneIsFailedPreconditionNamingBoth) {
  LedgerOptions shanghai;
  shanghai.time_zone = Shanghai();
  Create(shanghai);

  LedgerOptions utc = Options();
  utc.time_zone = absl::UTCTimeZone();
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(utc, kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ledger.status().message(), HasSubstr("'UTC'"));
  EXPECT_THAT(ledger.status().message(), HasSubstr("'Asia/Shanghai'"));
  EXPECT_THAT(ledger.status().message(), HasSubstr("MANIFEST"));

  // The same zone is no contradiction.
  LedgerOptions same = Options();
  same.time_zone = Shanghai();
  EXPECT_TRUE(Ledger::Open(same, kDir).ok());
}

TEST_F(ManifestTest, LedgerIdOptionNamesANewDirectoryAndMustMatchAnOld) {
  LedgerOptions options;
  options.ledger_id = "yuanling-2020";
  Create(options);
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(Options(), kDir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->ledger_id(), "yuanling-2020");
  reopened->reset();

  LedgerOptions other = Options();
  other.ledger_id = "chenxi-2020";
  absl::StatusOr<std::unique_ptr<Ledger>> refused = Ledger::Open(other, kDir);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("'chenxi-2020'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("'yuanling-2020'"));

  // A directory made without one gets 32 hex digits of its own.
  auto env = std::make_unique<internal::MemEnv>();
  LedgerOptions plain;
  plain.env = env.get();
  absl::StatusOr<std::unique_ptr<Ledger>> fresh = Ledger::Open(plain, kDir);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->ledger_id().size(), 32u);
  // In memory: the option, or none.
  LedgerOptions memory;
  memory.ledger_id = "m1";
  EXPECT_EQ(Ledger::New(memory)->ledger_id(), "m1");
  EXPECT_EQ(Ledger::New(LedgerOptions())->ledger_id(), "");
}

TEST_F(ManifestTest, LedgerIdThatCannotNameAStreamIsInvalidArgument) {
  for (const std::string& id : {std::string("a.b"), std::string("a b"),
                                std::string("a*"), std::string(65, 'a')}) {
    LedgerOptions options = Options();
    options.ledger_id = id;
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, kDir);
    EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_THAT(ledger.status().message(), HasSubstr("ledger_id")) << id;
    EXPECT_FALSE(env_->FileExists(std::string(kDir) + "/MANIFEST")) << id;
  }
}

TEST_F(ManifestTest, ReplicaRefusesAppendsAndTakesRecordedBatches) {
  LedgerOptions options = Options();
  options.ledger_id = "county";
  options.replica = true;
  absl::StatusOr<std::unique_ptr<Ledger>> replica = Ledger::Open(options, kDir);
  ASSERT_TRUE(replica.ok()) << replica.status();
  absl::StatusOr<uint64_t> appended = (*replica)->Append(County());
  ASSERT_EQ(appended.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(appended.status().message(),
              HasSubstr("replica of ledger 'county'"));
  v1::LedgerEvent recorded = County();
  recorded.set_sequence_number(1);
  recorded.mutable_record_time()->set_seconds(1580000000);
  EXPECT_TRUE((*replica)->AppendRecorded({recorded}).ok());
  EXPECT_EQ((*replica)->last_sequence_number(), 1u);
}

TEST_F(ManifestTest, MarkedReplicaOpensAsOneUntilTheMarkIsCleared) {
  Create(Options());
  absl::StatusOr<v1::LedgerManifest> manifest =
      internal::ReadManifest(env_.get(), kDir);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_FALSE(manifest->replica());
  ASSERT_TRUE(internal::SetReplicaMark(env_.get(), kDir, true).ok());
  manifest = internal::ReadManifest(env_.get(), kDir);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_TRUE(manifest->replica());

  // Opened by a program that does not know it is a replica: still one.
  {
    absl::StatusOr<std::unique_ptr<Ledger>> opened =
        Ledger::Open(Options(), kDir);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_TRUE((*opened)->options().replica);
    absl::StatusOr<uint64_t> appended = (*opened)->Append(County());
    ASSERT_EQ(appended.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(appended.status().message(),
                HasSubstr("its directory's MANIFEST"));
    EXPECT_EQ((*opened)->last_sequence_number(), 1u);
  }

  // Promoted: the mark cleared, the directory is a writer's.
  ASSERT_TRUE(internal::SetReplicaMark(env_.get(), kDir, false).ok());
  absl::StatusOr<std::unique_ptr<Ledger>> writer =
      Ledger::Open(Options(), kDir);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_FALSE((*writer)->options().replica);
  v1::LedgerEvent township;
  township.mutable_area()->set_id("chenyang");
  township.mutable_area()->set_parent_id("yuanling");
  township.mutable_area()->set_level(v1::AREA_LEVEL_TOWNSHIP);
  township.mutable_area()->set_name("Chenyang Town");
  absl::StatusOr<uint64_t> appended = (*writer)->Append(township);
  EXPECT_TRUE(appended.ok()) << appended.status();
}

TEST_F(ManifestTest, NewReplicaDirectoryIsMarkedAndAnOldOneIsNotByOpening) {
  LedgerOptions follower = Options();
  follower.ledger_id = "county";
  follower.replica = true;
  ASSERT_TRUE(Ledger::Open(follower, kDir).ok());
  absl::StatusOr<v1::LedgerManifest> manifest =
      internal::ReadManifest(env_.get(), kDir);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_TRUE(manifest->replica());

  // A writer's directory opened with `replica` is a replica for that open
  // only: the Follower marks it once the stream holds its events.
  constexpr char kWriter[] = "/writer";
  LedgerOptions writer = Options();
  ASSERT_TRUE(Ledger::Open(writer, kWriter).ok());
  writer.replica = true;
  absl::StatusOr<std::unique_ptr<Ledger>> opened =
      Ledger::Open(writer, kWriter);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE((*opened)->options().replica);
  manifest = internal::ReadManifest(env_.get(), kWriter);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_FALSE(manifest->replica());
}

TEST_F(ManifestTest, ContradictingIdentityRulesAreFailedPrecondition) {
  LedgerOptions none;
  none.identity_rules = IdentityRules::kNone;
  Create(none);
  LedgerOptions china = Options();
  china.identity_rules = IdentityRules::kChina;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(china, kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ledger.status().message(), HasSubstr("'china'"));
  EXPECT_THAT(ledger.status().message(), HasSubstr("'none'"));
}

TEST_F(ManifestTest, DirectoryFromBeforeManifestsKeepsItsLedgerctlSettings) {
  LedgerOptions shanghai;
  shanghai.time_zone = Shanghai();
  Create(shanghai);
  // As ledgerctl left a directory before manifests: no MANIFEST, the
  // settings in LEDGERCTL.
  ASSERT_TRUE(env_->RemoveFile(std::string(kDir) + "/MANIFEST").ok());
  ASSERT_TRUE(
      env_->SetContents(std::string(kDir) + "/LEDGERCTL",
                        "# ledgerctl settings of this ledger directory\n"
                        "time_zone=Asia/Shanghai\n"
                        "identity_rules=none\n")
          .ok());

  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ((*ledger)->time_zone(), Shanghai());
  EXPECT_EQ((*ledger)->options().identity_rules, IdentityRules::kNone);
  EXPECT_TRUE((*ledger)->GetArea("yuanling", ReadOptions()).ok());
  ledger->reset();
  // The first open wrote the manifest; later ones are held to it.
  EXPECT_TRUE(env_->FileExists(std::string(kDir) + "/MANIFEST"));
  LedgerOptions utc = Options();
  utc.time_zone = absl::UTCTimeZone();
  EXPECT_EQ(Ledger::Open(utc, kDir).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ManifestTest, DamagedManifestIsDataLossNamingTheFile) {
  Create(LedgerOptions());
  const std::string path = std::string(kDir) + "/MANIFEST";
  absl::StatusOr<std::string> bytes = env_->Contents(path);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[damaged.size() - 3] ^= 0x40;
  ASSERT_TRUE(env_->SetContents(path, damaged).ok());
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("MANIFEST"));
}

TEST_F(ManifestTest, ManifestWithAnUnknownZoneIsRefused) {
  LedgerOptions options;
  options.time_zone = Shanghai();
  Create(options);
  const std::string path = std::string(kDir) + "/MANIFEST";
  absl::StatusOr<std::string> bytes = env_->Contents(path);
  ASSERT_TRUE(bytes.ok());
  // Same length, so the framing stays whole; the checksum then fails, which
  // is DataLoss too: a manifest is never half-trusted.
  std::string changed = *bytes;
  const size_t at = changed.find("Asia/Shanghai");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, 13, "Asia/Nowhere!");
  ASSERT_TRUE(env_->SetContents(path, changed).ok());
  EXPECT_EQ(Ledger::Open(Options(), kDir).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(ManifestTest, InMemoryLedgerUsesTheOptionsOrTheDefaults) {
  LedgerOptions options;
  options.time_zone = Shanghai();
  EXPECT_EQ(Ledger::New(options)->time_zone(), Shanghai());
  EXPECT_EQ(Ledger::New(LedgerOptions())->time_zone(), absl::UTCTimeZone());
  EXPECT_EQ(Ledger::New(LedgerOptions())->options().identity_rules,
            IdentityRules::kChina);
}

}  // namespace
}  // namespace contactledger
