// Status helpers. Debian's Abseil (20220623) has no ABSL_RETURN_IF_ERROR or ASSIGN_OR_RETURN.
//
// Note: Debian's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0 (and likewise for
// optional and variant), so absl::string_view is its own class: absl::StrCat and absl::StrFormat
// do not take a std::string_view. Pass std::string(sv) or absl::string_view(sv.data(), sv.size()).
#ifndef TAPEDECK_CORE_STATUS_H_
#define TAPEDECK_CORE_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TAPEDECK_STATUS_CONCAT_INNER_(a, b) a##b
#define TAPEDECK_STATUS_CONCAT_(a, b) TAPEDECK_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define TAPEDECK_RETURN_IF_ERROR(expr)                       \
  do {                                                       \
    if (::absl::Status _tapedeck_st = (expr); !_tapedeck_st.ok()) { \
      return _tapedeck_st;                                   \
    }                                                        \
  } while (false)

// `TAPEDECK_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from an absl::StatusOr, or returns
// its error status.
#define TAPEDECK_ASSIGN_OR_RETURN(lhs, expr) \
  TAPEDECK_ASSIGN_OR_RETURN_IMPL_(TAPEDECK_STATUS_CONCAT_(_tapedeck_sor_, __LINE__), lhs, expr)
#define TAPEDECK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = std::move(tmp).value()

#endif  // TAPEDECK_CORE_STATUS_H_
