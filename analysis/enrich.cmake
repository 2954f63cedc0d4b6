# omsec-enrich: GeoIP / ASN / zone enrichment, and the default GeoIP database.
# Included from analysis/CMakeLists.txt, which creates omsec_analysis.
target_sources(omsec_analysis PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/enrich.c)
target_link_libraries(omsec_analysis PUBLIC PkgConfig::MAXMINDDB)

add_executable(omsec-enrich ${CMAKE_CURRENT_SOURCE_DIR}/enrich_main.c)
target_link_libraries(omsec-enrich PRIVATE omsec::analysis omsec_warnings)
install(TARGETS omsec-enrich RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/omsec-enrich.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The default country database is not in git (third_party/ is ignored):
# scripts/fetch-geoip.sh puts it there. The build tree mirrors the install
# tree (core/paths.h), so an uninstalled omsec-enrich finds it too.
set(OMSEC_GEOIP_SRC ${PROJECT_SOURCE_DIR}/third_party/geoip)
if(EXISTS ${OMSEC_GEOIP_SRC}/country.mmdb)
  set(_geoip_out "")
  foreach(_f country.mmdb NRO_LICENSE NOTICE)
    if(EXISTS ${OMSEC_GEOIP_SRC}/${_f})
      add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/data/geoip/${_f}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/data/geoip
        COMMAND ${CMAKE_COMMAND} -E copy_if_different
          ${OMSEC_GEOIP_SRC}/${_f} ${PROJECT_BINARY_DIR}/data/geoip/${_f}
        DEPENDS ${OMSEC_GEOIP_SRC}/${_f}
        COMMENT "Copying GeoIP ${_f} into the build tree")
      list(APPEND _geoip_out ${PROJECT_BINARY_DIR}/data/geoip/${_f})
      install(FILES ${OMSEC_GEOIP_SRC}/${_f}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/omsec/geoip)
    endif()
  endforeach()
  add_custom_target(omsec_geoip_data ALL DEPENDS ${_geoip_out})
else()
  message(STATUS "omsec: no default GeoIP database in "
    "${OMSEC_GEOIP_SRC}/country.mmdb; run scripts/fetch-geoip.sh "
    "(omsec-enrich then needs --geoip)")
endif()
