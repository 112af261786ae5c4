#include "catalog/store/curation_store.hpp"

#include "catalog/domain/description_json.hpp"
#include "catalog/store/sql_support.hpp"
#include "catalog/store/store_session.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace lotse::catalog {
namespace {

using detail::access;
using detail::run;

constexpr std::array<std::pair<submission_status, std::string_view>, 5> status_names = {{
    {submission_status::pending, "pending"},
    {submission_status::approved, "approved"},
    {submission_status::rejected, "rejected"},
    {submission_status::superseded, "superseded"},
    {submission_status::withdrawn, "withdrawn"},
}};

submission_status status_from_column(const std::string& text, std::int64_t id) {
  if (const auto status = parse_submission_status(text)) {
    return *status;
  }
  throw store_error("catalog store: the database is corrupted: plugin submission " + std::to_string(id) +
                    " has the unknown status '" + text + "'");
}

// The columns every summary read selects, in this order.
constexpr std::string_view summary_columns =
    "id, organisation, provider_id, file_name, file_sha256, size_bytes, key_id, status, submitted_at, updated_at";

struct summary_row {
  long long id = 0;
  std::string organisation;
  std::string provider_id;
  std::string file_name;
  std::string file_sha256;
  long long size_bytes = 0;
  std::string key_id;
  std::string status;
  std::string submitted_at;
  std::string updated_at;

  template <typename Statement>
  void bind(Statement& statement) {
    statement.exchange(soci::into(id));
    statement.exchange(soci::into(organisation));
    statement.exchange(soci::into(provider_id));
    statement.exchange(soci::into(file_name));
    statement.exchange(soci::into(file_sha256));
    statement.exchange(soci::into(size_bytes));
    statement.exchange(soci::into(key_id));
    statement.exchange(soci::into(status));
    statement.exchange(soci::into(submitted_at));
    statement.exchange(soci::into(updated_at));
  }

  submission_summary to_summary() const {
    return {id,       organisation,        provider_id, file_name, file_sha256, size_bytes,
            key_id,   status_from_column(status, id), submitted_at, updated_at};
  }
};

std::vector<submission_summary> read_summaries(soci::session& sql, const std::string& where,
                                               const std::vector<std::string>& values) {
  // `where` is one of the fixed clauses below, never caller text; the values are bound.
  soci::statement select(sql);
  summary_row row;
  select.alloc();
  row.bind(select);
  for (const auto& value : values) {
    select.exchange(soci::use(value));
  }
  select.prepare("SELECT " + std::string(summary_columns) + " FROM plugin_submissions" + where);
  select.define_and_bind();
  select.execute();
  std::vector<submission_summary> result;
  while (select.fetch()) {
    result.push_back(row.to_summary());
  }
  return result;
}

void add_event(soci::session& sql, std::int64_t id, submission_status status, std::string_view actor,
               std::string_view reason) {
  const long long submission_id = id;
  int seq = 0;
  soci::indicator seq_indicator = soci::i_null;
  sql << "SELECT MAX(seq) FROM submission_events WHERE submission_id = :id", soci::use(submission_id),
      soci::into(seq, seq_indicator);
  const int next = seq_indicator == soci::i_ok ? seq + 1 : 1;
  const std::string at = detail::utc_timestamp();
  const std::string status_text(name_of(status));
  const std::string actor_text(actor);
  const std::string reason_text(reason);
  sql << "INSERT INTO submission_events (submission_id, seq, at, status, actor, reason)"
         " VALUES (:id, :seq, :at, :status, :actor, :reason)",
      soci::use(submission_id), soci::use(next), soci::use(at), soci::use(status_text), soci::use(actor_text),
      soci::use(reason_text);
}

void set_status(soci::session& sql, std::int64_t id, submission_status status) {
  const long long submission_id = id;
  const std::string status_text(name_of(status));
  const std::string updated_at = detail::utc_timestamp();
  sql << "UPDATE plugin_submissions SET status = :status, updated_at = :updated_at WHERE id = :id",
      soci::use(status_text), soci::use(updated_at), soci::use(submission_id);
}

// The submission's status and provider inside the caller's transaction; nullopt when it does not exist.
struct current_state {
  submission_status status;
  std::string organisation;
  std::string provider_id;
};
std::optional<current_state> read_state(soci::session& sql, std::int64_t id) {
  const long long submission_id = id;
  std::string status;
  current_state state{};
  sql << "SELECT status, organisation, provider_id FROM plugin_submissions WHERE id = :id", soci::use(submission_id),
      soci::into(status), soci::into(state.organisation), soci::into(state.provider_id);
  if (!sql.got_data()) {
    return std::nullopt;
  }
  state.status = status_from_column(status, id);
  return state;
}

// Curation transitions read a submission's state and then write the catalog; on PostgreSQL (READ COMMITTED) two of
// them for one provider could interleave (a withdrawal deleting the provider another transaction just approved, two
// versions both approved). Locking the catalog revision row first serialises every catalog change, as SQLite's
// BEGIN IMMEDIATE does anyway; each transition bumps that row at its end regardless.
void lock_catalog(soci::session& sql) {
  if (!detail::is_sqlite(sql)) {
    long long revision = 0;
    sql << "SELECT revision FROM catalog_state WHERE id = 1 FOR UPDATE", soci::into(revision);
  }
}

std::string submission_file(std::int64_t id) { return std::string(submission_file_prefix) + std::to_string(id); }

// The shape every curation transition shares: one write transaction holding the catalog lock, the submission's
// current state, not_found / wrong_state unless it is in one of `from`, then `apply`, committed only if it says done
// (a conflict rolls back whatever it wrote, such as an ownership claim).
template <typename Apply>
transition_result run_transition(const store& s, std::int64_t id, const std::string& operation,
                                 std::initializer_list<submission_status> from, Apply&& apply) {
  return run(detail::state_of(s), access::write, operation, [&](soci::session& sql) -> transition_result {
    detail::write_transaction transaction(sql);
    lock_catalog(sql);
    const auto state = read_state(sql, id);
    if (!state) {
      return {transition_outcome::not_found, submission_status::pending, ""};
    }
    if (std::find(from.begin(), from.end(), state->status) == from.end()) {
      return {transition_outcome::wrong_state, state->status, ""};
    }
    auto result = apply(sql, *state);
    if (result.outcome == transition_outcome::done) {
      transaction.commit();
    }
    return result;
  });
}

}  // namespace

std::string_view name_of(submission_status status) {
  for (const auto& [value, name] : status_names) {
    if (value == status) {
      return name;
    }
  }
  return "pending";
}

std::optional<submission_status> parse_submission_status(std::string_view text) {
  for (const auto& [value, name] : status_names) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

curation_store::curation_store(const store& s) : store_(s) {}

std::int64_t curation_store::add_submission(const new_submission& submission) {
  return run(detail::state_of(store_), access::write, "storing a plugin submission", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    // A counter row rather than MAX(id) + 1: the UPDATE locks the row, so two hosts storing at once get distinct ids
    // on PostgreSQL too.
    long long id = 0;
    sql << "UPDATE counters SET value = value + 1 WHERE name = 'plugin_submission' RETURNING value", soci::into(id);
    const std::string now = detail::utc_timestamp();
    const std::string status(name_of(submission_status::pending));
    const long long size = submission.size_bytes;
    sql << "INSERT INTO plugin_submissions (id, organisation, provider_id, file_name, file_sha256, size_bytes, key_id,"
           " status, library_base64, signature, description, report, submitted_at, updated_at)"
           " VALUES (:id, :organisation, :provider_id, :file_name, :file_sha256, :size_bytes, :key_id, :status,"
           " :library, :signature, :description, :report, :submitted_at, :updated_at)",
        soci::use(id), soci::use(submission.organisation), soci::use(submission.provider_id),
        soci::use(submission.file_name), soci::use(submission.file_sha256), soci::use(size),
        soci::use(submission.key_id), soci::use(status), soci::use(submission.library_base64),
        soci::use(submission.signature_json), soci::use(submission.description_json),
        soci::use(submission.report_json), soci::use(now), soci::use(now);
    add_event(sql, id, submission_status::pending, submission.organisation, "");
    transaction.commit();
    return static_cast<std::int64_t>(id);
  });
}

std::optional<submission> curation_store::find_submission(std::int64_t id) const {
  return run(detail::state_of(store_), access::read, "reading plugin submission " + std::to_string(id),
             [&](soci::session& sql) -> std::optional<submission> {
               // One read transaction so the submission and its history agree.
               soci::transaction transaction(sql);
               auto summaries = read_summaries(sql, " WHERE id = :id", {std::to_string(id)});
               if (summaries.empty()) {
                 return std::nullopt;
               }
               submission result;
               static_cast<submission_summary&>(result) = std::move(summaries.front());
               const long long submission_id = id;
               sql << "SELECT description, report FROM plugin_submissions WHERE id = :id", soci::use(submission_id),
                   soci::into(result.description_json), soci::into(result.report_json);
               std::string at;
               std::string status;
               std::string actor;
               std::string reason;
               int seq = 0;
               soci::statement events =
                   (sql.prepare << "SELECT seq, at, status, actor, reason FROM submission_events"
                                   " WHERE submission_id = :id",
                    soci::use(submission_id), soci::into(seq), soci::into(at), soci::into(status), soci::into(actor),
                    soci::into(reason));
               events.execute();
               std::vector<std::pair<int, submission_event>> history;
               while (events.fetch()) {
                 history.push_back({seq, {at, status_from_column(status, id), actor, reason}});
               }
               std::sort(history.begin(), history.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
               for (auto& [position, event] : history) {
                 result.history.push_back(std::move(event));
               }
               transaction.commit();
               return result;
             });
}

std::vector<submission_summary> curation_store::list_submissions(std::optional<std::string_view> organisation,
                                                                 std::optional<submission_status> status) const {
  auto list = run(detail::state_of(store_), access::read, "listing plugin submissions", [&](soci::session& sql) {
    std::string where;
    std::vector<std::string> values;
    if (organisation) {
      where = " WHERE organisation = :organisation";
      values.emplace_back(*organisation);
    }
    if (status) {
      where += where.empty() ? " WHERE status = :status" : " AND status = :status";
      values.emplace_back(name_of(*status));
    }
    return read_summaries(sql, where, values);
  });
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  return list;
}

std::optional<std::string> curation_store::owner_of_provider(std::string_view provider_id) const {
  const std::string id(provider_id);
  return run(detail::state_of(store_), access::read, "reading the owner of provider '" + id + "'",
             [&](soci::session& sql) -> std::optional<std::string> {
               std::string organisation;
               sql << "SELECT organisation FROM provider_owners WHERE provider_id = :id", soci::use(id),
                   soci::into(organisation);
               if (!sql.got_data()) {
                 return std::nullopt;
               }
               return organisation;
             });
}

std::vector<std::string> curation_store::owned_providers(std::string_view organisation) const {
  const std::string org(organisation);
  auto ids = run(detail::state_of(store_), access::read, "reading the providers of '" + org + "'",
                 [&](soci::session& sql) {
                   std::vector<std::string> result;
                   std::string id;
                   soci::statement select =
                       (sql.prepare << "SELECT provider_id FROM provider_owners WHERE organisation = :organisation",
                        soci::use(org), soci::into(id));
                   select.execute();
                   while (select.fetch()) {
                     result.push_back(id);
                   }
                   return result;
                 });
  std::sort(ids.begin(), ids.end());
  return ids;
}

transition_result curation_store::approve(std::int64_t id, const domain::provider_description& description,
                                          std::string_view actor, std::string_view reason) {
  if (const auto reread = domain::parse_provider_description(domain::to_json(description)); !reread.ok()) {
    throw std::invalid_argument("catalog store: the description of submission " + std::to_string(id) +
                                " does not pass validation");
  }
  return run_transition(
      store_, id, "approving plugin submission " + std::to_string(id), {submission_status::pending},
      [&](soci::session& sql, const current_state& state) -> transition_result {
        if (state.provider_id != description.provider_info.id) {
          throw std::invalid_argument("catalog store: submission " + std::to_string(id) + " is for provider '" +
                                      state.provider_id + "', not '" + description.provider_info.id + "'");
        }
        std::string owner;
        sql << "SELECT organisation FROM provider_owners WHERE provider_id = :id", soci::use(state.provider_id),
            soci::into(owner);
        if (sql.got_data() && owner != state.organisation) {
          return {transition_outcome::conflict, state.status,
                  "Provider '" + state.provider_id + "' belongs to another publisher."};
        }
        if (!sql.got_data()) {
          sql << "INSERT INTO provider_owners (provider_id, organisation) VALUES (:provider_id, :organisation)",
              soci::use(state.provider_id), soci::use(state.organisation);
        }
        // The previous approved version (if any) gives way to this one.
        long long previous = 0;
        const std::string approved(name_of(submission_status::approved));
        soci::statement previous_select =
            (sql.prepare << "SELECT id FROM plugin_submissions WHERE provider_id = :provider_id AND status = :status",
             soci::use(state.provider_id), soci::use(approved), soci::into(previous));
        previous_select.execute();
        std::vector<long long> superseded;
        while (previous_select.fetch()) {
          superseded.push_back(previous);
        }
        try {
          detail::write_provider(sql, description, submission_file(id));
        } catch (const store_error& e) {
          // A solution id owned by another provider, or a provider from a host's plugin directory.
          return {transition_outcome::conflict, state.status, e.what()};
        }
        for (const auto old : superseded) {
          set_status(sql, old, submission_status::superseded);
          add_event(sql, old, submission_status::superseded, actor, "replaced by version " + std::to_string(id));
        }
        set_status(sql, id, submission_status::approved);
        add_event(sql, id, submission_status::approved, actor, reason);
        detail::bump_catalog_revision(sql);
        return {transition_outcome::done, submission_status::approved, ""};
      });
}

transition_result curation_store::reject(std::int64_t id, std::string_view actor, std::string_view reason) {
  return run_transition(store_, id, "rejecting plugin submission " + std::to_string(id), {submission_status::pending},
                        [&](soci::session& sql, const current_state&) -> transition_result {
                          set_status(sql, id, submission_status::rejected);
                          add_event(sql, id, submission_status::rejected, actor, reason);
                          return {transition_outcome::done, submission_status::rejected, ""};
                        });
}

transition_result curation_store::withdraw(std::int64_t id, std::string_view actor, std::string_view reason) {
  return run_transition(
      store_, id, "withdrawing plugin submission " + std::to_string(id),
      {submission_status::pending, submission_status::approved},
      [&](soci::session& sql, const current_state& state) -> transition_result {
        if (state.status == submission_status::approved) {
          std::string file;
          sql << "SELECT plugin_file FROM providers WHERE id = :id", soci::use(state.provider_id), soci::into(file);
          if (sql.got_data() && file == submission_file(id)) {
            detail::delete_provider(sql, state.provider_id);
            detail::bump_catalog_revision(sql);
          }
        }
        set_status(sql, id, submission_status::withdrawn);
        add_event(sql, id, submission_status::withdrawn, actor, reason);
        return {transition_outcome::done, submission_status::withdrawn, ""};
      });
}

std::vector<submission_summary> curation_store::approved_submissions() const {
  auto list = list_submissions(std::nullopt, submission_status::approved);
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.provider_id < b.provider_id; });
  return list;
}

std::optional<submission_bundle> curation_store::find_bundle(std::int64_t id) const {
  return run(detail::state_of(store_), access::read, "reading the library of plugin submission " + std::to_string(id),
             [&](soci::session& sql) -> std::optional<submission_bundle> {
               submission_bundle bundle;
               const long long submission_id = id;
               sql << "SELECT organisation, provider_id, file_name, file_sha256, library_base64, signature, description"
                      " FROM plugin_submissions WHERE id = :id",
                   soci::use(submission_id), soci::into(bundle.organisation), soci::into(bundle.provider_id),
                   soci::into(bundle.file_name), soci::into(bundle.file_sha256), soci::into(bundle.library_base64),
                   soci::into(bundle.signature_json), soci::into(bundle.description_json);
               if (!sql.got_data()) {
                 return std::nullopt;
               }
               bundle.id = id;
               return bundle;
             });
}

void curation_store::put_endorsement(const domain::endorsement& endorsement) {
  const std::string kind(domain::name_of(endorsement.kind));
  run(detail::state_of(store_), access::write, "storing an endorsement", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    std::string stored;
    sql << "SELECT kind FROM endorsements WHERE curator = :curator AND solution_id = :solution_id",
        soci::use(endorsement.curator_id), soci::use(endorsement.solution_id), soci::into(stored);
    if (sql.got_data() && stored == kind) {
      return;  // unchanged: no reload on every host
    }
    const std::string created_at = detail::utc_timestamp();
    sql << "INSERT INTO endorsements (curator, solution_id, kind, created_at)"
           " VALUES (:curator, :solution_id, :kind, :created_at)"
           " ON CONFLICT (curator, solution_id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at",
        soci::use(endorsement.curator_id), soci::use(endorsement.solution_id), soci::use(kind), soci::use(created_at);
    detail::bump_catalog_revision(sql);
    transaction.commit();
  });
}

bool curation_store::remove_endorsement(std::string_view curator, std::string_view solution_id) {
  const std::string curator_id(curator);
  const std::string solution(solution_id);
  return run(detail::state_of(store_), access::write, "removing an endorsement", [&](soci::session& sql) {
    detail::write_transaction transaction(sql);
    std::string kind;
    sql << "DELETE FROM endorsements WHERE curator = :curator AND solution_id = :solution_id RETURNING kind",
        soci::use(curator_id), soci::use(solution), soci::into(kind);
    const bool removed = sql.got_data();
    if (removed) {
      detail::bump_catalog_revision(sql);
    }
    transaction.commit();
    return removed;
  });
}

std::vector<domain::endorsement> curation_store::endorsements(std::optional<std::string_view> curator) const {
  auto list = run(detail::state_of(store_), access::read, "reading endorsements", [&](soci::session& sql) {
    std::vector<domain::endorsement> result;
    std::string curator_id;
    std::string solution_id;
    std::string kind;
    soci::statement select =
        (sql.prepare << "SELECT curator, solution_id, kind FROM endorsements", soci::into(curator_id),
         soci::into(solution_id), soci::into(kind));
    select.execute();
    while (select.fetch()) {
      if (curator && curator_id != *curator) {
        continue;
      }
      const auto parsed = domain::parse_name<domain::endorsement_kind>(kind);
      if (!parsed) {
        throw store_error("catalog store: the database is corrupted: an endorsement of '" + solution_id + "' by '" +
                          curator_id + "' has the unknown kind '" + kind + "'");
      }
      result.push_back({curator_id, solution_id, *parsed});
    }
    return result;
  });
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return std::tie(a.curator_id, a.solution_id) < std::tie(b.curator_id, b.solution_id);
  });
  return list;
}

}  // namespace lotse::catalog
