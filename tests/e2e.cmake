# The whole chain on the sample month, with golden alerts and summary.
add_test(NAME e2e_chain
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/chain.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e_chain PROPERTIES LABELS e2e TIMEOUT 600)

# cmake --install gives tools that find their data.
add_test(NAME e2e_install
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/install.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e_install PROPERTIES LABELS e2e TIMEOUT 300)
