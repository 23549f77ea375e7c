// Words and numbers as a marketing-operations person reads them.

/** The stages of the default process, in order, with the names users see. */
export const STAGES = [
  ['inquiry', 'Inquiry'],
  ['automated_marketing_qualification', 'Automated marketing qualification'],
  ['telemarketing_acceptance', 'Telemarketing acceptance'],
  ['telemarketing_qualification', 'Telemarketing qualification'],
  ['sales_acceptance', 'Sales acceptance'],
];

export function stageName(stage) {
  const known = STAGES.find(([wire]) => wire === stage);
  return known ? known[1] : (stage ?? '—');
}

const CONTEXT_KINDS = {
  marketing_page: 'Marketing page', event: 'Event', linkedin_form: 'LinkedIn form', journey: 'Journey',
  campaign: 'Campaign', manual: 'Manual', import: 'Import',
};

export function contextText(context) {
  if (!context) {
    return '—';
  }
  const kind = CONTEXT_KINDS[context.kind] ?? context.kind ?? '';
  const name = context.name || context.id || '';
  return name ? `${kind}: ${name}` : kind;
}

export function personName(contact) {
  if (!contact) {
    return null;
  }
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return name || null;
}

/** "3 min", "5 h", "2 d" since the time given. */
export function age(isoTime, now = Date.now()) {
  const then = Date.parse(isoTime);
  if (Number.isNaN(then)) {
    return '—';
  }
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function dateTime(isoTime) {
  if (!isoTime) {
    return '—';
  }
  const date = new Date(isoTime);
  return Number.isNaN(date.getTime()) ? String(isoTime) : date.toLocaleString();
}

export function yesNo(flag) {
  return flag ? 'yes' : 'no';
}

/** A timeline value: flags as yes/no, stages by name, nothing as "—". */
export function timelineValue(field, value) {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'boolean') {
    return yesNo(value);
  }
  return field === 'stage' ? stageName(value) : String(value);
}

const FIELD_NAMES = {
  stage: 'Stage', status: 'Status', telemarketingReady: 'Telemarketing-ready', telemarketingAccepted: 'Telemarketing accepted',
  salesReady: 'Sales-ready', salesAccepted: 'Sales accepted', ownerId: 'Owner', contactId: 'Contact', accountId: 'Account',
  topic: 'Topic',
};

export function fieldName(field) {
  return FIELD_NAMES[field] ?? field;
}

export function points(value) {
  return value > 0 ? `+${value}` : String(value);
}
