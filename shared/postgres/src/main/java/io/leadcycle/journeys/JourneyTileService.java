package io.leadcycle.journeys;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.TileEvent;
import io.leadcycle.domain.TileEvent.CreateFor;
import io.leadcycle.leads.LeadCreation;
import io.leadcycle.postgres.Database;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.processes.ProcessCatalog;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.JourneyTileStore;
import io.leadcycle.store.RescoringMarks;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import java.util.UUID;

/**
 * A journey's "create lead" tile: one lead per (journey, tile, contact), or per (journey, tile, account)
 * in account mode, however often and however concurrently the tile event is delivered. One transaction
 * per event: read the contact (kept from deletion), claim the tile's key, create the lead and announce
 * it ({@link LeadCreation}), mark what the lead is scored from for rescoring.
 */
public final class JourneyTileService {

  /** Who created a journey's lead, on its timeline and in its {@code lead.created} event. */
  public static final String ACTOR = "journey";

  /** What a tile event did: created {@code leadId}, or found it created by an earlier delivery. */
  public record Outcome(boolean created, UUID leadId) {
  }

  private final Database database;
  private final ContactStore contacts = new ContactStore();
  private final JourneyTileStore tiles = new JourneyTileStore();
  private final LeadCreation creation = new LeadCreation();
  private final RescoringMarks rescoring = new RescoringMarks();
  private final ProcessCatalog catalog = new ProcessCatalog();

  public JourneyTileService(Database database) {
    this.database = database;
  }

  /**
   * Creates the tile's lead unless an earlier delivery did. An unknown contact is {@link NotFound}; a
   * contact without an account in account mode is a {@link Conflict}: neither can succeed by retrying.
   */
  public Future<Outcome> createLead(TileEvent event) {
    return database.inTransaction(conn -> contacts.share(conn, event.contactId()).compose(contact -> {
      if (contact == null) {
        throw new NotFound("No contact with id " + event.contactId() + ": the tile's lead was not created.");
      }
      if (event.createFor() == CreateFor.ACCOUNT && contact.accountId() == null) {
        throw new Conflict("Contact " + contact.id() + " has no account, so the account-mode tile " + event.tileId()
            + " of journey " + event.journeyId() + " cannot create an account lead for it.");
      }
      UUID target = event.createFor() == CreateFor.ACCOUNT ? contact.accountId() : contact.id();
      UUID leadId = UUID.randomUUID();
      // The process is checked only for a first delivery: a redelivery answers with the lead created before,
      // even if its process was retired since. A process that is not live is bad input (400, parked at once).
      return tiles.claim(conn, event, target, leadId).compose(claim -> claim.claimed()
          ? catalog.live(conn, event.processId(), "processId")
              .compose(process -> create(conn, event, contact, leadId, process))
          : Future.succeededFuture(new Outcome(false, claim.leadId())));
    }));
  }

  private Future<Outcome> create(SqlConnection conn, TileEvent event, MatchedContact contact, UUID leadId,
      ProcessVersion process) {
    // Contact mode: the contact's lead, which takes the contact's account as every new lead does.
    // Account mode: the account's lead; no contact, so that another contact's pass adds nothing.
    UUID contactId = event.createFor() == CreateFor.CONTACT ? contact.id() : null;
    UUID accountId = contact.accountId();
    MarketingContext context = new MarketingContext("journey", event.journeyId(), event.topic(), event.tileId(),
        event.details());
    NewLead lead = new NewLead(event.topic(), contactId, accountId, context, Map.of());
    String reason = "passed tile " + event.tileId() + " of journey " + event.journeyId();
    return creation.create(conn, leadId, lead, process, ACTOR, reason)
        .compose(created -> rescoring.markFactsOf(conn, contactId, accountId))
        .map(marked -> new Outcome(true, leadId));
  }
}
