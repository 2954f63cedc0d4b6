# Tests of the service records (issue 6): the Check runner (unit) over
# tests/data/records/ and the shipped 2025 and 2026 holiday calendars, and the
# records file written by omsec-report --records-out against a golden file
# (e2e).
omsec_check_test(check_records report_testutil.c)
target_link_libraries(check_records PRIVATE omsec::reports)
set_property(TEST check_records APPEND PROPERTY ENVIRONMENT
  "OMSEC_CAL_2026=${PROJECT_SOURCE_DIR}/reports/data/holidays-cn-2026.txt"
  "OMSEC_CAL_2025=${PROJECT_SOURCE_DIR}/reports/data/holidays-cn-2025.txt")

add_test(NAME records_e2e
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/records/e2e.sh
          $<TARGET_FILE:omsec-report> ${CMAKE_CURRENT_SOURCE_DIR}/data/records)
set_tests_properties(records_e2e PROPERTIES LABELS e2e
  ENVIRONMENT "OMSEC_DATADIR=${PROJECT_BINARY_DIR}/data")

# omsec-detect levels from the asset inventory (longest-prefix match).
add_test(NAME records_assets_detect
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/records/assets-detect.sh
          $<TARGET_FILE:omsec-detect> ${CMAKE_CURRENT_SOURCE_DIR}/data)
set_tests_properties(records_assets_detect PROPERTIES LABELS e2e)

# omsec report: months leave records files, the quarter is merged from them.
add_test(NAME records_driver
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/records/driver.sh
          ${PROJECT_BINARY_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/data/records)
set_tests_properties(records_driver PROPERTIES LABELS e2e)
