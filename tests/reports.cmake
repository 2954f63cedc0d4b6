# Tests of the reports area: the Check runner (unit) and the end-to-end
# rendering of tests/data/reports/ checked with poppler-utils (e2e).
omsec_check_test(check_reports report_testutil.c)
target_link_libraries(check_reports PRIVATE omsec::reports)
# The PDF tests render with the built font and read it back with
# poppler-utils and qpdf.
set_property(TEST check_reports APPEND PROPERTY ENVIRONMENT
  "OMSEC_DATADIR=${PROJECT_BINARY_DIR}/data")

add_test(NAME reports_e2e
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/reports/e2e.sh
          $<TARGET_FILE:omsec-report> ${CMAKE_CURRENT_SOURCE_DIR}/data/reports)
set_tests_properties(reports_e2e PROPERTIES LABELS e2e
  ENVIRONMENT "OMSEC_DATADIR=${PROJECT_BINARY_DIR}/data")

# Quarterly and annual kinds, encryption and metadata (qpdf, poppler-utils).
add_test(NAME reports_e2e_quarter
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/reports/q4/e2e.sh
          $<TARGET_FILE:omsec-report> ${CMAKE_CURRENT_SOURCE_DIR}/data/reports/q4)
set_tests_properties(reports_e2e_quarter PROPERTIES LABELS e2e
  ENVIRONMENT "OMSEC_DATADIR=${PROJECT_BINARY_DIR}/data")
