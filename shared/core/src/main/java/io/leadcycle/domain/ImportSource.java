package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A system whose exports people bring to an import (Dynamics 365, HubSpot, Mautic, Salesforce, LinkedIn
 * Lead Gen), known by its documented column names (docs/import.md, one table per source with where the
 * names come from): how to recognise its header row, where each of its columns goes, and which columns
 * are its own bookkeeping. A file from none of them is read by the general headers ({@link ImportTarget}).
 *
 * @param id how the job and a request name it ({@code detectedSource}, {@code source})
 * @param name how people call it
 * @param targets folded header ({@link ImportTarget#fold}) → target, in priority order: of two columns for
 *     one target, the one listed first fills it and the other is its fallback
 * @param marks header spellings (lower case, spaces kept) seen only in this source's exports: each one a
 *     header row has counts towards recognising it
 * @param bookkeeping columns the source writes for itself (record checksums), never imported
 */
public record ImportSource(String id, String name, Map<String, String> targets, Set<String> marks,
    Predicate<String> bookkeeping) {

  /** A header row is taken as a source's export when it has at least this many of the source's marks. */
  static final int MARKS_NEEDED = 2;

  public static final String AUTO = "auto";
  public static final String NONE = "none";

  public static final ImportSource DYNAMICS_365 = new Builder("dynamics365", "Dynamics 365")
      .bookkeeping(header -> header.startsWith("(do not modify)"))
      .marks("(do not modify) row checksum", "(do not modify) modified on", "(do not modify) contact",
          "(do not modify) lead", "business phone", "address 1: city", "address 1: country/region",
          "address 1: street 1", "address 1: zip/postal code", "address 1: state/province", "status reason",
          "parent customer")
      .map("firstName", "First Name")
      .map("lastName", "Last Name")
      .map("fullName", "Full Name", "Name")
      .map("email", "Email", "E-mail", "Email 1", "Email Address")
      .map("phone", "Business Phone", "Mobile Phone", "Mobile", "Home Phone", "Main Phone")
      .map("companyName", "Company Name")
      .map("jobTitle", "Job Title")
      .map("country", "Address 1: Country/Region", "Address 1: Country", "Country/Region", "Country")
      .map(ImportTarget.ACCOUNT_NAME, "Account Name", "Parent Customer", "Company Name (Parent Customer)")
      .map(ImportTarget.ACCOUNT_DOMAIN, "Website")
      .map(ImportTarget.LEAD_TOPIC, "Topic", "Subject")
      .map("attributes.salutation", "Salutation")
      .map("attributes.city", "Address 1: City", "City")
      .map("attributes.street", "Address 1: Street 1", "Street 1")
      .map("attributes.postal_code", "Address 1: ZIP/Postal Code", "ZIP/Postal Code")
      .map("attributes.state", "Address 1: State/Province", "State/Province", "State or Province")
      .map("attributes.department", "Department")
      .map("attributes.description", "Description")
      .map("attributes.lead_source", "Lead Source")
      .map("attributes.status_reason", "Status Reason")
      .map("attributes.rating", "Rating")
      .map("attributes.owner", "Owner")
      .map("attributes.created_on", "Created On")
      .build();

  public static final ImportSource HUBSPOT = new Builder("hubspot", "HubSpot")
      .marks("record id", "lifecycle stage", "contact owner", "associated company", "company domain name",
          "website url", "mobile phone number", "create date", "last activity date",
          "marketing contact status", "hubspot score", "original source", "lead status", "email domain",
          "associated company ids", "primary associated company id")
      .map("firstName", "First Name")
      .map("lastName", "Last Name")
      .map("email", "Email", "Work email")
      .map("phone", "Phone Number", "Mobile Phone Number")
      .map("companyName", "Company Name")
      .map("jobTitle", "Job Title")
      .map("country", "Country/Region", "Country")
      .map(ImportTarget.ACCOUNT_NAME, "Associated Company")
      .map(ImportTarget.ACCOUNT_DOMAIN, "Company domain name", "Website URL")
      .map("attributes.hubspot_record_id", "Record ID", "Contact ID")
      .map("attributes.hubspot_company_id", "Primary Associated Company ID", "Associated Company IDs",
          "Record ID - Company")
      .map("attributes.lifecycle_stage", "Lifecycle Stage")
      .map("attributes.lead_status", "Lead Status")
      .map("attributes.owner", "Contact owner")
      .map("attributes.salutation", "Salutation")
      .map("attributes.fax", "Fax Number")
      .map("attributes.marketing_contact_status", "Marketing contact status")
      .map("attributes.preferred_language", "Preferred language")
      .map(ImportTarget.IGNORE, "Email Domain")
      .map("attributes.city", "City")
      .map("attributes.state", "State/Region")
      .map("attributes.postal_code", "Postal Code")
      .map("attributes.street", "Street Address")
      .map("attributes.industry", "Industry")
      .map("attributes.original_source", "Original Source")
      .map("attributes.created_at", "Create Date")
      .build();

  public static final ImportSource MAUTIC = new Builder("mautic", "Mautic")
      .marks("points", "position", "date_identified", "date_added", "date_modified", "last_active",
          "preferred_locale", "timezone", "attribution", "attribution_date", "address1", "address2", "zipcode",
          "foursquare", "googleplus", "skype")
      .map("attributes.salutation", "title")
      .map("firstName", "firstname")
      .map("lastName", "lastname")
      .map("email", "email")
      .map("phone", "phone", "mobile")
      .map("companyName", "company")
      .map("jobTitle", "position")
      .map("country", "country")
      .map(ImportTarget.ACCOUNT_DOMAIN, "website")
      .map("attributes.mautic_id", "id")
      .map("attributes.mautic_points", "points")
      .map("attributes.mautic_stage", "stage")
      .map("attributes.tags", "tags")
      .map("attributes.fax", "fax")
      .map("attributes.city", "city")
      .map("attributes.state", "state")
      .map("attributes.postal_code", "zipcode")
      .map("attributes.street", "address1")
      .map("attributes.address2", "address2")
      .map("attributes.linkedin_url", "linkedin")
      .map("attributes.preferred_locale", "preferred_locale")
      .map("attributes.created_at", "date_added")
      .build();

  public static final ImportSource SALESFORCE = new Builder("salesforce", "Salesforce")
      // Data Loader writes API names (upper case); reports write field labels.
      .marks("mobilephone", "leadsource", "ownerid", "isconverted", "postalcode", "mailingcity", "mailingcountry",
          "mailingstreet", "mailingpostalcode", "accountid", "createddate", "lastmodifieddate", "systemmodstamp",
          "isdeleted", "company / account", "lead owner", "lead status", "contact owner", "mailing country",
          "mailing city")
      .map("firstName", "FirstName", "First Name")
      .map("lastName", "LastName", "Last Name")
      .map("fullName", "Name")
      .map("email", "Email")
      .map("phone", "Phone", "MobilePhone", "Mobile")
      .map("companyName", "Company", "Company / Account")
      .map("jobTitle", "Title")
      .map("country", "Country", "MailingCountry", "Mailing Country")
      .map(ImportTarget.ACCOUNT_NAME, "Account Name", "Account.Name")
      .map(ImportTarget.ACCOUNT_DOMAIN, "Website")
      .map("attributes.salutation", "Salutation")
      .map("attributes.salesforce_id", "Id", "Lead ID", "Contact ID")
      .map("attributes.lead_source", "LeadSource", "Lead Source")
      .map("attributes.lead_status", "Status", "Lead Status")
      .map("attributes.owner", "Lead Owner", "Contact Owner", "Owner.Name")
      .map("attributes.salesforce_owner_id", "OwnerId")
      .map("attributes.city", "City", "MailingCity", "Mailing City")
      .map("attributes.state", "State", "State/Province", "MailingState", "Mailing State/Province")
      .map("attributes.postal_code", "PostalCode", "Zip/Postal Code", "MailingPostalCode", "Mailing Zip/Postal Code")
      .map("attributes.street", "Street", "MailingStreet", "Mailing Street")
      .map("attributes.industry", "Industry")
      .map("attributes.rating", "Rating")
      .map("attributes.department", "Department")
      .map("attributes.description", "Description")
      .map("attributes.fax", "Fax")
      .map("attributes.created_at", "CreatedDate", "Create Date", "Created Date")
      .build();

  public static final ImportSource LINKEDIN_LEAD_GEN = new Builder("linkedin_lead_gen", "LinkedIn Lead Gen Forms")
      .marks("lead id", "submitted at", "submitted on", "campaign name", "campaign id", "form name", "form id",
          "linkedin profile url", "linkedin profile", "lead type", "work email", "work phone number", "ad name")
      .map("firstName", "First Name")
      .map("lastName", "Last Name")
      .map("email", "Work Email", "Email Address", "Email")
      .map("phone", "Work Phone Number", "Phone Number", "Mobile Phone Number")
      .map("companyName", "Company Name")
      .map("jobTitle", "Job Title")
      .map("country", "Country/Region", "Country")
      .map("attributes.linkedin_lead_id", "Lead ID")
      .map("attributes.linkedin_url", "LinkedIn Profile URL", "LinkedIn Profile")
      .map("attributes.city", "City")
      .map("attributes.state", "State/Province")
      .map("attributes.postal_code", "Zip Code", "Postal Code", "ZIP/Postal Code")
      .map("attributes.seniority", "Seniority")
      .map("attributes.job_function", "Job Function")
      .map("attributes.industry", "Industry")
      .map("attributes.company_size", "Company Size")
      .map(ImportTarget.ACCOUNT_DOMAIN, "Website", "Company Website")
      .map("attributes.linkedin_campaign", "Campaign Name")
      .map("attributes.linkedin_form", "Form Name")
      .map("attributes.submitted_at", "Submitted At", "Submitted On", "Date Submitted")
      .build();

  public static final List<ImportSource> ALL = List.of(DYNAMICS_365, HUBSPOT, MAUTIC, SALESFORCE, LINKEDIN_LEAD_GEN);

  /** What a request's {@code source} may say: detect it, one of the sources, or none (the general headers). */
  public static final List<String> CHOICES = choices();

  public static Optional<ImportSource> byId(String id) {
    return ALL.stream().filter(source -> source.id.equals(id)).findFirst();
  }

  /**
   * The source whose marks the header row has most of, at least {@link #MARKS_NEEDED}, and more than any
   * other (a tie is no source: the general headers then).
   */
  public static Optional<ImportSource> recognise(List<String> header) {
    ImportSource best = null;
    int bestMarks = 0;
    boolean tie = false;
    for (ImportSource source : ALL) {
      int marks = 0;
      for (String column : header) {
        String spelling = spelling(column);
        if (source.marks.contains(spelling) || source.bookkeeping.test(spelling)) {
          marks++;
        }
      }
      if (marks > bestMarks) {
        best = source;
        bestMarks = marks;
        tie = false;
      } else if (marks == bestMarks && marks > 0) {
        tie = true;
      }
    }
    return bestMarks >= MARKS_NEEDED && !tie ? Optional.of(best) : Optional.empty();
  }

  /** Whether {@code header} is one of the source's bookkeeping columns. */
  public boolean isBookkeeping(String header) {
    return bookkeeping.test(spelling(header));
  }

  /** Where the source's {@code header} goes, and its priority among the source's columns for that target. */
  public Optional<Ranked> target(String header) {
    String folded = ImportTarget.fold(header);
    String target = targets.get(folded);
    if (target == null) {
      return Optional.empty();
    }
    return ImportTarget.parse(target).map(t -> new Ranked(t, new ArrayList<>(targets.keySet()).indexOf(folded)));
  }

  /** A target with its priority: of two columns for one target, the lower rank fills it. */
  public record Ranked(ImportTarget target, int rank) {
  }

  /** A header as marks are written: trimmed, lower case, inner spaces kept. */
  static String spelling(String header) {
    return header.replace("\uFEFF", "").strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static List<String> choices() {
    List<String> choices = new ArrayList<>(List.of(AUTO, NONE));
    ALL.forEach(source -> choices.add(source.id));
    return List.copyOf(choices);
  }

  private static final class Builder {
    private final String id;
    private final String name;
    private final Map<String, String> targets = new LinkedHashMap<>();
    private Set<String> marks = Set.of();
    private Predicate<String> bookkeeping = header -> false;

    Builder(String id, String name) {
      this.id = id;
      this.name = name;
    }

    Builder marks(String... spellings) {
      this.marks = Set.of(spellings);
      return this;
    }

    Builder bookkeeping(Predicate<String> test) {
      this.bookkeeping = test;
      return this;
    }

    Builder map(String target, String... headers) {
      if (ImportTarget.parse(target).isEmpty()) {
        throw new IllegalArgumentException("not an import target: " + target);
      }
      for (String header : headers) {
        targets.putIfAbsent(ImportTarget.fold(header), target);
      }
      return this;
    }

    ImportSource build() {
      return new ImportSource(id, name, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets)), marks,
          bookkeeping);
    }
  }
}
