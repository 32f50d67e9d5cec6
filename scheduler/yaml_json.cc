#include "scheduler/yaml_json.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace sluice {
namespace {

bool IsNullWord(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool IsDigits(std::string_view s, bool hex = false) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    const bool hex_letter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit && !(hex && hex_letter)) return false;
  }
  return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  — the YAML 1.2 core float form.
bool IsCoreFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!IsDigits(s.substr(i))) return false;
    i = s.size();
  }
  return i == s.size();
}

nlohmann::json PlainScalarToJson(const std::string& s) {
  if (IsNullWord(s)) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view body = s;
  const bool negative = !body.empty() && body[0] == '-';
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  if (IsDigits(body)) {
    int64_t value = 0;
    const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (error == std::errc() && end == body.data() + body.size()) {
      return negative ? -value : value;
    }
    return std::strtod(s.c_str(), nullptr);  // too large for int64: keep its magnitude
  }
  const std::string_view unsigned_text = s;
  const int base = unsigned_text.rfind("0x", 0) == 0 ? 16 : unsigned_text.rfind("0o", 0) == 0 ? 8 : 0;
  if (base != 0 && IsDigits(unsigned_text.substr(2), base == 16)) {
    int64_t value = 0;
    const auto [end, error] = std::from_chars(s.data() + 2, s.data() + s.size(), value, base);
    if (error == std::errc() && end == s.data() + s.size()) return value;
  }
  if (IsCoreFloat(s)) return std::strtod(s.c_str(), nullptr);
  return s;  // `.inf` and `.nan` stay strings: JSON has no such numbers.
}

bool IsQuotedOrStrTagged(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag == "!" || tag == "tag:yaml.org,2002:str";
}

}  // namespace

YamlPosition PositionOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

YamlPosition PositionOf(const YAML::Node& node, const YAML::Node& fallback) {
  if (!node.IsDefined() || node.IsNull()) return PositionOf(fallback);
  return PositionOf(node);
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (IsQuotedOrStrTagged(node)) return node.Scalar();
      return PlainScalarToJson(node.Scalar());
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const YAML::Node& item : node) array.push_back(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = YamlToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

std::string DescribeYamlValue(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

JsonPath ParseJsonPointer(std::string_view pointer) {
  JsonPath path;
  if (pointer.empty()) return path;
  if (pointer.front() == '/') pointer.remove_prefix(1);
  std::string segment;
  for (size_t i = 0; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      path.push_back(segment);
      segment.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() &&
               (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      segment += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      segment += pointer[i];
    }
  }
  return path;
}

std::string DisplayPath(const JsonPath& path) {
  std::string out;
  for (const std::string& segment : path) {
    if (IsDigits(segment)) {
      out += "[" + segment + "]";
    } else {
      if (!out.empty()) out += ".";
      out += segment;
    }
  }
  return out;
}

YamlLocation LocateInYaml(const YAML::Node& root, const YamlPosition& root_position,
                          const JsonPath& path, bool at_key) {
  // yaml-cpp's operator[] on a map may insert, so children are found by iteration only.
  // Node::operator= would overwrite the document's node, so `current` is rebound with reset().
  YAML::Node current;
  current.reset(root);
  YamlPosition position = root.IsNull() ? root_position : PositionOf(root);
  for (size_t depth = 0; depth < path.size(); ++depth) {
    const std::string& segment = path[depth];
    const bool last = depth + 1 == path.size();
    bool found = false;
    if (current.IsMap()) {
      for (const auto& entry : current) {
        if (entry.first.Scalar() != segment) continue;
        position = (last && at_key) ? PositionOf(entry.first)
                                    : PositionOf(entry.second, entry.first);
        current.reset(entry.second);
        found = true;
        break;
      }
    } else if (current.IsSequence() && IsDigits(segment)) {
      const size_t index = std::strtoul(segment.c_str(), nullptr, 10);
      size_t i = 0;
      for (const YAML::Node& item : current) {
        if (i++ != index) continue;
        if (!item.IsNull()) position = PositionOf(item);
        current.reset(item);
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return {position, DescribeYamlValue(current)};
}

}  // namespace sluice
