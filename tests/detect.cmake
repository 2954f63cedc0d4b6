# omsec-detect's rules beyond SSH brute force (analysis/detect_rules.c):
# their edges, order independence, state file, collection health.
omsec_check_test(check_detect)
target_link_libraries(check_detect PRIVATE omsec::analysis)
