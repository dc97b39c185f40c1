# leastdata-endpoint (DESIGN §7), native builds only: included from CMakeLists.txt in the
# non-Emscripten branch. Output: ${CMAKE_BINARY_DIR}/server/leastdata-endpoint.
pkg_check_modules(LEASTDATA_SQLITE REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LEASTDATA_PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(LEASTDATA_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(Threads REQUIRED)

# Every source of server/ and its folders (http/, services/, store/): a new service or storage
# backend is a new file, not a new line here.
file(GLOB_RECURSE LEASTDATA_ENDPOINT_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)
add_executable(leastdata_endpoint ${LEASTDATA_ENDPOINT_SOURCES})
set_target_properties(leastdata_endpoint PROPERTIES
  OUTPUT_NAME leastdata-endpoint
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/server)
target_include_directories(leastdata_endpoint PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(leastdata_endpoint PRIVATE
  leastdata_core
  PkgConfig::LEASTDATA_HTTPLIB
  PkgConfig::LEASTDATA_SQLITE
  PkgConfig::LEASTDATA_PQXX
  Threads::Threads)
