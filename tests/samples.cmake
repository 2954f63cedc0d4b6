# samples/: omsec-samplegen (determinism, ground truth, templates, usage)
# and the sample site.ini as core's config loader reads it.
foreach(case determinism truth templates usage)
  add_test(NAME samplegen_${case}
    COMMAND sh ${PROJECT_SOURCE_DIR}/samples/test-samplegen.sh ${case}
      $<TARGET_FILE:omsec-samplegen> ${PROJECT_SOURCE_DIR}/samples
      ${CMAKE_CURRENT_BINARY_DIR}/samplegen-${case})
  set_tests_properties(samplegen_${case} PROPERTIES LABELS unit TIMEOUT 120)
endforeach()

omsec_check_test(check_samples)
target_link_libraries(check_samples PRIVATE omsec::samples omsec::core)
target_compile_definitions(check_samples PRIVATE
  OMSEC_SAMPLES_DIR="${PROJECT_SOURCE_DIR}/samples")
