# Tests of the service records (issue 6): the Check runner (unit) over
# tests/data/records/ and the shipped 2026 holiday calendar, and the
# records file written by omsec-report --records-out against a golden file
# (e2e).
omsec_check_test(check_records report_testutil.c)
target_link_libraries(check_records PRIVATE omsec::reports)
set_property(TEST check_records APPEND PROPERTY ENVIRONMENT
  "OMSEC_CAL_2026=${PROJECT_SOURCE_DIR}/reports/data/holidays-cn-2026.txt")

add_test(NAME records_e2e
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/records/e2e.sh
          $<TARGET_FILE:omsec-report> ${CMAKE_CURRENT_SOURCE_DIR}/data/records)
set_tests_properties(records_e2e PROPERTIES LABELS e2e
  ENVIRONMENT "OMSEC_DATADIR=${PROJECT_BINARY_DIR}/data")
