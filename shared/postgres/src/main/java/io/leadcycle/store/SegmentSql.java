package io.leadcycle.store;

import io.leadcycle.segments.SegmentDefinition.Condition;
import io.leadcycle.segments.SegmentDefinition.Group;
import io.leadcycle.segments.SegmentDefinition.Node;
import io.leadcycle.segments.SegmentDefinition.Related;
import io.leadcycle.segments.SegmentField;
import io.leadcycle.segments.SegmentField.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Compiles a parsed segment definition into one parameterised statement selecting the ids of the contacts it
 * finds ({@code SELECT c.id FROM contacts c ... WHERE ...}). Columns come from {@link #COLUMNS}, a fixed map
 * from the domain's whitelist of fields; every value, attribute key, consent purpose and model id is a bind
 * parameter — no text from a request ever becomes SQL. Leads, opportunities and interactions are
 * (NOT) EXISTS subqueries on their contact's id, served by the indexes V1, V2 and V23 give them.
 */
public final class SegmentSql {

  /** The statement and its parameters, numbered from the {@code firstParameter} it was compiled with. */
  public record Compiled(String sql, List<Object> parameters) {
  }

  /** The column of each plain field, by its record's alias (c contact, a account, l lead, o opportunity, i interaction). */
  static final Map<SegmentField, String> COLUMNS = new EnumMap<>(SegmentField.class);

  static {
    COLUMNS.put(SegmentField.CONTACT_EMAIL, "c.email");
    COLUMNS.put(SegmentField.CONTACT_FIRST_NAME, "c.first_name");
    COLUMNS.put(SegmentField.CONTACT_LAST_NAME, "c.last_name");
    COLUMNS.put(SegmentField.CONTACT_PHONE, "c.phone");
    COLUMNS.put(SegmentField.CONTACT_COMPANY_NAME, "c.company_name");
    COLUMNS.put(SegmentField.CONTACT_JOB_TITLE, "c.job_title");
    COLUMNS.put(SegmentField.CONTACT_COUNTRY, "c.country");
    COLUMNS.put(SegmentField.CONTACT_ACCOUNT_ID, "c.account_id");
    COLUMNS.put(SegmentField.CONTACT_CREATED_AT, "c.created_at");
    COLUMNS.put(SegmentField.CONTACT_ATTRIBUTE, "c.attributes");
    COLUMNS.put(SegmentField.CONTACT_CONSENT, "c.consent");
    COLUMNS.put(SegmentField.ACCOUNT_NAME, "a.name");
    COLUMNS.put(SegmentField.ACCOUNT_DOMAIN, "a.domain");
    COLUMNS.put(SegmentField.ACCOUNT_INDUSTRY, "a.industry");
    COLUMNS.put(SegmentField.ACCOUNT_COUNTRY, "a.country");
    COLUMNS.put(SegmentField.ACCOUNT_EMPLOYEE_COUNT, "a.employee_count");
    COLUMNS.put(SegmentField.ACCOUNT_ANNUAL_REVENUE, "a.annual_revenue");
    COLUMNS.put(SegmentField.ACCOUNT_CREATED_AT, "a.created_at");
    COLUMNS.put(SegmentField.LEAD_TOPIC, "l.topic");
    COLUMNS.put(SegmentField.LEAD_STAGE, "l.stage");
    COLUMNS.put(SegmentField.LEAD_STATUS, "l.status");
    COLUMNS.put(SegmentField.LEAD_PROCESS_ID, "l.process_id");
    COLUMNS.put(SegmentField.LEAD_CONTEXT_KIND, "l.context_kind");
    COLUMNS.put(SegmentField.LEAD_CONTEXT_ID, "l.context_id");
    COLUMNS.put(SegmentField.LEAD_CONTEXT_NAME, "l.context_name");
    COLUMNS.put(SegmentField.LEAD_OWNER_ID, "l.owner_user_id");
    COLUMNS.put(SegmentField.LEAD_SALES_READY, "l.sales_ready");
    COLUMNS.put(SegmentField.LEAD_TELEMARKETING_READY, "l.telemarketing_ready");
    COLUMNS.put(SegmentField.LEAD_CREATED_AT, "l.created_at");
    COLUMNS.put(SegmentField.LEAD_SCORE, "s.score");
    COLUMNS.put(SegmentField.LEAD_GRADE, "s.grade");
    COLUMNS.put(SegmentField.OPPORTUNITY_TOPIC, "o.topic");
    COLUMNS.put(SegmentField.OPPORTUNITY_STATUS, "o.status");
    COLUMNS.put(SegmentField.OPPORTUNITY_OWNER_ID, "o.owner_id");
    COLUMNS.put(SegmentField.OPPORTUNITY_CREATED_AT, "o.created_at");
    COLUMNS.put(SegmentField.INTERACTION_TYPE, "i.type");
    COLUMNS.put(SegmentField.INTERACTION_CONTEXT_KIND, "i.context_kind");
    COLUMNS.put(SegmentField.INTERACTION_CONTEXT_ID, "i.context_id");
    COLUMNS.put(SegmentField.INTERACTION_CONTEXT_NAME, "i.context_name");
    COLUMNS.put(SegmentField.INTERACTION_CONTEXT_URL, "i.context_url");
    COLUMNS.put(SegmentField.INTERACTION_OCCURRED_AT, "i.occurred_at");
  }

  private final List<Object> parameters = new ArrayList<>();
  private final int firstParameter;
  private final OffsetDateTime now;
  private boolean usesAccount;

  private SegmentSql(int firstParameter, Instant now) {
    this.firstParameter = firstParameter;
    this.now = now.atOffset(ZoneOffset.UTC);
  }

  /**
   * The ids of the contacts {@code definition} finds, among those that gave {@code requiresConsent} (null: all);
   * "within N days" counts back from {@code now}. Parameters are numbered from {@code firstParameter}, so the
   * statement can stand inside a larger one whose own parameters come first.
   */
  public static Compiled contactIds(Group definition, String requiresConsent, Instant now, int firstParameter) {
    SegmentSql compiler = new SegmentSql(firstParameter, now);
    String where = compiler.node(definition);
    if (requiresConsent != null) {
      // The consent gate: whatever else matches, a contact without this consent is never a member.
      where = where + " AND " + consent(compiler.bind(requiresConsent));
    }
    String from = compiler.usesAccount ? "contacts c LEFT JOIN accounts a ON a.id = c.account_id" : "contacts c";
    return new Compiled("SELECT c.id FROM " + from + " WHERE " + where, List.copyOf(compiler.parameters));
  }

  private static String consent(String purpose) {
    return "coalesce((c.consent -> " + purpose + "::text) = 'true'::jsonb, false)";
  }

  private String bind(Object value) {
    parameters.add(value);
    return "$" + (firstParameter + parameters.size() - 1);
  }

  private String node(Node node) {
    if (node instanceof Group group) {
      List<String> items = group.items().stream().map(this::node).toList();
      return "(" + String.join(group.all() ? " AND " : " OR ", items) + ")";
    }
    if (node instanceof Condition condition) {
      return condition(condition);
    }
    return related((Related) node);
  }

  private String related(Related related) {
    String table = switch (related.subject()) {
      case LEADS -> "leads l WHERE l.contact_id = c.id";
      case OPPORTUNITIES -> "opportunities o WHERE o.contact_id = c.id";
      case INTERACTIONS -> "interactions i WHERE i.contact_id = c.id";
      default -> throw new IllegalArgumentException("not related records: " + related.subject());
    };
    StringBuilder sub = new StringBuilder("SELECT 1 FROM ").append(table);
    for (Condition condition : related.where()) {
      sub.append(" AND ").append(condition(condition));
    }
    if (related.none()) {
      return "NOT EXISTS (" + sub + ")";
    }
    if (related.atLeast() == 1) {
      return "EXISTS (" + sub + ")";
    }
    // Counting stops at atLeast: a contact with 10,000 visits costs no more than one with atLeast.
    String n = bind(related.atLeast());
    return "(SELECT count(*) FROM (" + sub + " LIMIT " + n + "::int) counted) >= " + n + "::int";
  }

  private String condition(Condition condition) {
    SegmentField field = condition.field();
    if (field.subject() == SegmentField.Subject.ACCOUNT) {
      usesAccount = true;
    }
    if (field.perModel()) {
      return score(condition);
    }
    if (field == SegmentField.CONTACT_CONSENT) {
      return consent(bind(condition.key())) + " = " + bind(condition.value()) + "::boolean";
    }
    if (field == SegmentField.CONTACT_ATTRIBUTE) {
      String key = bind(condition.key());
      boolean numeric = switch (condition.op()) {
        case GT, GTE, LT, LTE -> true;
        default -> false;
      };
      // A number compares as a number only where the attribute holds one; text never fails a cast.
      String column = numeric
          ? "(CASE WHEN jsonb_typeof(c.attributes -> " + key + "::text) = 'number' THEN (c.attributes ->> " + key
              + "::text)::numeric END)"
          : "(c.attributes ->> " + key + "::text)";
      return test(column, numeric ? SegmentField.Type.NUMBER : SegmentField.Type.TEXT, condition.op(),
          condition.value());
    }
    return test(COLUMNS.get(field), field.type(), condition.op(), condition.value());
  }

  /** A lead's score or grade in one model: its row in lead_scores. */
  private String score(Condition condition) {
    String model = bind(condition.model());
    String scored = "SELECT 1 FROM lead_scores s WHERE s.lead_id = l.id AND s.model_id = " + model + "::uuid";
    if (condition.op() == Op.EXISTS) {
      return (Boolean.TRUE.equals(condition.value()) ? "EXISTS (" : "NOT EXISTS (") + scored + ")";
    }
    return "EXISTS (" + scored + " AND " + test(COLUMNS.get(condition.field()), condition.field().type(),
        condition.op(), condition.value()) + ")";
  }

  private String test(String column, SegmentField.Type type, Op op, Object value) {
    String cast = switch (type) {
      case NUMBER -> "::numeric";
      case ID -> "::uuid";
      case BOOLEAN -> "::boolean";
      default -> "::text";
    };
    boolean text = type == SegmentField.Type.TEXT;
    String compared = text ? "lower(" + column + ")" : column;
    return switch (op) {
      case EQUALS -> compared + " = " + (text ? "lower(" + bind(value) + "::text)" : bind(value) + cast);
      case NOT_EQUALS -> compared + " IS DISTINCT FROM " + (text ? "lower(" + bind(value) + "::text)" : bind(value) + cast);
      case IN -> text
          ? compared + " IN (SELECT lower(v) FROM unnest(" + bind(strings(value)) + "::text[]) v)"
          : column + " = ANY (" + bind(array(type, value)) + cast + "[])";
      case CONTAINS -> "strpos(" + compared + ", lower(" + bind(value) + "::text)) > 0";
      case STARTS_WITH -> "starts_with(" + compared + ", lower(" + bind(value) + "::text))";
      case GT -> column + " > " + bind(value) + cast;
      case GTE -> column + " >= " + bind(value) + cast;
      case LT -> column + " < " + bind(value) + cast;
      case LTE -> column + " <= " + bind(value) + cast;
      case EXISTS -> {
        // Empty text is no value: a form that sent "" for a job title told us nothing.
        String present = text ? "coalesce(" + column + ", '') <> ''" : column + " IS NOT NULL";
        yield Boolean.TRUE.equals(value) ? present : "NOT (" + present + ")";
      }
      case WITHIN_DAYS -> column + " >= " + bind(now) + "::timestamptz - make_interval(days => "
          + bind(((Long) value).intValue()) + "::int)";
    };
  }

  private static String[] strings(Object value) {
    return ((List<?>) value).stream().map(String::valueOf).toArray(String[]::new);
  }

  private static Object array(SegmentField.Type type, Object value) {
    List<?> values = (List<?>) value;
    return switch (type) {
      case NUMBER -> values.stream().map(BigDecimal.class::cast).toArray(BigDecimal[]::new);
      case ID -> values.stream().map(UUID.class::cast).toArray(UUID[]::new);
      default -> strings(value);
    };
  }
}
