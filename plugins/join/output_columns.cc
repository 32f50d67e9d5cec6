#include "output_columns.h"

#include <map>
#include <string>

#include "sluice/plugin.hpp"

namespace sluice::join {
namespace {

size_t InputIndex(const JoinSpec& spec, const std::string& alias) {
  for (size_t i = 0; i < spec.inputs.size(); ++i) {
    if (spec.inputs[i].alias == alias) return i;
  }
  throw sdk::Failure("alias '" + alias + "' is not an input of this join");  // Validate catches it
}

// Output names seen so far, with where each came from for the error message.
class NameRegistry {
 public:
  bool Taken(const std::string& name) const { return seen_.count(name) != 0; }
  void Add(const std::string& name, const std::string& source, const std::string& config_path) {
    auto [it, inserted] = seen_.emplace(name, source);
    if (!inserted) {
      throw sdk::Failure("output column '" + name + "' would come from both " + it->second + " and " +
                             source + "; rename one with `as` in `select`, e.g. \"" + source +
                             " as other_name\"",
                         config_path);
    }
  }

 private:
  std::map<std::string, std::string> seen_;
};

}  // namespace

std::vector<OutputColumn> ResolveOutputColumns(const JoinSpec& spec,
                                               const std::vector<InputTable*>& tables) {
  std::vector<OutputColumn> out;
  NameRegistry names;
  const auto add = [&](size_t input, size_t column, std::string name, const std::string& path) {
    const dataset::Column& source = tables[input]->schema()[column];
    names.Add(name, spec.inputs[input].alias + "." + source.name, path);
    OutputColumn oc{input, column, source};
    oc.as.name = std::move(name);
    out.push_back(std::move(oc));
  };
  if (!spec.select) {
    for (size_t i = 0; i < spec.inputs.size(); ++i) {
      const dataset::Schema& schema = tables[i]->schema();
      for (size_t c = 0; c < schema.size(); ++c) {
        const std::string& plain = schema[c].name;
        add(i, c, names.Taken(plain) ? spec.inputs[i].alias + "_" + plain : plain, "");
      }
    }
    return out;
  }
  for (const SelectItem& item : *spec.select) {
    const size_t input = InputIndex(spec, item.alias);
    if (item.all_columns()) {
      const dataset::Schema& schema = tables[input]->schema();
      for (size_t c = 0; c < schema.size(); ++c) {
        const std::string& plain = schema[c].name;
        add(input, c, names.Taken(plain) ? item.alias + "_" + plain : plain, item.config_path);
      }
      continue;
    }
    const size_t column = tables[input]->ColumnIndex(item.column, item.config_path);
    add(input, column, item.output_name.empty() ? item.column : item.output_name, item.config_path);
  }
  return out;
}

}  // namespace sluice::join
