// The bridge between a parsed YAML document and the JSON that plugin schemas see: value
// conversion, and finding where in the file a JSON path points, for diagnostics.
//
// Only forward declarations here: yaml-cpp and nlohmann/json stay inside .cc files.
#ifndef SLUICE_SCHEDULER_YAML_JSON_H_
#define SLUICE_SCHEDULER_YAML_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

/// 1-based line and column in the file; 0/0 when unknown.
struct YamlPosition {
  int line = 0;
  int column = 0;
};

/// Where `node` starts. A null value has no position of its own in yaml-cpp, so pass the
/// key it belongs to as `fallback` (its position is used instead).
YamlPosition PositionOf(const YAML::Node& node);
YamlPosition PositionOf(const YAML::Node& node, const YAML::Node& fallback);

/// Converts with YAML 1.2 core-schema rules: quoted and block scalars are strings; plain
/// scalars are null (`~`, `null`, empty), booleans (`true`/`false`; `yes`/`no` stay strings),
/// integers, floats, or else strings.
nlohmann::json YamlToJson(const YAML::Node& node);

/// How a value reads in "got ..." messages: "'three'", "a mapping", "a list", "nothing".
std::string DescribeYamlValue(const YAML::Node& node);

/// Keys and decimal array indexes from a document root, e.g. {"columns", "0", "name"}.
using JsonPath = std::vector<std::string>;

/// "/columns/0/name" -> {"columns", "0", "name"} (RFC 6901 escapes undone).
JsonPath ParseJsonPointer(std::string_view pointer);

/// "columns[0].name", the way messages show a path inside `with`.
std::string DisplayPath(const JsonPath& path);

/// The node found by following `path` from `root` and where it is. When the path runs out
/// of the document (e.g. a missing key) the deepest node that exists is used. With
/// `at_key`, a mapping entry is located by its key rather than its value.
struct YamlLocation {
  YamlPosition position;
  std::string description;  // DescribeYamlValue of the node found
};
YamlLocation LocateInYaml(const YAML::Node& root, const YamlPosition& root_position,
                          const JsonPath& path, bool at_key);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_YAML_JSON_H_
