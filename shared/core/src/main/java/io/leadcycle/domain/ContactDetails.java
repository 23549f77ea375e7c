package io.leadcycle.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known about a person: the standard contact fields plus free attributes (any other form
 * field). {@code null} means "not given".
 */
public record ContactDetails(
    String email,
    String firstName,
    String lastName,
    String phone,
    String companyName,
    String jobTitle,
    String country,
    Map<String, String> attributes) {

  /** The standard fields, by wire name; every other submitted field is an attribute. */
  public static final java.util.List<String> STANDARD_FIELDS =
      java.util.List.of("email", "firstName", "lastName", "phone", "companyName", "jobTitle", "country");

  /** What a contact body of the management API may carry: the standard fields, the account, attributes. */
  public static final java.util.List<String> INPUT_FIELDS = java.util.List.of("email", "firstName", "lastName", "phone",
      "companyName", "jobTitle", "country", "accountId", "attributes");

  public ContactDetails {
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
  }

  public String get(MatchField field) {
    return switch (field) {
      case EMAIL -> email;
      case FIRST_NAME -> firstName;
      case LAST_NAME -> lastName;
      case PHONE -> phone;
      case COMPANY_NAME -> companyName;
      case MARKETING_CONTEXT_ID -> null;
    };
  }

  /**
   * This record updated with {@code incoming}: every field the submission carries replaces the old
   * value, every field it lacks keeps it. A missing field never blanks a stored one.
   */
  public ContactDetails updatedWith(ContactDetails incoming) {
    Map<String, String> mergedAttributes = new LinkedHashMap<>(attributes);
    mergedAttributes.putAll(incoming.attributes);
    return new ContactDetails(
        orElse(incoming.email, email),
        orElse(incoming.firstName, firstName),
        orElse(incoming.lastName, lastName),
        orElse(incoming.phone, phone),
        orElse(incoming.companyName, companyName),
        orElse(incoming.jobTitle, jobTitle),
        orElse(incoming.country, country),
        mergedAttributes);
  }

  /**
   * This record with {@code incoming} filling only what is empty: a stored field or attribute is never
   * overwritten (what an unsigned submission may do by default, {@link UnsignedUpdates#FILL_EMPTY}).
   */
  public ContactDetails filledWith(ContactDetails incoming) {
    Map<String, String> mergedAttributes = new LinkedHashMap<>(attributes);
    incoming.attributes.forEach(mergedAttributes::putIfAbsent);
    return new ContactDetails(
        orElse(email, incoming.email),
        orElse(firstName, incoming.firstName),
        orElse(lastName, incoming.lastName),
        orElse(phone, incoming.phone),
        orElse(companyName, incoming.companyName),
        orElse(jobTitle, incoming.jobTitle),
        orElse(country, incoming.country),
        mergedAttributes);
  }

  /** The fields as a flat map by wire name (standard fields first, then attributes), without nulls. */
  public Map<String, String> asFieldMap() {
    Map<String, String> map = new LinkedHashMap<>();
    putIfPresent(map, "email", email);
    putIfPresent(map, "firstName", firstName);
    putIfPresent(map, "lastName", lastName);
    putIfPresent(map, "phone", phone);
    putIfPresent(map, "companyName", companyName);
    putIfPresent(map, "jobTitle", jobTitle);
    putIfPresent(map, "country", country);
    map.putAll(attributes);
    return map;
  }

  private static String orElse(String first, String second) {
    return first != null ? first : second;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
