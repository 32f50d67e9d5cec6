// Times the SiCooperative flat join at production size: 1M movimento x 150k cartao x
// 120k conta x 100k associado, the select of the main DAG. Prints seconds; asserts nothing.
//   join_bench [folder]   (default: a fresh folder under /tmp, removed afterwards)
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "hash_join.h"
#include "join_config.h"
#include "sluice/dataset.hpp"

namespace ds = sluice::dataset;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kAssociados = 100'000, kContas = 120'000, kCartoes = 150'000, kMovimentos = 1'000'000;

void WriteInputs(const fs::path& dir) {
  std::mt19937_64 rng(42);
  const int64_t t0 = 1'700'000'000'000'000;
  {
    ds::Writer w((dir / "associado.sds").string(), {{"id", ds::Type::kInt64}, {"nome", ds::Type::kString},
                                                   {"sobrenome", ds::Type::kString}, {"idade", ds::Type::kInt64},
                                                   {"email", ds::Type::kString}});
    for (int64_t i = 1; i <= kAssociados; ++i) {
      w.AppendInt64(0, i);
      w.AppendString(1, "Nome" + std::to_string(i % 5000));
      w.AppendString(2, "Sobrenome" + std::to_string(i % 7000));
      w.AppendInt64(3, 18 + i % 60);
      w.AppendString(4, "user" + std::to_string(i) + "@example.com");
      w.EndRow();
    }
    w.Finish();
  }
  {
    ds::Writer w((dir / "conta.sds").string(), {{"id", ds::Type::kInt64}, {"tipo", ds::Type::kString},
                                               {"data_criacao", ds::Type::kTimestamp},
                                               {"id_associado", ds::Type::kInt64}});
    for (int64_t i = 1; i <= kContas; ++i) {
      w.AppendInt64(0, i);
      w.AppendString(1, i % 2 ? "CC" : "CP");
      w.AppendTimestamp(2, t0 + i * 1'000'000);
      w.AppendInt64(3, 1 + static_cast<int64_t>(rng() % kAssociados));
      w.EndRow();
    }
    w.Finish();
  }
  std::vector<int64_t> conta_owner(kContas + 1);
  {
    const ds::Reader r((dir / "conta.sds").string());
    int64_t id = 1;
    for (size_t c = 0; c < r.chunk_count(); ++c) {
      const ds::ChunkView chunk = r.chunk(c);
      for (int64_t row = 0; row < chunk.row_count(); ++row) conta_owner[id++] = chunk.column(3).Int64At(row);
    }
  }
  {
    ds::Writer w((dir / "cartao.sds").string(), {{"id", ds::Type::kInt64}, {"num_cartao", ds::Type::kInt64},
                                                {"nom_impresso", ds::Type::kString}, {"id_conta", ds::Type::kInt64},
                                                {"id_associado", ds::Type::kInt64},
                                                {"data_criacao", ds::Type::kTimestamp}});
    for (int64_t i = 1; i <= kCartoes; ++i) {
      const int64_t conta = 1 + static_cast<int64_t>(rng() % kContas);
      w.AppendInt64(0, i);
      w.AppendInt64(1, 4'000'000 + i);
      w.AppendString(2, "NOME IMPRESSO " + std::to_string(i));
      w.AppendInt64(3, conta);
      w.AppendInt64(4, conta_owner[conta]);
      w.AppendTimestamp(5, t0 + i * 2'000'000);
      w.EndRow();
    }
    w.Finish();
  }
  {
    ds::Writer w((dir / "movimento.sds").string(), {{"id", ds::Type::kInt64}, {"vlr_transacao", ds::Type::kDecimal, 10, 2},
                                                   {"des_transacao", ds::Type::kString},
                                                   {"data_movimento", ds::Type::kTimestamp},
                                                   {"id_cartao", ds::Type::kInt64}});
    for (int64_t i = 1; i <= kMovimentos; ++i) {
      w.AppendInt64(0, i);
      w.AppendDecimal(1, static_cast<int64_t>(rng() % 1'000'000) - 100'000);
      w.AppendString(2, "compra loja " + std::to_string(i % 977));
      w.AppendTimestamp(3, t0 + i * 30'000'000);
      w.AppendInt64(4, 1 + static_cast<int64_t>(rng() % kCartoes));
      w.EndRow();
    }
    w.Finish();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool own_dir = argc < 2;
  const fs::path dir = own_dir ? fs::temp_directory_path() / ("sluice-join-bench-" + std::to_string(::getpid()))
                               : fs::path(argv[1]);
  fs::create_directories(dir);
  if (!fs::exists(dir / "movimento.sds")) WriteInputs(dir);
  const nlohmann::json config = nlohmann::json::parse(R"({
    "from": {"input": "movimento", "as": "m"},
    "join": [
      {"input": "cartao", "as": "c", "on": "m.id_cartao = c.id"},
      {"input": "conta", "as": "co", "on": "c.id_conta = co.id"},
      {"input": "associado", "as": "a", "on": "co.id_associado = a.id and c.id_associado = a.id"}
    ],
    "select": ["a.nome as nome_associado", "a.sobrenome as sobrenome_associado", "a.idade as idade_associado",
               "m.vlr_transacao as vlr_transacao_movimento", "m.des_transacao as des_transacao_movimento",
               "m.data_movimento", "c.num_cartao as numero_cartao", "c.nom_impresso as nome_impresso_cartao",
               "c.data_criacao as data_criacao_cartao", "co.tipo as tipo_conta", "co.data_criacao as data_criacao_conta"]
  })");
  const sluice::join::JoinSpec spec = sluice::join::ParseJoinConfig(config);
  std::vector<std::string> paths;
  for (const auto& input : spec.inputs) paths.push_back((dir / (input.task_id + ".sds")).string());
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const sluice::join::JoinStats stats = sluice::join::RunJoin(spec, paths, (dir / "flat.sds").string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf("join: %lld rows in, %lld rows out, %llu bytes, %.3f s wall (%.3f s CPU, all threads)\n",
              static_cast<long long>(stats.rows_in), static_cast<long long>(stats.rows_out),
              static_cast<unsigned long long>(stats.bytes_out), seconds, cpu);
  if (own_dir) fs::remove_all(dir);
  return 0;
}
