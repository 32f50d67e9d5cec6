// Nodes for values, operators and logic. The factories take operands already typed by the
// compiler (expr_compiler.cc), which decides the result type; they only build.
#ifndef SLUICE_PLUGINS_TRANSFORM_OPERATOR_NODES_H_
#define SLUICE_PLUGINS_TRANSFORM_OPERATOR_NODES_H_

#include <string>

#include "compiled_expr.h"
#include "expr_ast.h"

namespace sluice::transform {

ExprPtr MakeColumnRef(size_t column, ExprType type, size_t begin, size_t end);

/// A constant. `type` may differ from the literal's own type only for null (a null typed by
/// its context). Decimal literals are given as their unscaled value.
ExprPtr MakeLiteral(ExprType type, int64_t int_value, std::string text, size_t begin, size_t end);

/// A null of `type`, standing for an operand whose type was the bare `null`.
ExprPtr MakeNullOf(ExprType type, size_t begin, size_t end);

enum class ArithmeticOp { kAdd, kSubtract, kMultiply, kDivide };

/// `result` is int64 (both operands int64), float64 (operands already float64) or decimal
/// (operands int64 or decimal; see the scale rules in docs/plugins/transform.md).
ExprPtr MakeArithmetic(ArithmeticOp op, ExprType result, ExprPtr left, ExprPtr right, size_t begin,
                       size_t end);
ExprPtr MakeNegate(ExprPtr operand, size_t begin, size_t end);
/// Joins the text of two values; non-strings are formatted as the dataset formats them.
ExprPtr MakeConcat(ExprPtr left, ExprPtr right, size_t begin, size_t end);

enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// REQUIRES: both numeric, or both of the same kind.
ExprPtr MakeCompare(CompareOp op, ExprPtr left, ExprPtr right, size_t begin, size_t end);

/// SQL three-valued logic. REQUIRES: bool operands.
ExprPtr MakeAnd(ExprPtr left, ExprPtr right, size_t begin, size_t end);
ExprPtr MakeOr(ExprPtr left, ExprPtr right, size_t begin, size_t end);
ExprPtr MakeNot(ExprPtr operand, size_t begin, size_t end);
ExprPtr MakeIsNull(ExprPtr operand, bool negated, size_t begin, size_t end);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_OPERATOR_NODES_H_
