// Streams one dataset through a Pipeline into a new dataset, chunk by chunk.
#ifndef SLUICE_PLUGINS_TRANSFORM_TRANSFORM_RUN_H_
#define SLUICE_PLUGINS_TRANSFORM_TRANSFORM_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "transform_config.h"

namespace sluice::transform {

struct TransformStats {
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  uint64_t bytes_out = 0;
};

/// Plans `steps` against the input's schema (failing before any row is read when they do
/// not fit it), then transforms every chunk. Throws sdk::Failure or dataset::Error; nothing
/// appears at `output_path` unless every row was written.
TransformStats RunTransform(const std::string& input_path, const std::vector<StepSpec>& steps,
                            const std::string& output_path);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_TRANSFORM_RUN_H_
