package io.leadcycle.domain;

import java.util.List;

/** The campaign, page, event ... a lead expresses interest in: its kind, id and name. */
public record MarketingContext(String kind, String id, String name) {

  public static final List<String> KINDS =
      List.of("marketing_page", "event", "linkedin_form", "journey", "campaign", "manual", "import");
}
