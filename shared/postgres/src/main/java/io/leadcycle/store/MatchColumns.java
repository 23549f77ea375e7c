package io.leadcycle.store;

import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchKey;
import io.vertx.sqlclient.Tuple;

/**
 * Turns a match key into a WHERE clause. Column names come only from this fixed mapping of
 * {@link MatchField}s; every value is a bind parameter.
 */
final class MatchColumns {

  private MatchColumns() {
  }

  /** The normalized column of a contact field, qualified with {@code contactAlias}. */
  static String column(MatchField field, String contactAlias, String leadAlias) {
    return switch (field) {
      case EMAIL -> contactAlias + ".email_norm";
      case FIRST_NAME -> contactAlias + ".first_name_norm";
      case LAST_NAME -> contactAlias + ".last_name_norm";
      case PHONE -> contactAlias + ".phone_norm";
      case COMPANY_NAME -> contactAlias + ".company_name_norm";
      case MARKETING_CONTEXT_ID -> leadAlias + ".context_id";
    };
  }

  /** {@code a = $1 AND b = $2 ...}, numbering from {@code firstParameter}. */
  static String where(MatchKey key, String contactAlias, String leadAlias, int firstParameter) {
    StringBuilder where = new StringBuilder();
    for (int i = 0; i < key.fields().size(); i++) {
      if (i > 0) {
        where.append(" AND ");
      }
      where.append(column(key.fields().get(i), contactAlias, leadAlias)).append(" = $").append(firstParameter + i);
    }
    return where.toString();
  }

  /** {@code tuple} with the key's values appended, in the order of {@link #where}'s parameters. */
  static Tuple values(Tuple tuple, MatchKey key) {
    key.values().forEach(tuple::addString);
    return tuple;
  }
}
