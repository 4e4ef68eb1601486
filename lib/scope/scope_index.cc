// ScopeAt: the subtree of a scoped view at one cut. See scope_index.h.

#include "lib/scope/scope_index.h"

#include <vector>

#include "lib/index/tables.h"

namespace contactledger {
namespace internal {

ScopeAt ScopeAt::Compute(const LedgerReader& reader, uint32_t root,
                         const Cut& cut) {
  ScopeAt scope;
  scope.cut_ = cut;
  const AreaTable& areas = reader.areas();
  const EventIndex& events = reader.events();
  if (root == kNoId || EffectiveVersion(areas, events, root, cut) == kNoId) {
    return scope;
  }
  std::vector<uint32_t> stack = {root};
  scope.areas_.insert(root);
  while (!stack.empty()) {
    const uint32_t area = stack.back();
    stack.pop_back();
    // The version rows naming `area` as parent; a child is current when the
    // row is its effective version.
    for (uint32_t row = areas.child_head[area]; row != kNoId;
         row = areas.v_next_sibling[row]) {
      const uint32_t child = areas.v_entity[row];
      if (EffectiveVersion(areas, events, child, cut) == row &&
          scope.areas_.insert(child).second) {
        stack.push_back(child);
      }
    }
  }
  return scope;
}

bool ScopeAt::HasArea(const LedgerReader& reader, absl::string_view id) const {
  const uint32_t area = reader.areas().keys.Find(id);
  return area != kNoId && HasArea(area);
}

bool ScopeAt::HasPerson(const LedgerReader& reader, uint32_t person) const {
  if (person == kNoId || areas_.empty()) return false;
  const PersonTable& persons = reader.persons();
  const uint32_t version =
      EffectiveVersion(persons, reader.events(), person, cut_);
  if (version == kNoId) return false;
  const uint32_t area = PersonAreaAt(persons, reader.households(),
                                     reader.events(), version, cut_);
  return area != kNoId && HasArea(area);
}

bool ScopeAt::HasPerson(const LedgerReader& reader,
                        absl::string_view id) const {
  return HasPerson(reader, reader.persons().keys.Find(id));
}

bool ScopeAt::HasHousehold(const LedgerReader& reader,
                           uint32_t household) const {
  if (household == kNoId || areas_.empty()) return false;
  const HouseholdTable& households = reader.households();
  const uint32_t version =
      EffectiveVersion(households, reader.events(), household, cut_);
  return version != kNoId && HasArea(households.v_area[version]);
}

bool ScopeAt::HasHousehold(const LedgerReader& reader,
                           absl::string_view id) const {
  return HasHousehold(reader, reader.households().keys.Find(id));
}

}  // namespace internal
}  // namespace contactledger
