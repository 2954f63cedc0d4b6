# omsec-enrich tests. The Check runner has three modes: unit (no database),
# realdata (MaxMind's test databases) and iplocdb (the default database that
# scripts/fetch-geoip.sh puts in third_party/geoip); a mode whose data is
# missing exits 77 and is reported as skipped.
omsec_check_test(check_enrich)
target_link_libraries(check_enrich PRIVATE omsec::analysis)
target_compile_definitions(check_enrich PRIVATE
  OMSEC_GEOIP_DEFAULT_DB="${PROJECT_SOURCE_DIR}/third_party/geoip/country.mmdb")

set(_enrich_env "OMSEC_TEST_DATA=${OMSEC_TEST_DATA};OMSEC_REALDATA=${OMSEC_REALDATA};CK_DEFAULT_TIMEOUT=60")
add_test(NAME check_enrich_realdata COMMAND check_enrich realdata)
set_tests_properties(check_enrich_realdata PROPERTIES LABELS realdata
  SKIP_RETURN_CODE 77 ENVIRONMENT "${_enrich_env}")
add_test(NAME check_enrich_iplocdb COMMAND check_enrich iplocdb)
set_tests_properties(check_enrich_iplocdb PROPERTIES LABELS unit
  SKIP_RETURN_CODE 77 ENVIRONMENT "${_enrich_env}")

# Tool-level checks: exit codes, --help, /dev/full, golden output.
set(_enrich_sh ${OMSEC_TEST_DATA}/enrich/tool_test.sh)
foreach(_case help usage devfull notevents badline assets missingdb
    defaultdb)
  add_test(NAME enrich_tool_${_case} COMMAND sh ${_enrich_sh} ${_case}
    $<TARGET_FILE:omsec-enrich> ${OMSEC_TEST_DATA}/enrich ${OMSEC_REALDATA})
  set_tests_properties(enrich_tool_${_case} PROPERTIES LABELS unit
    SKIP_RETURN_CODE 77)
endforeach()
foreach(_case golden_tsv golden_json)
  add_test(NAME enrich_tool_${_case} COMMAND sh ${_enrich_sh} ${_case}
    $<TARGET_FILE:omsec-enrich> ${OMSEC_TEST_DATA}/enrich ${OMSEC_REALDATA})
  set_tests_properties(enrich_tool_${_case} PROPERTIES LABELS realdata
    SKIP_RETURN_CODE 77)
endforeach()
