// A typed, executable expression: a tree of nodes, each evaluating a whole chunk at once into
// a Vector it owns (so a steady stream of chunks allocates nothing after the first).
#ifndef SLUICE_PLUGINS_TRANSFORM_COMPILED_EXPR_H_
#define SLUICE_PLUGINS_TRANSFORM_COMPILED_EXPR_H_

#include <cstddef>
#include <memory>
#include <string>

#include "column_batch.h"
#include "expr_error.h"
#include "expr_type.h"

namespace sluice::transform {

class CompiledExpr {
 public:
  CompiledExpr(ExprType type, size_t begin, size_t end) : type_(type), begin_(begin), end_(end) {
    out_.type = type;
  }
  virtual ~CompiledExpr() = default;
  CompiledExpr(const CompiledExpr&) = delete;
  CompiledExpr& operator=(const CompiledExpr&) = delete;

  const ExprType& type() const { return type_; }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }

  /// Evaluates every row of `batch`. Rows where `active` is 0 (nullptr: all rows are active)
  /// are rows whose value cannot matter, such as the right side of `false and x`; they never
  /// raise an error, so `qtd <> 0 and cast(texto as int64) > 1` fails only for rows that need
  /// the cast. Throws ExprError naming the input row for a value that cannot be computed.
  /// The result is valid until the next Eval of this node or a change to `batch`.
  virtual const Vector& Eval(const Batch& batch, const uint8_t* active) = 0;

 protected:
  static bool IsActive(const uint8_t* active, int64_t row) {
    return active == nullptr || active[row] != 0;
  }
  /// Fails row `row` with "row N: what", carets under this node.
  [[noreturn]] void FailRow(const Batch& batch, int64_t row, const std::string& what) const {
    throw ExprError("row " + std::to_string(batch.row_numbers[row]) + ": " + what, begin_, end_);
  }
  /// Sizes out_ for the batch and returns it.
  Vector& Output(const Batch& batch) {
    out_.Resize(batch.rows);
    return out_;
  }

  ExprType type_;
  size_t begin_, end_;
  Vector out_;
};

using ExprPtr = std::unique_ptr<CompiledExpr>;

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_COMPILED_EXPR_H_
