// The table of input formats. Each reader adds its row here.
#include "replay/source_factory.h"

namespace tapedeck::replay {

const std::vector<FormatInfo>& Formats() {
  static const std::vector<FormatInfo> kFormats = {
  };
  return kFormats;
}

}  // namespace tapedeck::replay
