// Which process actions fit a lead now and which roles may send them: the rules of ProcessMachine and the
// permission table (Permissions) as the page needs them, in one place. The rules speak of the stages' roles,
// so they hold on any process version (the lead's own, GET /v1/processes/{id}/versions/{n}). WorkbenchBrowserTest
// compares both tables with the Java code, so a change there fails the build until this file follows.

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
  'complete-stage': ['telemarketing', 'sales', 'sales_manager', 'admin'],
  'set-fields': ['telemarketing', 'sales', 'sales_manager', 'admin'],
  'switch-process': ['marketing', 'sales_manager', 'admin'],
  qualify: ['marketing', 'telemarketing', 'sales', 'sales_manager', 'admin'],
};

/**
 * The shipped process, `default` version 1, as GET /v1/processes/default/versions/1 answers it (without its
 * fields): what the rules use when a lead's process version is not known.
 */
export const DEFAULT_PROCESS = {processId: 'default', version: 1, stages: [
  {name: 'inquiry', role: 'inquiry'},
  {name: 'automated_marketing_qualification', role: 'automated_marketing_qualification'},
  {name: 'telemarketing_acceptance', role: 'telemarketing_acceptance'},
  {name: 'telemarketing_qualification', role: 'telemarketing_qualification'},
  {name: 'sales_acceptance', role: 'sales_acceptance'},
]};

function stagesOf(process) {
  return process && Array.isArray(process.stages) ? process.stages : DEFAULT_PROCESS.stages;
}

/** The lead's stage in its process ({name, role, fields}), or null when the process has no such stage. */
export function currentStage(lead, process) {
  return stagesOf(process).find((stage) => stage.name === lead.stage) || null;
}

/** Whether the process has a stage of `role`. */
function hasRole(process, role) {
  return stagesOf(process).some((stage) => stage.role === role);
}

/** Whether the lead runs on the shipped process (its qualification form is the PATCH route's). */
export function isDefault(process) {
  return !process || process.processId === 'default';
}

/**
 * The index of the stage the lead's stage fields may be set on up to: the current stage and earlier ones
 * take set-fields, later ones are 409 (set once the lead gets there).
 */
export function editableUpTo(lead, process) {
  return stagesOf(process).findIndex((stage) => stage.name === lead.stage);
}

/** The process actions, in the order a lead page offers them: the next step first, corrections last. */
export const ACTIONS = ['accept-telemarketing', 'qualify', 'ready-for-sales', 'accept-sales', 'convert', 'assign',
  'unassign', 'mark-telemarketing-ready', 'mark-sales-ready', 'disqualify', 'move', 'switch-process'];

/**
 * Whether the process machine takes `action` on `lead` (its stage, status and flags) on its process version
 * `process` (the default process when not given), given the arguments it needs: exactly ProcessMachine's rules,
 * by the stages' roles. A closed lead takes nothing; a stage its process does not know takes only `move`.
 * `complete-stage` is refused for missing required fields too, which only the API knows (it names them).
 */
export function processAllows(action, lead, process) {
  if (!lead || lead.status !== 'open') {
    return false;
  }
  const stage = currentStage(lead, process);
  if (!stage && action !== 'move') {
    return false;
  }
  const stages = stagesOf(process);
  switch (action) {
    case 'mark-telemarketing-ready':
      return !lead.salesReady && !lead.telemarketingReady && hasRole(process, 'telemarketing_acceptance');
    case 'accept-telemarketing': return stage.role === 'telemarketing_acceptance';
    case 'ready-for-sales': return stage.role === 'telemarketing_qualification';
    case 'mark-sales-ready': return !lead.salesReady;
    case 'accept-sales': return Boolean(lead.salesReady) && !lead.salesAccepted;
    case 'convert': return Boolean(lead.salesAccepted);
    case 'complete-stage':
      return stages.indexOf(stage) < stages.length - 1 && (stage.role !== 'sales_acceptance' || Boolean(lead.salesAccepted));
    case 'disqualify':
    case 'move':
    case 'assign':
    case 'unassign':
    case 'set-fields':
    case 'switch-process':
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
export function fitsStage(action, lead, process) {
  switch (action) {
    case 'move':
    case 'switch-process':
      return false;
    case 'assign': return processAllows(action, lead, process) && Boolean(lead.salesReady);
    case 'unassign': return processAllows(action, lead, process) && Boolean(lead.owner);
    case 'qualify': return isDefault(process) && processAllows('ready-for-sales', lead, process);
    // On the default process "ready for sales" is the qualification form's second button.
    case 'ready-for-sales': return !isDefault(process) && processAllows(action, lead, process);
    default: return processAllows(action, lead, process);
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
export function arrange(lead, roles, process) {
  const first = [];
  const more = [];
  // The qualification form is the default process's (PATCH qualification); other processes record their
  // telemarketing findings as stage fields and have "ready for sales" on its own.
  const offered = ACTIONS.filter((action) => (isDefault(process) ? action !== 'ready-for-sales' : action !== 'qualify'));
  for (const action of offered) {
    const fits = fitsStage(action, lead, process);
    const may = roles === null || roleMay(action, roles);
    if (fits && may) {
      first.push(action);
    } else if (!processAllows(action === 'qualify' ? 'disqualify' : action, lead, process)) {
      more.push({action, why: lead && lead.status !== 'open' ? `The lead is ${lead.status}.` : 'Not a step of this stage.'});
    } else if (!may) {
      more.push({action, why: `Needs ${rolesInWords(ACTION_ROLES[action])}.`});
    } else {
      more.push({action, why: action === 'move' || action === 'switch-process' ? 'A correction by hand.' : 'Not a step of this stage.'});
    }
  }
  return {first, more};
}
