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
    String signingSecret) {

  /** The strategies whose fields a submission must carry. */
  public java.util.List<MatchingStrategy> strategiesInUse() {
    return generateLeadsWithoutMatching ? java.util.List.of(contactStrategy) : java.util.List.of(contactStrategy, leadStrategy);
  }
}
