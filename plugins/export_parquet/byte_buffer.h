// A growable byte buffer for the encoders' hot loops.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_BYTE_BUFFER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_BYTE_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace sluice::parquet {

/// Unlike std::vector<uint8_t>::resize, appending never zero-fills first, and clear() keeps
/// the memory, so a buffer reused page after page settles at its largest size and then
/// costs one memcpy per value.
class ByteBuffer {
 public:
  const uint8_t* data() const { return data_.get(); }
  uint8_t* data() { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }

  void Append(const void* bytes, size_t n) {
    Reserve(size_ + n);
    if (n > 0) std::memcpy(data_.get() + size_, bytes, n);
    size_ += n;
  }
  void PushBack(uint8_t byte) {
    Reserve(size_ + 1);
    data_[size_++] = byte;
  }
  /// Little-endian, which is also the host's order (dataset.hpp refuses big-endian hosts).
  template <typename T>
  void AppendLe(T value) {
    Append(&value, sizeof value);
  }
  uint8_t& back() { return data_[size_ - 1]; }

  /// Makes room for `capacity` bytes in total; the contents are kept.
  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    const size_t grown = std::max(capacity, capacity_ * 2);
    std::unique_ptr<uint8_t[]> bigger(new uint8_t[grown]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }
  /// Sets the size after the caller wrote into [data(), data() + size). REQUIRES: size is
  /// within the reserved capacity.
  void SetSize(size_t size) { size_ = size; }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_BYTE_BUFFER_H_
