# lotse_add_plugin(<name> SOURCES <file>...)
# Builds a Lotse provider plugin: a shared library with hidden visibility (only lotse_plugin_entry is exported),
# no "lib" prefix, linked against the SDK. Used in-tree by plugins/ (where Lotse::sdk is an alias) and by start-ups
# through find_package(LotseSDK) (where Lotse::sdk is the installed, exported target and this file sits next to
# lotse_plugin.map in lib/cmake/LotseSDK).
function(lotse_add_plugin name)
  # The linker script makes lotse_plugin_entry the only exported symbol. Hidden visibility alone is not enough:
  # headers such as Boost's mark some symbols default-visible (even GNU-unique), and those would bind across plugins.
  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/lotse_plugin.map")
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "lotse_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT TARGET Lotse::sdk)
    # Someone included this file by hand instead of through find_package(LotseSDK): say so before the link fails.
    message(FATAL_ERROR "lotse_add_plugin(${name}): target Lotse::sdk is missing; use find_package(LotseSDK 1.0 REQUIRED)")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE Lotse::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE)
    # Undefined symbols are a load-time failure in the host; make them a link-time failure for the author.
    target_link_options(${name} PRIVATE "LINKER:--no-undefined" "LINKER:--version-script=${version_script}")
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${version_script}")
  endif()
endfunction()
