#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace lotse::http {

// Whole-message types: bodies are bounded by server_options::body_limit, so buffering them in a string is fine.
using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

}  // namespace lotse::http
