#include "katara/admin/dashboard.h"

#include <string>

namespace katara::admin {

boost::asio::awaitable<void> serveDashboard(std::string_view path, bool get, http::ResponseWriter& writer) {
  if (!get) {
    http::Headers headers{{"content-type", "text/plain; charset=utf-8"}, {"allow", "GET, HEAD"}};
    co_await writer.send(405, std::move(headers), "Method not allowed.\n");
    co_return;
  }
  if (path == "/ui") {  // relative asset URLs resolve against /ui/
    http::Headers headers{{"location", "/ui/"}};
    co_await writer.send(308, std::move(headers), "");
    co_return;
  }
  for (std::size_t i = 0; i < kDashboardAssetCount; ++i) {
    const auto& asset = kDashboardAssets[i];
    if (asset.path != path) continue;
    http::Headers headers{{"content-type", std::string(asset.content_type) + "; charset=utf-8"},
                          {"cache-control", "no-cache"},
                          {"x-content-type-options", "nosniff"},
                          // Everything the page needs comes from this binary.
                          {"content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"}};
    co_await writer.send(200, std::move(headers), std::string(asset.body));
    co_return;
  }
  http::Headers headers{{"content-type", "text/plain; charset=utf-8"}};
  co_await writer.send(404, std::move(headers), "No such dashboard file.\n");
}

}  // namespace katara::admin
