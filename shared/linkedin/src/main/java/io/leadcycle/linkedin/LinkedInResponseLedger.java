package io.leadcycle.linkedin;

import io.leadcycle.domain.ConsentSource;
import io.leadcycle.intake.IntakeLedger;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.intake.IntakeResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;

/** Intake's idempotency record for one LinkedIn form response: the response ledger, keyed by the response URN. */
final class LinkedInResponseLedger implements IntakeLedger {

  private final LinkedInResponseStore responses;
  private final String formUrn;
  private final Instant submittedAt;

  LinkedInResponseLedger(LinkedInResponseStore responses, String formUrn, Instant submittedAt) {
    this.responses = responses;
    this.formUrn = formUrn;
    this.submittedAt = submittedAt;
  }

  @Override
  public Future<Boolean> claim(SqlConnection conn, String responseUrn) {
    return responses.claim(conn, responseUrn, formUrn, submittedAt);
  }

  @Override
  public Future<JsonObject> response(SqlConnection conn, String responseUrn) {
    return responses.response(conn, responseUrn);
  }

  @Override
  public String interactionSourceKey(String responseUrn) {
    return "linkedin:" + responseUrn;
  }

  @Override
  public ConsentSource consentSource(String responseUrn) {
    return ConsentSource.linkedInForm(formUrn, responseUrn, IntakeService.ACTOR);
  }

  @Override
  public Future<Void> complete(SqlConnection conn, String responseUrn, IntakeResult result, JsonObject received,
      String outcome) {
    return responses.complete(conn, responseUrn, result.createdSomething(),
        result.contact() == null ? null : result.contact().id(), result.contact() != null && result.contact().created(),
        result.lead() == null ? null : result.lead().id(), result.lead() != null && result.lead().created(),
        result.interactionId(), result.toJson(), received, outcome);
  }
}
