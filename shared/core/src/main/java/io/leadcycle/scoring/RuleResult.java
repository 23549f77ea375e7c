package io.leadcycle.scoring;

/** What one rule gave: its points (fractional with decay) and how many facts it counted. */
public record RuleResult(String ruleId, double points, int occurrences) {
}
