# omsec-agg and omsec-detect: the Check runner (unit) and tool-level tests
# of exit codes, --help, golden output and write failures.
omsec_check_test(check_analysis)
target_link_libraries(check_analysis PRIVATE omsec::analysis)

if(TARGET omsec-agg AND TARGET omsec-detect)
  add_test(NAME aggdetect_tools
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/analysis/tools.sh
      $<TARGET_FILE:omsec-agg> $<TARGET_FILE:omsec-detect>
      ${CMAKE_CURRENT_SOURCE_DIR}/data/analysis)
  set_tests_properties(aggdetect_tools PROPERTIES LABELS unit)
endif()
