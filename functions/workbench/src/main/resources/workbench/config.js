// Configuration at a glance, read-only: forms, scoring models, subscribers. The API changes them.
import {all, api, inWords} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';

const UPDATE_MODES = {
  contacts_and_leads: 'contacts and leads', only_contacts: 'only contacts', only_leads: 'only leads', no_update: 'no update',
};

export function renderConfiguration(main) {
  const view = {stopped: false};
  const forms = el('div', {id: 'config-forms'}, 'Loading…');
  const models = el('div', {id: 'config-models'}, 'Loading…');
  const subscribers = el('div', {id: 'config-subscribers'}, 'Loading…');
  show(main,
    el('h1', {}, 'Configuration'),
    el('p', {}, 'Read-only: change these through the API (docs/openapi.yaml).'),
    panel('Forms', forms), panel('Scoring models', models), panel('Subscribers', subscribers));
  fill(view, forms, loadForms);
  fill(view, models, loadModels);
  fill(view, subscribers, loadSubscribers);
  return () => { view.stopped = true; };
}

function panel(title, content) {
  return el('section', {class: 'panel'}, el('h2', {}, title), el('div', {class: 'table-wrap'}, content));
}

async function fill(view, target, loader) {
  try {
    const content = await loader();
    if (!view.stopped) show(target, content);
  } catch (error) {
    if (!view.stopped) show(target, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see this')));
  }
}

function table(headers, rows, empty) {
  if (rows.length === 0) {
    return el('p', {class: 'empty'}, empty);
  }
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col'}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c ?? '—'))))));
}

async function loadForms() {
  const {items} = await all('/v1/forms?limit=200');
  return table(['Id', 'Name', 'Kind', 'Update mode', 'Signed submissions'],
    items.map((f) => [f.id, f.name, f.kind === 'event' ? 'event' : 'marketing page', UPDATE_MODES[f.updateMode] ?? f.updateMode,
      f.requireSignature ? 'required' : 'not required']),
    'No forms yet.');
}

async function loadModels() {
  const {items} = await all('/v1/scoring-models?limit=200');
  return table(['Name', 'Status', 'Target', 'Sales-ready threshold', 'Grades', 'Rescoring'],
    items.map((m) => [m.name, m.status, m.target, m.salesReadyThreshold,
      (m.grades || []).map((g) => `${g.name} ${g.min}…${g.max}`).join(', '),
      rescoring(m.rescoring)]),
    'No scoring models yet.');
}

function rescoring(r) {
  if (!r || !r.status) {
    return '—';
  }
  const when = r.finishedAt ? `, finished ${dateTime(r.finishedAt)}` : r.startedAt ? `, started ${dateTime(r.startedAt)}` : '';
  return `${r.status}: ${r.leadsScored ?? 0} leads scored${when}`;
}

async function loadSubscribers() {
  const {items} = await all('/v1/subscribers?limit=200');
  const rows = await Promise.all(items.map(async (s) => {
    let latest = 'none yet';
    try {
      const deliveries = await api('GET', `/v1/subscribers/${s.id}/deliveries?limit=1`);
      const d = (deliveries.items || [])[0];
      if (d) {
        latest = `${d.status} (${d.type}, ${dateTime(d.deliveredAt || d.createdAt)})`;
      }
    } catch (error) {
      latest = inWords(error);
    }
    return [s.url, (s.events || []).join(', '), s.description, s.disabled ? `disabled${s.disabledReason ? `: ${s.disabledReason}` : ''}` : 'active', latest];
  }));
  return table(['URL', 'Events', 'Description', 'State', 'Latest delivery'], rows, 'No subscribers yet.');
}
