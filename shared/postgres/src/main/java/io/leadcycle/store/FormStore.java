package io.leadcycle.store;

import io.leadcycle.domain.AccountLinking;
import io.leadcycle.domain.AccountMatching;
import io.leadcycle.domain.BrowserSettings;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.UnsignedUpdates;
import io.leadcycle.domain.UpdateMode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Marketing pages and events, read together with their two matching strategies. */
public final class FormStore {

  private static final String SELECT = """
      SELECT f.id, f.name, f.kind, f.update_mode, f.generate_leads_without_matching, f.require_signature,
             f.signing_secret, f.account_matching, f.create_accounts, f.allowed_origins, f.redirect_url,
             f.honeypot_field, f.unsigned_updates, f.process_id,
             f.previous_signing_secret, f.previous_secret_expires_at,
             cs.id AS c_id, cs.name AS c_name, cs.entity AS c_entity, cs.fields AS c_fields,
             ls.id AS l_id, ls.name AS l_name, ls.entity AS l_entity, ls.fields AS l_fields
        FROM forms f
        JOIN matching_strategies cs ON cs.id = f.contact_strategy_id
        JOIN matching_strategies ls ON ls.id = f.lead_strategy_id
      """;

  /** xmax = 0 tells an inserted row from an updated one; the secret is set on insert only. */
  private static final String UPSERT = """
      INSERT INTO forms (id, name, kind, contact_strategy_id, lead_strategy_id, update_mode,
                         generate_leads_without_matching, require_signature, signing_secret,
                         account_matching, create_accounts, allowed_origins, redirect_url, honeypot_field,
                         unsigned_updates, process_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, kind = excluded.kind,
        contact_strategy_id = excluded.contact_strategy_id, lead_strategy_id = excluded.lead_strategy_id,
        update_mode = excluded.update_mode,
        generate_leads_without_matching = excluded.generate_leads_without_matching,
        require_signature = excluded.require_signature,
        account_matching = excluded.account_matching, create_accounts = excluded.create_accounts,
        allowed_origins = excluded.allowed_origins, redirect_url = excluded.redirect_url,
        honeypot_field = excluded.honeypot_field, unsigned_updates = excluded.unsigned_updates,
        process_id = excluded.process_id, updated_at = now()
      RETURNING (xmax = 0) AS created
      """;

  public Future<Form> find(SqlClient client, String id) {
    return client.preparedQuery(SELECT + " WHERE f.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toForm(rows.iterator().next()));
  }

  /** The form, its row locked for the rest of the transaction (a PATCH reads, merges and writes); or null. */
  public Future<Form> lock(SqlClient client, String id) {
    return client.preparedQuery(SELECT + " WHERE f.id = $1 FOR NO KEY UPDATE OF f").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toForm(rows.iterator().next()));
  }

  /** Up to {@code limit} forms in id order, after the form {@code afterId} (null: from the first). */
  public Future<List<Form>> list(SqlClient client, String afterId, int limit) {
    return client.preparedQuery(SELECT + " WHERE $1::text IS NULL OR f.id > $1 ORDER BY f.id LIMIT $2")
        .execute(Tuple.of(afterId, limit))
        .map(rows -> {
          List<Form> forms = new ArrayList<>();
          rows.forEach(row -> forms.add(toForm(row)));
          return forms;
        });
  }

  /** Up to {@code limit} forms whose leads run on {@code processId}, as {@code {id, name}}, in id order. */
  public Future<List<java.util.Map.Entry<String, String>>> usingProcess(SqlClient client, String processId, int limit) {
    return client.preparedQuery("SELECT id, name FROM forms WHERE process_id = $1 ORDER BY id LIMIT $2")
        .execute(Tuple.of(processId, limit))
        .map(rows -> {
          List<java.util.Map.Entry<String, String>> found = new ArrayList<>();
          rows.forEach(row -> found.add(java.util.Map.entry(row.getString("id"), row.getString("name"))));
          return found;
        });
  }

  /** Creates or replaces a form; true when it was created (and so took {@code newSecret}). */
  public Future<Boolean> put(SqlClient client, FormDefinition definition, String newSecret) {
    return client.preparedQuery(UPSERT)
        .execute(Tuple.tuple()
            .addString(definition.id())
            .addString(definition.name())
            .addString(definition.kind().wireName())
            .addString(definition.contactStrategyId())
            .addString(definition.leadStrategyId())
            .addString(definition.updateMode().wireName())
            .addBoolean(definition.generateLeadsWithoutMatching())
            .addBoolean(definition.requireSignature())
            .addString(newSecret)
            .addString(definition.accountLinking().matching().wireName())
            .addBoolean(definition.accountLinking().createAccounts())
            .addArrayOfString(definition.browser().allowedOrigins().toArray(String[]::new))
            .addString(definition.browser().redirectUrl())
            .addString(definition.browser().honeypotField())
            .addString(definition.browser().unsignedUpdates().wireName())
            .addString(definition.processId()))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  /**
   * Makes {@code secret} the form's signing secret; the current one becomes the previous secret, accepted
   * until {@code previousExpiresAt} (a previous secret of an earlier rotation is dropped). One UPDATE, so
   * concurrent rotations queue on the row and each takes the secret the one before it set. Null: no such form.
   */
  public Future<Form> rotateSecret(SqlClient client, String id, String secret, java.time.Instant previousExpiresAt) {
    return client.preparedQuery("""
            UPDATE forms
               SET previous_signing_secret = signing_secret,
                   previous_secret_expires_at = $3,
                   signing_secret = $2,
                   updated_at = now()
             WHERE id = $1
            """)
        .execute(Tuple.of(id, secret, previousExpiresAt.atOffset(java.time.ZoneOffset.UTC)))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null) : find(client, id));
  }

  private static Form toForm(Row row) {
    return new Form(
        row.getString("id"),
        row.getString("name"),
        FormKind.fromWireName(row.getString("kind")).orElseThrow(),
        MatchingStrategyStore.toStrategy(row, "c_"),
        MatchingStrategyStore.toStrategy(row, "l_"),
        UpdateMode.fromWireName(row.getString("update_mode")).orElseThrow(),
        row.getBoolean("generate_leads_without_matching"),
        row.getBoolean("require_signature"),
        row.getString("signing_secret"),
        new AccountLinking(AccountMatching.fromWireName(row.getString("account_matching")).orElseThrow(),
            row.getBoolean("create_accounts")),
        new BrowserSettings(List.of(row.getArrayOfStrings("allowed_origins")), row.getString("redirect_url"),
            row.getString("honeypot_field"),
            UnsignedUpdates.fromWireName(row.getString("unsigned_updates")).orElseThrow()),
        row.getString("process_id"),
        row.getString("previous_signing_secret"),
        Rows.instant(row, "previous_secret_expires_at"));
  }
}
