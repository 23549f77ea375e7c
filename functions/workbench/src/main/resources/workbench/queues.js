// The queues (mine, unassigned, my calls, due follow-ups, telemarketing, sales): a table of leads with
// filters, a search, a sort, paging to the end by the API's cursors, bulk actions for sales managers, and
// a poll that notices new leads.
import {ApiError, all, api, cachedMany, inWords, pageSize, salespeople} from './api.js';
import {activityText, age, contextText, dateTime, isDue, ownerName, personName, STAGES, stageName} from './format.js';
import {announce, el, field, show} from './dom.js';
import {roleMay} from './rules.js';
import {QUEUES, rememberQueue} from './shift.js';

/** How often a queue looks for changes. */
export const POLL_MILLIS = 4000;
/** How long the search waits after the last key before it asks. */
const SEARCH_DELAY_MILLIS = 350;

/** The API's `sort=` values, as the sort selector offers them. */
export const SORTS = [['newest', 'Newest first'], ['score', 'Best score first'], ['grade', 'Best grade first'],
  ['due', 'Follow-up due first']];

/** Renders queue `name` (a key of QUEUES) into main for someone holding `roles`; answers a function that stops its polling. */
export function renderQueue(main, name, roles) {
  const queue = QUEUES[name];
  const title = queue.title;
  const bulk = roles === null || roleMay('assign', roles);
  // items: the leads loaded so far, in the queue's order; firstIds: the ids of its first page as last read,
  // which is all the poll reads again (a 2,000-lead queue is polled one page at a time, not ten).
  const state = {processId: '', stage: queue.stage || '', grade: '', q: '', sort: queue.sort || 'newest', items: [], firstIds: [],
    next: null, known: null, signature: null, stopped: false, timer: null, searchTimer: null, selected: new Set(),
    labels: new Map(), generation: 0, busy: false};

  const processSelect = el('select', {name: 'processId'}, el('option', {value: ''}, 'Any process'));
  const stageSelect = el('select', {name: 'stage'});
  const processes = new Map();
  fillStages(stageSelect, null, state.stage);
  const gradeSelect = el('select', {name: 'grade'}, el('option', {value: ''}, 'Any grade'));
  const sortSelect = el('select', {name: 'sort'}, SORTS.map(([wire, words]) => el('option', {value: wire}, words)));
  sortSelect.value = state.sort;
  const searchInput = el('input', {type: 'search', name: 'q', autocomplete: 'off', placeholder: 'Name, company, email or domain',
    'data-search': 'queue'});
  const status = el('p', {class: 'status-line', id: `${name}-status`});
  const table = el('div', {class: 'table-wrap', id: `${name}-table`});
  const more = el('button', {type: 'button', class: 'secondary', id: `${name}-more`, hidden: true}, 'Load more');
  const filters = el('form', {class: 'filters', role: 'search', 'aria-label': `Filter the ${title.toLowerCase()}`,
    on: {submit: (event) => { event.preventDefault(); apply(); }}},
  field(`${name}-q`, 'Search', searchInput),
  field(`${name}-process`, 'Process', processSelect),
  field(`${name}-stage`, 'Stage', stageSelect),
  field(`${name}-grade`, 'Grade', gradeSelect),
  field(`${name}-sort`, 'Sort', sortSelect),
  el('button', {type: 'submit'}, 'Search'));
  for (const select of [stageSelect, gradeSelect, sortSelect]) {
    select.addEventListener('change', apply);
  }
  // Another process has other stages: the stage filter offers its stages, keeping the chosen stage's role.
  processSelect.addEventListener('change', () => {
    fillStages(stageSelect, processes.get(processSelect.value) || null, stageSelect.value, processes.get(state.processId) || null);
    apply();
  });
  // Searching as one types, once the typing pauses.
  searchInput.addEventListener('input', () => {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(apply, SEARCH_DELAY_MILLIS);
  });
  more.addEventListener('click', () => {
    more.disabled = true;
    update('more');
  });

  const bulkBar = bulk ? bulkActions(name, state, () => update('again')) : null;
  show(main, el('h1', {}, title), el('p', {}, queue.explain), filters, bulkBar, status, table,
    el('p', {class: 'more-line'}, more));
  fillGrades(gradeSelect);
  fillProcesses(processSelect, processes);

  function apply() {
    clearTimeout(state.searchTimer);
    state.processId = processSelect.value;
    state.stage = stageSelect.value;
    state.grade = gradeSelect.value;
    state.q = searchInput.value.trim();
    state.sort = sortSelect.value;
    state.selected.clear();
    update('first');
  }

  // A hidden tab does not poll; it looks at once when it is shown again.
  const onVisible = () => {
    if (document.visibilityState === 'visible' && !state.stopped && !state.busy) update('poll');
  };
  document.addEventListener('visibilitychange', onVisible);

  /**
   * Reads the queue: `first` its first page (a new filter, search or sort), `more` the next page by the cursor,
   * `again` as many leads as are loaded (after a bulk action), `poll` the first page only, merged in front of
   * the pages loaded after it.
   */
  async function update(how) {
    clearTimeout(state.timer);
    const generation = how === 'poll' ? state.generation : ++state.generation;
    state.busy = true;
    try {
      let items;
      let next = state.next;
      let firstIds = state.firstIds;
      if (how === 'more') {
        const page = await api('GET', pathOf(queue, state, state.next));
        const known = new Set(state.items.map((lead) => lead.id));
        items = [...state.items, ...(page.items || []).filter((lead) => !known.has(lead.id))];
        next = page.next;
      } else if (how === 'poll' && state.known !== null) {
        const page = await api('GET', pathOf(queue, state, null));
        const fresh = page.items || [];
        const freshIds = new Set(fresh.map((lead) => lead.id));
        firstIds = fresh.map((lead) => lead.id);
        if (!page.next || state.items.length <= state.firstIds.length) {
          // The queue is one page now, or only its first page was loaded: the page is the queue as shown.
          items = fresh;
          next = page.next;
        } else {
          // The pages loaded after the first stay as they were read, without what the first page now holds;
          // a lead that left the first page may only have moved down, so it stays until the queue is read again.
          items = [...fresh, ...state.items.filter((lead) => !freshIds.has(lead.id))];
        }
      } else {
        const wanted = how === 'again' ? Math.max(state.items.length, 1) : 1;
        items = [];
        next = null;
        do {
          const page = await api('GET', pathOf(queue, state, next));
          const known = new Set(items.map((lead) => lead.id));
          if (items.length === 0) firstIds = (page.items || []).map((lead) => lead.id);
          items.push(...(page.items || []).filter((lead) => !known.has(lead.id)));
          next = page.next;
        } while (next && items.length < wanted);
      }
      if (state.stopped || generation !== state.generation) {
        return;
      }
      await show_(items, next, firstIds, how);
    } catch (error) {
      if (!state.stopped && generation === state.generation) {
        status.textContent = queueFailure(error, title);
        status.classList.add('changed');
        more.disabled = false;
        if (state.known === null) {
          show(table, el('p', {class: 'empty'}, 'Nothing to show.'));
        }
      }
    } finally {
      state.busy = false;
    }
    if (!state.stopped && generation === state.generation) {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => {
        if (document.visibilityState === 'visible') update('poll'); else state.timer = null;
      }, POLL_MILLIS);
    }
  }

  async function show_(items, next, firstIds, how) {
    const polled = how === 'poll';
    const signature = items.map((lead) => `${lead.id}:${lead.stage}:${lead.status}:${lead.score}:${lead.grade}:`
      + `${lead.owner ? lead.owner.id : ''}:${lead.followUpAt || ''}:${lead.lastActivity ? lead.lastActivity.at : ''}`).join('|');
    // What the user asked for (a filter, "Load more", a bulk action) is no news; what the poll finds is.
    const fresh = !polled || state.known === null ? new Set() : new Set(items.map((l) => l.id).filter((id) => !state.known.has(id)));
    const changed = polled && state.known !== null && signature !== state.signature;
    const before = state.items;
    state.items = items;
    state.next = next;
    state.firstIds = firstIds;
    rememberQueue({hash: `#/${name}`, title, ids: items.map((lead) => lead.id),
      nextPath: next ? pathOf(queue, state, next) : null, pathFor: (cursor) => pathOf(queue, state, cursor)});
    const shown = table.querySelector('tbody');
    if (how === 'more' && shown && before.length > 0 && items.length >= before.length) {
      // "Load more" adds the next page's rows under those shown: a 2,000-lead queue is not rebuilt ten times.
      const rows = await rowsOf(items.slice(before.length));
      if (state.stopped) {
        return;
      }
      for (const r of rows) {
        state.labels.set(r.lead.id, leadLabel(r.lead, r.contact, r.account));
        shown.appendChild(rowOf(r, new Set(), bulk ? state : null));
      }
      const all = table.querySelector('#select-all');
      if (all) all.checked = false;
    } else if (!polled || changed || state.known === null) {
      const rows = await rowsOf(items);
      if (state.stopped) {
        return;
      }
      const present = new Set(items.map((lead) => lead.id));
      for (const id of [...state.selected]) {
        if (!present.has(id)) state.selected.delete(id);
      }
      for (const {lead, contact, account} of rows) {
        state.labels.set(lead.id, leadLabel(lead, contact, account));
      }
      // The row one walked to with j/k keeps the focus when the table is rebuilt.
      const focused = table.contains(document.activeElement) && document.activeElement.closest('tr')
        ? document.activeElement.closest('tr').dataset.leadId : null;
      show(table, rows.length === 0 ? el('p', {class: 'empty'}, state.q ? `No leads here match “${state.q}”.`
        : 'No leads here right now.') : tableOf(rows, fresh, bulk ? state : null));
      if (focused) {
        const again = table.querySelector(`tr[data-lead-id="${CSS.escape(focused)}"] a.lead-link`);
        if (again) again.focus({preventScroll: true});
      }
      if (bulkBar) bulkBar.update();
    }
    more.hidden = !next;
    more.disabled = false;
    more.textContent = `Load more (next ${pageSize()})`;
    const time = new Date().toLocaleTimeString();
    const matching = state.q ? ` matching “${state.q}”` : '';
    const count = `${items.length.toLocaleString('en')} ${items.length === 1 ? 'lead' : 'leads'}${matching}${next ? ' so far; more to load' : ''}`;
    if (changed) {
      const words = fresh.size > 0
        ? `${fresh.size} new ${fresh.size === 1 ? 'lead' : 'leads'} in the ${title.toLowerCase()}.`
        : `The ${title.toLowerCase()} changed.`;
      status.textContent = `${words} ${count}. Updated at ${time}.`;
      status.classList.add('changed');
      announce(words);
    } else if (!polled || !status.classList.contains('changed')) {
      status.classList.remove('changed');
      status.textContent = `${count}. ${sortWords(state.sort)} Checked at ${time}; updates by itself.`;
    }
    state.known = new Set(items.map((l) => l.id));
    state.signature = signature;
  }

  update('first');
  return () => {
    state.stopped = true;
    clearTimeout(state.timer);
    clearTimeout(state.searchTimer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

function sortWords(sort) {
  const known = SORTS.find(([wire]) => wire === sort);
  return known ? `${known[1]}.` : '';
}

/** The names of the queue's parameters as the filter form labels them, for a 400 that names one. */
const PARAMETER_NAMES = {processId: 'Process', q: 'Search', sort: 'Sort', stage: 'Stage', grade: 'Grade', view: 'View', after: 'Paging',
  limit: 'Page size'};

/** A queue that fails says why in words: a search the API refuses names the box, a role that may not, ... */
function queueFailure(error, title) {
  const errors = error instanceof ApiError && error.status === 400 && error.problem && Array.isArray(error.problem.errors)
    ? error.problem.errors : [];
  if (errors.length > 0) {
    return `The ${title.toLowerCase()} cannot be listed so: ${errors.map((e) => `${PARAMETER_NAMES[e.field] || e.field}: ${e.message}`)
      .join('; ')}.`;
  }
  return inWords(error, 'see this queue');
}

function pathOf(queue, state, after) {
  const query = new URLSearchParams({view: queue.view, limit: String(pageSize())});
  if (state.processId) query.set('processId', state.processId);
  if (state.stage) query.set('stage', state.stage);
  if (state.grade) query.set('grade', state.grade);
  if (state.q) query.set('q', state.q);
  query.set('sort', state.sort);
  if (after) query.set('after', after);
  return `/v1/leads?${query}`;
}

/** The rows of `leads`: each lead with its contact and account, all of them looked up in one request per kind. */
async function rowsOf(leads) {
  const [contacts, accounts] = await Promise.all([
    cachedMany('contacts', leads.map((lead) => lead.contactId)),
    cachedMany('accounts', leads.map((lead) => lead.accountId)),
  ]);
  return leads.map((lead) => ({lead, contact: (lead.contactId && contacts.get(lead.contactId)) || null,
    account: (lead.accountId && accounts.get(lead.accountId)) || null}));
}

function leadLabel(lead, contact, account) {
  const who = personName(contact) || (contact ? contact.email : null) || (account ? account.name : null);
  return who ? `${lead.topic || 'Lead'} (${who})` : (lead.topic || 'Lead');
}

function tableOf(rows, fresh, bulk) {
  const headers = ['Contact', 'Account', 'Topic and context', 'Owner', 'Grade', 'Score', 'Stage', 'Last activity', 'Follow-up', 'Age'];
  const all = bulk ? el('input', {type: 'checkbox', id: 'select-all', 'aria-label': 'Select every lead shown'}) : null;
  if (all) {
    all.checked = rows.length > 0 && rows.every(({lead}) => bulk.selected.has(lead.id));
    all.addEventListener('change', () => {
      for (const box of all.closest('table').querySelectorAll('tbody input[type=checkbox]')) {
        box.checked = all.checked;
        box.dispatchEvent(new Event('change'));
      }
    });
  }
  return el('table', {},
    el('caption', {class: 'visually-hidden'}, 'Leads'),
    el('thead', {}, el('tr', {}, all ? el('th', {scope: 'col'}, all) : null,
      headers.map((header) => el('th', {scope: 'col'}, header)))),
    el('tbody', {}, rows.map((r) => rowOf(r, fresh, bulk))));
}

/** One lead's row in a queue (with its selection box for bulk actions). */
function rowOf({lead, contact, account}, fresh, bulk) {
  const name = personName(contact) || (contact ? contact.email : null) || (account ? account.name : null) || 'No contact';
  let box = null;
  if (bulk) {
    box = el('input', {type: 'checkbox', name: 'lead', value: lead.id, class: 'select-lead', 'aria-label': `Select ${name}`});
    box.checked = bulk.selected.has(lead.id);
    box.addEventListener('change', () => {
      if (box.checked) bulk.selected.add(lead.id); else bulk.selected.delete(lead.id);
      bulk.onSelect();
    });
  }
  const due = lead.followUpAt && isDue(lead.followUpAt);
  return el('tr', {class: fresh.has(lead.id) ? 'new' : null, dataset: {leadId: lead.id}},
    box ? el('td', {}, box) : null,
    el('td', {}, el('a', {href: `#/leads/${lead.id}`, class: 'lead-link'}, name),
      contact && contact.email && name !== contact.email ? el('span', {class: 'sub'}, contact.email) : null),
    el('td', {}, account ? el('a', {href: `#/accounts/${account.id}`}, account.name || 'Account')
      : (contact && contact.companyName) || '—'),
    el('td', {}, lead.topic || '—', el('span', {class: 'sub'}, contextText(lead.context))),
    el('td', {class: 'owner'}, ownerName(lead)),
    el('td', {}, lead.grade ? el('span', {class: 'grade'}, lead.grade) : '—'),
    el('td', {class: 'number'}, lead.score ?? '—'),
    el('td', {}, stageName(lead.stage)),
    el('td', {class: 'activity'}, activityText(lead.lastActivity)),
    el('td', {class: due ? 'follow-up due' : 'follow-up'}, lead.followUpAt
      ? el('time', {datetime: lead.followUpAt}, `${dateTime(lead.followUpAt)}${due ? ' (due)' : ''}`) : '—'),
    el('td', {class: 'number'}, el('time', {datetime: lead.createdAt, title: lead.createdAt}, age(lead.createdAt))));
}

/**
 * Bulk actions for sales managers: assign the selected leads to a salesperson, or disqualify them with a
 * reason. Each lead is its own process action; the summary says how many worked and why the others did not.
 */
function bulkActions(name, state, refresh) {
  const count = el('p', {class: 'bulk-count', id: 'bulk-count'}, 'No leads selected.');
  const owner = el('select', {name: 'ownerId', required: true}, el('option', {value: ''}, 'Choose a salesperson…'));
  const reason = el('input', {type: 'text', name: 'reason', maxlength: 500, autocomplete: 'off'});
  const result = el('p', {class: 'result', id: 'bulk-result', role: 'status', 'aria-live': 'polite', tabindex: '-1'});
  const assign = el('button', {type: 'submit', id: 'bulk-assign'}, 'Assign');
  const disqualify = el('button', {type: 'button', id: 'bulk-disqualify', class: 'danger'}, 'Disqualify');
  const assignForm = el('form', {class: 'row', on: {submit: (event) => {
    event.preventDefault();
    if (!owner.value) {
      say('Choose the salesperson to assign the leads to.', true);
      return;
    }
    const ownerName = owner.options[owner.selectedIndex].textContent;
    run({action: 'assign', ownerId: owner.value}, `assigned to ${ownerName}`);
  }}}, field('bulk-owner', 'Assign to…', owner), assign);
  disqualify.addEventListener('click', () => {
    if (!reason.value.trim()) {
      say('Say why the leads are disqualified (the reason is kept on each lead).', true);
      reason.focus();
      return;
    }
    run({action: 'disqualify', reason: reason.value.trim()}, 'disqualified');
  });
  const bar = el('section', {class: 'panel bulk', id: 'bulk-actions', 'aria-label': 'Bulk actions'},
    count,
    el('div', {class: 'bulk-row'}, assignForm,
      el('div', {class: 'row'}, field('bulk-reason', 'Disqualify… (reason)', reason), disqualify)),
    result);
  salespeople().then((people) => {
    for (const person of people) {
      owner.appendChild(el('option', {value: person.id}, person.name));
    }
  }).catch((error) => say(`The list of salespeople could not be loaded: ${inWords(error)}`, true));

  function say(text, error) {
    result.textContent = text;
    result.className = error ? 'result error' : 'result ok';
    result.focus();
    announce(text);
  }

  async function run(body, done) {
    const ids = [...state.selected];
    if (ids.length === 0) {
      say('Select the leads first (the boxes in the first column).', true);
      return;
    }
    assign.disabled = true;
    disqualify.disabled = true;
    result.className = 'result';
    result.textContent = `Working on ${ids.length} ${ids.length === 1 ? 'lead' : 'leads'}…`;
    const failures = [];
    let succeeded = 0;
    // A few at a time: each lead is its own action and its own answer.
    const queue = [...ids];
    await Promise.all([0, 1, 2, 3].map(async () => {
      while (queue.length > 0) {
        const id = queue.shift();
        try {
          await api('POST', `/v1/leads/${id}/process`, body);
          succeeded += 1;
          state.selected.delete(id);
        } catch (error) {
          failures.push(`${state.labels.get(id) || id}: ${inWords(error)}`);
        }
      }
    }));
    assign.disabled = false;
    disqualify.disabled = false;
    const words = succeeded > 0 ? `${succeeded} ${succeeded === 1 ? 'lead' : 'leads'} ${done}.`
      : `No lead was ${done}.`;
    say(failures.length === 0 ? words
      : `${words} ${failures.length} could not be: ${failures.join(' ')}`, failures.length > 0);
    if (succeeded > 0 && body.action === 'disqualify') {
      reason.value = '';
    }
    refresh();
  }

  bar.update = () => {
    const n = state.selected.size;
    count.textContent = n === 0 ? 'No leads selected.' : `${n} ${n === 1 ? 'lead' : 'leads'} selected.`;
  };
  state.onSelect = bar.update;
  return bar;
}

/** The grade filter offers the grades of the live models. */
/**
 * The stage filter's options: the stages of `process` (its latest version, GET /v1/processes; the API takes a
 * stage name of any version), or without one the default process's. The stage chosen before (in the `previous`
 * process) stays when the process has it; else the stage with the same built-in role (the unassigned queue's
 * sales acceptance is "Sales" in the docs' example).
 */
function stagesOf(process) {
  return process ? process.stages || [] : STAGES.map(([wire]) => ({name: wire, role: wire}));
}

function fillStages(select, process, before, previous) {
  const stages = stagesOf(process);
  const role = (stagesOf(previous).find((stage) => stage.name === before) || {}).role;
  show(select, el('option', {value: ''}, 'Any stage'), stages.map((stage) => el('option', {value: stage.name}, stageName(stage.name))));
  const kept = stages.find((stage) => stage.name === before) || (role && role !== 'custom' ? stages.find((stage) => stage.role === role) : null);
  select.value = kept ? kept.name : '';
}

/** Every process (live and retired: leads keep running on a retired one) for the process filter, by name. */
async function fillProcesses(select, processes) {
  try {
    const {items} = await all('/v1/processes?limit=200');
    for (const process of items.filter((p) => p.status !== 'draft')) {
      processes.set(process.id, process);
      select.appendChild(el('option', {value: process.id}, process.status === 'retired' ? `${process.name} (retired)` : process.name));
    }
  } catch (ignored) {
    // The filter then offers "Any process" only; the queue works without it.
  }
}

async function fillGrades(select) {
  try {
    const answer = await api('GET', '/v1/scoring-models?status=live&limit=200');
    const names = [...new Set((answer.items || []).flatMap((model) => (model.grades || []).map((g) => g.name)))];
    for (const grade of names) {
      select.appendChild(el('option', {value: grade}, grade));
    }
  } catch (ignored) {
    // The filter still offers "Any grade"; the queue itself says what failed.
  }
}
