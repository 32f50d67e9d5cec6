# find_package(sluice) for out-of-tree plugins: provides sluice::sdk and sluice_add_plugin().
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3)
include(${CMAKE_CURRENT_LIST_DIR}/sluiceSdkTargets.cmake)

# sluice_add_plugin(NAME SOURCES src...) — a plugin library named libsluice_<NAME>.so.
function(sluice_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  string(REPLACE "." "_" target_name "${name}")
  add_library(sluice_plugin_${target_name} MODULE ${ARG_SOURCES})
  target_link_libraries(sluice_plugin_${target_name} PRIVATE sluice::sdk ${ARG_LIBS})
  set_target_properties(sluice_plugin_${target_name} PROPERTIES
    OUTPUT_NAME sluice_${target_name} PREFIX lib
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endfunction()
