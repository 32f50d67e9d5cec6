// The steps of one transform task, planned against the input's schema: every name resolved
// and every expression typed before the first row is read.
#ifndef SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_
#define SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_

#include <memory>
#include <vector>

#include "column_batch.h"
#include "sluice/dataset.hpp"
#include "transform_config.h"

namespace sluice::transform {

/// One planned step. Apply changes a batch laid out as the step's input schema into one laid
/// out as its output schema; it throws sdk::Failure (with the step's JSON pointer) for a row
/// it cannot compute.
class Step {
 public:
  virtual ~Step() = default;
  virtual void Apply(Batch& batch) = 0;
};

class Pipeline {
 public:
  /// Throws sdk::Failure with the JSON pointer of the first step that does not fit `input`
  /// (an unknown column, a type error), its message showing the expression and a caret.
  Pipeline(const std::vector<StepSpec>& steps, const dataset::Schema& input);

  const dataset::Schema& output_schema() const { return schema_; }

  /// Runs every step on `batch` (laid out as the input schema) in order.
  void Apply(Batch& batch) {
    for (const std::unique_ptr<Step>& step : steps_) step->Apply(batch);
  }

 private:
  dataset::Schema schema_;  // grows from the input's as steps are planned
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_
