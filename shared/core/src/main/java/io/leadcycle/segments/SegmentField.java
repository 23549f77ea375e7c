package io.leadcycle.segments;

import io.leadcycle.domain.InteractionType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every field a segment condition may test, by where it lives ({@link Subject}) and its wire name as the API
 * spells it ({@code jobTitle}, {@code employeeCount}). This is the whitelist: a condition naming anything
 * else is refused, and the SQL compiler maps exactly these to columns. Contact attributes and consents are
 * keyed ({@code contact.attributes.<key>}, {@code contact.consent.<purpose>}).
 */
public enum SegmentField {
  CONTACT_EMAIL(Subject.CONTACT, "email", Type.TEXT),
  CONTACT_FIRST_NAME(Subject.CONTACT, "firstName", Type.TEXT),
  CONTACT_LAST_NAME(Subject.CONTACT, "lastName", Type.TEXT),
  CONTACT_PHONE(Subject.CONTACT, "phone", Type.TEXT),
  CONTACT_COMPANY_NAME(Subject.CONTACT, "companyName", Type.TEXT),
  CONTACT_JOB_TITLE(Subject.CONTACT, "jobTitle", Type.TEXT),
  CONTACT_COUNTRY(Subject.CONTACT, "country", Type.TEXT),
  CONTACT_ACCOUNT_ID(Subject.CONTACT, "accountId", Type.ID),
  CONTACT_CREATED_AT(Subject.CONTACT, "createdAt", Type.TIME),
  /** {@code contact.attributes.<key>}: text, or a number when the attribute holds one. */
  CONTACT_ATTRIBUTE(Subject.CONTACT, "attributes", Type.ATTRIBUTE),
  /** {@code contact.consent.<purpose>}: whether the contact gave that consent. */
  CONTACT_CONSENT(Subject.CONTACT, "consent", Type.BOOLEAN),

  ACCOUNT_NAME(Subject.ACCOUNT, "name", Type.TEXT),
  ACCOUNT_DOMAIN(Subject.ACCOUNT, "domain", Type.TEXT),
  ACCOUNT_INDUSTRY(Subject.ACCOUNT, "industry", Type.TEXT),
  ACCOUNT_COUNTRY(Subject.ACCOUNT, "country", Type.TEXT),
  ACCOUNT_EMPLOYEE_COUNT(Subject.ACCOUNT, "employeeCount", Type.NUMBER),
  ACCOUNT_ANNUAL_REVENUE(Subject.ACCOUNT, "annualRevenue", Type.NUMBER),
  ACCOUNT_CREATED_AT(Subject.ACCOUNT, "createdAt", Type.TIME),

  LEAD_TOPIC(Subject.LEADS, "topic", Type.TEXT),
  LEAD_STAGE(Subject.LEADS, "stage", Type.KEYWORD),
  LEAD_STATUS(Subject.LEADS, "status", Type.KEYWORD, "open", "converted", "disqualified"),
  LEAD_PROCESS_ID(Subject.LEADS, "processId", Type.KEYWORD),
  LEAD_CONTEXT_KIND(Subject.LEADS, "contextKind", Type.KEYWORD,
      "marketing_page", "event", "linkedin_form", "journey", "campaign", "manual", "import"),
  LEAD_CONTEXT_ID(Subject.LEADS, "contextId", Type.KEYWORD),
  LEAD_CONTEXT_NAME(Subject.LEADS, "contextName", Type.TEXT),
  LEAD_OWNER_ID(Subject.LEADS, "ownerId", Type.ID),
  LEAD_SALES_READY(Subject.LEADS, "salesReady", Type.BOOLEAN),
  LEAD_TELEMARKETING_READY(Subject.LEADS, "telemarketingReady", Type.BOOLEAN),
  LEAD_CREATED_AT(Subject.LEADS, "createdAt", Type.TIME),
  /** The lead's score in one scoring model (the condition names it in {@code model}). */
  LEAD_SCORE(Subject.LEADS, "score", Type.NUMBER),
  /** The lead's grade in one scoring model (the condition names it in {@code model}). */
  LEAD_GRADE(Subject.LEADS, "grade", Type.KEYWORD),

  OPPORTUNITY_TOPIC(Subject.OPPORTUNITIES, "topic", Type.TEXT),
  OPPORTUNITY_STATUS(Subject.OPPORTUNITIES, "status", Type.KEYWORD, "open", "won", "lost"),
  OPPORTUNITY_OWNER_ID(Subject.OPPORTUNITIES, "ownerId", Type.KEYWORD),
  OPPORTUNITY_CREATED_AT(Subject.OPPORTUNITIES, "createdAt", Type.TIME),

  INTERACTION_TYPE(Subject.INTERACTIONS, "type", Type.KEYWORD,
      Arrays.stream(InteractionType.values()).map(InteractionType::wireName).toArray(String[]::new)),
  INTERACTION_CONTEXT_KIND(Subject.INTERACTIONS, "contextKind", Type.KEYWORD),
  INTERACTION_CONTEXT_ID(Subject.INTERACTIONS, "contextId", Type.KEYWORD),
  INTERACTION_CONTEXT_NAME(Subject.INTERACTIONS, "contextName", Type.TEXT),
  INTERACTION_CONTEXT_URL(Subject.INTERACTIONS, "contextUrl", Type.TEXT),
  INTERACTION_OCCURRED_AT(Subject.INTERACTIONS, "occurredAt", Type.TIME);

  /** Where a field lives: the contact, its account, or one of its related records. */
  public enum Subject {
    CONTACT("contact"), ACCOUNT("account"), LEADS("leads"), OPPORTUNITIES("opportunities"),
    INTERACTIONS("interactions");

    private final String wireName;

    Subject(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** Leads, opportunities and interactions: tested with any/none over the contact's records. */
    public boolean related() {
      return this == LEADS || this == OPPORTUNITIES || this == INTERACTIONS;
    }
  }

  /** A field's kind of value, which decides its operators. */
  public enum Type {
    /** Free text people typed: compared without regard to case. */
    TEXT(Op.EQUALS, Op.NOT_EQUALS, Op.IN, Op.CONTAINS, Op.STARTS_WITH, Op.EXISTS),
    /** A name the system or a configuration gave (a stage, a status, a context id): compared exactly. */
    KEYWORD(Op.EQUALS, Op.NOT_EQUALS, Op.IN, Op.EXISTS),
    NUMBER(Op.EQUALS, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.EXISTS),
    ID(Op.EQUALS, Op.IN, Op.EXISTS),
    BOOLEAN(Op.EQUALS),
    TIME(Op.WITHIN_DAYS, Op.EXISTS),
    /** A contact attribute: text, or a number (numeric operators match only attributes that hold numbers). */
    ATTRIBUTE(Op.EQUALS, Op.NOT_EQUALS, Op.IN, Op.CONTAINS, Op.STARTS_WITH, Op.EXISTS, Op.GT, Op.GTE, Op.LT, Op.LTE);

    private final List<Op> ops;

    Type(Op... ops) {
      this.ops = List.of(ops);
    }

    public List<Op> ops() {
      return ops;
    }
  }

  /** The operators, by wire name. */
  public enum Op {
    EQUALS("equals"), NOT_EQUALS("notEquals"), IN("in"), CONTAINS("contains"), STARTS_WITH("startsWith"),
    EXISTS("exists"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), WITHIN_DAYS("withinDays");

    private final String wireName;

    Op(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Optional<Op> fromWireName(String name) {
      return Arrays.stream(values()).filter(op -> op.wireName.equals(name)).findFirst();
    }
  }

  private final Subject subject;
  private final String wireName;
  private final Type type;
  /** The values a keyword field can hold; empty: any (stages of custom processes, context ids). */
  private final List<String> allowed;

  SegmentField(Subject subject, String wireName, Type type, String... allowed) {
    this.subject = subject;
    this.wireName = wireName;
    this.type = type;
    this.allowed = List.of(allowed);
  }

  public Subject subject() {
    return subject;
  }

  public String wireName() {
    return wireName;
  }

  public Type type() {
    return type;
  }

  public List<String> allowed() {
    return allowed;
  }

  /** Keyed fields name a key after their own name ({@code attributes.size}). */
  public boolean keyed() {
    return this == CONTACT_ATTRIBUTE || this == CONTACT_CONSENT;
  }

  /** Fields of one scoring model: the condition names the model. */
  public boolean perModel() {
    return this == LEAD_SCORE || this == LEAD_GRADE;
  }

  public static Optional<SegmentField> of(Subject subject, String wireName) {
    return Arrays.stream(values()).filter(f -> f.subject == subject && f.wireName.equals(wireName)).findFirst();
  }

  public static List<String> wireNames(Subject subject) {
    return Arrays.stream(values()).filter(f -> f.subject == subject)
        .map(f -> f.keyed() ? f.wireName + ".<key>" : f.wireName).toList();
  }
}
