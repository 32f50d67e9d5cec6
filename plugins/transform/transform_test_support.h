// Test helpers: an in-memory table (schema plus one Batch) built value by value, on which
// expressions and pipelines run without any file.
#ifndef SLUICE_PLUGINS_TRANSFORM_TRANSFORM_TEST_SUPPORT_H_
#define SLUICE_PLUGINS_TRANSFORM_TRANSFORM_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "column_batch.h"
#include "expr_compiler.h"
#include "expr_parser.h"
#include "sluice/dataset.hpp"

namespace sluice::transform::testing {

inline constexpr std::nullopt_t kNull = std::nullopt;

class TestTable {
 public:
  TestTable() { batch_.arena = &arena_; }
  TestTable(const TestTable&) = delete;
  TestTable& operator=(const TestTable&) = delete;

  TestTable& Int64(const std::string& name, const std::vector<std::optional<int64_t>>& values) {
    return Ints(name, ExprType::Int64(), values);
  }
  /// Decimals as text ("12.30"), parsed at the column's scale.
  TestTable& Decimal(const std::string& name, int precision, int scale,
                     const std::vector<std::optional<std::string>>& values) {
    std::vector<std::optional<int64_t>> unscaled;
    for (const auto& v : values) {
      if (!v) {
        unscaled.push_back(std::nullopt);
        continue;
      }
      int64_t parsed = 0;
      std::string error;
      EXPECT_TRUE(dataset::ParseDecimal(*v, precision, scale, &parsed, &error)) << error;
      unscaled.push_back(parsed);
    }
    return Ints(name, ExprType::Decimal(precision, scale), unscaled);
  }
  TestTable& Bool(const std::string& name, const std::vector<std::optional<bool>>& values) {
    std::vector<std::optional<int64_t>> ints;
    for (const auto& v : values) ints.push_back(v ? std::optional<int64_t>(*v ? 1 : 0) : std::nullopt);
    return Ints(name, ExprType::Bool(), ints);
  }
  TestTable& Date(const std::string& name, const std::vector<std::optional<std::string>>& values) {
    std::vector<std::optional<int64_t>> days;
    for (const auto& v : values) {
      if (!v) {
        days.push_back(std::nullopt);
        continue;
      }
      int32_t day = 0;
      std::string error;
      EXPECT_TRUE(dataset::ParseDate(*v, &day, &error)) << error;
      days.push_back(day);
    }
    return Ints(name, ExprType::Date(), days);
  }
  TestTable& Timestamp(const std::string& name, const std::vector<std::optional<std::string>>& values) {
    std::vector<std::optional<int64_t>> micros;
    for (const auto& v : values) {
      if (!v) {
        micros.push_back(std::nullopt);
        continue;
      }
      int64_t at = 0;
      std::string error;
      EXPECT_TRUE(dataset::ParseTimestamp(*v, &at, &error)) << error;
      micros.push_back(at);
    }
    return Ints(name, ExprType::Timestamp(), micros);
  }
  TestTable& Float64(const std::string& name, const std::vector<std::optional<double>>& values) {
    Vector& v = Add(name, ExprType::Float64(), values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      v.valid[i] = values[i].has_value();
      v.floats[i] = values[i].value_or(0);
    }
    return *this;
  }
  TestTable& String(const std::string& name, const std::vector<std::optional<std::string>>& values) {
    Vector& v = Add(name, ExprType::String(), values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      v.valid[i] = values[i].has_value();
      if (values[i]) v.strings[i] = strings_.emplace_back(*values[i]);
    }
    return *this;
  }

  const dataset::Schema& schema() const { return schema_; }
  Batch& batch() { return batch_; }

  /// Compiles `expression` against this table and evaluates it on every row. Throws ExprError.
  Vector Eval(const std::string& expression) {
    ExprPtr expr = CompileExpression(ParseExpression(expression), schema_);
    Vector result;
    result.CopyFrom(expr->Eval(batch_, nullptr));
    // Strings may point into the expression's literals: keep copies that outlive it.
    for (size_t i = 0; i < result.strings.size(); ++i) {
      if (result.valid[i]) result.strings[i] = strings_.emplace_back(result.strings[i]);
    }
    return result;
  }

  /// The type `expression` has against this table.
  ExprType TypeOf(const std::string& expression) {
    return CompileExpression(ParseExpression(expression), schema_)->type();
  }

 private:
  TestTable& Ints(const std::string& name, ExprType type, const std::vector<std::optional<int64_t>>& values) {
    Vector& v = Add(name, type, values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      v.valid[i] = values[i].has_value();
      v.ints[i] = values[i].value_or(0);
    }
    return *this;
  }

  Vector& Add(const std::string& name, ExprType type, size_t rows) {
    if (batch_.columns.empty()) {
      batch_.rows = static_cast<int64_t>(rows);
      for (size_t i = 0; i < rows; ++i) batch_.row_numbers.push_back(static_cast<int64_t>(i) + 1);
    }
    EXPECT_EQ(batch_.rows, static_cast<int64_t>(rows)) << "column " << name << " has another row count";
    schema_.push_back(ToColumn(name, type));
    Vector& v = batch_.columns.emplace_back();
    v.type = type;
    v.Resize(static_cast<int64_t>(rows));
    return v;
  }

  std::deque<std::string> strings_;  // stable addresses for string views
  StringArena arena_;
  Batch batch_;
  dataset::Schema schema_;
};

/// Null, or the value of row `row` as text ("12.30", "2024-01-31", "abc", "true").
inline std::optional<std::string> TextAt(const Vector& v, int64_t row) {
  if (!v.valid[row]) return std::nullopt;
  std::string text;
  AppendValueText(&text, v, row);
  return text;
}

/// Every row of `v` as TextAt gives it.
inline std::vector<std::optional<std::string>> Texts(const Vector& v) {
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < v.valid.size(); ++i) out.push_back(TextAt(v, static_cast<int64_t>(i)));
  return out;
}

}  // namespace sluice::transform::testing

#endif  // SLUICE_PLUGINS_TRANSFORM_TRANSFORM_TEST_SUPPORT_H_
