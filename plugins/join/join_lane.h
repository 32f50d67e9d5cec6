// One thread's share of a join: streams chunks of the `from` input through every join stage
// and hands the joined rows, a slice of columns at a time, to a sink.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_LANE_H_
#define SLUICE_PLUGINS_JOIN_JOIN_LANE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "join_key.h"
#include "join_plan.h"
#include "sluice/dataset.hpp"

namespace sluice::join {

/// Where joined rows go. The lane gathers each slice of joined rows straight into the
/// storage Open() returns, then calls Commit(): no copy between lane and sink.
class RowSink {
 public:
  /// Where the next `n` rows go: value i of output column o is stored at
  /// (*columns)[o] index `at + i` (bits or text by the column's type, and present).
  struct Room {
    std::vector<dataset::ColumnValues>* columns;
    size_t at;
  };

  virtual ~RowSink() = default;
  /// Room for `n` more rows. REQUIRES: the previous Open was committed.
  virtual Room Open(size_t n) = 0;
  /// The `n` rows of the last Open are filled in.
  virtual void Commit(size_t n) = 0;
};

/// Straight into the dataset being written, a slice at a time.
class WriterSink final : public RowSink {
 public:
  WriterSink(dataset::Writer* writer, const std::vector<OutputColumn>& outputs);
  Room Open(size_t n) override;
  void Commit(size_t n) override;

 private:
  dataset::Writer* writer_;
  std::vector<dataset::ColumnValues> slice_;
};

/// Into memory: the rows of one `from` chunk joined by a worker thread, written to the
/// dataset later, in chunk order, by the thread that owns the writer. Reusable: Clear()
/// keeps the memory, so a pool of sinks stops paying page faults for every chunk.
class BufferSink final : public RowSink {
 public:
  explicit BufferSink(const std::vector<OutputColumn>& outputs);
  Room Open(size_t n) override;
  void Commit(size_t n) override { rows_ += n; }
  /// Keeps room for `rows` rows without growing again.
  void Reserve(size_t rows);
  /// Appends every buffered row to `writer` (column by column, one EndRows).
  void WriteTo(dataset::Writer& writer) const;
  /// Forgets the rows, keeping the memory.
  void Clear() { rows_ = 0; }

 private:
  const std::vector<OutputColumn>& outputs_;
  std::vector<dataset::ColumnValues> columns_;
  size_t rows_ = 0;
};

/// The batches between stages and the gathered slices of one thread. A tuple is one RowRef
/// per input (row-major in a batch); stage s joins input s to tuples holding rows of inputs
/// 0..s-1; the last stage hands them to the sink.
class Lane {
 public:
  explicit Lane(const JoinPlan& plan);

  /// Joins every row of chunk `chunk` of the `from` input.
  void JoinFromChunk(uint32_t chunk, RowSink* sink);
  /// For each right or full join in turn: its rows that no tuple matched (call once, after
  /// every chunk, on the one lane that joined them all).
  void EmitUnmatched(RowSink* sink);

 private:
  RowRef* StartTuple(std::vector<RowRef>* batch);
  void Flush(size_t s);
  void Probe(size_t s, const std::vector<RowRef>& tuples);
  void Emit(size_t s, const RowRef* tuple, RowRef joined);
  void EmitFolded(const DimensionFold& fold, const RowRef* tuple, uint32_t row, RowRef joined);
  void Write(const std::vector<RowRef>& tuples);
  void Gather(size_t o, const RowRef* tuples, size_t n, dataset::ColumnValues& into, size_t at);

  // Per stage: the keys of the tuples being probed.
  struct ProbeScratch {
    std::vector<KeyValue> keys;
    std::vector<uint64_t> hashes;
    std::vector<uint8_t> has_key;
  };

  const JoinPlan& plan_;
  const size_t width_;
  std::vector<std::vector<RowRef>> buffers_;  // tuples waiting after each stage
  std::vector<ProbeScratch> probe_scratch_;   // by stage
  RowSink* sink_ = nullptr;
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_LANE_H_
