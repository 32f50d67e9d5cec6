# Runs one step of the UI's build (runtime/ui/CMakeLists.txt), as `cmake -P`:
#   -DSTEP=install  npm ci, unless node_modules already matches package-lock.json
#   -DSTEP=build    vite build into -DOUT_DIR
# with -DUI_DIR=runtime/ui -DNPM=... -DNODE=... -DSTAMP=file to touch when done.
#
# node_modules lives in the source tree, shared by every build folder of the work tree, so
# both steps hold a lock on runtime/ui/.build.lock: one build folder's `npm ci` never empties
# node_modules under another's vite. node_modules/.sluice-lock-sha256 records which
# package-lock.json it was installed from, so a second build folder does not reinstall.
cmake_minimum_required(VERSION 3.22)
foreach(var STEP UI_DIR STAMP)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_ui.cmake: -D${var}= is required")
  endif()
endforeach()

file(LOCK "${UI_DIR}/.build.lock" GUARD PROCESS TIMEOUT 600 RESULT_VARIABLE locked)
if(NOT locked EQUAL 0)
  message(FATAL_ERROR "build_ui.cmake: could not lock ${UI_DIR}/.build.lock: ${locked}")
endif()

function(run_or_fail what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${UI_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}) in ${UI_DIR}")
  endif()
endfunction()

if(STEP STREQUAL "install")
  file(SHA256 "${UI_DIR}/package-lock.json" wanted)
  set(installed "")
  if(EXISTS "${UI_DIR}/node_modules/.sluice-lock-sha256")
    file(READ "${UI_DIR}/node_modules/.sluice-lock-sha256" installed)
  endif()
  if(NOT installed STREQUAL wanted)
    message(STATUS "npm ci in ${UI_DIR}")
    run_or_fail("npm ci" "${NPM}" ci --no-audit --no-fund --loglevel=error)
    file(WRITE "${UI_DIR}/node_modules/.sluice-lock-sha256" "${wanted}")
  endif()
elseif(STEP STREQUAL "build")
  # vite's own script, run by the node found at configure time.
  run_or_fail("vite build" "${NODE}" "${UI_DIR}/node_modules/vite/bin/vite.js" build
    --outDir "${OUT_DIR}" --emptyOutDir --logLevel warn)
else()
  message(FATAL_ERROR "build_ui.cmake: unknown STEP '${STEP}'")
endif()
file(TOUCH "${STAMP}")
