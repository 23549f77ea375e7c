package io.leadcycle.domain;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where one column of an imported file goes: a contact field, the account's name or domain, the lead's
 * topic, a contact attribute, or nowhere. Written as in a mapping: {@code email}, {@code account.domain},
 * {@code lead.topic}, {@code attributes.<name>}, {@code ignore}.
 *
 * @param wireName how a mapping names it
 * @param attribute the attribute's name, for {@code attributes.<name>}; else null
 */
public record ImportTarget(String wireName, String attribute) {

  public static final String ACCOUNT_NAME = "account.name";
  public static final String ACCOUNT_DOMAIN = "account.domain";
  public static final String LEAD_TOPIC = "lead.topic";
  public static final String IGNORE = "ignore";
  /** A person's whole name, split into first and last name (see {@link #splitFullName}). */
  public static final String FULL_NAME = "fullName";
  public static final String ATTRIBUTE_PREFIX = "attributes.";

  /** Every target but attributes, as a mapping writes them. */
  public static final List<String> FIXED = List.of("email", "firstName", "lastName", FULL_NAME, "phone", "companyName",
      "jobTitle", "country", ACCOUNT_NAME, ACCOUNT_DOMAIN, LEAD_TOPIC, IGNORE);

  public static final String RULE = "one of " + String.join(", ", FIXED) + ", or attributes.<name> ("
      + ContactFields.ATTRIBUTE_NAME_RULE + ")";

  /**
   * The column headers taken without a mapping, by their folded spelling (lower case, letters and digits
   * only): English and German, as exports of CRMs and spreadsheets write them.
   */
  private static final Map<String, Integer> DEFAULT_RANKS = new java.util.HashMap<>();
  private static final Map<String, String> DEFAULTS = defaults();

  public boolean isContactField() {
    return ContactDetails.STANDARD_FIELDS.contains(wireName);
  }

  public boolean isAttribute() {
    return attribute != null;
  }

  public boolean isIgnored() {
    return IGNORE.equals(wireName);
  }

  /** A target as a mapping names it; empty when it names none. */
  public static Optional<ImportTarget> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String name = text.strip();
    if (FIXED.contains(name)) {
      return Optional.of(new ImportTarget(name, null));
    }
    if (name.startsWith(ATTRIBUTE_PREFIX) && ContactFields.isAttributeName(name.substring(ATTRIBUTE_PREFIX.length()))) {
      return Optional.of(attribute(name.substring(ATTRIBUTE_PREFIX.length())));
    }
    return Optional.empty();
  }

  public static ImportTarget attribute(String name) {
    return new ImportTarget(ATTRIBUTE_PREFIX + name, name);
  }

  /** The target a header has without a mapping; empty for a header with no default. */
  public static Optional<ImportTarget> byDefault(String header) {
    return Optional.ofNullable(DEFAULTS.get(fold(header))).map(name -> new ImportTarget(name, null));
  }

  /**
   * The priority of a general header among those for its target: of two columns for one target, the lower
   * rank fills it ({@code Phone} before {@code Mobile}); the order of the table in docs/import.md.
   */
  public static int defaultRank(String header) {
    Integer rank = DEFAULT_RANKS.get(fold(header));
    return rank == null ? Integer.MAX_VALUE : rank;
  }

  /**
   * A whole name as first and last name: {@code Last, First} as written, else the last word is the last
   * name and the words before it the first name ({@code Anna Maria Müller}); one word is a last name.
   *
   * @return {first name or null, last name}
   */
  public static String[] splitFullName(String name) {
    String value = name.strip().replaceAll("\\s+", " ");
    int comma = value.indexOf(',');
    if (comma > 0 && comma < value.length() - 1) {
      return new String[] {value.substring(comma + 1).strip(), value.substring(0, comma).strip()};
    }
    int space = value.lastIndexOf(' ');
    return space < 0 ? new String[] {null, value} : new String[] {value.substring(0, space), value.substring(space + 1)};
  }

  /**
   * The attribute an unknown column becomes: its header with letters and digits of any script kept and
   * every run of separators and punctuation turned into {@code _} ("Favourite colour" →
   * {@code Favourite_colour}, "Straße" stays {@code Straße}); null when nothing of it is left.
   */
  public static String attributeNameOf(String header) {
    // NFC: a letter typed as base and accent (as macOS writes names) is one letter.
    String name = Normalizer.normalize(header.strip(), Normalizer.Form.NFC)
        .replaceAll("[^\\p{L}\\p{M}\\p{Nd}_.-]+", "_").replaceAll("^[^\\p{L}]+", "");
    if (name.length() > 64) {
      name = name.substring(0, Character.isHighSurrogate(name.charAt(63)) ? 63 : 64);
    }
    return ContactFields.isAttributeName(name) ? name : null;
  }

  static String fold(String header) {
    return header.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd}]", "");
  }

  private static Map<String, String> defaults() {
    Map<String, String> spellings = new java.util.LinkedHashMap<>();
    put(spellings, "email", "email", "emailaddress", "eMail", "emailadresse", "mail", "mailadresse", "businessemail",
        "workemail");
    put(spellings, "firstName", "firstname", "givenname", "forename", "vorname");
    put(spellings, "lastName", "lastname", "surname", "familyname", "nachname", "familienname");
    put(spellings, FULL_NAME, "fullname", "name", "contactname", "vollständigername");
    put(spellings, "phone", "phone", "phonenumber", "telephone", "tel", "workphone", "businessphone", "telefon",
        "telefonnummer", "mobile", "mobilephone", "mobilephonenumber", "handy", "mobil", "mobilnummer",
        "mobiltelefon");
    put(spellings, "companyName", "company", "companyname", "organization", "organisation", "firma", "unternehmen",
        "firmenname", "companyaccount");
    put(spellings, "jobTitle", "jobtitle", "position", "title", "role", "berufsbezeichnung", "funktion");
    put(spellings, "country", "country", "countryregion", "land", "address1countryregion", "mailingcountry");
    put(spellings, ACCOUNT_NAME, "account", "accountname", "associatedcompany");
    put(spellings, ACCOUNT_DOMAIN, "website", "domain", "accountdomain", "companydomain", "companydomainname",
        "websiteurl", "webseite", "internetseite", "homepage");
    put(spellings, LEAD_TOPIC, "topic", "leadtopic", "subject", "thema");
    return java.util.Collections.unmodifiableMap(spellings);
  }

  private static void put(Map<String, String> spellings, String target, String... folded) {
    for (int i = 0; i < folded.length; i++) {
      spellings.put(fold(folded[i]), target);
      DEFAULT_RANKS.put(fold(folded[i]), i);
    }
  }
}
