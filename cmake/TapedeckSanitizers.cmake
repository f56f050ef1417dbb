# TAPEDECK_SANITIZE="address;undefined" or "thread"; applied to every target built here.
if(TAPEDECK_SANITIZE)
  set(_valid "address;undefined" "address" "undefined" "thread")
  list(JOIN TAPEDECK_SANITIZE "," _san)
  if(NOT _san MATCHES "^(address,undefined|undefined,address|address|undefined|thread)$")
    message(FATAL_ERROR "TAPEDECK_SANITIZE='${TAPEDECK_SANITIZE}': allowed values are "
                        "'address;undefined', 'address', 'undefined' or 'thread'")
  endif()
  add_compile_options(-fsanitize=${_san} -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${_san})
  # Tests that replay millions of events run a smaller workload under sanitizers (10-20x slower);
  # the full workload runs in the Release pass of CI.
  add_compile_definitions(TAPEDECK_SANITIZED=1)
  if(_san MATCHES "undefined")
    set(TAPEDECK_UBSAN ON)
  endif()
endif()
