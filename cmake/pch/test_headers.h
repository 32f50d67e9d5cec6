// Headers nearly every test includes, compiled once into a precompiled header that every
// test executable reuses (cmake/SluiceTest.cmake). Parsing GoogleTest and nlohmann/json took
// 3-4 s of each test file's compile; with the PCH it is loaded in a fraction of that.
// Only headers whose meaning does not depend on a target's own definitions belong here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.hpp"
