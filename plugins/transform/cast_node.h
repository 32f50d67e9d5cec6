// cast(x as type), the cast step, and the implicit widening the compiler inserts (int64 to
// decimal, anything numeric to float64 when float64 takes part).
#ifndef SLUICE_PLUGINS_TRANSFORM_CAST_NODE_H_
#define SLUICE_PLUGINS_TRANSFORM_CAST_NODE_H_

#include "compiled_expr.h"

namespace sluice::transform {

/// Whether any value of `from` may be cast to `to` (some values may still fail, like 'abc' to
/// int64). Dates and timestamps do not mix with numbers and bools.
bool CanCast(const ExprType& from, const ExprType& to);

/// REQUIRES: CanCast(operand->type(), to). A value that does not convert (text that does not
/// parse, a number too big for the target) fails its row naming the value. Narrowing a
/// decimal's scale or making a float64 or decimal an int64 rounds half to even.
ExprPtr MakeCast(ExprPtr operand, const ExprType& to, size_t begin, size_t end);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_CAST_NODE_H_
