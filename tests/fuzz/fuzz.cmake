# libFuzzer targets (docs/fuzzing.md), built only by the `fuzz` preset (clang++,
# LEASTDATA_FUZZ=ON): every source of the project is compiled with
# -fsanitize=fuzzer-no-link,address,undefined by the preset's CMAKE_CXX_FLAGS; the fuzz
# executables add libFuzzer's main at link time. `scripts/fuzz` builds and runs them.
option(LEASTDATA_FUZZ "Build the libFuzzer targets (preset fuzz)" OFF)
if(NOT LEASTDATA_FUZZ)
  return()
endif()
if(EMSCRIPTEN OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LEASTDATA_FUZZ needs a native clang++ build: use `cmake --preset fuzz`")
endif()

set(LEASTDATA_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

# The endpoint without its main(), for the JWT and request-body targets. Taken from the
# endpoint target itself, so a source added to server/ is fuzzed too.
get_target_property(leastdata_endpoint_sources leastdata_endpoint SOURCES)
list(FILTER leastdata_endpoint_sources EXCLUDE REGEX "/main\\.cpp$")
get_target_property(leastdata_endpoint_libraries leastdata_endpoint LINK_LIBRARIES)
add_library(leastdata_fuzz_endpoint STATIC ${leastdata_endpoint_sources})
target_include_directories(leastdata_fuzz_endpoint PUBLIC ${CMAKE_SOURCE_DIR}/server)
target_link_libraries(leastdata_fuzz_endpoint PUBLIC ${leastdata_endpoint_libraries})

add_custom_target(leastdata_fuzzers)

# leastdata_fuzzer(<name> [libraries...]): tests/fuzz/fuzz_<name>.cpp → build/fuzz/fuzz_<name>
function(leastdata_fuzzer name)
  add_executable(fuzz_${name} ${LEASTDATA_FUZZ_DIR}/fuzz_${name}.cpp)
  target_include_directories(fuzz_${name} PRIVATE ${LEASTDATA_FUZZ_DIR} ${CMAKE_SOURCE_DIR}/wasm/src)
  target_link_libraries(fuzz_${name} PRIVATE leastdata_core ${ARGN})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  add_dependencies(leastdata_fuzzers fuzz_${name})
endfunction()

leastdata_fuzzer(selection)
leastdata_fuzzer(request)
leastdata_fuzzer(policy)
leastdata_fuzzer(filter)
leastdata_fuzzer(redact)
leastdata_fuzzer(jcs)
leastdata_fuzzer(certificate)
leastdata_fuzzer(jwt leastdata_fuzz_endpoint)
leastdata_fuzzer(endpoint_bodies leastdata_fuzz_endpoint)
