package io.leadcycle.store;

/**
 * The searchable texts of contacts, accounts and contactless leads, written exactly as their trigram indexes
 * (V19) are, so that the planner uses them; and "a word of the text begins with the search word".
 */
final class SearchSql {

  private SearchSql() {
  }

  /** A contact's (alias {@code c}) folded words: names, email, email domain, company name. Index {@code contacts_search}. */
  static String contactText(String c) {
    return "contact_search_text(" + c + ".first_name, " + c + ".last_name, " + c + ".email, " + c + ".company_name)";
  }

  /** An account's folded words: name and domain. Index {@code accounts_search}. */
  static String accountText(String a) {
    return "account_search_text(" + a + ".name, " + a + ".domain)";
  }

  /** What was submitted for a lead without a contact, as a contact's text. Index {@code leads_contactless_search}. */
  static String submittedText(String l) {
    String f = l + ".submitted_fields ->> ";
    return "contact_search_text(" + f + "'firstName', " + f + "'lastName', " + f + "'email', " + f + "'companyName')";
  }

  /**
   * {@code text} (which starts with a space and separates its words with spaces) has a word beginning with the
   * search word in {@code parameter} (a LIKE literal, {@link io.leadcycle.domain.SearchQuery#likeLiteral}),
   * folded as the text is.
   */
  static String matches(String text, String parameter) {
    return text + " LIKE ('% ' || search_fold(" + parameter + ") || '%')";
  }
}
