// A fresh directory under the system's temporary directory, removed with everything in it when the test ends.
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace lotse::catalog::testing {

class temp_directory {
 public:
  temp_directory() {
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    // Random names rather than the test's name: ctest may run the same test binary in parallel processes.
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto candidate = base / ("lotse-store-test-" + std::to_string(random()) + std::to_string(random()));
      if (std::filesystem::create_directory(candidate)) {
        path_ = std::move(candidate);
        return;
      }
    }
    throw std::filesystem::filesystem_error("cannot create a unique temporary directory", base,
                                            std::make_error_code(std::errc::file_exists));
  }

  ~temp_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace lotse::catalog::testing
