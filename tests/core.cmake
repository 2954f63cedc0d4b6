omsec_check_test(check_core)
target_link_libraries(check_core PRIVATE omsec::core)

# The same tests over the portable (SWAR) event reader and line scan that
# machines without SSE2 or AVX2 build.
add_executable(check_core_portable check_core.c ../core/event.c ../core/out.c)
target_compile_definitions(check_core_portable PRIVATE OMSEC_NO_SSE2)
target_include_directories(check_core_portable PRIVATE ../core)
target_link_libraries(check_core_portable PRIVATE omsec::core omsec_warnings PkgConfig::CHECK)
add_test(NAME check_core_portable COMMAND check_core_portable)
set_tests_properties(check_core_portable PROPERTIES LABELS unit
  ENVIRONMENT "OMSEC_TEST_DATA=${OMSEC_TEST_DATA};OMSEC_REALDATA=${OMSEC_REALDATA};CK_DEFAULT_TIMEOUT=60")
