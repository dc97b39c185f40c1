# The Catch2 unit suite as an ES6 module for browsers, so tests/browser/unit-wasm.test.js
# can run it inside a Chromium page (the `leastdata_tests` target runs it under Node).
#
# Included from CMakeLists.txt after the `leastdata_tests` target:
#   include(tests/browser/browser_tests.cmake)
# Build:  . scripts/env.sh && cmake --build --preset wasm --target leastdata_tests_web
# Output: build/wasm/leastdata_tests_web.mjs + build/wasm/leastdata_tests_web.wasm
#
# The test sources are not compiled a second time: the target links the object files of
# `leastdata_tests` (compile flags are the same; only link flags differ between the Node
# program and the browser module), so this costs one extra link, not a second build of the
# suite.
if(EMSCRIPTEN)
  if(NOT TARGET leastdata_tests)
    message(FATAL_ERROR "include browser_tests.cmake after add_executable(leastdata_tests ...)")
  endif()

  add_executable(leastdata_tests_web $<TARGET_OBJECTS:leastdata_tests>)
  # The object list is only known at generate time; link after leastdata_tests compiled it.
  add_dependencies(leastdata_tests_web leastdata_tests)
  # Same libraries and usage requirements as the Node build of the suite.
  get_target_property(leastdata_tests_web_libraries leastdata_tests LINK_LIBRARIES)
  target_link_libraries(leastdata_tests_web PRIVATE ${leastdata_tests_web_libraries})
  set_target_properties(leastdata_tests_web PROPERTIES
    OUTPUT_NAME leastdata_tests_web
    SUFFIX .mjs
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  # INVOKE_RUN=0: the page calls callMain(args) itself, once print/printErr are wired.
  # EXIT_RUNTIME=1: main's return flushes the output and callMain returns the exit status.
  target_link_options(leastdata_tests_web PRIVATE
    -sENVIRONMENT=web
    -sMODULARIZE=1
    -sEXPORT_ES6=1
    -sEXPORT_NAME=createUnitTests
    -sALLOW_MEMORY_GROWTH=1
    -sTOTAL_STACK=4MB
    -sEXIT_RUNTIME=1
    -sINVOKE_RUN=0
    -sEXPORTED_RUNTIME_METHODS=[callMain])
endif()
