omsec_check_test(check_core)
target_link_libraries(check_core PRIVATE omsec::core)
