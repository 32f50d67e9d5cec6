// The write half of Thrift's compact protocol, just enough to serialise Parquet's metadata
// structs (page headers and the file footer). Parquet defines its metadata in Thrift IDL
// (parquet.thrift) and stores it in this encoding; no Debian package ships a Parquet or
// Thrift-compact library for C++, so the few dozen lines are written here.
//
// Encoding, from Thrift's compact protocol specification:
//   - integers are zigzag-mapped (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...) and written as
//     unsigned LEB128 varints, 7 bits a byte, low bits first;
//   - a field starts with a header byte `delta << 4 | type`, where delta is the field id
//     minus the previous field id of the same struct (1..15); otherwise the byte is `type`
//     followed by the id as a zigzag varint;
//   - booleans have no payload: the header's type is 1 (true) or 2 (false);
//   - binary/string is a varint length followed by the bytes;
//   - a list is a byte `size << 4 | element type` (size < 15) or `0xF0 | element type`
//     followed by the size as a varint, then its elements without headers;
//   - a struct is its fields followed by a stop byte 0; a nested struct counts field ids
//     from 0 again, and its parent continues from its own last id afterwards.
//   - a union is a struct with exactly one field set.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_THRIFT_COMPACT_WRITER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_THRIFT_COMPACT_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice::parquet {

/// Type codes of the compact protocol (field headers and list headers).
enum class CompactType : uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

/// Appends compact-protocol bytes to a buffer. Fields of a struct must be written in
/// increasing id order between BeginStruct() and EndStruct(); StructField/ListStruct open a
/// nested struct that the caller closes with EndStruct(). Not thread-safe.
class CompactWriter {
 public:
  explicit CompactWriter(std::vector<uint8_t>* out) : out_(out) {}

  void BeginStruct();
  /// Writes the stop byte and returns to the enclosing struct's field ids.
  void EndStruct();

  void I16Field(int16_t id, int16_t value);
  void I32Field(int16_t id, int32_t value);
  void I64Field(int16_t id, int64_t value);
  void BoolField(int16_t id, bool value);
  void BinaryField(int16_t id, std::string_view value);
  /// Field header, then opens the nested struct. Close it with EndStruct().
  void StructField(int16_t id);
  /// Field header and list header; then write exactly `size` elements of `element`.
  void ListField(int16_t id, CompactType element, size_t size);

  // List elements (no field header).
  void I32Element(int32_t value) { AppendVarint(ZigZag(value)); }
  void BinaryElement(std::string_view value);
  /// Opens a struct element; close it with EndStruct().
  void StructElement() { BeginStruct(); }

  /// 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3: small magnitudes get short varints.
  static uint64_t ZigZag(int64_t value) {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }
  void AppendVarint(uint64_t value);

 private:
  void FieldHeader(int16_t id, CompactType type);

  std::vector<uint8_t>* out_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> enclosing_field_ids_;  // one per open struct
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_THRIFT_COMPACT_WRITER_H_
