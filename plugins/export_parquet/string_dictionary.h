// The distinct strings of one column chunk, for dictionary encoding.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_STRING_DICTIONARY_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_STRING_DICTIONARY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice::parquet {

/// Maps each distinct string to its index in order of first appearance. Holds views, not
/// copies: the strings must outlive the dictionary (they point into the mapped dataset).
/// Open addressing in one flat table, so adding a value allocates nothing except when the
/// table grows.
class StringDictionary {
 public:
  StringDictionary();

  /// The index of `value`, adding it when new.
  uint32_t IndexOf(std::string_view value);
  size_t size() const { return entries_.size(); }
  const std::vector<std::string_view>& entries() const { return entries_; }
  /// Bytes of the PLAIN-encoded dictionary page: 4-byte length + bytes per entry.
  size_t plain_bytes() const { return plain_bytes_; }
  void Clear();

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  void Grow();

  std::vector<uint32_t> slots_;  // entry index or kEmpty; size is a power of two
  std::vector<uint64_t> hashes_;  // per entry, so growing does not rehash the strings
  std::vector<std::string_view> entries_;
  size_t plain_bytes_ = 0;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_STRING_DICTIONARY_H_
