// Which columns a join writes, resolved against the inputs' real schemas.
#ifndef SLUICE_PLUGINS_JOIN_OUTPUT_COLUMNS_H_
#define SLUICE_PLUGINS_JOIN_OUTPUT_COLUMNS_H_

#include <cstddef>
#include <vector>

#include "input_table.h"
#include "join_spec.h"
#include "sluice/dataset.hpp"

namespace sluice::join {

/// One output column: a column of one input, under its output name and with its type.
struct OutputColumn {
  size_t input = 0;   ///< index into JoinSpec::inputs
  size_t column = 0;  ///< index into that input's schema
  dataset::Column as; ///< output name, type of the source column
};

/// With `select`: its items in order, `alias.*` expanded to every column of that input.
/// Without: every column of every input in order. In both expansions (no `select`, and
/// `alias.*`) a name already taken by an earlier column becomes `alias_name`; a name written
/// in `select` is kept as written. Throws sdk::Failure for an unknown column (listing
/// the input's columns) or a duplicate output name.
/// REQUIRES: tables[i] is spec.inputs[i]'s dataset.
std::vector<OutputColumn> ResolveOutputColumns(const JoinSpec& spec,
                                               const std::vector<InputTable*>& tables);

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_OUTPUT_COLUMNS_H_
