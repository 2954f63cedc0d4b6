# owned by the nightly area: omsec nightly / omsec report over a simulated
# logrotate sequence with crashes (tests/nightly.sh), and RFC 3164 year
# inference across New Year in a rotated set (tests/nightly-newyear.sh).
foreach(mode rerun next-night demo)
  add_test(NAME nightly_${mode}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/nightly.sh ${PROJECT_BINARY_DIR} ${mode})
  set_tests_properties(nightly_${mode} PROPERTIES LABELS e2e TIMEOUT 600)
endforeach()
add_test(NAME nightly_newyear
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/nightly-newyear.sh ${PROJECT_BINARY_DIR})
set_tests_properties(nightly_newyear PROPERTIES LABELS e2e TIMEOUT 300)
