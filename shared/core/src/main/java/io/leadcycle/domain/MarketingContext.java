package io.leadcycle.domain;

import java.util.List;
import java.util.Map;

/**
 * The campaign, page, event ... a lead expresses interest in: its kind, id and name. A journey's lead
 * also names the tile that created it and may carry what the journey engine told about it
 * ({@code details}, a flat map of text, numbers and booleans); both are null for every other lead.
 */
public record MarketingContext(String kind, String id, String name, String tileId, Map<String, Object> details) {

  public static final List<String> KINDS =
      List.of("marketing_page", "event", "linkedin_form", "journey", "campaign", "manual", "import");

  public MarketingContext(String kind, String id, String name) {
    this(kind, id, name, null, null);
  }
}
