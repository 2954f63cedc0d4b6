# Hostile input, failing output and broken files across every stage
# (tests/hardening.sh, corpus in tests/data/hostile/). The fuzz targets'
# regression inputs are registered by tests/fuzz/CMakeLists.txt.
add_test(NAME e2e_hardening
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/hardening.sh ${PROJECT_BINARY_DIR})
set_tests_properties(e2e_hardening PROPERTIES LABELS e2e TIMEOUT 900)
