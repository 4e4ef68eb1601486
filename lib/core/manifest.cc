// The MANIFEST of a ledger directory (manifest.h).

#include "lib/core/manifest.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/identity/identity.h"
#include "lib/log/record_io.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {
namespace {

constexpr absl::string_view kManifestMagic = "CLEDMANI";
constexpr absl::string_view kManifestType = "contactledger.v1.LedgerManifest";
constexpr char kLegacySettingsFile[] = "LEDGERCTL";

std::string PathOf(const std::string& directory, absl::string_view name) {
  return absl::StrCat(directory, "/", name);
}

// 128 random bits as 32 hex digits.
std::string NewLedgerId() {
  std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppendFormat(&id, "%08x", static_cast<uint32_t>(device()));
  }
  return id;
}

absl::StatusOr<std::string> ReadSmallFile(Env* env, const std::string& path) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env->NewSequentialFile(path);
  if (!file.ok()) return file.status();
  std::string text;
  std::vector<char> scratch(4096);
  while (text.size() < (1 << 20)) {
    absl::StatusOr<absl::string_view> chunk =
        (*file)->Read(scratch.size(), scratch.data());
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) break;
    text.append(chunk->data(), chunk->size());
  }
  return text;
}

// The settings of the LEDGERCTL file ledgerctl wrote before manifests, if
// `directory` has one: "time_zone=NAME" and "identity_rules=NAME" lines.
absl::Status ReadLegacySettings(Env* env, const std::string& directory,
                                std::string* zone, std::string* rules) {
  const std::string path = PathOf(directory, kLegacySettingsFile);
  if (!env->FileExists(path)) return absl::OkStatus();
  absl::StatusOr<std::string> text = ReadSmallFile(env, path);
  if (!text.ok()) return text.status();
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "time_zone=")) *zone = std::string(line);
    if (absl::ConsumePrefix(&line, "identity_rules=")) {
      *rules = std::string(line);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone '", name, "'"));
  }
  return zone;
}

}  // namespace

absl::StatusOr<v1::LedgerManifest> ReadManifest(Env* env,
                                                const std::string& directory) {
  const std::string path = PathOf(directory, kManifestFile);
  if (!env->FileExists(path)) {
    return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  }
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env->NewSequentialFile(path);
  if (!file.ok()) return file.status();
  RecordReader reader(file->get(), path, /*recover=*/false);
  absl::StatusOr<FileHeader> header = reader.ReadHeader(kManifestMagic);
  if (!header.ok()) return header.status();
  if (header->type_name != kManifestType) {
    return absl::DataLossError(absl::StrCat(path, ": offset 0: records are '",
                                            header->type_name, "', expected '",
                                            kManifestType, "'"));
  }
  absl::string_view payload;
  uint64_t offset = 0;
  absl::StatusOr<bool> got = reader.Next(&payload, &offset);
  if (!got.ok()) return got.status();
  if (!*got) {
    return absl::DataLossError(
        absl::StrCat(path, ": offset ", reader.valid_end(),
                     ": the manifest record is missing"));
  }
  v1::LedgerManifest manifest;
  if (!manifest.ParseFromArray(payload.data(),
                               static_cast<int>(payload.size()))) {
    return absl::DataLossError(absl::StrCat(
        path, ": offset ", offset, ": the manifest record does not parse"));
  }
  auto bad = [&](absl::string_view field, absl::string_view why) {
    return absl::DataLossError(
        absl::StrCat(path, ": offset ", offset, ": ", field, ": ", why));
  };
  if (manifest.format_version() != kManifestFormatVersion) {
    return bad("format_version",
               absl::StrCat(manifest.format_version(),
                            " is not one this library reads (",
                            kManifestFormatVersion, ")"));
  }
  if (absl::StatusOr<absl::TimeZone> zone = LoadZone(manifest.time_zone());
      !zone.ok()) {
    return bad("time_zone", zone.status().message());
  }
  if (absl::StatusOr<IdentityRules> rules =
          ParseIdentityRules(manifest.identity_rules());
      !rules.ok()) {
    return bad("identity_rules", rules.status().message());
  }
  return manifest;
}

absl::StatusOr<v1::LedgerManifest> NewManifest(Env* env,
                                               const std::string& directory,
                                               const LedgerOptions& options,
                                               absl::Time now) {
  std::string legacy_zone;
  std::string legacy_rules;
  if (absl::Status s =
          ReadLegacySettings(env, directory, &legacy_zone, &legacy_rules);
      !s.ok()) {
    return s;
  }
  v1::LedgerManifest manifest;
  manifest.set_format_version(kManifestFormatVersion);
  manifest.set_ledger_id(options.ledger_id.empty() ? NewLedgerId()
                                                   : options.ledger_id);
  // A directory from before manifests keeps the settings it was made with;
  // ApplyManifest then refuses options that contradict them.
  if (!legacy_zone.empty()) {
    manifest.set_time_zone(legacy_zone);
  } else if (options.time_zone.has_value()) {
    manifest.set_time_zone(options.time_zone->name());
  } else {
    manifest.set_time_zone("UTC");
  }
  if (!legacy_rules.empty()) {
    manifest.set_identity_rules(legacy_rules);
  } else if (options.identity_rules.has_value()) {
    manifest.set_identity_rules(
        std::string(IdentityRulesName(*options.identity_rules)));
  } else {
    manifest.set_identity_rules(
        std::string(IdentityRulesName(IdentityRules::kChina)));
  }
  if (absl::StatusOr<absl::TimeZone> zone = LoadZone(manifest.time_zone());
      !zone.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: ", zone.status().message()));
  }
  if (absl::StatusOr<IdentityRules> rules =
          ParseIdentityRules(manifest.identity_rules());
      !rules.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("identity_rules: ", rules.status().message()));
  }
  manifest.set_replica(options.replica);
  SetTimestamp(absl::FromUnixSeconds(absl::ToUnixSeconds(now)),
               manifest.mutable_created());
  return manifest;
}

absl::Status WriteManifest(Env* env, const std::string& directory,
                           const v1::LedgerManifest& manifest) {
  const std::string path = PathOf(directory, kManifestFile);
  const std::string temp = absl::StrCat(path, ".tmp");
  std::string bytes =
      EncodeHeader(FileHeader{std::string(kManifestMagic), kFormatVersion, 0,
                              std::string(kManifestType)});
  AppendRecord(manifest.SerializeAsString(), &bytes);
  absl::Status status;
  {
    absl::StatusOr<std::unique_ptr<WritableFile>> file =
        env->NewWritableFile(temp);
    if (!file.ok()) return file.status();
    status = (*file)->Append(bytes);
    if (status.ok()) status = (*file)->Sync();
    if (absl::Status closed = (*file)->Close(); status.ok()) status = closed;
  }
  if (status.ok()) status = env->RenameFile(temp, path);
  if (!status.ok()) {
    env->RemoveFile(temp).IgnoreError();
    return status;
  }
  return env->SyncDir(directory);
}

absl::Status CheckLedgerId(absl::string_view id) {
  if (id.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LedgerOptions.ledger_id: is ", id.size(), " bytes, more than 64"));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return absl::InvalidArgumentError(absl::StrCat(
          "LedgerOptions.ledger_id: byte ", i,
          " is not an ASCII letter, digit, '-' or '_' (it names the "
          "ledger's stream)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyManifest(const v1::LedgerManifest& manifest,
                           const std::string& directory,
                           LedgerOptions* options) {
  absl::StatusOr<absl::TimeZone> zone = LoadZone(manifest.time_zone());
  if (!zone.ok()) return zone.status();
  absl::StatusOr<IdentityRules> rules =
      ParseIdentityRules(manifest.identity_rules());
  if (!rules.ok()) return rules.status();
  if (options->time_zone.has_value() && *options->time_zone != *zone) {
    return absl::FailedPreconditionError(
        absl::StrCat("LedgerOptions.time_zone is '", options->time_zone->name(),
                     "' but the ledger in '", directory,
                     "' keeps its days in '", manifest.time_zone(),
                     "' (its MANIFEST); open it without a time zone, "
                     "or with that one"));
  }
  if (options->identity_rules.has_value() &&
      *options->identity_rules != *rules) {
    return absl::FailedPreconditionError(absl::StrCat(
        "LedgerOptions.identity_rules is '",
        IdentityRulesName(*options->identity_rules), "' but the ledger in '",
        directory, "' checks identities by '", manifest.identity_rules(),
        "' (its MANIFEST); open it without identity rules, or with those"));
  }
  if (!options->ledger_id.empty() &&
      options->ledger_id != manifest.ledger_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat("LedgerOptions.ledger_id is '", options->ledger_id,
                     "' but the ledger in '", directory, "' is ledger '",
                     manifest.ledger_id(), "' (its MANIFEST)"));
  }
  options->time_zone = *zone;
  options->identity_rules = *rules;
  return absl::OkStatus();
}

absl::Status SetReplicaMark(Env* env, const std::string& directory,
                            bool replica) {
  if (env == nullptr) env = Env::Default();
  absl::StatusOr<v1::LedgerManifest> manifest = ReadManifest(env, directory);
  if (!manifest.ok()) return manifest.status();
  if (manifest->replica() == replica) return absl::OkStatus();
  manifest->set_replica(replica);
  return WriteManifest(env, directory, *manifest);
}

}  // namespace internal
}  // namespace contactledger
