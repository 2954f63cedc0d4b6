# omsec-agg (summaries) and omsec-detect (alerts): their library sources go
# into omsec_analysis, beside enrich's.
target_sources(omsec_analysis PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/sketch.c
  ${CMAKE_CURRENT_LIST_DIR}/agg.c)
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/detect.c)
  target_sources(omsec_analysis PRIVATE ${CMAKE_CURRENT_LIST_DIR}/detect.c
    ${CMAKE_CURRENT_LIST_DIR}/detect_rules.c)
endif()
find_library(OMSEC_LIBM m)
if(OMSEC_LIBM)
  target_link_libraries(omsec_analysis PUBLIC ${OMSEC_LIBM})
endif()

add_executable(omsec-agg ${CMAKE_CURRENT_LIST_DIR}/agg_main.c)
target_link_libraries(omsec-agg PRIVATE omsec::analysis)
install(TARGETS omsec-agg)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/omsec-agg.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/detect_main.c)
  add_executable(omsec-detect ${CMAKE_CURRENT_LIST_DIR}/detect_main.c)
  target_link_libraries(omsec-detect PRIVATE omsec::analysis)
  install(TARGETS omsec-detect)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/omsec-detect.1
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
