// Nodes for the built-in functions. Argument types are checked by the compiler; literal
// arguments (patterns, units, digits) were checked by the parser.
#ifndef SLUICE_PLUGINS_TRANSFORM_FUNCTION_NODES_H_
#define SLUICE_PLUGINS_TRANSFORM_FUNCTION_NODES_H_

#include <string>
#include <vector>

#include "compiled_expr.h"
#include "date_functions.h"

namespace sluice::transform {

/// REQUIRES: a date or timestamp; CheckDatePattern(pattern) is empty.
ExprPtr MakeFormatDate(ExprPtr value, std::string pattern, size_t begin, size_t end);
/// REQUIRES: a date or timestamp. Returns the same type.
ExprPtr MakeDateTrunc(TruncUnit unit, ExprPtr value, size_t begin, size_t end);
/// REQUIRES: every argument has `type` (the compiler casts them first).
ExprPtr MakeCoalesce(std::vector<ExprPtr> args, ExprType type, size_t begin, size_t end);

enum class TextFunction { kUpper, kLower, kTrim };
/// upper/lower map ASCII letters and the accented Latin letters of U+00C0..U+00FE (enough for
/// Portuguese, Spanish, French names); trim removes spaces, tabs and line breaks at both ends.
ExprPtr MakeTextFunction(TextFunction function, ExprPtr value, size_t begin, size_t end);
/// Characters (UTF-8 code points), not bytes.
ExprPtr MakeLength(ExprPtr value, size_t begin, size_t end);
/// 1-based, in characters; `length` may be null (to the end). SQL semantics for a start
/// below 1 (the positions before 1 count against the length); a negative length fails.
ExprPtr MakeSubstr(ExprPtr value, ExprPtr start, ExprPtr length, size_t begin, size_t end);
/// `result` is the operand's type, or for decimals decimal(P', digits) when digits < scale.
/// Decimals round half away from zero, as SQL databases do; float64 likewise.
ExprPtr MakeRound(ExprPtr value, int digits, ExprType result, size_t begin, size_t end);
ExprPtr MakeAbs(ExprPtr value, size_t begin, size_t end);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_FUNCTION_NODES_H_
