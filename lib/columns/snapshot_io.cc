#include "lib/columns/snapshot_io.h"

#include "absl/strings/str_format.h"

namespace contactledger {
namespace internal {

void SnapshotSink::Section(absl::string_view name, uint64_t count,
                           absl::string_view data) {
  if (!status_.ok()) return;
  v1::SnapshotSection section;
  section.set_name(std::string(name));
  section.set_count(count);
  section.set_data(std::string(data));
  buffer_.clear();
  AppendRecord(section.SerializeAsString(), &buffer_);
  status_ = file_->Append(buffer_);
  bytes_ += buffer_.size();
}

bool SnapshotSource::Peek(absl::string_view name) {
  if (!status_.ok()) return false;
  if (pending_) return true;
  absl::string_view payload;
  absl::StatusOr<bool> more = reader_->Next(&payload, &offset_);
  if (!more.ok()) {
    status_ = more.status();
    return false;
  }
  if (!*more) {
    Fail(name, "snapshot ends before this section");
    return false;
  }
  if (!section_.ParseFromArray(payload.data(),
                               static_cast<int>(payload.size()))) {
    Fail(name, "section does not parse");
    return false;
  }
  pending_ = true;
  return true;
}

bool SnapshotSource::Has(absl::string_view name) {
  return Peek(name) && section_.name() == name;
}

bool SnapshotSource::Next(absl::string_view name) {
  if (!Peek(name)) return false;
  pending_ = false;
  if (section_.name() != name) {
    Fail(name, absl::StrCat("found section '", section_.name(), "' instead"));
    return false;
  }
  return true;
}

void SnapshotSource::Fail(absl::string_view name, absl::string_view reason) {
  if (!status_.ok()) return;
  status_ = absl::DataLossError(absl::StrFormat(
      "snapshot offset %d: section '%s': %s", offset_, name, reason));
}

}  // namespace internal
}  // namespace contactledger
