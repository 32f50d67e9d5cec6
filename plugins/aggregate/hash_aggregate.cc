#include "hash_aggregate.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "accumulator.h"
#include "column_slice.h"
#include "group_table.h"
#include "sluice/plugin.hpp"
#include "value_cell.h"

namespace sluice::aggregate {
namespace {

size_t ColumnIndex(const dataset::Reader& reader, const std::string& column, const std::string& config_path) {
  const dataset::Schema& schema = reader.schema();
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema[i].name == column) return i;
  }
  std::string names;
  for (const dataset::Column& c : schema) names += (names.empty() ? "" : ", ") + c.name;
  throw sdk::Failure("column '" + column + "' is not in the input; its columns are: " + names, config_path);
}

// A group column: where it comes from and how it is bucketed.
struct GroupColumn {
  size_t index = 0;
  Bucket bucket = Bucket::kNone;
  dataset::Type source_type = dataset::Type::kString;
  dataset::Column output;
  // The last bucketed day and its result: consecutive rows usually share a day.
  int64_t last_day = std::numeric_limits<int64_t>::min();
  int64_t last_bucket = 0;
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The first day of the bucket that day `days` (since 1970-01-01) falls in.
int64_t BucketStart(int64_t days, Bucket bucket) {
  using namespace std::chrono;
  if (bucket == Bucket::kDay) return days;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  const year_month_day start = bucket == Bucket::kMonth ? ymd.year() / ymd.month() / 1 : ymd.year() / January / 1;
  return sys_days{start}.time_since_epoch().count();
}

ValueCell ReadGroupCell(GroupColumn& group, const dataset::ColumnView& view, int64_t row) {
  ValueCell cell = ReadCell(view, row);
  if (group.bucket == Bucket::kNone || cell.null) return cell;
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  const int64_t value = static_cast<int64_t>(cell.bits);
  const int64_t day = group.source_type == dataset::Type::kTimestamp ? FloorDiv(value, kMicrosPerDay) : value;
  if (day != group.last_day) {
    group.last_day = day;
    group.last_bucket = BucketStart(day, group.bucket);
  }
  cell.bits = static_cast<uint64_t>(group.last_bucket);
  return cell;
}

std::vector<GroupColumn> ResolveGroups(const AggregateTaskSpec& spec, const dataset::Reader& reader) {
  std::vector<GroupColumn> groups;
  for (const GroupSpec& g : spec.group_by) {
    GroupColumn column;
    column.index = ColumnIndex(reader, g.column, g.config_path);
    column.bucket = g.bucket;
    const dataset::Column& source = reader.schema()[column.index];
    column.source_type = source.type;
    column.output = source;
    column.output.name = g.output_name;
    if (g.bucket != Bucket::kNone) {
      if (source.type != dataset::Type::kDate && source.type != dataset::Type::kTimestamp) {
        throw sdk::Failure("column '" + g.column + "' is " + dataset::TypeName(source) +
                               "; a bucket needs a date or timestamp column (drop `bucket` to group by its values)",
                           g.config_path);
      }
      column.output.type = dataset::Type::kDate;
      column.output.precision = column.output.scale = 0;
    }
    groups.push_back(std::move(column));
  }
  return groups;
}

std::vector<Accumulator> ResolveAggregates(const AggregateTaskSpec& spec, const dataset::Reader& reader) {
  std::vector<Accumulator> accumulators;
  for (const AggregateSpec& a : spec.aggregates) {
    if (a.function == Function::kCountAll) {
      accumulators.emplace_back(a, std::nullopt, nullptr);
      continue;
    }
    const size_t index = ColumnIndex(reader, a.column, a.config_path);
    accumulators.emplace_back(a, index, &reader.schema()[index]);
  }
  return accumulators;
}

}  // namespace

AggregateStats RunAggregate(const AggregateTaskSpec& spec, const std::string& input_path,
                            const std::string& output_path, const dataset::WriterOptions& options) {
  const dataset::Reader reader(input_path);
  std::vector<GroupColumn> group_columns = ResolveGroups(spec, reader);
  std::vector<Accumulator> accumulators = ResolveAggregates(spec, reader);
  dataset::Schema schema;
  std::vector<dataset::Type> key_types;
  for (const GroupColumn& g : group_columns) {
    schema.push_back(g.output);
    key_types.push_back(g.output.type);
  }
  for (const Accumulator& a : accumulators) schema.push_back(a.output_column());
  dataset::Writer writer(output_path, std::move(schema), options);

  GroupTable table(std::move(key_types));
  const size_t width = group_columns.size();
  // At most one group per row; reserving that much address space (capped) keeps the key
  // store and the aggregate states from being copied as they grow.
  constexpr int64_t kReserveCap = int64_t{1} << 22;
  const size_t expected = static_cast<size_t>(std::min(std::max<int64_t>(reader.row_count(), 1), kReserveCap));
  table.Reserve(expected);
  for (Accumulator& a : accumulators) a.Reserve(expected);
  // Per chunk: every row's key and hash first, then the lookups, each prefetching the slot
  // of a row kLookahead ahead so that cache misses overlap.
  constexpr size_t kLookahead = 8;
  std::vector<ValueCell> keys;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> groups;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const dataset::ChunkView chunk = reader.chunk(c);
    const size_t rows = static_cast<size_t>(chunk.row_count());
    keys.resize(rows * width);
    hashes.resize(rows);
    groups.resize(rows);
    for (size_t k = 0; k < width; ++k) {
      const dataset::ColumnView& view = chunk.column(group_columns[k].index);
      for (size_t r = 0; r < rows; ++r) {
        keys[r * width + k] = ReadGroupCell(group_columns[k], view, static_cast<int64_t>(r));
      }
    }
    for (size_t r = 0; r < rows; ++r) hashes[r] = table.Hash(keys.data() + r * width);
    for (size_t r = 0; r < rows; ++r) {
      if (r + kLookahead < rows) table.Prefetch(hashes[r + kLookahead]);
      groups[r] = table.FindOrAdd(keys.data() + r * width, hashes[r]);
    }
    for (Accumulator& a : accumulators) {
      a.Grow(table.group_count());
      a.Update(chunk, groups.data());
    }
    // Many groups in the first chunk (ids by month, say): expect the same share of groups in
    // the rest and size the table once rather than doubling it step by step.
    if (c == 0 && width > 0 && rows > 0 && table.group_count() * 2 > rows) {
      const double share = static_cast<double>(table.group_count()) / static_cast<double>(rows);
      table.ExpectGroups(static_cast<size_t>(share * static_cast<double>(expected)));
    }
  }
  for (Accumulator& a : accumulators) {
    a.Grow(table.group_count());
    a.Finish();
  }

  // The groups in key order, a slice at a time: each output column's values are gathered
  // for the slice (independent reads whose cache misses overlap), then appended in one call.
  const std::vector<uint32_t> order = table.SortedGroups();
  constexpr size_t kSlice = 4096;
  ColumnSlice slice(kSlice);
  for (size_t first = 0; first < order.size(); first += kSlice) {
    const size_t n = std::min(kSlice, order.size() - first);
    const uint32_t* slice_groups = order.data() + first;
    for (size_t k = 0; k < width; ++k) {
      table.GatherKeys(k, slice_groups, n, &slice);
      slice.AppendTo(writer, k, n);
    }
    for (size_t a = 0; a < accumulators.size(); ++a) {
      accumulators[a].Gather(slice_groups, n, &slice);
      slice.AppendTo(writer, width + a, n);
    }
    writer.EndRows(n);
  }
  AggregateStats stats;
  stats.rows_in = reader.row_count();
  stats.groups_out = writer.row_count();
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::aggregate
