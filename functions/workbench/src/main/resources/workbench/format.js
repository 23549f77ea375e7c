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

/** Call outcomes as the API names them, in the order the "Log a call" buttons offer them (keys 1–5). */
export const OUTCOMES = [
  ['reached', 'Reached'],
  ['no_answer', 'No answer'],
  ['voicemail', 'Voicemail'],
  ['wrong_number', 'Wrong number'],
  ['call_back', 'Call back'],
];

const ACTIVITY_KINDS = {call: 'Call', note: 'Note', email: 'Email sent'};

/** "Call: no answer, 2 h ago, Tina Caller" from a lead's `lastActivity` (absent: "—"). */
export function activityText(activity, now = Date.now()) {
  if (!activity || typeof activity !== 'object') {
    return '—';
  }
  const kind = ACTIVITY_KINDS[activity.kind] ?? activity.kind ?? 'Activity';
  const outcome = OUTCOMES.find(([wire]) => wire === activity.outcome);
  const when = activity.at ? `${age(activity.at, now)} ago` : null;
  return [outcome ? `${kind}: ${outcome[1].toLowerCase()}` : kind, when, activity.actor].filter(Boolean).join(', ');
}

/** Whether a follow-up time has come. */
export function isDue(isoTime, now = Date.now()) {
  const then = Date.parse(isoTime);
  return !Number.isNaN(then) && then <= now;
}

/** The owner's name: the assigned user, else the free text `accept-sales` recorded, else "—". */
export function ownerName(lead) {
  return (lead.owner && lead.owner.name) || lead.ownerId || '—';
}
