#include "group_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "sluice/plugin.hpp"

namespace sluice::aggregate {
namespace {

// An order-preserving 64-bit image of a key cell: a < b implies OrderPrefix(a) <=
// OrderPrefix(b). Equal prefixes say nothing (a string's first 8 bytes, a null against the
// smallest value), so sorting compares the full cells then.
uint64_t OrderPrefix(dataset::Type type, const ValueCell& cell) {
  if (cell.null) return 0;
  switch (type) {
    case dataset::Type::kString: {
      unsigned char bytes[8] = {};
      std::memcpy(bytes, cell.text.data(), std::min<size_t>(8, cell.text.size()));
      uint64_t prefix = 0;
      for (unsigned char b : bytes) prefix = prefix << 8 | b;
      return prefix;
    }
    case dataset::Type::kFloat64:  // IEEE order: negatives flipped, positives above them
      return (cell.bits >> 63) != 0 ? ~cell.bits : cell.bits | (uint64_t{1} << 63);
    case dataset::Type::kBool: return cell.bits;
    default: return cell.bits ^ (uint64_t{1} << 63);  // two's complement to unsigned order
  }
}

}  // namespace

GroupTable::GroupTable(std::vector<dataset::Type> key_types) : key_types_(std::move(key_types)) {
  if (key_types_.empty()) group_count_ = 1;  // one group over everything, even no rows
  slots_.resize(1024);
  mask_ = slots_.size() - 1;
}

void GroupTable::Reserve(size_t groups) {
  if (key_width() == 0) return;
  keys_.reserve(groups * key_width());
  hashes_.reserve(groups);
}

uint64_t GroupTable::Hash(const ValueCell* key) const {
  uint64_t hash = 0;
  for (size_t c = 0; c < key_width(); ++c) hash = MixHash(hash, key[c].null ? 0x6e756c6cull : key[c].bits);
  return hash;
}

uint32_t GroupTable::FindOrAdd(const ValueCell* key, uint64_t hash) {
  const size_t width = key_width();
  if (width == 0) return 0;
  const uint32_t tag = Tag(hash);
  size_t slot = hash & mask_;
  while (slots_[slot].group != kNone) {
    if (slots_[slot].tag == tag) {
      const ValueCell* stored = &keys_[slots_[slot].group * width];
      bool same = true;
      for (size_t c = 0; c < width && same; ++c) same = SameCell(stored[c], key[c]);
      if (same) return slots_[slot].group;
    }
    slot = (slot + 1) & mask_;
  }
  const size_t group = hashes_.size();
  if (group >= kNone) throw sdk::Failure("more than 4294967294 groups; group by fewer columns");
  slots_[slot] = Slot{tag, static_cast<uint32_t>(group)};
  keys_.insert(keys_.end(), key, key + width);
  hashes_.push_back(hash);
  if (hashes_.size() * 2 > slots_.size()) Grow();
  return static_cast<uint32_t>(group);
}

void GroupTable::ExpectGroups(size_t groups) {
  if (key_width() == 0) return;
  const size_t wanted = std::bit_ceil(groups * 2 + 2);
  if (wanted > slots_.size()) Rehash(wanted);
}

void GroupTable::Rehash(size_t slot_count) {
  slots_.assign(slot_count, Slot{});
  mask_ = slots_.size() - 1;
  for (size_t group = 0; group < hashes_.size(); ++group) {
    size_t slot = hashes_[group] & mask_;
    while (slots_[slot].group != kNone) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{Tag(hashes_[group]), static_cast<uint32_t>(group)};
  }
}

std::vector<uint32_t> GroupTable::SortedGroups() const {
  const size_t width = key_width(), groups = group_count();
  std::vector<uint32_t> order(groups);
  if (width == 0) {
    for (size_t g = 0; g < groups; ++g) order[g] = static_cast<uint32_t>(g);
    return order;
  }
  // Sorting small records by the first two columns' prefixes keeps comparisons in cache;
  // the full keys are read only when both prefixes tie.
  struct Entry {
    uint64_t first = 0;
    uint64_t second = 0;
    uint32_t group = 0;
  };
  std::vector<Entry> entries(groups);
  for (size_t g = 0; g < groups; ++g) {
    const ValueCell* key = &keys_[g * width];
    entries[g].first = OrderPrefix(key_types_[0], key[0]);
    entries[g].second = width > 1 ? OrderPrefix(key_types_[1], key[1]) : 0;
    entries[g].group = static_cast<uint32_t>(g);
  }
  std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second != b.second) return a.second < b.second;
    for (size_t c = 0; c < width; ++c) {
      if (const int cmp = CompareCells(key_types_[c], key(a.group, c), key(b.group, c)); cmp != 0) return cmp < 0;
    }
    return false;
  });
  for (size_t i = 0; i < groups; ++i) order[i] = entries[i].group;
  return order;
}

void GroupTable::GatherKeys(size_t column, const uint32_t* groups, size_t n, ColumnSlice* out) const {
  constexpr size_t kAhead = 16;  // random reads (groups in key order): overlap them
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&keys_[groups[i + kAhead] * key_width() + column]);
    out->Set(i, key(groups[i], column));
  }
}

}  // namespace sluice::aggregate
