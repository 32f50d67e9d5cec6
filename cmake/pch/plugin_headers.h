// Headers every plugin source includes, compiled once into a precompiled header that every
// plugin's OBJECT library reuses (cmake/SluicePlugin.cmake): nlohmann/json (through
// plugin.hpp) and the dataset format are most of each plugin file's compile time.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.hpp"
