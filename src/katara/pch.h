#pragma once
// Precompiled for katara_lib only; no source relies on it for correctness.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
