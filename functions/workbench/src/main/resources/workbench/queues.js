// The telemarketing and sales queues: a table of leads, filters, and a poll that notices new leads.
import {all, api, cached, inWords} from './api.js';
import {age, contextText, personName, STAGES, stageName} from './format.js';
import {announce, el, field, show} from './dom.js';

/** How often a queue looks for changes. */
export const POLL_MILLIS = 4000;

const TITLES = {
  telemarketing: ['Telemarketing queue', 'Telemarketing-ready leads that no telemarketer has accepted yet, newest first.'],
  sales: ['Sales queue', 'Sales-ready leads only, newest first.'],
};

/** Renders the queue of `view` into main; answers a function that stops its polling. */
export function renderQueue(main, view) {
  const [title, explanation] = TITLES[view];
  const state = {stage: '', grade: '', email: '', known: null, stopped: false, timer: null};

  const stageSelect = el('select', {name: 'stage'}, el('option', {value: ''}, 'Any stage'),
    STAGES.map(([wire, name]) => el('option', {value: wire}, name)));
  const gradeSelect = el('select', {name: 'grade'}, el('option', {value: ''}, 'Any grade'));
  const emailInput = el('input', {type: 'search', name: 'email', autocomplete: 'off', placeholder: 'name@example.com'});
  const status = el('p', {class: 'status-line', id: `${view}-status`});
  const table = el('div', {class: 'table-wrap'});
  const filters = el('form', {class: 'filters', role: 'search', 'aria-label': `Filter the ${title.toLowerCase()}`,
    on: {submit: (event) => { event.preventDefault(); apply(); }}},
  field(`${view}-stage`, 'Stage', stageSelect),
  field(`${view}-grade`, 'Grade', gradeSelect),
  field(`${view}-email`, 'Contact email', emailInput),
  el('button', {type: 'submit'}, 'Search'));
  stageSelect.addEventListener('change', apply);
  gradeSelect.addEventListener('change', apply);

  show(main, el('h1', {}, title), el('p', {}, explanation), filters, status, table);
  fillGrades(gradeSelect);

  function apply() {
    state.stage = stageSelect.value;
    state.grade = gradeSelect.value;
    state.email = emailInput.value.trim();
    state.known = null;
    refresh();
  }

  async function refresh() {
    clearTimeout(state.timer);
    try {
      const leads = await load(view, state);
      if (state.stopped) {
        return;
      }
      const ids = leads.map((lead) => `${lead.id}:${lead.stage}:${lead.score}:${lead.grade}`);
      const fresh = state.known === null ? new Set() : new Set(leads.map((l) => l.id).filter((id) => !state.known.has(id)));
      const changed = state.known !== null && ids.join('|') !== state.signature;
      const rows = await Promise.all(leads.map(row));
      if (state.stopped) {
        return;
      }
      show(table, rows.length === 0 ? el('p', {class: 'empty'}, 'No leads here right now.') : tableOf(rows, fresh));
      const time = new Date().toLocaleTimeString();
      if (changed) {
        const words = fresh.size > 0
          ? `${fresh.size} new ${fresh.size === 1 ? 'lead' : 'leads'} in the ${title.toLowerCase()}.`
          : `The ${title.toLowerCase()} changed.`;
        status.textContent = `${words} Updated at ${time}.`;
        status.classList.add('changed');
        announce(words);
      } else if (!status.classList.contains('changed')) {
        status.textContent = `${leads.length} ${leads.length === 1 ? 'lead' : 'leads'}. Checked at ${time}; updates by itself.`;
      }
      state.known = new Set(leads.map((l) => l.id));
      state.signature = ids.join('|');
    } catch (error) {
      if (!state.stopped) {
        status.textContent = inWords(error);
        status.classList.add('changed');
      }
    }
    if (!state.stopped) {
      state.timer = setTimeout(refresh, POLL_MILLIS);
    }
  }

  refresh();
  return () => {
    state.stopped = true;
    clearTimeout(state.timer);
  };
}

/** The queue's leads, filtered, newest first. */
async function load(view, state) {
  const query = new URLSearchParams({view, limit: '200'});
  if (state.stage) query.set('stage', state.stage);
  if (state.grade) query.set('grade', state.grade);
  const {items} = await all(`/v1/leads?${query}`);
  let leads = items;
  if (state.email) {
    const contacts = await api('GET', `/v1/contacts?${new URLSearchParams({email: state.email})}`);
    const wanted = new Set((contacts.items || []).flatMap((c) => c.leadIds || []));
    leads = leads.filter((lead) => wanted.has(lead.id));
  }
  return leads.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

async function row(lead) {
  const [contact, account] = await Promise.all([
    lead.contactId ? cached(`/v1/contacts/${lead.contactId}`).catch(() => null) : null,
    lead.accountId ? cached(`/v1/accounts/${lead.accountId}`).catch(() => null) : null,
  ]);
  return {lead, contact, account};
}

function tableOf(rows, fresh) {
  return el('table', {},
    el('caption', {class: 'visually-hidden'}, 'Leads'),
    el('thead', {}, el('tr', {},
      ['Contact', 'Account', 'Topic', 'Marketing context', 'Grade', 'Score', 'Stage', 'Age']
        .map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, rows.map(({lead, contact, account}) => {
      const name = personName(contact) || (contact ? contact.email : null) || (account ? account.name : null) || 'No contact';
      return el('tr', {class: fresh.has(lead.id) ? 'new' : null, dataset: {leadId: lead.id}},
        el('td', {}, el('a', {href: `#/leads/${lead.id}`, class: 'lead-link'}, name),
          contact && contact.email && name !== contact.email ? el('span', {class: 'sub'}, contact.email) : null),
        el('td', {}, account ? account.name : (contact && contact.companyName) || '—'),
        el('td', {}, lead.topic || '—'),
        el('td', {}, contextText(lead.context)),
        el('td', {}, lead.grade ? el('span', {class: 'grade'}, lead.grade) : '—'),
        el('td', {class: 'number'}, lead.score ?? '—'),
        el('td', {}, stageName(lead.stage)),
        el('td', {class: 'number'}, el('time', {datetime: lead.createdAt, title: lead.createdAt}, age(lead.createdAt))));
    })));
}

/** The grade filter offers the grades of the live models. */
async function fillGrades(select) {
  try {
    const {items} = await all('/v1/scoring-models?status=live&limit=200', 2);
    const names = [...new Set(items.flatMap((model) => (model.grades || []).map((g) => g.name)))];
    for (const name of names) {
      select.appendChild(el('option', {value: name}, name));
    }
  } catch (ignored) {
    // The filter still offers "Any grade"; the queue itself says what failed.
  }
}
