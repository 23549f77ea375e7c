package io.leadcycle.domain;

import java.util.Optional;

/**
 * A form's account linking: how a submitter's account is found and whether intake may create it.
 * The suite never had this; account-based scoring needs it.
 */
public record AccountLinking(AccountMatching matching, boolean createAccounts) {

  public static final AccountLinking OFF = new AccountLinking(AccountMatching.OFF, false);

  /**
   * The account key of a submission: the value to look the account up by, the lock that makes
   * concurrent first submissions from one company create one account, and the new account's name.
   * Empty when linking is off or the submission gives nothing to link by (no email domain, a free-mail
   * domain, no company name).
   */
  public Optional<AccountKey> keyOf(ContactDetails submitted) {
    return switch (matching) {
      case OFF -> Optional.empty();
      case DOMAIN -> Optional.ofNullable(Normalize.emailDomain(submitted.email()))
          .filter(domain -> !FreeMailDomains.contains(domain))
          .map(domain -> new AccountKey(AccountMatching.DOMAIN, domain,
              submitted.companyName() != null ? submitted.companyName() : domain, domain));
      case COMPANY_NAME -> Optional.ofNullable(Normalize.text(submitted.companyName()))
          .map(name -> new AccountKey(AccountMatching.COMPANY_NAME, name, submitted.companyName().strip(),
              null));
    };
  }

  /**
   * What identifies a submitter's account.
   *
   * @param value the normalized domain or company name compared with the account's
   * @param newName the name an account created for this key gets
   * @param newDomain the domain an account created for this key gets (null when matching by name)
   */
  public record AccountKey(AccountMatching matching, String value, String newName, String newDomain) {

    /** The advisory-lock name; contacts and leads use other prefixes. */
    public String lockName() {
      return "account\u001f" + matching.wireName() + "=" + value;
    }
  }
}
