# sluice_add_test(NAME SOURCES src... [LIBS lib...] [SERVERS server...] [MEASURED])
# One GoogleTest executable; each TEST becomes its own ctest entry, discovered when ctest runs
# (PRE_TEST) so the build never has to execute test binaries.
#
# MEASURED marks an executable whose tests measure memory or time (a streaming extract's peak
# RSS, the registry at 1,000 files). Sanitizers and -O0 make such figures meaningless, so
# those tests skip or shrink there; CI builds the target `measured_tests` (all MEASURED
# executables) a second time, optimized and without sanitizers, and runs `ctest -L measured`.
# Keep other tests out of MEASURED executables: they would run twice.
#
# SERVERS names real database servers the tests need (mariadb, postgres). ctest starts each
# one once per run, before the first test that needs it, and stops it after the last (ctest
# fixtures, see tests/servers/CMakeLists.txt); the tests find it through
# tests/servers/test_servers.h.
#
# Every test executable reuses one precompiled header (cmake/pch/test_headers.h: GoogleTest,
# nlohmann/json, the SDK), compiled by the target sluice_test_pch with the tests' own flags.
function(sluice_test_settings target)
  target_link_libraries(${target} PRIVATE GTest::gtest GTest::gtest_main sluice::sdk sluice_warnings)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR})  # "tests/..." helpers
  target_compile_definitions(${target} PRIVATE
    SLUICE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SLUICE_BINARY_DIR="${PROJECT_BINARY_DIR}"
    SLUICE_PLUGIN_BUILD_DIR="${SLUICE_PLUGIN_BUILD_DIR}")
endfunction()

function(sluice_add_test name)
  cmake_parse_arguments(ARG "MEASURED" "" "SOURCES;LIBS;SERVERS" ${ARGN})
  if(NOT ARG_SOURCES)
    return()  # a folder with no tests yet
  endif()
  if(NOT TARGET sluice_test_pch)
    add_executable(sluice_test_pch ${PROJECT_SOURCE_DIR}/cmake/pch/empty_main.cc)
    sluice_test_settings(sluice_test_pch)
    target_precompile_headers(sluice_test_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/test_headers.h)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  sluice_test_settings(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_precompile_headers(${name} REUSE_FROM sluice_test_pch)
  # One variable per property: gtest_discover_tests flattens PROPERTIES into one list, so a
  # two-variable ENVIRONMENT value would be split and everything after it misread.
  set(properties ENVIRONMENT "SLUICE_TEST_SERVERS_DIR=${SLUICE_TEST_SERVERS_DIR}"
    ENVIRONMENT_MODIFICATION "SLUICE_PLUGIN_PATH=set:")
  if(ARG_SERVERS)
    list(APPEND properties FIXTURES_REQUIRED "${ARG_SERVERS}")
  endif()
  if(ARG_MEASURED)
    list(APPEND properties LABELS measured)
    if(NOT TARGET measured_tests)
      add_custom_target(measured_tests)
    endif()
    add_dependencies(measured_tests ${name})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES ${properties})
endfunction()
