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
    String processId) {

  /** A form whose leads run on the shipped process (LinkedIn forms, tests). */
  public Form(String id, String name, FormKind kind, MatchingStrategy contactStrategy, MatchingStrategy leadStrategy,
      UpdateMode updateMode, boolean generateLeadsWithoutMatching, boolean requireSignature, String signingSecret,
      AccountLinking accountLinking, BrowserSettings browser) {
    this(id, name, kind, contactStrategy, leadStrategy, updateMode, generateLeadsWithoutMatching, requireSignature,
        signingSecret, accountLinking, browser, FormDefinition.DEFAULT_PROCESS_ID);
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
