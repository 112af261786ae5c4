#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace lotse::test {

// Registers a logger named "http" that records each message (without pattern decoration) for the lifetime of the
// object, so tests can assert on what the HTTP layer logged.
class http_log_capture {
 public:
  http_log_capture() : sink_{std::make_shared<line_sink>()} {
    spdlog::drop("http");
    auto logger = std::make_shared<spdlog::logger>("http", sink_);
    logger->set_level(spdlog::level::debug);
    spdlog::register_logger(logger);
  }
  ~http_log_capture() { spdlog::drop("http"); }
  http_log_capture(const http_log_capture&) = delete;
  http_log_capture& operator=(const http_log_capture&) = delete;

  std::vector<std::string> lines() const { return sink_->lines(); }

  std::string text() const {
    std::string all;
    for (const auto& line : lines()) {
      all += line + '\n';
    }
    return all;
  }

 private:
  class line_sink : public spdlog::sinks::base_sink<std::mutex> {
   public:
    std::vector<std::string> lines() {
      const std::lock_guard lock{mutex_};
      return lines_;
    }

   protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
      lines_.emplace_back(msg.payload.data(), msg.payload.size());
    }
    void flush_() override {}

   private:
    std::vector<std::string> lines_;
  };

  std::shared_ptr<line_sink> sink_;
};

}  // namespace lotse::test
