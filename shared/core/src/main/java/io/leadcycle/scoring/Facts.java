package io.leadcycle.scoring;

import java.util.Map;

/**
 * Everything a model scores one lead from.
 *
 * @param contact the contact's fields by wire name ({@code email}, {@code jobTitle}, ...) and its
 *     attributes as {@code attributes.<name>}; text values; empty for an account-based lead
 * @param consent the contact's consent object (null when none was given)
 * @param account the account's fields by wire name ({@code industry}, {@code employeeCount} as a
 *     number, ...); empty when there is no account
 * @param behavior the facts of each behavioral rule, by rule id (a rule without an entry saw nothing)
 */
public record Facts(Map<String, Object> contact, Map<String, Object> consent, Map<String, Object> account,
    Map<String, BehaviorFacts> behavior) {
}
