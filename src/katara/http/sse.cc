#include "katara/http/sse.h"

namespace katara::http {

void SseSplitter::feed(std::string_view bytes) {
  if (consumed_ > 0) {  // drop what earlier events used; views from before are now invalid
    buffer_.erase(0, consumed_);
    scan_from_ -= consumed_;
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

namespace {

void parseField(std::string_view line, SseEvent& ev, bool& has_data) {
  if (line.empty() || line.front() == ':') return;
  auto colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (name == "data") {
    if (has_data) ev.data += '\n';
    ev.data.append(value);
    has_data = true;
  } else if (name == "event") {
    ev.event = value;
  }
}

}  // namespace

std::optional<SseEvent> SseSplitter::next() {
  std::string_view s(buffer_);
  std::size_t line_start = scan_from_ > consumed_ ? scan_from_ : consumed_;
  for (;;) {
    auto idx = s.find_first_of("\r\n", line_start);
    if (idx == std::string_view::npos) break;
    if (s[idx] == '\r' && idx + 1 == s.size()) break;  // cannot tell \r from \r\n yet
    std::size_t next_start = idx + ((s[idx] == '\r' && s[idx + 1] == '\n') ? 2 : 1);
    if (idx > line_start) {  // a field line: keep scanning for the blank line
      line_start = next_start;
      continue;
    }
    if (line_start == consumed_) {  // a blank line before any field dispatches nothing
      consumed_ = line_start = next_start;
      continue;
    }
    SseEvent ev;
    ev.raw = s.substr(consumed_, next_start - consumed_);
    bool has_data = false;
    std::size_t pos = consumed_;
    while (pos < line_start) {
      auto end = s.find_first_of("\r\n", pos);
      parseField(s.substr(pos, end - pos), ev, has_data);
      pos = end + ((s[end] == '\r' && s[end + 1] == '\n') ? 2 : 1);
    }
    consumed_ = scan_from_ = next_start;
    return ev;
  }
  scan_from_ = line_start;
  if (s.size() - consumed_ > max_event_bytes_) overflowed_ = true;
  return std::nullopt;
}

}  // namespace katara::http
