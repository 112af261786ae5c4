// Small helpers shared by store.cpp and migrations.cpp. Internal to lotse_store: it pulls in SOCI, which the
// store's public header keeps away from its users.
#pragma once

#include "catalog/domain/timestamp.hpp"

#include <soci/session.h>

#include <chrono>
#include <string>

namespace lotse::catalog::detail {

inline bool is_sqlite(soci::session& sql) { return sql.get_backend_name() == "sqlite3"; }

// Now, as store timestamps are kept (domain/timestamp.hpp).
inline std::string utc_timestamp() { return domain::iso_utc(std::chrono::system_clock::now()); }

// A transaction that writes. On SQLite it starts with BEGIN IMMEDIATE: a deferred BEGIN takes the write lock only
// at the first write, and a connection that must upgrade from reading to writing while another one writes gets
// SQLITE_BUSY at once instead of waiting for busy_timeout. Rolls back unless committed, like soci::transaction.
class write_transaction {
 public:
  explicit write_transaction(soci::session& sql) : sql_(sql) {
    if (is_sqlite(sql_)) {
      sql_ << "BEGIN IMMEDIATE";
    } else {
      sql_.begin();
    }
  }

  ~write_transaction() {
    if (!finished_) {
      try {
        sql_.rollback();
      } catch (...) {
        // The exception that brought us here is the one worth reporting; a failed rollback ends the
        // transaction on the server anyway (SQLite on close, PostgreSQL when the connection drops).
      }
    }
  }

  void commit() {
    sql_.commit();
    finished_ = true;  // only now: a COMMIT that failed with SQLITE_BUSY leaves the transaction open
  }

  write_transaction(const write_transaction&) = delete;
  write_transaction& operator=(const write_transaction&) = delete;

 private:
  soci::session& sql_;
  bool finished_ = false;
};

}  // namespace lotse::catalog::detail
