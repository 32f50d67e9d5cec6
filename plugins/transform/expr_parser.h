// Recursive-descent parser for the transform expression language (see
// docs/plugins/transform.md). Precedence, loosest first: or; and; not; comparisons, is null,
// in, between; ||; + -; * /; unary minus.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_PARSER_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_PARSER_H_

#include <string_view>

#include "expr_ast.h"

namespace sluice::transform {

struct ParseOptions {
  /// Accept {{ templates }} as values of unknown type: the configuration is being validated
  /// before the host renders it.
  bool templates_unrendered = false;
};

/// Parses a whole expression. Besides syntax it checks what needs no input schema: that
/// functions exist and get the right number of arguments, literal arguments (a format_date
/// pattern, a date_trunc unit, a date('...') literal) and cast type names.
/// Throws ExprError.
NodePtr ParseExpression(std::string_view text, const ParseOptions& options = {});

/// Parses `name = expression`. Throws ExprError.
Assignment ParseAssignment(std::string_view text, const ParseOptions& options = {});

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_PARSER_H_
