# omsec_parsers: Check runner (unit: core, limits, malformed; realdata
# separately), and tool-level tests of omsec-parse.
omsec_check_test(check_parsers)
target_link_libraries(check_parsers PRIVATE omsec::parsers)

add_test(NAME check_parsers_realdata COMMAND check_parsers realdata)
set_tests_properties(check_parsers_realdata PROPERTIES LABELS realdata
  SKIP_RETURN_CODE 77
  ENVIRONMENT "OMSEC_TEST_DATA=${OMSEC_TEST_DATA};OMSEC_REALDATA=${OMSEC_REALDATA};CK_DEFAULT_TIMEOUT=60")

add_test(NAME omsec_parse_tool
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/parsers/tool.sh
    $<TARGET_FILE:omsec-parse> ${CMAKE_CURRENT_SOURCE_DIR}/data/parsers)
set_tests_properties(omsec_parse_tool PROPERTIES LABELS e2e)

# The unit tests read the rule files of the source tree, not the installed
# or build-tree copies.
target_compile_definitions(check_parsers PRIVATE
  OMSEC_RULES_SRC="${PROJECT_SOURCE_DIR}/parsers/rules")

# omsec-parse --check-rules on the shipped rule files.
add_test(NAME omsec_parse_check_rules
  COMMAND omsec-parse --check-rules ${PROJECT_SOURCE_DIR}/parsers/rules)
set_tests_properties(omsec_parse_check_rules PROPERTIES LABELS unit
  PASS_REGULAR_EXPRESSION "^24 rules in 2 files, 28 samples, 0 failures")

# Template coverage on the loghub samples (parsers/coverage.sh prints the
# table): every line parsed; the share in a specific event is reported.
add_test(NAME parsers_loghub_coverage
  COMMAND sh ${PROJECT_SOURCE_DIR}/parsers/coverage.sh
    $<TARGET_FILE:omsec-parse> ${OMSEC_REALDATA} 100)
set_tests_properties(parsers_loghub_coverage PROPERTIES LABELS realdata
  SKIP_RETURN_CODE 77)
