# owned by the ingest area: Check runner and tool-level shell tests
omsec_check_test(check_ingest)
target_link_libraries(check_ingest PRIVATE omsec::ingest ZLIB::ZLIB)

add_test(NAME ingest_e2e
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ingest/e2e.sh
    $<TARGET_FILE:omsec-ingest> ${CMAKE_CURRENT_SOURCE_DIR}/data/ingest)
set_tests_properties(ingest_e2e PROPERTIES LABELS e2e)

add_test(NAME ingest_realdata
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ingest/realdata.sh
    $<TARGET_FILE:omsec-ingest> ${OMSEC_REALDATA})
set_tests_properties(ingest_realdata PROPERTIES LABELS realdata SKIP_RETURN_CODE 77)
