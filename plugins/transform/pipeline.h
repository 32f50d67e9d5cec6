// The steps of one transform task, planned against the input's schema: every name resolved
// and every expression typed before the first row is read.
#ifndef SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_
#define SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_

#include <cstdint>
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
  /// Turns `needed` (a flag per column of the step's output) into the flags of the columns
  /// the step needs from its input to produce them. A step's own expressions always count:
  /// they run, and may fail, whether or not their result is kept.
  virtual void MarkNeeded(std::vector<uint8_t>* needed) const = 0;
};

class Pipeline {
 public:
  /// Throws sdk::Failure with the JSON pointer of the first step that does not fit `input`
  /// (an unknown column, a type error), its message showing the expression and a caret.
  Pipeline(const std::vector<StepSpec>& steps, const dataset::Schema& input);

  const dataset::Schema& output_schema() const { return schema_; }

  /// A flag per input column: 0 for a column no step reads and the output does not keep
  /// (dropped by a later select or drop), which need not be loaded at all.
  std::vector<uint8_t> InputColumnsNeeded() const;

  /// Runs every step on `batch` (laid out as the input schema) in order.
  void Apply(Batch& batch) {
    for (const std::unique_ptr<Step>& step : steps_) step->Apply(batch);
  }

 private:
  size_t input_width_ = 0;
  dataset::Schema schema_;  // grows from the input's as steps are planned
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_PIPELINE_H_
