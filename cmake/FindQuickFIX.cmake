# Finds Debian's QuickFIX (libquickfix-dev) and provides QuickFIX::QuickFIX.
#
# Debian's 1.15.1 headers carry dynamic exception specifications (`throw(ConfigError)`), which
# C++17 and later reject. At configure time we copy the headers into the build tree and rewrite
# them mechanically: every `throw(...)` specification is deleted and `throw()` becomes `noexcept`.
# No header contains a throw *statement* with parentheses, so the rewrite is safe, and the ABI is
# unchanged (exception specifications are not part of the mangled name). The copy is a SYSTEM
# include so its own deprecation warnings do not trip -Werror. HAVE_STD_UNIQUE_PTR must stay
# undefined: the shared library was built with std::auto_ptr in its interface.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_QUICKFIX QUIET quickfix)
endif()
find_path(QuickFIX_ORIGINAL_INCLUDE_DIR quickfix/Application.h
  HINTS ${PC_QUICKFIX_INCLUDEDIR} PATHS /usr/include /usr/local/include)
find_library(QuickFIX_LIBRARY NAMES quickfix HINTS ${PC_QUICKFIX_LIBDIR})

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(QuickFIX REQUIRED_VARS QuickFIX_LIBRARY QuickFIX_ORIGINAL_INCLUDE_DIR)

if(QuickFIX_FOUND AND NOT TARGET QuickFIX::QuickFIX)
  set(_patched "${CMAKE_BINARY_DIR}/third_party/quickfix_include")
  file(GLOB_RECURSE _headers RELATIVE "${QuickFIX_ORIGINAL_INCLUDE_DIR}/quickfix"
       "${QuickFIX_ORIGINAL_INCLUDE_DIR}/quickfix/*.h")
  set(_rewritten 0)
  foreach(_h IN LISTS _headers)
    file(READ "${QuickFIX_ORIGINAL_INCLUDE_DIR}/quickfix/${_h}" _text)
    string(REGEX REPLACE "throw[ \t]*\\([ \t]*\\)" "noexcept" _text "${_text}")
    # A specification list may span lines: throw( A,\n B ). No nested parentheses occur in them.
    string(REGEX REPLACE "throw[ \t]*\\([^()]*\\)" "" _new "${_text}")
    if(NOT _new STREQUAL _text)
      math(EXPR _rewritten "${_rewritten} + 1")
    endif()
    file(WRITE "${_patched}/quickfix/${_h}.tmp" "${_new}")
    file(COPY_FILE "${_patched}/quickfix/${_h}.tmp" "${_patched}/quickfix/${_h}" ONLY_IF_DIFFERENT)
    file(REMOVE "${_patched}/quickfix/${_h}.tmp")
  endforeach()
  message(STATUS "QuickFIX: ${QuickFIX_LIBRARY}; headers patched for C++20 in ${_patched} "
                 "(${_rewritten} files rewritten)")
  add_library(QuickFIX::QuickFIX UNKNOWN IMPORTED)
  set_target_properties(QuickFIX::QuickFIX PROPERTIES
    IMPORTED_LOCATION "${QuickFIX_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_patched}"
    INTERFACE_INCLUDE_DIRECTORIES "${_patched}"
    INTERFACE_COMPILE_DEFINITIONS "HAVE_SSL=1")
endif()
