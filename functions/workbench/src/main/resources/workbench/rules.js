// Which process actions fit a lead now and which roles may send them: the rules of LeadProcessMachine and
// the permission table (Permissions) as the page needs them, in one place. WorkbenchBrowserTest compares
// both tables with the Java code, so a change there fails the build until this file follows.

/** Every role, in the permission table's order. */
export const ROLES = ['marketing', 'telemarketing', 'sales', 'sales_manager', 'admin'];

/**
 * Who may send each process action: the roles the permission table names plus those it grants them to
 * (a sales manager may what sales may; admin everything). `qualify` is PATCHing the findings: any role.
 */
export const ACTION_ROLES = {
  'mark-telemarketing-ready': ['marketing', 'admin'],
  'mark-sales-ready': ['marketing', 'admin'],
  'accept-telemarketing': ['telemarketing', 'admin'],
  'ready-for-sales': ['telemarketing', 'admin'],
  'accept-sales': ['sales', 'sales_manager', 'admin'],
  convert: ['sales', 'sales_manager', 'admin'],
  disqualify: ['telemarketing', 'sales', 'sales_manager', 'admin'],
  move: ['sales_manager', 'admin'],
  assign: ['sales_manager', 'admin'],
  unassign: ['sales_manager', 'admin'],
  qualify: ['marketing', 'telemarketing', 'sales', 'sales_manager', 'admin'],
};

/** The process actions, in the order a lead page offers them: the next step first, corrections last. */
export const ACTIONS = ['accept-telemarketing', 'qualify', 'accept-sales', 'convert', 'assign', 'unassign',
  'mark-telemarketing-ready', 'mark-sales-ready', 'disqualify', 'move'];

/**
 * Whether the process machine takes `action` on `lead` (its stage, status and flags), given the arguments
 * it needs: exactly LeadProcessMachine's rules for the default process. A closed lead takes nothing.
 */
export function processAllows(action, lead) {
  if (!lead || lead.status !== 'open') {
    return false;
  }
  switch (action) {
    case 'mark-telemarketing-ready': return !lead.salesReady && !lead.telemarketingReady;
    case 'accept-telemarketing': return lead.stage === 'telemarketing_acceptance';
    case 'ready-for-sales': return lead.stage === 'telemarketing_qualification';
    case 'mark-sales-ready': return !lead.salesReady;
    case 'accept-sales': return Boolean(lead.salesReady) && !lead.salesAccepted;
    case 'convert': return Boolean(lead.salesAccepted);
    case 'disqualify':
    case 'move':
    case 'assign':
    case 'unassign':
      return true;
    default:
      return false;
  }
}

/**
 * Whether `action` is a step of the lead's stage, the ones its page shows first. Narrower than the machine
 * where the machine allows a correction anywhere: moving by hand is always a correction; assigning is the
 * sales manager's step for sales-ready leads; unassigning needs an owner; the qualification is recorded in
 * telemarketing qualification (the API takes it in any open stage: behind "More actions").
 */
export function fitsStage(action, lead) {
  switch (action) {
    case 'move': return false;
    case 'assign': return processAllows(action, lead) && Boolean(lead.salesReady);
    case 'unassign': return processAllows(action, lead) && Boolean(lead.owner);
    case 'qualify': return processAllows('ready-for-sales', lead);
    default: return processAllows(action, lead);
  }
}

/** Whether someone holding `roles` may send `action`. */
export function roleMay(action, roles) {
  const may = ACTION_ROLES[action] || ['admin'];
  return (roles || []).some((role) => may.includes(role));
}

/** "sales manager or admin": the roles that may, in words. */
export function rolesInWords(roles) {
  const names = roles.map((role) => role.replace('_', ' '));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] || '');
}

/**
 * The lead's actions split for its page: `first` the steps of its stage the signed-in user may take,
 * `more` the rest, each with why it is not first. `roles` null (unknown) counts as allowed: the API decides.
 */
export function arrange(lead, roles) {
  const first = [];
  const more = [];
  for (const action of ACTIONS) {
    const fits = fitsStage(action, lead);
    const may = roles === null || roleMay(action, roles);
    if (fits && may) {
      first.push(action);
    } else if (!processAllows(action === 'qualify' ? 'disqualify' : action, lead)) {
      more.push({action, why: lead && lead.status !== 'open' ? `The lead is ${lead.status}.` : 'Not a step of this stage.'});
    } else if (!may) {
      more.push({action, why: `Needs ${rolesInWords(ACTION_ROLES[action])}.`});
    } else {
      more.push({action, why: action === 'move' ? 'A correction by hand.' : 'Not a step of this stage.'});
    }
  }
  return {first, more};
}
