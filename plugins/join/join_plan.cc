#include "join_plan.h"

#include "join_key.h"
#include "sluice/plugin.hpp"

namespace sluice::join {

JoinPlan::JoinPlan(const JoinSpec& spec, const std::vector<std::string>& paths) : spec_(spec) {
  for (size_t i = 0; i < spec.inputs.size(); ++i) {
    const InputSpec& in = spec.inputs[i];
    tables_.push_back(std::make_unique<InputTable>(in.alias + " (" + in.task_id + ")", paths[i]));
  }
  ResolveKeys();
  std::vector<InputTable*> tables;
  for (auto& t : tables_) tables.push_back(t.get());
  outputs_ = ResolveOutputColumns(spec, tables);
  builds_.resize(width());
  for (size_t i = 1; i < width(); ++i) {
    const JoinType type = spec.inputs[i].type;
    builds_[i] = std::make_unique<BuildSide>(tables_[i].get(), build_columns_[i],
                                             type == JoinType::kRight || type == JoinType::kFull);
  }
  fold_ = DimensionFold::TryBuild(*this);
}

void JoinPlan::ResolveKeys() {
  probe_columns_.resize(width());
  build_columns_.resize(width());
  for (size_t s = 1; s < width(); ++s) {
    const InputSpec& in = spec_.inputs[s];
    const std::string at = in.config_path + "/on";
    for (const KeyPair& pair : in.keys) {
      size_t probe_input = 0;
      while (spec_.inputs[probe_input].alias != pair.probe.alias) ++probe_input;
      const size_t probe_column = tables_[probe_input]->ColumnIndex(pair.probe.column, at);
      const size_t build_column = tables_[s]->ColumnIndex(pair.build.column, at);
      const dataset::Column& p = tables_[probe_input]->schema()[probe_column];
      const dataset::Column& b = tables_[s]->schema()[build_column];
      if (std::string why = KeyTypeMismatch(p, b); !why.empty()) {
        throw sdk::Failure("cannot join " + pair.probe.alias + "." + p.name + " (" + dataset::TypeName(p) +
                               ") with " + pair.build.alias + "." + b.name + " (" + dataset::TypeName(b) +
                               "): " + why + "; cast one of them in a `transform` task first",
                           at);
      }
      probe_columns_[s].push_back({probe_input, probe_column});
      build_columns_[s].push_back(build_column);
    }
  }
}

JoinPlan::~JoinPlan() = default;

void JoinPlan::PrefetchProbeKey(size_t s, const RowRef* tuple) const {
  for (const ProbeColumn& column : probe_columns_[s]) {
    const RowRef ref = tuple[column.input];
    if (!ref.is_null()) tables_[column.input]->Chunk(ref.chunk).column(column.column).Prefetch(ref.row);
  }
}

bool JoinPlan::ReadProbeKey(size_t s, const RowRef* tuple, KeyValue* key, uint64_t* hash) const {
  const std::vector<ProbeColumn>& columns = probe_columns_[s];
  uint64_t h = 0;
  for (size_t k = 0; k < columns.size(); ++k) {
    const RowRef ref = tuple[columns[k].input];
    if (ref.is_null()) return false;
    const dataset::ColumnView& view = tables_[columns[k].input]->Chunk(ref.chunk).column(columns[k].column);
    if (view.IsNull(ref.row)) return false;
    key[k] = ReadKey(view, ref.row);
    h = MixKey(h, key[k].bits);
  }
  *hash = h;
  return true;
}

dataset::Schema JoinPlan::OutputSchema() const {
  dataset::Schema schema;
  for (const OutputColumn& oc : outputs_) schema.push_back(oc.as);
  return schema;
}

int64_t JoinPlan::RowsIn() const {
  int64_t rows = 0;
  for (const auto& t : tables_) rows += t->row_count();
  return rows;
}

bool JoinPlan::ChunksAreIndependent() const {
  for (size_t s = 1; s < width(); ++s) {
    const JoinType type = spec_.inputs[s].type;
    if (type == JoinType::kRight || type == JoinType::kFull || !builds_[s]->unique_keys()) return false;
  }
  return true;
}

}  // namespace sluice::join
