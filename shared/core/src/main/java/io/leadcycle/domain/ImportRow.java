package io.leadcycle.domain;

import io.leadcycle.domain.AccountLinking.AccountKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One data row of an imported file, read by its {@link ImportColumns}: the contact it describes (empty
 * cells never count: an import never blanks a stored value), its contact key under the import's
 * contact strategy, its account key, and a lead import's topic.
 *
 * @param row the row as a spreadsheet numbers it (the header is row 1)
 * @param contactKey null when the row lacks a field the contact strategy matches on
 * @param accountKey null when the row names no account (and account matching finds none)
 * @param topic the lead's topic from a {@code lead.topic} column, else null
 */
public record ImportRow(long row, ContactDetails contact, MatchKey contactKey, AccountKey accountKey, String topic) {

  /** A cell (or a whole row, {@code column} null) that stopped a row from being imported. */
  public record RowError(long row, String column, String value, String reason) {
  }

  /**
   * A row read: the row, or what is wrong with it; and what was left out of an imported row (values an
   * optional field cannot take, attributes over the limit).
   */
  public record Read(ImportRow row, List<RowError> errors, List<ImportWarning> warnings) {

    public Read {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  /** Values CRMs write into required fields nobody filled (Salesforce's web-to-lead company): empty cells. */
  static final Set<String> PLACEHOLDERS = Set.of("[not provided]");

  /** The longest cell value kept in an error report. */
  static final int MAX_REPORTED_VALUE = 500;

  /**
   * Reads {@code values} (the row's cells in column order) as the import's columns say. A bad value in a
   * field the contact strategy matches on refuses the row (it could not be told who it is); a bad value in
   * any other field (a website {@code n/a}, a phone {@code -}) is left out with a warning and the row
   * imported, as LinkedIn's leads are. Empty cells are no attributes; attributes with a value beyond
   * {@link Submission#MAX_ATTRIBUTES} are left out (the later columns), with a warning naming them.
   */
  public static Read read(long row, List<String> values, ImportColumns columns, ImportRequest request,
      MatchingStrategy contactStrategy) {
    List<RowError> errors = new ArrayList<>();
    List<ImportWarning> warnings = new ArrayList<>();
    if (values.size() > columns.headers().size()) {
      errors.add(new RowError(row, null, null, "the row has " + values.size() + " cells, the header "
          + columns.headers().size() + " columns"));
      return new Read(null, errors, warnings);
    }
    Set<String> matchFields = new HashSet<>();
    contactStrategy.fields().forEach(field -> matchFields.add(field.wireName()));
    Cells cells = new Cells();
    // The columns that fill their target first, then the fallbacks: a fallback fills only what they left empty.
    for (boolean fallbacks : new boolean[] {false, true}) {
      for (int i = 0; i < values.size(); i++) {
        ImportColumns.Column column = columns.plan().get(i);
        String value = values.get(i) == null ? "" : values.get(i).strip();
        if (PLACEHOLDERS.contains(value.toLowerCase(java.util.Locale.ROOT))) {
          value = ""; // what a CRM writes for a required field nobody filled is no value
        }
        if (!column.isRead() || column.fallback() != fallbacks || value.isEmpty()) {
          continue;
        }
        String fault = Fields.textFault(value);
        if (fault != null) {
          // PostgreSQL cannot store a NUL: the cell is the row's error, shown with the NUL as ␀ (U+2400).
          errors.add(new RowError(row, column.header(), reported(value.replace('\0', '\u2400')), fault));
          continue;
        }
        ImportTarget target = column.target();
        if (column.fallback() && cells.has(target)) {
          // Both columns have a value: the first fills the field, this one is kept as an attribute.
          if (column.otherwise() != null) {
            cells.put(row, column.header(), column.otherwise(), value, matchFields, errors, warnings);
          }
          continue;
        }
        cells.put(row, column.header(), target, value, matchFields, errors, warnings);
      }
    }
    // A value a matched-on field cannot take refuses the row, unless a fallback column filled the field.
    cells.refused.forEach((target, refusals) -> {
      if (!cells.standard.containsKey(target)) {
        errors.addAll(refusals);
      }
    });
    Map<String, String> standard = cells.standard;
    Map<String, String> attributes = cells.attributes;
    List<String> overLimit = cells.overLimit;
    String accountDomain = cells.accountDomain;
    String accountName = cells.accountName;
    String topic = cells.topic;
    if (!errors.isEmpty()) {
      return new Read(null, errors, List.of());
    }
    if (!overLimit.isEmpty()) {
      warnings.add(ImportWarning.attributesOverLimit(row, overLimit));
    }
    ContactDetails contact = new ContactDetails(standard.get("email"), standard.get("firstName"),
        standard.get("lastName"), standard.get("phone"), standard.get("companyName"), standard.get("jobTitle"),
        standard.get("country"), attributes);
    String contextId = request.entity() == ImportEntity.LEADS ? request.leadContext().id() : null;
    MatchKey contactKey = MatchKey.of(contactStrategy, contact, contextId).orElse(null);
    // An account found by its website alone is named after the row's company, not its domain.
    AccountKey accountKey = accountKey(accountName != null ? accountName : contact.companyName(), accountName,
        accountDomain, contact, request.accountMatching());
    if (contactKey == null && (request.entity() == ImportEntity.CONTACTS || accountKey == null)) {
      List<String> missing = new ArrayList<>();
      String firstMissingColumn = null;
      for (MatchField field : contactStrategy.fields()) {
        if (field != MatchField.MARKETING_CONTEXT_ID && field.normalize(contact.get(field)) == null) {
          missing.add(field.wireName());
          if (firstMissingColumn == null) {
            firstMissingColumn = columns.columnOf(field.wireName());
          }
        }
      }
      String needs = "needs " + String.join(", ", missing) + " (contact strategy " + contactStrategy.id() + ")";
      errors.add(new RowError(row, firstMissingColumn, null, request.entity() == ImportEntity.CONTACTS ? needs
          : needs + " for a contact, or an account column for an account lead"));
      return new Read(null, errors, List.of());
    }
    return new Read(new ImportRow(row, contact, contactKey, accountKey, topic), List.of(), warnings);
  }

  /** The values of one row's cells so far, by target. */
  private static final class Cells {
    final Map<String, String> standard = new LinkedHashMap<>();
    final Map<String, String> attributes = new LinkedHashMap<>();
    final List<String> overLimit = new ArrayList<>();
    /** Per matched-on field, the errors of its values that could not be taken (a fallback may still fill it). */
    final Map<String, List<RowError>> refused = new LinkedHashMap<>();
    String accountName;
    String accountDomain;
    String topic;

    boolean has(ImportTarget target) {
      return switch (target.wireName()) {
        case ImportTarget.ACCOUNT_NAME -> accountName != null;
        case ImportTarget.ACCOUNT_DOMAIN -> accountDomain != null;
        case ImportTarget.LEAD_TOPIC -> topic != null;
        case ImportTarget.FULL_NAME -> standard.containsKey("firstName") || standard.containsKey("lastName");
        default -> target.isAttribute() ? attributes.containsKey(target.attribute()) : standard.containsKey(target.wireName());
      };
    }

    /**
     * Checks {@code value} as {@code target} takes it and keeps it. A value a field the contact strategy
     * matches on cannot take is the row's error; any other is left out with a warning.
     */
    void put(long row, String column, ImportTarget target, String value, Set<String> matchFields,
        List<RowError> errors, List<ImportWarning> warnings) {
      if (target.wireName().equals(ImportTarget.FULL_NAME)) {
        String[] name = ImportTarget.splitFullName(value);
        if (name[0] != null) {
          put(row, column, new ImportTarget("firstName", null), name[0], matchFields, errors, warnings);
        }
        put(row, column, new ImportTarget("lastName", null), name[1], matchFields, errors, warnings);
        return;
      }
      List<FieldError> cellErrors = new ArrayList<>();
      String domain = null;
      if (target.isContactField()) {
        ContactFields.checkStandardField(column, target.wireName(), value, cellErrors);
      } else if (target.isAttribute()) {
        if (value.length() > Submission.MAX_ATTRIBUTE_LENGTH) {
          cellErrors.add(new FieldError(column, "longer than " + Submission.MAX_ATTRIBUTE_LENGTH + " characters"));
        }
      } else if (value.length() > Submission.MAX_TEXT_LENGTH) {
        cellErrors.add(new FieldError(column, "longer than " + Submission.MAX_TEXT_LENGTH + " characters"));
      } else if (target.wireName().equals(ImportTarget.ACCOUNT_DOMAIN)) {
        domain = domainOf(value);
        if (domain == null) {
          cellErrors.add(new FieldError(column, "not a domain"));
        }
      }
      if (!cellErrors.isEmpty()) {
        if (matchFields.contains(target.wireName())) {
          cellErrors.forEach(e -> refused.computeIfAbsent(target.wireName(), t -> new ArrayList<>())
              .add(new RowError(row, e.field(), reported(value), e.message())));
        } else {
          warnings.add(ImportWarning.valueLeftOut(row, column, reported(value), cellErrors.get(0).message()));
        }
        return;
      }
      if (target.isContactField()) {
        standard.putIfAbsent(target.wireName(), value);
      } else if (target.isAttribute()) {
        if (attributes.containsKey(target.attribute())) {
          return;
        }
        if (attributes.size() < Submission.MAX_ATTRIBUTES) {
          attributes.put(target.attribute(), value);
        } else {
          overLimit.add(column);
        }
      } else {
        switch (target.wireName()) {
          case ImportTarget.ACCOUNT_NAME -> accountName = accountName != null ? accountName : value;
          case ImportTarget.ACCOUNT_DOMAIN -> accountDomain = accountDomain != null ? accountDomain : domain;
          case ImportTarget.LEAD_TOPIC -> topic = topic != null ? topic : value;
          default -> throw new IllegalStateException("unhandled import target " + target.wireName());
        }
      }
    }
  }

  /** An account column wins; without one, the contact's own fields as account matching says. */
  private static AccountKey accountKey(String nameForDomain, String name, String domain, ContactDetails contact,
      AccountMatching matching) {
    if (domain != null) {
      return new AccountKey(AccountMatching.DOMAIN, domain, nameForDomain != null ? nameForDomain : domain, domain);
    }
    if (name != null) {
      String normalized = Normalize.text(name);
      return normalized == null ? null : new AccountKey(AccountMatching.COMPANY_NAME, normalized, name, null);
    }
    return new AccountLinking(matching, true).keyOf(contact).orElse(null);
  }

  /** A website or domain as people write it ({@code https://www.Example.com/about}) as a domain. */
  static String domainOf(String value) {
    String host = value.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("[/?#].*$", "")
        .replaceFirst(":\\d+$", "");
    String domain = Normalize.domain(host);
    return domain != null && domain.matches("[\\p{L}\\p{Nd}-]+(\\.[\\p{L}\\p{Nd}-]+)+") ? domain : null;
  }

  private static String reported(String value) {
    return value.length() > MAX_REPORTED_VALUE ? value.substring(0, MAX_REPORTED_VALUE) + "…" : value;
  }
}
