package io.leadcycle.runtime;

/**
 * Every metric Leadcycle emits to CloudWatch (namespace {@link Metrics#NAMESPACE}), in the marketing team's
 * words: the one list that the template's dashboard and alarms are checked against. Each is a count per
 * invocation; docs/operations.md says where each is counted and what it means.
 */
public enum Metric {

  /** A submission taken in for the first time (form, event registration, LinkedIn form response). */
  SUBMISSIONS_ACCEPTED("SubmissionsAccepted"),
  /** A submission delivered again: answered as the first time, nothing written. */
  SUBMISSIONS_REPLAYED("SubmissionsReplayed"),
  /** A submission not taken in: unknown form, origin, signature, invalid fields, honeypot; LinkedIn: unmapped, skipped. */
  SUBMISSIONS_REFUSED("SubmissionsRefused"),
  /** A submission that failed on our side (answered 5xx): the sender has to send it again. */
  SUBMISSIONS_FAILED("SubmissionsFailed"),
  /** A new contact: from a submission, a LinkedIn lead, an import row, or by hand. */
  CONTACTS_CREATED("ContactsCreated"),
  /** An existing contact that a submission, LinkedIn lead or import row matched. */
  CONTACTS_MATCHED("ContactsMatched"),
  /** A new lead: from a submission, a LinkedIn lead, a journey tile, an import row, or by hand. */
  LEADS_CREATED("LeadsCreated"),
  /** A lead that live scoring models scored (again) because its facts changed or a model went live. */
  LEADS_SCORED("LeadsScored"),
  /** A lead that became sales-ready: its score reached a threshold, or a user marked it. */
  LEADS_BECAME_SALES_READY("LeadsBecameSalesReady"),
  /** A webhook a subscriber accepted (2xx). */
  WEBHOOKS_DELIVERED("WebhooksDelivered"),
  /** A webhook attempt that failed and is tried again later. */
  WEBHOOKS_RETRIED("WebhooksRetried"),
  /** A webhook given up: its retries ran out, or the subscriber answered 410 Gone. */
  WEBHOOKS_FAILED("WebhooksFailed"),
  /** An import row written (a contact or lead created, updated or found unchanged). */
  IMPORT_ROWS_IMPORTED("ImportRowsImported"),
  /** An import row refused for its errors (listed in the import's errors). */
  IMPORT_ROWS_REFUSED("ImportRowsRefused"),
  /** A queue message that can never succeed, moved to the dead-letter queue at once. */
  QUEUE_MESSAGES_PARKED("QueueMessagesParked"),
  /** A scheduled run that failed (the database was away, a bug); the next run retries. */
  SCHEDULED_RUNS_FAILED("ScheduledRunsFailed");

  /** Every metric counts something; CloudWatch's unit for that. */
  public static final String UNIT = "Count";

  private final String metricName;

  Metric(String metricName) {
    this.metricName = metricName;
  }

  /** The name in CloudWatch. */
  public String metricName() {
    return metricName;
  }
}
