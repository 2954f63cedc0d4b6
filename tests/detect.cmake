# omsec-detect's rules beyond SSH brute force (analysis/detect_rules.c):
# their edges, order independence, state file, collection health.
omsec_check_test(check_detect)
target_link_libraries(check_detect PRIVATE omsec::analysis)

# Open bursts carried across nightly runs, through the driver.
if(TARGET omsec-detect)
  add_test(NAME detect_nightly_carry
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/e2e/nightly-carry.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(detect_nightly_carry PROPERTIES LABELS e2e TIMEOUT 120)
endif()
