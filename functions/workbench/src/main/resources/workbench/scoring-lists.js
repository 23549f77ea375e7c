// The fixed lists a scoring model is written with, as the API's model parser has them (ModelParser,
// RuleFields, Op, InteractionType, BehavioralRule.Frequency). The API has no route that lists them, so they
// are mirrored here; ModelDesignerBrowserTest compares every list with the Java side (and every field's ops
// with what the parser accepts).

export const TARGETS = ['contact', 'account'];

export const KINDS = ['demographic', 'firmographic', 'behavioral'];

/** What each kind of rule reads, in the marketing team's words. */
export const KIND_NAMES = {
  demographic: 'Demographic (the contact)',
  firmographic: 'Firmographic (the account)',
  behavioral: 'Behavioral (what they did)',
};

/** The fields a field rule may name, and whether each holds a number (compared with gt, gte, lt, lte only). */
export const FIELDS = {
  demographic: [
    {name: 'email', number: false}, {name: 'firstName', number: false}, {name: 'lastName', number: false},
    {name: 'phone', number: false}, {name: 'companyName', number: false}, {name: 'jobTitle', number: false},
    {name: 'country', number: false},
  ],
  firmographic: [
    {name: 'name', number: false}, {name: 'domain', number: false}, {name: 'industry', number: false},
    {name: 'employeeCount', number: true}, {name: 'annualRevenue', number: true}, {name: 'country', number: false},
  ],
};

/** A demographic rule may also name a custom contact attribute: attributes.<name>. */
export const ATTRIBUTE_PREFIX = 'attributes.';

export const OPS = ['eq', 'neq', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'exists'];

export const OP_NAMES = {
  eq: 'is', neq: 'is not', contains: 'contains', in: 'is one of', gt: 'more than', gte: 'at least', lt: 'less than',
  lte: 'at most', exists: 'is filled in',
};

const NUMERIC_OPS = ['gt', 'gte', 'lt', 'lte'];

export const INTERACTIONS = ['email_opened', 'email_clicked', 'form_submitted', 'website_visited', 'event_registered',
  'event_attended', 'linkedin_form_submitted'];

export const FREQUENCIES = ['each', 'at_least_once', 'none'];

export const FREQUENCY_NAMES = {
  each: 'each time (points per interaction)', at_least_once: 'at least once (points once)',
  none: 'never (points when there is none)',
};

/**
 * The ops a rule on `field` of `kind` may use: text fields take no number comparison, number fields no
 * "contains"; a custom attribute takes every op (compared as a number when the value is one).
 */
export function opsFor(kind, field) {
  const type = fieldType(kind, field);
  if (type === 'attribute') return OPS;
  if (type === 'number') return OPS.filter((op) => op !== 'contains');
  return OPS.filter((op) => !NUMERIC_OPS.includes(op));
}

/** 'number', 'text', 'attribute', or null for a field the kind cannot name. */
export function fieldType(kind, field) {
  if (kind === 'demographic' && String(field || '').startsWith(ATTRIBUTE_PREFIX)) return 'attribute';
  const found = (FIELDS[kind] || []).find((f) => f.name === field);
  return found ? (found.number ? 'number' : 'text') : null;
}

export function isNumericOp(op) {
  return NUMERIC_OPS.includes(op);
}
