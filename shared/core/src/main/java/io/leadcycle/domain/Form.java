package io.leadcycle.domain;

/**
 * A marketing page or an event that people submit to, with the strategies that find their contact
 * and lead and what a match may update.
 */
public record Form(
    String id,
    String name,
    FormKind kind,
    MatchingStrategy contactStrategy,
    MatchingStrategy leadStrategy,
    UpdateMode updateMode,
    boolean generateLeadsWithoutMatching,
    boolean requireSignature,
    String signingSecret,
    AccountLinking accountLinking,
    BrowserSettings browser,
    String processId,
    String previousSigningSecret,
    java.time.Instant previousSecretExpiresAt) {

  /** How long a replaced signing secret keeps being accepted, so senders can switch without losing submissions. */
  public static final java.time.Duration PREVIOUS_SECRET_OVERLAP = java.time.Duration.ofHours(24);

  /** A form never rotated: one signing secret. */
  public Form(String id, String name, FormKind kind, MatchingStrategy contactStrategy, MatchingStrategy leadStrategy,
      UpdateMode updateMode, boolean generateLeadsWithoutMatching, boolean requireSignature, String signingSecret,
      AccountLinking accountLinking, BrowserSettings browser, String processId) {
    this(id, name, kind, contactStrategy, leadStrategy, updateMode, generateLeadsWithoutMatching, requireSignature,
        signingSecret, accountLinking, browser, processId, null, null);
  }

  /** A form whose leads run on the shipped process (LinkedIn forms, tests). */
  public Form(String id, String name, FormKind kind, MatchingStrategy contactStrategy, MatchingStrategy leadStrategy,
      UpdateMode updateMode, boolean generateLeadsWithoutMatching, boolean requireSignature, String signingSecret,
      AccountLinking accountLinking, BrowserSettings browser) {
    this(id, name, kind, contactStrategy, leadStrategy, updateMode, generateLeadsWithoutMatching, requireSignature,
        signingSecret, accountLinking, browser, FormDefinition.DEFAULT_PROCESS_ID);
  }

  /**
   * The secrets a signed submission may be signed with at {@code now}: the current one, and the one a
   * rotation replaced while its overlap lasts.
   */
  public java.util.List<String> signingSecretsAt(java.time.Instant now) {
    return previousSigningSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)
        ? java.util.List.of(signingSecret, previousSigningSecret)
        : java.util.List.of(signingSecret);
  }

  /** Without the secrets: a form that reaches a log or an assertion message must not carry them. */
  @Override
  public String toString() {
    return "Form[id=" + id + ", name=" + name + ", kind=" + kind + ", definition=" + definition()
        + ", previousSecretExpiresAt=" + previousSecretExpiresAt + "]";
  }

  /** The settings a user gave this form, as {@code PUT} takes them and {@code PATCH} changes them. */
  public FormDefinition definition() {
    return new FormDefinition(id, name, kind, contactStrategy.id(), leadStrategy.id(), updateMode,
        generateLeadsWithoutMatching, requireSignature, accountLinking, browser, processId);
  }

  /**
   * The strategies whose fields a submission must carry: the contact strategy wherever a contact is
   * matched, the lead strategy wherever a lead is matched. A {@code no_update} form matches nothing.
   */
  public java.util.List<MatchingStrategy> strategiesInUse() {
    java.util.List<MatchingStrategy> inUse = new java.util.ArrayList<>();
    if (updateMode.touchesContacts() || updateMode.touchesLeads()) {
      inUse.add(contactStrategy);
    }
    if (updateMode.touchesLeads() && !generateLeadsWithoutMatching) {
      inUse.add(leadStrategy);
    }
    return inUse;
  }
}
