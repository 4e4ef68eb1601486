// Copyright 2026 The ContactLedger Authors.
//
// contactledger::Contacts(): everyone within k hops over the exposures that
// overlap a time window, breadth first. Unlike a Tracer's questions it
// depends on no moment and no policy, only on the exposures a read sees.
// internal::WalkContacts (lib/query/contacts_walk.h) is the same walk with a
// rule for whom it goes on from: a scoped view's, which stops at its edge.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "lib/query/contacts_walk.h"
#include "lib/query/id_order.h"
#include "lib/state/reader.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace {

using internal::kNoId;

// The persons a walk has reached: open addressing over dense ids, in a
// buffer on the stack while small (most walks reach a few dozen persons),
// in a hash set once it holds more than kInline / 2.
class ReachedSet {
 public:
  ReachedSet() { slots_.fill(kNoId); }

  // Adds `id`; false when it was there already.
  bool Insert(uint32_t id) {
    if (spilled_) return big_.insert(id).second;
    for (size_t i = (id * 0x9E3779B1u) >> (32 - kBits);;
         i = (i + 1) & (kInline - 1)) {
      if (slots_[i] == id) return false;
      if (slots_[i] == kNoId) {
        slots_[i] = id;
        if (++size_ > kInline / 2) Spill();
        return true;
      }
    }
  }

 private:
  static constexpr int kBits = 10;
  static constexpr size_t kInline = size_t{1} << kBits;

  void Spill() {
    big_.reserve(2 * size_);
    for (uint32_t id : slots_) {
      if (id != kNoId) big_.insert(id);
    }
    spilled_ = true;
  }

  std::array<uint32_t, kInline> slots_;
  size_t size_ = 0;
  bool spilled_ = false;
  absl::flat_hash_set<uint32_t> big_;
};

// The walk of WalkContacts, with the rule for going on from a person as a
// type: the whole ledger's walk goes on from everyone, and its check
// compiles away.
template <typename MayExpand>
std::vector<ContactAtDistance> Walk(const internal::LedgerReader& reader,
                                    const internal::Cut& cut, uint32_t start,
                                    int hops, int64_t from_s, int64_t to_s,
                                    const MayExpand& may_expand) {
  const auto& persons = reader.persons();
  const internal::ExposureTable& exposures = reader.exposures();
  // Breadth first: `order` lists the persons the walk goes on from, level by
  // level; a level's persons are walked together so that their rows load
  // together. `found` lists everyone reached, also those it stops at.
  // The lists live per thread: walks run often, and allocations are slow
  // in a fragmented heap. A walk that grew them far leaves them trimmed.
  // (Not from the block pool: a two-hop walk takes a few microseconds, and
  // the pool's lock for these lists measured 10-20% of it.)
  ReachedSet reached;
  reached.Insert(start);
  thread_local std::vector<uint32_t> order;
  thread_local std::vector<std::pair<int, uint32_t>> found;  // (hops, person)
  order.clear();
  if (order.capacity() > 65536) order.shrink_to_fit();
  found.clear();
  if (found.capacity() > 65536) found.shrink_to_fit();
  order.push_back(start);
  size_t level_begin = 0;
  size_t level_end = 1;
  for (int hop = 1; hop <= hops && level_begin < level_end; ++hop) {
    exposures.PrefetchRowsOf(order.data() + level_begin,
                             level_end - level_begin, from_s, to_s);
    // The last level's persons are not walked from: no need to ask.
    const bool last = hop == hops;
    for (size_t i = level_begin; i < level_end; ++i) {
      const uint32_t person = order[i];
      exposures.ForEachRowOf(person, [&](uint32_t row) {
        if (!exposures.MayOverlap(row, from_s, to_s)) return;
        const int64_t start = exposures.start(row);
        if (start > to_s || start + exposures.rows[row].seconds < from_s) {
          return;
        }
        if (!reader.events().Visible(internal::EventKind::kExposure, row,
                                     cut)) {
          return;
        }
        const uint32_t partner = exposures.Partner(row, person);
        if (reached.Insert(partner)) {
          if (last || may_expand(partner)) order.push_back(partner);
          found.emplace_back(hop, partner);
          persons.keys.PrefetchSlot(partner);  // for the answer's ids
        }
      });
    }
    level_begin = level_end;
    level_end = order.size();
  }
  std::vector<ContactAtDistance> out;
  out.reserve(found.size());
  for (const internal::IdOrderEntry& e :
       internal::OrderById(persons.keys, found)) {
    out.push_back(ContactAtDistance{std::string(e.id), e.group});
  }
  return out;
}

absl::Status CheckArguments(int hops, absl::Time from, absl::Time to) {
  if (hops < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("hops: must be at least 1, got ", hops));
  }
  if (from > to) {
    return absl::InvalidArgumentError("from: is after to");
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> StartOf(const internal::LedgerReader& reader,
                                 absl::string_view person_id) {
  const uint32_t start = reader.persons().keys.Find(person_id);
  if (start == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", person_id, "' never occurs in the ledger"));
  }
  return start;
}

}  // namespace

namespace internal {

absl::StatusOr<std::vector<ContactAtDistance>> WalkContacts(
    const LedgerReader& reader, const Cut& cut, absl::string_view person_id,
    int hops, absl::Time from, absl::Time to,
    absl::FunctionRef<bool(uint32_t person)> may_expand) {
  if (absl::Status status = CheckArguments(hops, from, to); !status.ok()) {
    return status;
  }
  absl::StatusOr<uint32_t> start = StartOf(reader, person_id);
  if (!start.ok()) return start.status();
  return Walk(reader, cut, *start, hops, CeilSeconds(from),
              absl::ToUnixSeconds(to), may_expand);
}

}  // namespace internal

absl::StatusOr<std::vector<ContactAtDistance>> Contacts(
    const LedgerView& view, absl::string_view person_id, int hops,
    absl::Time from, absl::Time to, const ReadOptions& read) {
  return internal::ViewAccess::FindContacts(view, person_id, hops, from, to,
                                            read);
}

// A whole ledger's contacts; a scoped view answers with its own.
absl::StatusOr<std::vector<ContactAtDistance>> LedgerView::FindContacts(
    absl::string_view person_id, int hops, absl::Time from, absl::Time to,
    const ReadOptions& read) const {
  if (absl::Status status = CheckArguments(hops, from, to); !status.ok()) {
    return status;
  }
  internal::LedgerReader reader(*this);
  const internal::Cut cut = reader.CutFor(read);
  absl::StatusOr<uint32_t> start = StartOf(reader, person_id);
  if (!start.ok()) return start.status();
  return Walk(reader, cut, *start, hops, internal::CeilSeconds(from),
              absl::ToUnixSeconds(to), [](uint32_t) { return true; });
}

}  // namespace contactledger
