// Types an expression against the schema its step sees and builds its executable form.
// Every type error is found here, before any row is read.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_COMPILER_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_COMPILER_H_

#include <cstddef>
#include <vector>

#include "compiled_expr.h"
#include "expr_ast.h"
#include "sluice/dataset.hpp"

namespace sluice::transform {

/// Column references resolve to indexes into `schema`, which must describe the Batch the
/// result is evaluated on; their indexes are added to *columns_read when given. Throws
/// ExprError (unknown names, with suggestions; type errors).
ExprPtr CompileExpression(const NodePtr& node, const dataset::Schema& schema,
                          std::vector<size_t>* columns_read = nullptr);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_COMPILER_H_
