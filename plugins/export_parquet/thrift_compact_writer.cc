#include "thrift_compact_writer.h"

#include <cassert>

namespace sluice::parquet {

void CompactWriter::BeginStruct() {
  enclosing_field_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void CompactWriter::EndStruct() {
  assert(!enclosing_field_ids_.empty());
  out_->push_back(0);  // stop field
  last_field_id_ = enclosing_field_ids_.back();
  enclosing_field_ids_.pop_back();
}

void CompactWriter::AppendVarint(uint64_t value) {
  while (value >= 0x80) {
    out_->push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out_->push_back(static_cast<uint8_t>(value));
}

void CompactWriter::FieldHeader(int16_t id, CompactType type) {
  assert(id > last_field_id_);
  const int delta = id - last_field_id_;
  if (delta <= 15) {
    out_->push_back(static_cast<uint8_t>(delta << 4 | static_cast<uint8_t>(type)));
  } else {
    out_->push_back(static_cast<uint8_t>(type));
    AppendVarint(ZigZag(id));
  }
  last_field_id_ = id;
}

void CompactWriter::I16Field(int16_t id, int16_t value) {
  FieldHeader(id, CompactType::kI16);
  AppendVarint(ZigZag(value));
}

void CompactWriter::I32Field(int16_t id, int32_t value) {
  FieldHeader(id, CompactType::kI32);
  AppendVarint(ZigZag(value));
}

void CompactWriter::I64Field(int16_t id, int64_t value) {
  FieldHeader(id, CompactType::kI64);
  AppendVarint(ZigZag(value));
}

void CompactWriter::BoolField(int16_t id, bool value) {
  FieldHeader(id, value ? CompactType::kBoolTrue : CompactType::kBoolFalse);
}

void CompactWriter::BinaryField(int16_t id, std::string_view value) {
  FieldHeader(id, CompactType::kBinary);
  BinaryElement(value);
}

void CompactWriter::BinaryElement(std::string_view value) {
  AppendVarint(value.size());
  out_->insert(out_->end(), value.begin(), value.end());
}

void CompactWriter::StructField(int16_t id) {
  FieldHeader(id, CompactType::kStruct);
  BeginStruct();
}

void CompactWriter::ListField(int16_t id, CompactType element, size_t size) {
  FieldHeader(id, CompactType::kList);
  const uint8_t type = static_cast<uint8_t>(element);
  if (size < 15) {
    out_->push_back(static_cast<uint8_t>(size << 4 | type));
  } else {
    out_->push_back(static_cast<uint8_t>(0xF0 | type));
    AppendVarint(size);
  }
}

}  // namespace sluice::parquet
