#include "duckdb_reader.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

extern char** environ;

namespace sluice::parquet::testing {
namespace {

namespace fs = std::filesystem;

const std::string kNpmDir = std::string(SLUICE_SOURCE_DIR) + "/tests/npm";
const std::string kNode = "/usr/bin/node";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::string DuckDbMissing() {
  if (!fs::exists(kNode)) return kNode + " is missing; install it with: apt-get install nodejs";
  if (!fs::exists(kNpmDir + "/node_modules/@duckdb/node-api/package.json")) {
    return "DuckDB for Node.js is not installed in " + kNpmDir +
           "/node_modules; install it with: npm ci --prefix " + kNpmDir;
  }
  return "";
}

std::vector<QueryResult> QueryDuckDb(const std::vector<std::string>& statements,
                                     const std::string& scratch_dir) {
  const std::string out_path = scratch_dir + "/duckdb-out.json";
  const std::string err_path = scratch_dir + "/duckdb-err.txt";
  // Arguments go to node directly, with no shell in between to quote for.
  std::vector<std::string> args = {kNode, kNpmDir + "/duckdb_query.js"};
  args.insert(args.end(), statements.begin(), statements.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, kNode.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + kNode);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("DuckDB failed: " + ReadFile(err_path));
  }
  std::vector<QueryResult> results;
  for (const nlohmann::json& r : nlohmann::json::parse(ReadFile(out_path))) {
    QueryResult result;
    result.columns = r["columns"].get<std::vector<std::string>>();
    result.types = r["types"].get<std::vector<std::string>>();
    for (const nlohmann::json& row : r["rows"]) {
      std::vector<std::optional<std::string>> cells;
      for (const nlohmann::json& cell : row) {
        cells.push_back(cell.is_null() ? std::nullopt
                                       : std::optional<std::string>(cell.get<std::string>()));
      }
      result.rows.push_back(std::move(cells));
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::string SqlString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

}  // namespace sluice::parquet::testing
