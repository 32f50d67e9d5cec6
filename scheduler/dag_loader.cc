#include "scheduler/dag_loader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "scheduler/content_hash.h"
#include "scheduler/dag_parser.h"
#include "scheduler/problem_list.h"

namespace sluice {
namespace {

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// The `dag:` value of a file that is not valid YAML, read line by line, so that even a
// broken file is listed under the name its author gave it.
std::string GuessDagId(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.substr(0, 4) != "dag:") continue;
    line.remove_prefix(4);
    if (const size_t comment = line.find(" #"); comment != std::string_view::npos) {
      line = line.substr(0, comment);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.size() >= 2 && (line.front() == '"' || line.front() == '\'') && line.back() == line.front()) {
      line = line.substr(1, line.size() - 2);
    }
    if (!line.empty()) return std::string(line);
  }
  return {};
}

}  // namespace

DagLoadResult LoadDagText(const std::string& path, std::string_view text,
                          const PluginCatalog& plugins,
                          const std::set<std::string>* declared_pools) {
  DagLoadResult result;
  result.content_hash = ContentHash(text);
  DagSpec dag;
  dag.file = path;
  dag.id = Stem(path);
  dag.content_hash = result.content_hash;
  ProblemList problems(path);
  YAML::Node root;
  bool parsed = false;
  try {
    // yaml-cpp reads from a stream; the copy costs far less than the parse.
    root = YAML::Load(std::string(text));
    parsed = true;
  } catch (const YAML::Exception& error) {
    AddYamlSyntaxError(error, text, problems);
    if (std::string guessed = GuessDagId(text); !guessed.empty()) dag.id = std::move(guessed);
  }
  if (parsed) ParseDagDocument(root, plugins, dag, problems, declared_pools);
  result.dag_id = dag.id;
  result.diagnostics = problems.TakeSorted();
  if (result.diagnostics.empty()) result.dag = std::move(dag);
  return result;
}

DagLoadResult LoadDagFile(const std::string& path, const PluginCatalog& plugins,
                          const std::set<std::string>* declared_pools) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string reason = std::strerror(errno);
    DagLoadResult result;
    result.dag_id = Stem(path);
    result.diagnostics.push_back(
        Diagnostic{path, 0, 0, "cannot read the file: " + reason, "check that it exists and is readable"});
    return result;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return LoadDagText(path, contents.str(), plugins, declared_pools);
}

}  // namespace sluice
