#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace katara::http {

// One Server-Sent Event as framed on the wire.
struct SseEvent {
  std::string_view raw;    // the event's bytes including its terminating blank line
  std::string_view event;  // the `event:` field, empty when absent
  std::string data;        // `data:` lines joined with '\n'
  bool isDone() const { return data.rfind("[DONE]", 0) == 0; }
};

// Splits a byte stream into SSE events incrementally, accepting \n, \r\n and \r line ends
// (as the OpenAI SDK does). Events are views into the splitter's buffer: valid until the next
// feed(). Comment-only events (": keep-alive") are returned too, with empty data.
class SseSplitter {
 public:
  explicit SseSplitter(std::size_t max_event_bytes = 8u << 20) : max_event_bytes_(max_event_bytes) {}

  void feed(std::string_view bytes);
  // The next complete event, or nullopt when more bytes are needed.
  std::optional<SseEvent> next();
  // Bytes received but not yet part of a complete event.
  std::string_view pending() const { return std::string_view(buffer_).substr(consumed_); }
  // True when an event grew past the limit without ending: the stream is malformed.
  bool overflowed() const { return overflowed_; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;   // start of the first unreturned event
  std::size_t scan_from_ = 0;  // where the boundary search resumes
  std::size_t max_event_bytes_;
  bool overflowed_ = false;
};

}  // namespace katara::http
