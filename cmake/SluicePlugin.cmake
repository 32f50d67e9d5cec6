# sluice_add_plugin(NAME SOURCES src... [LIBS lib...])
# Builds one plugin as a shared library named libsluice_<NAME>.so in the build's plugin folder.
# A plugin links only the SDK and its own third-party libraries (see docs/architecture.md).
function(sluice_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  string(REPLACE "." "_" target_name "${name}")
  set(target sluice_plugin_${target_name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE sluice::sdk sluice_warnings ${ARG_LIBS})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME sluice_${target_name}
    PREFIX lib
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${SLUICE_PLUGIN_BUILD_DIR})
  install(TARGETS ${target} LIBRARY DESTINATION ${SLUICE_PLUGIN_INSTALL_DIR})
  set_property(GLOBAL APPEND PROPERTY SLUICE_PLUGIN_TARGETS ${target})
endfunction()
