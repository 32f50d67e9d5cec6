// The hash table of one joined (right) input: its rows grouped by key, held as row
// references into the mapped dataset, and which of them found a partner.
#ifndef SLUICE_PLUGINS_JOIN_BUILD_SIDE_H_
#define SLUICE_PLUGINS_JOIN_BUILD_SIDE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "input_table.h"
#include "join_key.h"

namespace sluice::join {

/// Open addressing on the key hash; each slot heads a chain of the rows with that hash, in
/// input order, so matches come out in the build input's order. Rows with a null key
/// component are left out: they never match. Memory per row: 13 bytes plus 8 per key
/// column, plus 32 to 64 bytes of slots (or 4 to 8 bytes of array for dense integer keys, 12
/// to 24 when they are unique).
class BuildSide {
 public:
  /// Reads every row of `table` and indexes it by the columns `key_columns`. `track_matches`:
  /// remember which rows found a partner (right and full joins need the others).
  /// REQUIRES: `table` outlives this; the key columns have key types (KeyTypeMismatch).
  BuildSide(InputTable* table, std::vector<size_t> key_columns, bool track_matches);

  InputTable& table() { return *table_; }
  size_t key_width() const { return key_columns_.size(); }
  /// Rows in the input, including those with null keys.
  size_t row_count() const { return refs_.size(); }
  RowRef ref(size_t row) const { return refs_[row]; }

  /// Calls `visit(row, ref)` (the row's index in input order and where it lives) for each
  /// row whose key equals `key` (key_width() components with hash `hash`), in input order;
  /// marks it matched when tracking matches.
  template <typename Visit>
  void ForEachMatch(uint64_t hash, const KeyValue* key, Visit&& visit) {
    if (!unique_direct_.empty()) {  // one random read when ids are dense and unique
      const uint64_t offset = key[0].bits - static_cast<uint64_t>(direct_min_);
      if (offset >= unique_direct_.size()) return;
      const DirectEntry entry = unique_direct_[offset];
      if (entry.row != kNone && (key_columns_.size() == 1 || KeyEquals(entry.row, key, 1))) {
        Visit1(entry.row, entry.ref, visit);
      }
      return;
    }
    if (!direct_heads_.empty()) {
      const uint64_t offset = key[0].bits - static_cast<uint64_t>(direct_min_);
      if (offset >= direct_heads_.size()) return;
      for (uint32_t row = direct_heads_[offset]; row != kNone; row = next_[row]) {
        if (key_columns_.size() == 1 || KeyEquals(row, key, 1)) Visit1(row, refs_[row], visit);
      }
      return;
    }
    size_t slot = hash & mask_;
    while (slots_[slot].head != kNone) {
      if (slots_[slot].hash == hash) {
        for (uint32_t row = slots_[slot].head; row != kNone; row = next_[row]) {
          if (hash_is_key_ || KeyEquals(row, key, 0)) Visit1(row, refs_[row], visit);
        }
        return;
      }
      slot = (slot + 1) & mask_;
    }
  }

  /// Starts loading where ForEachMatch(hash, key) will look, so that a lookup a few tuples
  /// later finds it in cache.
  void Prefetch(uint64_t hash, const KeyValue* key) const {
    if (!unique_direct_.empty()) {
      const uint64_t offset = key[0].bits - static_cast<uint64_t>(direct_min_);
      if (offset < unique_direct_.size()) __builtin_prefetch(&unique_direct_[offset]);
    } else if (!direct_heads_.empty()) {
      const uint64_t offset = key[0].bits - static_cast<uint64_t>(direct_min_);
      if (offset < direct_heads_.size()) __builtin_prefetch(&direct_heads_[offset]);
    } else {
      __builtin_prefetch(&slots_[hash & mask_]);
    }
  }

  /// No key has two rows (the build side is keyed like a dimension table by its id).
  bool unique_keys() const { return unique_keys_; }

  /// REQUIRES: tracking matches.
  bool matched(size_t row) const { return matched_[row] != 0; }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  struct Slot {
    uint64_t hash = 0;
    uint32_t head = kNone;
    uint32_t tail = kNone;
  };

  template <typename Visit>
  void Visit1(uint32_t row, RowRef ref, Visit& visit) {
    if (track_matches_) matched_[row] = 1;
    visit(row, ref);
  }
  // Whether components `from`.. of row `row`'s key equal key[from..].
  bool KeyEquals(uint32_t row, const KeyValue* key, size_t from) const;
  // Indexes rows by key hash (any key).
  void BuildHashed(const std::vector<uint8_t>& has_key);
  // Indexes rows by (first key component - min) when that component is an integer whose
  // values span less than about twice the row count (ids): an array small enough to stay in
  // cache and no hashing. Returns false, doing nothing, otherwise.
  bool TryBuildDirect(const std::vector<uint8_t>& has_key);

  InputTable* table_;
  std::vector<size_t> key_columns_;
  bool track_matches_;
  bool unique_keys_ = false;
  // One fixed-width key column: MixKey is a bijection of the value then, so equal hashes
  // mean equal keys and the rows need not be read again.
  bool hash_is_key_ = false;
  std::vector<uint8_t> key_is_string_;  // by key component
  std::vector<uint64_t> key_bits_;  // row-major: each row's KeyValue::bits per component
  std::vector<RowRef> refs_;     // by row index in input order
  std::vector<uint32_t> next_;   // chain of rows with the same hash
  std::vector<uint8_t> matched_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<uint32_t> direct_heads_;  // by key - direct_min_; empty unless direct
  int64_t direct_min_ = 0;
  // Direct, and no key has two rows (primary keys): each slot holds its row and where it
  // lives, so a lookup reads one slot instead of a head, a chain link and a reference.
  struct DirectEntry {
    RowRef ref;
    uint32_t row = kNone;
  };
  std::vector<DirectEntry> unique_direct_;  // by key - direct_min_; replaces direct_heads_
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_BUILD_SIDE_H_
