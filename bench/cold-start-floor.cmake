# The benchmark's cold-start floor (bench/cold-start-floor.cpp): built by the wasm preset
# beside the package's module, with the same glue flags (wasm/bindings/bindings.cmake).
add_executable(cold_start_floor ${CMAKE_SOURCE_DIR}/bench/cold-start-floor.cpp)
set_target_properties(cold_start_floor PROPERTIES OUTPUT_NAME cold-start-floor SUFFIX .mjs)
target_link_options(cold_start_floor PRIVATE ${LEASTDATA_MODULE_LINK_OPTIONS} -sEXPORT_NAME=createColdStartFloor)
