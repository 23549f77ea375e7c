// What carries over between the views of a shift: the queue a lead was opened from (for "Next lead"),
// which queues each role works, and where each role starts.
import {api} from './api.js';

/**
 * The queues, in the navigation's order: the view the API lists, who works it, and what it is. A queue
 * not in the caller's roles is left out of the navigation (admin sees all); the API decides all the same.
 */
export const QUEUES = {
  mine: {title: 'My leads', roles: ['telemarketing', 'sales', 'sales_manager', 'admin'], view: 'mine',
    explain: 'Open leads you own.'},
  unassigned: {title: 'Unassigned', roles: ['sales_manager', 'admin'], view: 'unassigned', stage: 'sales_acceptance',
    explain: 'Open leads nobody owns; first the sales-ready ones, to assign to a salesperson.'},
  my_calls: {title: 'My calls', roles: ['telemarketing', 'admin'], view: 'my_calls',
    explain: 'Leads you accepted in telemarketing and are qualifying on the phone.'},
  due: {title: 'Due follow-ups', roles: ['telemarketing', 'sales', 'sales_manager', 'admin'], view: 'due', sort: 'due',
    explain: 'Your follow-ups whose time has come.'},
  telemarketing: {title: 'Telemarketing queue', nav: 'Telemarketing', roles: ['marketing', 'telemarketing', 'admin'],
    view: 'telemarketing', explain: 'Telemarketing-ready leads that no telemarketer has accepted yet.'},
  sales: {title: 'Sales queue', nav: 'Sales', roles: ['marketing', 'sales', 'sales_manager', 'admin'], view: 'sales',
    explain: 'Sales-ready leads only.'},
};

/** Views besides the queues, with who uses them. */
export const OTHER_VIEWS = {
  // Marketing builds segments for its journeys; every other role may still open #/segments (the API lets all read).
  segments: {nav: 'Segments', roles: ['marketing', 'admin']},
  models: {nav: 'Scoring models', roles: ['marketing', 'admin']},
  forms: {nav: 'Forms', roles: ['marketing', 'admin']},
  subscribers: {nav: 'Subscribers', roles: ['marketing', 'admin']},
  imports: {nav: 'Imports', roles: ['marketing', 'admin']},
  linkedin: {nav: 'LinkedIn', roles: ['marketing', 'admin']},
  configuration: {nav: 'Configuration', roles: ['marketing', 'admin']},
};

/** Where a role starts its shift; for several roles the first that matches, in this order. */
const STARTS = [['admin', 'sales'], ['sales_manager', 'unassigned'], ['sales', 'mine'], ['telemarketing', 'telemarketing'],
  ['marketing', 'sales']];

export function startView(roles) {
  const found = STARTS.find(([role]) => (roles || []).includes(role));
  return found ? found[1] : 'sales';
}

/** Whether the navigation offers view `name` to someone holding `roles` (null: unknown, offer everything). */
export function offers(name, roles) {
  const view = QUEUES[name] || OTHER_VIEWS[name];
  return Boolean(view) && (roles === null || view.roles.some((role) => roles.includes(role)));
}

// The queue last shown: its address, title, the ids in its order, and how to load its next page.
let remembered = null;

export function rememberQueue(queue) {
  remembered = queue;
}

export function rememberedQueue() {
  return remembered;
}

/**
 * The lead `step` places (1 next, -1 previous) from `leadId` in the remembered queue; at its end the next
 * page is loaded. Null when there is none (or no queue is remembered).
 */
export async function neighbour(leadId, step) {
  if (!remembered) {
    return null;
  }
  const queue = remembered;
  let index = queue.ids.indexOf(leadId);
  if (index < 0) {
    return null;
  }
  if (index + step >= queue.ids.length && step > 0 && queue.nextPath) {
    const page = await api('GET', queue.nextPath);
    const known = new Set(queue.ids);
    queue.ids.push(...(page.items || []).map((lead) => lead.id).filter((id) => !known.has(id)));
    queue.nextPath = page.next ? queue.pathFor(page.next) : null;
    index = queue.ids.indexOf(leadId);
  }
  return queue.ids[index + step] || null;
}
