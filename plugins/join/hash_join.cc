#include "hash_join.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "join_lane.h"
#include "join_plan.h"

namespace sluice::join {
namespace {

/// Threads for a join whose `from` chunks are independent: the machine's cores, at most 4
/// (beyond that the writer, which takes every chunk in turn, is the limit).
size_t LaneCount(const JoinPlan& plan) {
  if (!plan.ChunksAreIndependent()) return 1;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::min<size_t>({cores, 4, plan.table(0).chunk_count()});
}

/// Several lanes take chunks of the `from` input in order and join each into its own buffer;
/// this thread writes the buffers in chunk order, so the output is exactly the one-lane
/// output. At most two chunks per lane wait to be written, which bounds memory. Written
/// buffers go back to a pool: their memory is reused, not returned to the system and
/// faulted in again for the next chunk.
void JoinChunksInParallel(const JoinPlan& plan, size_t lanes, dataset::Writer& writer) {
  const uint32_t chunks = static_cast<uint32_t>(plan.table(0).chunk_count());
  const uint32_t window = static_cast<uint32_t>(2 * lanes);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::unique_ptr<BufferSink>> joined(chunks);  // done, not yet written
  std::vector<std::unique_ptr<BufferSink>> pool;           // written, free for reuse
  uint32_t next = 0, written = 0;
  bool stop = false;
  std::exception_ptr failure;

  const auto work = [&] {
    Lane lane(plan);
    for (;;) {
      uint32_t chunk = 0;
      std::unique_ptr<BufferSink> sink;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= chunks || next < written + window; });
        if (stop || next >= chunks) return;
        chunk = next++;
        if (!pool.empty()) {
          sink = std::move(pool.back());
          pool.pop_back();
        }
      }
      if (!sink) sink = std::make_unique<BufferSink>(plan.outputs());
      // Unique keys and no right join: a chunk yields at most one row per row.
      sink->Reserve(static_cast<size_t>(plan.table(0).Chunk(chunk).row_count()));
      try {
        lane.JoinFromChunk(chunk, sink.get());
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        changed.notify_all();
        return;
      }
      std::lock_guard lock(mutex);
      joined[chunk] = std::move(sink);
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < lanes; ++i) threads.emplace_back(work);
  try {
    while (written < chunks) {
      std::unique_ptr<BufferSink> sink;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || joined[written] != nullptr; });
        if (stop) break;
        sink = std::move(joined[written]);
      }
      sink->WriteTo(writer);
      sink->Clear();
      std::lock_guard lock(mutex);
      pool.push_back(std::move(sink));
      ++written;
      changed.notify_all();
    }
  } catch (...) {  // the writer failed (a full disk): stop the lanes before leaving
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    changed.notify_all();
  }
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

JoinStats RunJoin(const JoinSpec& spec, const std::vector<std::string>& dataset_paths,
                  const std::string& output_path, const dataset::WriterOptions& options) {
  const JoinPlan plan(spec, dataset_paths);
  dataset::Writer writer(output_path, plan.OutputSchema(), options);
  if (const size_t lanes = LaneCount(plan); lanes > 1) {
    JoinChunksInParallel(plan, lanes, writer);
  } else {
    Lane lane(plan);
    WriterSink sink(&writer, plan.outputs());
    for (uint32_t c = 0; c < plan.table(0).chunk_count(); ++c) lane.JoinFromChunk(c, &sink);
    lane.EmitUnmatched(&sink);
  }
  JoinStats stats;
  stats.rows_in = plan.RowsIn();
  stats.rows_out = writer.row_count();
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::join
