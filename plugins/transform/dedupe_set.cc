#include "dedupe_set.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace sluice::transform {

namespace {

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    h = Mix(h ^ word);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  return Mix(h ^ tail);
}

void PutWord(std::string* out, uint64_t word) {
  char bytes[8];
  std::memcpy(bytes, &word, 8);
  out->append(bytes, 8);
}

}  // namespace

void DedupeSet::EncodeKey(const Batch& batch, int64_t row) {
  key_.clear();
  for (size_t c : key_columns_) {
    const Vector& v = batch.columns[c];
    if (!v.valid[row]) {
      key_.push_back('\0');
      continue;
    }
    key_.push_back('\1');
    switch (v.type.kind) {
      case Kind::kFloat64: {
        double d = v.floats[row];
        if (d == 0) d = 0;                                     // -0.0 equals 0.0
        if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        PutWord(&key_, bits);
        break;
      }
      case Kind::kString:
        PutWord(&key_, v.strings[row].size());  // the length keeps "ab","c" apart from "a","bc"
        key_.append(v.strings[row]);
        break;
      case Kind::kNull: break;
      default: PutWord(&key_, static_cast<uint64_t>(v.ints[row])); break;
    }
  }
}

bool DedupeSet::Insert(uint64_t hash) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.size == kEmpty) {
      slot = {hash, keys_.size(), key_.size()};
      keys_.append(key_);
      if (++used_ * 2 > slots_.size()) Grow();
      return true;
    }
    if (slot.hash == hash && slot.size == key_.size() &&
        std::memcmp(keys_.data() + slot.offset, key_.data(), key_.size()) == 0) {
      return false;
    }
  }
}

void DedupeSet::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.size == kEmpty) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].size != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void DedupeSet::Mark(const Batch& batch, std::vector<uint8_t>* keep) {
  keep->resize(static_cast<size_t>(batch.rows));
  for (int64_t row = 0; row < batch.rows; ++row) {
    EncodeKey(batch, row);
    (*keep)[row] = Insert(HashBytes(key_)) ? 1 : 0;
  }
}

}  // namespace sluice::transform
