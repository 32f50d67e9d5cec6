#include "transform_run.h"

#include "column_batch.h"
#include "pipeline.h"
#include "sluice/dataset.hpp"

namespace sluice::transform {

TransformStats RunTransform(const std::string& input_path, const std::vector<StepSpec>& steps,
                            const std::string& output_path) {
  const dataset::Reader reader(input_path);
  Pipeline pipeline(steps, reader.schema());
  const std::vector<uint8_t> needed = pipeline.InputColumnsNeeded();
  dataset::Writer writer(output_path, pipeline.output_schema());
  StringArena arena;
  Batch batch;
  batch.arena = &arena;
  TransformStats stats;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    arena.Reset();  // the previous chunk's strings are written: their bytes can be reused
    LoadChunk(reader.chunk(c), reader.schema(), stats.rows_in + 1, &batch, &needed);
    stats.rows_in += batch.rows;
    pipeline.Apply(batch);
    AppendBatch(batch, &writer);
    stats.rows_out += batch.rows;
  }
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::transform
