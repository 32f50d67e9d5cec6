#include "string_dictionary.h"

#include <functional>

namespace sluice::parquet {
namespace {

constexpr size_t kInitialSlots = 1024;

}  // namespace

StringDictionary::StringDictionary() : slots_(kInitialSlots, kEmpty) {}

uint32_t StringDictionary::IndexOf(std::string_view value) {
  const uint64_t hash = std::hash<std::string_view>{}(value);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const uint32_t index = slots_[slot];
    if (index == kEmpty) {
      const auto added = static_cast<uint32_t>(entries_.size());
      slots_[slot] = added;
      entries_.push_back(value);
      hashes_.push_back(hash);
      plain_bytes_ += 4 + value.size();
      // Keep the table at most half full so probes stay short.
      if (entries_.size() * 2 > slots_.size()) Grow();
      return added;
    }
    if (hashes_[index] == hash && entries_[index] == value) return index;
  }
}

void StringDictionary::Grow() {
  slots_.assign(slots_.size() * 2, kEmpty);
  const size_t mask = slots_.size() - 1;
  for (uint32_t index = 0; index < entries_.size(); ++index) {
    size_t slot = hashes_[index] & mask;
    while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
    slots_[slot] = index;
  }
}

void StringDictionary::Clear() {
  slots_.assign(kInitialSlots, kEmpty);
  hashes_.clear();
  entries_.clear();
  plain_bytes_ = 0;
}

}  // namespace sluice::parquet
