# sluice_add_plugin(NAME SOURCES src... [LIBS lib...])
# Builds one plugin as a shared library named libsluice_<NAME>.so in the build's plugin folder.
# A plugin links only the SDK and its own third-party libraries (see docs/architecture.md).
#
# The sources are compiled once, into an OBJECT library named sluice_plugin_<NAME>_objects
# (dots in NAME become underscores, e.g. sluice_plugin_export_csv_objects). The plugin's test
# and bench executables link that target instead of compiling the sources again, which used to
# compile every plugin source two or three times. Linking it brings the objects and, through
# its PUBLIC usage requirements, the SDK and LIBS (include folders and link libraries). The
# objects include the entry file (it defines sluice_plugin_entry), so an executable may link
# only one plugin's objects. They are compiled as position-independent code with hidden
# visibility, as the shared library needs: the .so exports sluice_plugin_entry alone.
#
# Every plugin's objects reuse one precompiled header (cmake/pch/plugin_headers.h: the SDK and
# nlohmann/json), compiled by the target sluice_plugin_pch with the same flags.
function(sluice_plugin_object_settings target)
  target_link_libraries(${target} PUBLIC sluice::sdk PRIVATE sluice_warnings)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()

function(sluice_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  string(REPLACE "." "_" target_name "${name}")
  set(target sluice_plugin_${target_name})
  set(objects ${target}_objects)

  if(NOT TARGET sluice_plugin_pch)
    add_library(sluice_plugin_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/empty.cc)
    sluice_plugin_object_settings(sluice_plugin_pch)
    target_precompile_headers(sluice_plugin_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/plugin_headers.h)
  endif()
  add_library(${objects} OBJECT ${ARG_SOURCES})
  sluice_plugin_object_settings(${objects})
  target_link_libraries(${objects} PUBLIC ${ARG_LIBS})
  target_precompile_headers(${objects} REUSE_FROM sluice_plugin_pch)

  # Linking an OBJECT library directly adds its objects to the link (CMake >= 3.12).
  add_library(${target} MODULE)
  target_link_libraries(${target} PRIVATE ${objects})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME sluice_${target_name}
    PREFIX lib
    LINKER_LANGUAGE CXX
    LIBRARY_OUTPUT_DIRECTORY ${SLUICE_PLUGIN_BUILD_DIR})
  install(TARGETS ${target} LIBRARY DESTINATION ${SLUICE_PLUGIN_INSTALL_DIR})
  set_property(GLOBAL APPEND PROPERTY SLUICE_PLUGIN_TARGETS ${target})
endfunction()
