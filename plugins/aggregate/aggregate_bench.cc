// Times the monthly aggregates of the main job at production size: 1M movements into about
// 100k (associado, month) groups, the seven functions of the docs' example. Prints seconds;
// asserts nothing.
//   aggregate_bench [folder]   (default: a fresh folder under /tmp, removed afterwards)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "aggregate_config.h"
#include "hash_aggregate.h"
#include "sluice/dataset.hpp"

namespace ds = sluice::dataset;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const bool own_dir = argc < 2;
  const fs::path dir = own_dir ? fs::temp_directory_path() / ("sluice-aggregate-bench-" + std::to_string(::getpid()))
                               : fs::path(argv[1]);
  fs::create_directories(dir);
  const std::string input = (dir / "movimento_agg.sds").string();
  if (!fs::exists(input)) {
    std::mt19937_64 rng(7);
    ds::Writer w(input, {{"id_associado", ds::Type::kInt64}, {"data_movimento", ds::Type::kTimestamp},
                         {"vlr_transacao", ds::Type::kDecimal, 10, 2}, {"id_cartao", ds::Type::kInt64}});
    const int64_t year_start = 1'704'067'200'000'000;  // 2024-01-01 00:00:00 UTC
    for (int64_t i = 0; i < 1'000'000; ++i) {
      w.AppendInt64(0, 1 + static_cast<int64_t>(rng() % 8'400));
      w.AppendTimestamp(1, year_start + static_cast<int64_t>(rng() % (366ull * 86'400'000'000ull)));
      w.AppendDecimal(2, static_cast<int64_t>(rng() % 1'000'000) - 100'000);
      w.AppendInt64(3, 1 + static_cast<int64_t>(rng() % 150'000));
      w.EndRow();
    }
    w.Finish();
  }
  const nlohmann::json config = nlohmann::json::parse(R"json({
    "group_by": ["id_associado", {"column": "data_movimento", "bucket": "month", "as": "mes"}],
    "aggregates": ["qtd_transacoes = count(*)", "vlr_total = sum(vlr_transacao)", "vlr_medio = avg(vlr_transacao)",
                   "vlr_min = min(vlr_transacao)", "vlr_max = max(vlr_transacao)",
                   "n_cartoes = count_distinct(id_cartao)", "n_valores = count(vlr_transacao)"]})json");
  const sluice::aggregate::AggregateTaskSpec spec = sluice::aggregate::ParseAggregateConfig(config);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const auto stats = sluice::aggregate::RunAggregate(spec, input, (dir / "mensal.sds").string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf("aggregate: %lld rows in, %lld groups out, %llu bytes, %.3f s wall (%.3f s CPU)\n",
              static_cast<long long>(stats.rows_in), static_cast<long long>(stats.groups_out),
              static_cast<unsigned long long>(stats.bytes_out), seconds, cpu);
  if (own_dir) fs::remove_all(dir);
  return 0;
}
