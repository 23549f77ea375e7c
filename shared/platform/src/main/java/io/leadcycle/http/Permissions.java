package io.leadcycle.http;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one permission table: which roles may call each management route (by route key,
 * {@code POST /v1/scoring-models}) and send each lead process action ({@code accept-sales}). A role
 * named here is granted as {@link Role#grantedTo} says: admin may do everything, a sales manager what
 * sales may. A route or action missing from the table is refused to everyone but admins (a test walks
 * every function's routes and fails on one without an entry). docs/api.md shows this table; a test
 * checks that it does.
 *
 * <p>Reading is open to every role (leads, contacts, accounts, scoring models, processes, the user list): who works a
 * lead needs its context; what a role changes is what this table narrows. A person's whole data (the privacy export)
 * is the exception: admins only.
 */
public final class Permissions {

  /** Who may: {@code needs} empty means any signed-in caller, even one with no role ({@code GET /v1/me}). */
  public record Rule(List<Role> needs) {

    public Rule {
      needs = List.copyOf(needs);
    }

    /** Every role that may, in {@link Role} order: the ones named and those they are granted to. */
    public Set<Role> granted() {
      if (needs.isEmpty()) {
        return Collections.unmodifiableSet(EnumSet.allOf(Role.class));
      }
      Set<Role> granted = EnumSet.noneOf(Role.class);
      needs.forEach(role -> granted.addAll(role.grantedTo()));
      return Collections.unmodifiableSet(granted);
    }

    public boolean signedInIsEnough() {
      return needs.isEmpty();
    }

    public boolean allows(Caller caller) {
      return signedInIsEnough() ? caller.id() != null || !caller.roles().isEmpty() : caller.holdsAny(granted());
    }
  }

  private static final Rule SIGNED_IN = new Rule(List.of());
  private static final Rule ANY_ROLE = rule(Role.values());
  private static final Rule MARKETING = rule(Role.MARKETING);
  private static final Rule ADMIN = rule(Role.ADMIN);
  /** Contacts, accounts and leads by hand: whoever talks to the people behind them. */
  private static final Rule PEOPLE_WORK = rule(Role.MARKETING, Role.TELEMARKETING, Role.SALES);

  private static final Map<String, Rule> ROUTES = new LinkedHashMap<>();
  private static final Map<String, Rule> ACTIONS = new LinkedHashMap<>();

  static {
    // People and roles
    route("GET /v1/me", SIGNED_IN);
    route("GET /v1/users", ANY_ROLE);
    route("POST /v1/users", ADMIN);
    route("PATCH /v1/users/{userId}", ADMIN);
    route("DELETE /v1/users/{userId}", ADMIN);
    // Leads, contacts, accounts (lead-management); what a process action may do is decided per action below
    route("GET /v1/leads", ANY_ROLE);
    route("GET /v1/leads/{leadId}", ANY_ROLE);
    route("POST /v1/leads", PEOPLE_WORK);
    route("PATCH /v1/leads/{leadId}", PEOPLE_WORK);
    route("POST /v1/leads/{leadId}/process", ANY_ROLE);
    // Activities and follow-ups: the people on the phone and in sales log their calls, notes and emails
    route("POST /v1/leads/{leadId}/activities", rule(Role.TELEMARKETING, Role.SALES));
    route("GET /v1/contacts", ANY_ROLE);
    route("GET /v1/contacts/{contactId}", ANY_ROLE);
    route("POST /v1/contacts", PEOPLE_WORK);
    route("PATCH /v1/contacts/{contactId}", PEOPLE_WORK);
    route("GET /v1/accounts", ANY_ROLE);
    route("GET /v1/accounts/{accountId}", ANY_ROLE);
    route("POST /v1/accounts", PEOPLE_WORK);
    // Process definitions (lead-management): read by everyone who works leads, shaped by marketing
    route("GET /v1/processes", ANY_ROLE);
    route("GET /v1/processes/{processId}", ANY_ROLE);
    route("GET /v1/processes/{processId}/versions/{version}", ANY_ROLE);
    route("POST /v1/processes", MARKETING);
    route("PUT /v1/processes/{processId}", MARKETING);
    route("POST /v1/processes/{processId}/publish", MARKETING);
    route("POST /v1/processes/{processId}/retire", MARKETING);
    // Privacy requests (lead-management): a person's data leaves only through an admin;
    route("GET /v1/privacy/contacts/{contactId}/export", ADMIN);
    // erasing a person is for admins only; the tombstones hold no personal data
    route("POST /v1/privacy/erasures", ADMIN);
    route("GET /v1/privacy/erasures", ADMIN);
    // Forms and matching strategies (form-intake)
    route("GET /v1/forms", MARKETING);
    route("GET /v1/forms/{formId}", MARKETING);
    route("PUT /v1/forms/{formId}", MARKETING);
    route("PATCH /v1/forms/{formId}", MARKETING);
    route("GET /v1/forms/{formId}/submissions", MARKETING);
    route("POST /v1/forms/{formId}/rotate-secret", MARKETING);
    route("GET /v1/matching-strategies", MARKETING);
    route("POST /v1/matching-strategies", MARKETING);
    // Scoring: models are read by everyone who sees grades, changed by marketing
    route("GET /v1/scoring-models", ANY_ROLE);
    route("GET /v1/scoring-models/{modelId}", ANY_ROLE);
    route("GET /v1/scoring-models/{modelId}/scores", ANY_ROLE);
    route("POST /v1/scoring-models", MARKETING);
    route("PUT /v1/scoring-models/{modelId}", MARKETING);
    route("POST /v1/scoring-models/{modelId}/publish", MARKETING);
    route("POST /v1/scoring-models/{modelId}/retire", MARKETING);
    route("POST /v1/scoring-models/{modelId}/copy", MARKETING);
    route("POST /v1/scoring-models/{modelId}/preview", MARKETING);
    route("POST /v1/scoring/recalculate", MARKETING);
    route("POST /v1/interactions", MARKETING);
    // Subscribers (webhooks)
    route("GET /v1/subscribers", MARKETING);
    route("POST /v1/subscribers", MARKETING);
    route("GET /v1/subscribers/{subscriberId}", MARKETING);
    route("PATCH /v1/subscribers/{subscriberId}", MARKETING);
    route("DELETE /v1/subscribers/{subscriberId}", MARKETING);
    route("POST /v1/subscribers/{subscriberId}/rotate-secret", MARKETING);
    route("GET /v1/subscribers/{subscriberId}/deliveries", MARKETING);
    route("POST /v1/subscribers/{subscriberId}/deliveries/{deliveryId}/redeliver", MARKETING);
    // Segments: the contact lists journeys reach, read by everyone, shaped by marketing
    route("GET /v1/segments", ANY_ROLE);
    route("GET /v1/segments/{segmentId}", ANY_ROLE);
    route("GET /v1/segments/{segmentId}/members", ANY_ROLE);
    route("POST /v1/segments", MARKETING);
    route("PUT /v1/segments/{segmentId}", MARKETING);
    route("DELETE /v1/segments/{segmentId}", MARKETING);
    route("POST /v1/segments/preview", MARKETING);
    route("POST /v1/segments/{segmentId}/members", MARKETING);
    route("DELETE /v1/segments/{segmentId}/members/{contactId}", MARKETING);
    // Imports
    route("GET /v1/imports", MARKETING);
    route("POST /v1/imports", MARKETING);
    route("POST /v1/imports/preview", MARKETING);
    route("GET /v1/imports/{importId}", MARKETING);
    route("GET /v1/imports/{importId}/errors", MARKETING);
    // LinkedIn mappings
    route("GET /v1/linkedin/forms", MARKETING);
    route("GET /v1/linkedin/forms/{formUrn}", MARKETING);
    route("PUT /v1/linkedin/forms/{formUrn}", MARKETING);
    route("POST /v1/linkedin/forms/{formUrn}/propose", MARKETING);
    route("GET /v1/linkedin/sync-status", MARKETING);
    route("POST /v1/linkedin/sync-status/reset", MARKETING);
    // The local server's own routes: a journey engine's tile events, and the developer's tools
    route("POST /v1/journeys/tile-events", MARKETING);
    route("POST /_local/invoke/{function}", ADMIN);
    route("POST /_local/queues/{function}/messages", ADMIN);
    route("GET /_local/queues/{function}", ADMIN);

    // Lead process actions (POST /v1/leads/{leadId}/process, "action")
    action("mark-telemarketing-ready", MARKETING);
    action("mark-sales-ready", MARKETING);
    action("accept-telemarketing", rule(Role.TELEMARKETING));
    action("ready-for-sales", rule(Role.TELEMARKETING));
    action("accept-sales", rule(Role.SALES));
    action("convert", rule(Role.SALES));
    action("disqualify", rule(Role.TELEMARKETING, Role.SALES));
    action("move", rule(Role.SALES_MANAGER));
    action("assign", rule(Role.SALES_MANAGER));
    action("unassign", rule(Role.SALES_MANAGER));
    // The lead's own process: whoever works a stage records its fields and completes it; changing process is
    // deciding how the lead is worked.
    action("complete-stage", rule(Role.TELEMARKETING, Role.SALES, Role.SALES_MANAGER));
    action("set-fields", rule(Role.TELEMARKETING, Role.SALES, Role.SALES_MANAGER));
    action("switch-process", rule(Role.SALES_MANAGER, Role.MARKETING));
  }

  private Permissions() {
  }

  private static Rule rule(Role... roles) {
    return new Rule(List.of(roles));
  }

  private static void route(String routeKey, Rule rule) {
    if (ROUTES.put(routeKey, rule) != null) {
      throw new IllegalStateException("two entries for " + routeKey);
    }
  }

  private static void action(String action, Rule rule) {
    if (ACTIONS.put(action, rule) != null) {
      throw new IllegalStateException("two entries for " + action);
    }
  }

  /** Every route entry, in the table's order. */
  public static Map<String, Rule> routes() {
    return Collections.unmodifiableMap(ROUTES);
  }

  /** Every process action entry, in the table's order. */
  public static Map<String, Rule> actions() {
    return Collections.unmodifiableMap(ACTIONS);
  }

  /** The rule of a route; one missing from the table is for admins only. */
  public static Rule route(String routeKey) {
    return ROUTES.getOrDefault(routeKey, ADMIN);
  }

  /** The rule of a process action; one missing from the table is for admins only. */
  public static Rule action(String action) {
    return ACTIONS.getOrDefault(action, ADMIN);
  }

  /** Nothing when {@code caller} may call the route; else the 403 naming the roles that may. */
  public static void requireRoute(String routeKey, Caller caller) {
    Rule rule = route(routeKey);
    if (!rule.allows(caller)) {
      throw refusal(routeKey, rule, caller);
    }
  }

  /** Nothing when {@code caller} may send the action; else the 403 naming the roles that may. */
  public static void requireAction(String action, Caller caller) {
    Rule rule = action(action);
    if (!rule.allows(caller)) {
      throw refusal("The action " + action, rule, caller);
    }
  }

  private static Problem refusal(String what, Rule rule, Caller caller) {
    List<String> required = new ArrayList<>();
    rule.granted().forEach(role -> required.add(role.wireName()));
    String held = caller.roles().isEmpty() ? "no role (an administrator gives you one)"
        : "the role" + (caller.roles().size() > 1 ? "s " : " ")
            + String.join(", ", caller.roles().stream().map(Role::wireName).toList());
    return Problem.forbidden(what + " needs the role " + or(required) + "; you have " + held + ".")
        .with("requiredRoles", new JsonArray(required));
  }

  private static String or(List<String> roles) {
    return roles.size() == 1 ? roles.get(0)
        : String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
  }
}
