#include "scheduler/file_glob.h"

#include <fnmatch.h>

#include <filesystem>

namespace sluice {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExample = "e.g. 'incoming/*.csv'";

bool HasWildcard(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

// The first '/'-separated component of `folder` that holds a wildcard, if any.
std::optional<std::string_view> WildcardComponent(std::string_view folder) {
  size_t start = 0;
  while (start <= folder.size()) {
    size_t end = folder.find('/', start);
    if (end == std::string_view::npos) end = folder.size();
    const std::string_view component = folder.substr(start, end - start);
    if (HasWildcard(component)) return component;
    start = end + 1;
  }
  return std::nullopt;
}

// Whether every '[' of `name` has its ']'. As in fnmatch, a ']' right after '[' (or after
// '[!' / '[^') belongs to the set rather than closing it.
bool BracketsClosed(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '[') continue;
    size_t j = i + 1;
    if (j < name.size() && (name[j] == '!' || name[j] == '^')) ++j;
    if (j < name.size() && name[j] == ']') ++j;
    const size_t close = name.find(']', j);
    if (close == std::string_view::npos) return false;
    i = close;
  }
  return true;
}

}  // namespace

std::optional<FileGlobProblem> CheckFileGlob(std::string_view pattern) {
  if (pattern.empty()) {
    return FileGlobProblem{"the pattern is empty",
                           "write which files start a run, " + std::string(kExample)};
  }
  if (pattern.find("**") != std::string_view::npos) {
    return FileGlobProblem{"'**' is not supported",
                           "a trigger watches one folder: name it exactly and put a single '*' in "
                           "the file name, " + std::string(kExample)};
  }
  if (const size_t slash = pattern.rfind('/'); slash != std::string_view::npos) {
    if (const auto component = WildcardComponent(pattern.substr(0, slash))) {
      return FileGlobProblem{"the folder part has a wildcard in '" + std::string(*component) + "'",
                             "only the file name, after the last '/', may contain '*', '?' or "
                             "'[...]'; name the folder exactly, " + std::string(kExample)};
    }
  }
  const std::string name = fs::path(pattern).lexically_normal().filename().string();
  if (name.empty() || name == "." || name == "..") {
    return FileGlobProblem{"it does not end with a file name",
                           "add the names to match after the last '/', " + std::string(kExample)};
  }
  if (!BracketsClosed(name)) {
    return FileGlobProblem{"a '[' is not closed",
                           "close the set with ']', or write '[[]' to match a '[' itself"};
  }
  return std::nullopt;
}

ResolvedFileGlob ResolveFileGlob(std::string_view dag_file, std::string_view pattern) {
  fs::path path(pattern);
  if (path.is_relative()) path = fs::path(dag_file).parent_path() / path;
  path = path.lexically_normal();
  ResolvedFileGlob resolved;
  resolved.pattern = path.string();
  resolved.directory = path.parent_path().string();
  if (resolved.directory.empty()) resolved.directory = ".";
  resolved.name_glob = path.filename().string();
  return resolved;
}

bool MatchesFileGlob(const std::string& name_glob, const std::string& file_name) {
  return fnmatch(name_glob.c_str(), file_name.c_str(), FNM_PERIOD | FNM_NOESCAPE) == 0;
}

}  // namespace sluice
