// The syntax tree of one expression, as the parser builds it and the compiler types it.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_AST_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_AST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expr_type.h"

namespace sluice::transform {

enum class Op {
  kLiteral,   ///< `literal_type` and `int_value` / `text`
  kTemplate,  ///< an unrendered {{ ... }}; only at validation
  kColumn,    ///< `name`
  kNegate,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kConcat,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kNot,
  kIsNull,
  kIsNotNull,
  kCall,  ///< `name` is the function, `args` its arguments
  kCast,  ///< `args[0]` cast to `cast_type`
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  Op op = Op::kLiteral;
  size_t begin = 0;  ///< the node's span in the expression text, for error carets
  size_t end = 0;
  std::string name;
  ExprType literal_type;  ///< literals: null, int64, decimal(P,S), string or bool
  int64_t int_value = 0;  ///< int64, decimal (unscaled) and bool (0/1) literals
  std::string text;       ///< string literals
  ExprType cast_type;
  std::vector<NodePtr> args;
};

/// `name = expression`, one item of a derive step.
struct Assignment {
  std::string name;
  size_t name_begin = 0, name_end = 0;
  NodePtr value;
};

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_AST_H_
