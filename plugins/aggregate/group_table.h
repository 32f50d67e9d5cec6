// The groups of an aggregation: each distinct key gets a dense id in order of first
// appearance; keys are kept (strings as views into the mapped input) for output and sorting.
#ifndef SLUICE_PLUGINS_AGGREGATE_GROUP_TABLE_H_
#define SLUICE_PLUGINS_AGGREGATE_GROUP_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "big_vector.h"
#include "column_slice.h"
#include "sluice/dataset.hpp"
#include "value_cell.h"

namespace sluice::aggregate {

/// Open addressing on the key hash, grown to stay at most half full; a slot is 8 bytes (the
/// hash's high half and the group) so that more of the table stays in cache. Without key
/// columns there is exactly one group, 0, from the start.
class GroupTable {
 public:
  /// `key_types[i]`: the type of key column i, for ordering.
  explicit GroupTable(std::vector<dataset::Type> key_types);

  size_t key_width() const { return key_types_.size(); }
  size_t group_count() const { return key_width() == 0 ? group_count_ : keys_.size() / key_width(); }

  /// Reserves address space for `groups` groups so that the key store never moves while it
  /// grows (pages are only touched as groups arrive, so an overestimate costs no memory).
  void Reserve(size_t groups);

  /// Sizes the slot table for `groups` groups now, sparing the rehashes of growing to it.
  void ExpectGroups(size_t groups);

  /// The hash FindOrAdd needs for `key` (key_width() cells).
  uint64_t Hash(const ValueCell* key) const;

  /// Starts loading the slot where a key with `hash` would be, so that a FindOrAdd a few rows
  /// later finds it in cache.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  /// The group of `key` (key_width() cells, hashing to `hash`), created when new.
  uint32_t FindOrAdd(const ValueCell* key, uint64_t hash);

  const ValueCell& key(uint32_t group, size_t column) const { return keys_[group * key_width() + column]; }

  /// Every group id, ordered by key ascending (column by column, nulls first).
  std::vector<uint32_t> SortedGroups() const;

  /// Sets out[i] to key column `column` of group groups[i], for i < n.
  void GatherKeys(size_t column, const uint32_t* groups, size_t n, ColumnSlice* out) const;

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  struct Slot {
    uint32_t tag = 0;  // the hash's high 32 bits (the low bits chose the slot)
    uint32_t group = kNone;
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  void Grow() { Rehash(slots_.size() * 2); }
  void Rehash(size_t slot_count);

  std::vector<dataset::Type> key_types_;
  BigVector<ValueCell> keys_;  // row-major: group * key_width() + column
  BigVector<uint64_t> hashes_;  // by group, for growing
  BigVector<Slot> slots_;
  size_t mask_ = 0;
  size_t group_count_ = 0;  // only used without key columns
};

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_GROUP_TABLE_H_
