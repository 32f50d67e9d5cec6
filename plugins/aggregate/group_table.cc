#include "group_table.h"

#include <algorithm>
#include <numeric>

#include "sluice/plugin.hpp"

namespace sluice::aggregate {

GroupTable::GroupTable(std::vector<dataset::Type> key_types) : key_types_(std::move(key_types)) {
  if (key_types_.empty()) group_count_ = 1;  // one group over everything, even no rows
  slots_.resize(1024);
  mask_ = slots_.size() - 1;
}

uint64_t GroupTable::Hash(const ValueCell* key) const {
  uint64_t hash = 0;
  for (size_t c = 0; c < key_width(); ++c) hash = MixHash(hash, key[c].null ? 0x6e756c6cull : key[c].bits);
  return hash;
}

uint32_t GroupTable::FindOrAdd(const ValueCell* key, uint64_t hash) {
  const size_t width = key_width();
  if (width == 0) return 0;
  size_t slot = hash & mask_;
  while (slots_[slot].group != kNone) {
    if (slots_[slot].hash == hash) {
      const ValueCell* stored = &keys_[slots_[slot].group * width];
      bool same = true;
      for (size_t c = 0; c < width && same; ++c) same = SameCell(stored[c], key[c]);
      if (same) return slots_[slot].group;
    }
    slot = (slot + 1) & mask_;
  }
  const size_t group = hashes_.size();
  if (group >= kNone) throw sdk::Failure("more than 4294967294 groups; group by fewer columns");
  slots_[slot] = Slot{hash, static_cast<uint32_t>(group)};
  keys_.insert(keys_.end(), key, key + width);
  hashes_.push_back(hash);
  if (hashes_.size() * 2 > slots_.size()) Grow();
  return static_cast<uint32_t>(group);
}

void GroupTable::Grow() {
  slots_.assign(slots_.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (size_t group = 0; group < hashes_.size(); ++group) {
    size_t slot = hashes_[group] & mask_;
    while (slots_[slot].group != kNone) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{hashes_[group], static_cast<uint32_t>(group)};
  }
}

std::vector<uint32_t> GroupTable::SortedGroups() const {
  std::vector<uint32_t> order(group_count());
  std::iota(order.begin(), order.end(), 0u);
  const size_t width = key_width();
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t c = 0; c < width; ++c) {
      if (const int cmp = CompareCells(key_types_[c], key(a, c), key(b, c)); cmp != 0) return cmp < 0;
    }
    return false;
  });
  return order;
}

}  // namespace sluice::aggregate
