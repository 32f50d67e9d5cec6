# sluice_add_test(NAME SOURCES src... [LIBS lib...])
# One GoogleTest executable; each TEST becomes its own ctest entry, discovered when ctest runs
# (PRE_TEST) so the build never has to execute test binaries.
function(sluice_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_SOURCES)
    return()  # a folder with no tests yet
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main sluice_warnings ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    SLUICE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SLUICE_BINARY_DIR="${PROJECT_BINARY_DIR}"
    SLUICE_PLUGIN_BUILD_DIR="${SLUICE_PLUGIN_BUILD_DIR}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "SLUICE_PLUGIN_PATH=")
endfunction()
