package io.leadcycle.http;

/** Who may call a route: signed or public webhooks, or management clients with a bearer token. */
public enum Access {
  /** Called by landing pages, event platforms, LinkedIn, health checks: authenticated by the handler itself. */
  PUBLIC,
  /** Management API: a bearer token checked in front of the handler (API Gateway authorizer or local server). */
  MANAGEMENT
}
