#include "replay/source_factory.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "replay/line_reader.h"
#include "replay/tape.h"

namespace tapedeck::replay {

// The table of formats lives in formats.cc, one row per reader.

absl::StatusOr<std::string> DetectFormat(const std::string& path) {
  // A tape is binary: recognise its magic before reading lines.
  if (std::FILE* probe = std::fopen(path.c_str(), "rb"); probe != nullptr) {
    char magic[8] = {};
    const size_t n = std::fread(magic, 1, sizeof(magic), probe);
    std::fclose(probe);
    if (HasTapeMagic(std::string_view(magic, n))) return std::string("tape");
  }
  for (const FormatInfo& f : Formats()) {
    if (f.detect_file != nullptr && f.detect_file(path)) return std::string(f.name);
  }
  absl::StatusOr<std::unique_ptr<LineReader>> reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> head;
  std::string_view line;
  while (head.size() < 3 && (*reader)->Next(&line)) head.emplace_back(line);
  if (!(*reader)->status().ok()) return (*reader)->status();
  if (head.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file (no line to tell its format by)"));
  }
  for (const FormatInfo& f : Formats()) {
    if (f.detect != nullptr && f.detect(head)) return std::string(f.name);
  }
  std::vector<std::string> names;
  for (const FormatInfo& f : Formats()) names.emplace_back(f.name);
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":1: cannot tell the format from the content; name it with \"format\" "
                         "(one of: ", absl::StrJoin(names, ", "), ")"));
}

namespace {
absl::StatusOr<const FormatInfo*> FindFormat(const SourceSpec& spec) {
  std::string format = spec.format;
  if (format.empty()) {
    absl::StatusOr<std::string> detected = DetectFormat(spec.path);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  for (const FormatInfo& f : Formats()) {
    if (f.name == format) return &f;
  }
  std::vector<std::string> names;
  for (const FormatInfo& f : Formats()) names.emplace_back(f.name);
  return absl::InvalidArgumentError(absl::StrCat(spec.where, ".format: '", format,
                                                 "' is not one of: ", absl::StrJoin(names, ", ")));
}
}  // namespace

absl::StatusOr<std::vector<Instrument>> SourceInstruments(const SourceSpec& spec) {
  absl::StatusOr<const FormatInfo*> f = FindFormat(spec);
  if (!f.ok()) return f.status();
  if ((*f)->instruments == nullptr) return std::vector<Instrument>();
  return (*f)->instruments(spec);
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenSource(const SourceSpec& spec,
                                                        const InstrumentTable& instruments) {
  absl::StatusOr<const FormatInfo*> f = FindFormat(spec);
  if (!f.ok()) return f.status();
  return (*f)->open(spec, instruments);
}

}  // namespace tapedeck::replay
