#pragma once
// The dashboard at /ui: a page, its script and styles, and the charting library (uPlot, from
// npm), all compiled into the binary at build time (cmake/embed_assets.cmake).
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string_view>

#include "katara/http/response_writer.h"

namespace katara::admin {

struct DashboardAsset {
  std::string_view path;          // "/ui/app.js"
  std::string_view content_type;  // without charset (text assets are UTF-8)
  std::string_view body;
};
extern const DashboardAsset kDashboardAssets[];
extern const std::size_t kDashboardAssetCount;

// Answers a GET of /ui or /ui/... (404 for a file it does not have, 405 for other methods).
boost::asio::awaitable<void> serveDashboard(std::string_view path, bool get, http::ResponseWriter& writer);

}  // namespace katara::admin
