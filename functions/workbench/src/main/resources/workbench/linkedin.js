// LinkedIn Lead Gen mappings, for marketing: which question of a LinkedIn form fills which contact field,
// a proposal read from LinkedIn, and how the sync is doing (docs/linkedin.md).
import {ApiError, api, inWords, token} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';
import {apiField, clearFieldErrors, fill, sayDone, sayFailure, select, table} from './editing.js';

const CONTACT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'companyName', 'jobTitle', 'country'];

/**
 * A mapping's questions keep their order (the first answered of two that fill one field wins), but a
 * JavaScript object puts keys made of digits (question ids) first. So mappings are read with such keys
 * marked (`"807": ` becomes `"#807": `, which keeps its place) and written as text in the order shown.
 * Only a key can be an unescaped quote, digits, an unescaped quote and a colon.
 */
async function linkedIn(method, path, bodyText) {
  let response;
  try {
    response = await fetch(path, {method, body: bodyText, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      headers: {Accept: 'application/json, application/problem+json', Authorization: `Bearer ${token()}`,
        ...(bodyText ? {'Content-Type': 'application/json'} : {})}});
  } catch (networkFailure) {
    throw new ApiError(0, null, 'Leadcycle cannot be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text.replace(/(?<!\\)"(\d+)":/g, '"#$1":')) : null;
  } catch (notJson) {
    json = null; // a gateway's own error page: the status says enough
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** A mapping's questions, in their order, as [question, target] pairs. */
function questions(fields) {
  return Object.entries(fields || {}).map(([key, target]) => [/^#\d+$/.test(key) ? key.slice(1) : key, target]);
}

async function allMappings() {
  const items = [];
  let after = null;
  do {
    const page = await linkedIn('GET', `/v1/linkedin/forms?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...(page.items || []));
    after = page.next;
  } while (after && items.length < 1000);
  return items;
}

export function renderLinkedIn(main) {
  const view = {stopped: false};
  const list = el('div', {id: 'linkedin-list'}, 'Loading…');
  const editor = el('div', {id: 'linkedin-editor'});
  const status = el('div', {id: 'linkedin-status'}, 'Loading…');
  const reload = () => fill(view, list, async () => {
    const items = await allMappings();
    return table('linkedin-table', ['Form URN', 'Name', 'Questions mapped', 'Partial match', 'Test leads'], items.map((m) => [
      el('button', {type: 'button', class: 'secondary', dataset: {urn: m.formUrn}, on: {click: () => open(view, editor, m, reload)}},
        m.formUrn), m.name, Object.keys(m.fields || {}).length, m.onPartialMatch, m.includeTestLeads ? 'included' : 'skipped']),
    'No LinkedIn form is mapped yet.');
  });
  const urn = el('input', {type: 'text', placeholder: 'urn:li:leadGenForm:7234246', spellcheck: 'false', size: 40});
  const proposeSaid = el('p', {id: 'linkedin-propose-result', class: 'result', role: 'status'});
  const propose = el('form', {id: 'linkedin-propose', on: {submit: async (event) => {
    event.preventDefault();
    const formUrn = urn.value.trim();
    proposeSaid.className = 'result';
    proposeSaid.textContent = 'Asking LinkedIn…';
    try {
      const proposal = await linkedIn('POST', `/v1/linkedin/forms/${encodeURIComponent(formUrn)}/propose`);
      sayDone(proposeSaid, 'LinkedIn\'s form read: check the proposal below, map the custom questions, and save.');
      open(view, editor, {...proposal, formUrn}, reload, true);
    } catch (error) {
      sayFailure(propose, proposeSaid, error, 'propose mappings');
      // Without LinkedIn (no access token yet), the mapping can still be written by hand.
      if (formUrn) {
        proposeSaid.append(' ', el('button', {type: 'button', class: 'secondary', id: 'linkedin-map-by-hand',
          on: {click: () => open(view, editor, {formUrn, name: '', fields: {}}, reload, true)}}, 'Map it by hand'));
      }
    }
  }}}, apiField('linkedin-urn', 'formUrn', 'LinkedIn form URN', urn), el('button', {type: 'submit'}, 'Propose a mapping'), proposeSaid);
  show(main,
    el('h1', {}, 'LinkedIn'),
    el('p', {}, 'LinkedIn Lead Gen forms whose leads come into Leadcycle, and how their questions map to contact fields.'),
    el('section', {class: 'panel'}, el('h2', {}, 'Sync status'), status),
    el('section', {class: 'panel'}, el('h2', {}, 'Mapped forms'), el('div', {class: 'table-wrap'}, list)),
    el('section', {class: 'panel'}, el('h2', {}, 'Map a form'), propose),
    editor);
  reload();
  fill(view, status, async () => {
    const s = await api('GET', '/v1/linkedin/sync-status');
    const counts = s.counts || {};
    return el('dl', {class: 'facts', id: 'linkedin-sync'},
      el('dt', {}, 'Last poll'), el('dd', {}, s.lastPoll ? `${dateTime(s.lastPoll)}: ${s.lastPollOutcome ?? '—'}, ${s.lastPollResponses ?? 0} responses` : 'never'),
      el('dt', {}, 'Last successful poll'), el('dd', {}, s.lastSuccessfulPoll ? dateTime(s.lastSuccessfulPoll) : 'never'),
      el('dt', {}, 'Read up to'), el('dd', {}, s.watermark ? dateTime(s.watermark) : '—'),
      el('dt', {}, s.countsSince ? `Since ${dateTime(s.countsSince)}` : 'Counts'),
      el('dd', {}, `${counts.created ?? 0} created, ${counts.matched ?? 0} matched, ${counts.skippedTestLeads ?? 0} test leads skipped, `
        + `${counts.ignoredPartialMatches ?? 0} partial matches ignored, ${counts.deleted ?? 0} deleted, ${counts.unmapped ?? 0} unmapped`),
      el('dt', {}, 'Last problem'), el('dd', {id: 'linkedin-last-error'}, s.lastError ? `${s.lastError} (${dateTime(s.lastErrorAt)})` : 'none'));
  }, 'see the LinkedIn sync');
  return () => { view.stopped = true; };
}

async function open(view, editor, mapping, reload, proposed = false) {
  try {
    const strategies = (await api('GET', '/v1/matching-strategies')).items || [];
    if (!view.stopped) show(editor, mappingEditor(mapping, strategies, reload, proposed));
  } catch (error) {
    show(editor, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see matching strategies')));
  }
}

function targetPicker(value) {
  const options = CONTACT_FIELDS.map((f) => [f, f]);
  options.push(['attribute', 'a custom attribute…']);
  const isAttribute = typeof value === 'string' && value.startsWith('attributes.');
  const picker = select(options, isAttribute ? 'attribute' : value);
  const name = el('input', {type: 'text', 'aria-label': 'attribute name', value: isAttribute ? value.slice('attributes.'.length) : '',
    hidden: !isAttribute, spellcheck: 'false'});
  picker.addEventListener('change', () => { name.hidden = picker.value !== 'attribute'; });
  return {picker, name, value: () => (picker.value === 'attribute' ? `attributes.${name.value.trim()}` : picker.value)};
}

function mappingEditor(mapping, strategies, reload, proposed) {
  const rows = el('tbody', {id: 'linkedin-fields'});
  const entries = [];
  const addRow = (key, target) => {
    const keyInput = el('input', {type: 'text', value: key, 'aria-label': 'question', spellcheck: 'false'});
    const t = targetPicker(target || 'email');
    const entry = {key: keyInput, target: t};
    const keyCell = el('td', {class: 'field', dataset: {field: `fields.${key}`}}, keyInput);
    // The API names a refused entry by its question: the cell follows the key as it is typed.
    keyInput.addEventListener('input', () => { keyCell.dataset.field = `fields.${keyInput.value.trim()}`; });
    const row = el('tr', {class: 'linkedin-field'}, keyCell,
      el('td', {}, t.picker, ' ', t.name),
      el('td', {}, el('button', {type: 'button', class: 'secondary', on: {click: () => {
        entries.splice(entries.indexOf(entry), 1);
        row.remove();
      }}}, 'Remove')));
    entries.push(entry);
    rows.append(row);
  };
  questions(mapping.fields).forEach(([key, target]) => addRow(key, target));
  const strategyOptions = (entity) => strategies.filter((s) => s.entity === entity).map((s) => [s.id, `${s.name} (${s.id})`]);
  const name = el('input', {type: 'text', maxlength: 200, value: mapping.name || ''});
  const contactStrategy = select(strategyOptions('contact'), mapping.contactStrategyId || 'default-contact');
  const leadStrategy = select(strategyOptions('lead'), mapping.leadStrategyId || 'default-lead');
  const partial = select([['create', 'Create the lead anyway'], ['ignore', 'Ignore the response']], mapping.onPartialMatch || 'create');
  const testLeads = el('input', {type: 'checkbox', id: 'linkedin-test-leads', checked: Boolean(mapping.includeTestLeads)});
  const result = el('p', {id: 'linkedin-save-result', class: 'result', role: 'status'});
  const form = el('form', {id: 'linkedin-mapping', novalidate: true, on: {submit: async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const fields = entries.filter((e) => e.key.value.trim())
      .map((e) => `${JSON.stringify(e.key.value.trim())}:${JSON.stringify(e.target.value())}`).join(',');
    const settings = JSON.stringify({name: name.value.trim(), contactStrategyId: contactStrategy.value,
      leadStrategyId: leadStrategy.value, onPartialMatch: partial.value, includeTestLeads: testLeads.checked});
    try {
      const saved = await linkedIn('PUT', `/v1/linkedin/forms/${encodeURIComponent(mapping.formUrn)}`,
        `${settings.slice(0, -1)},"fields":{${fields}}}`);
      sayDone(result, `Saved the mapping of ${saved.formUrn}.`);
      reload();
    } catch (error) {
      sayFailure(form, result, error, 'save LinkedIn mappings');
    }
  }}},
  apiField('linkedin-name', 'name', 'Name', name),
  el('div', {class: 'table-wrap'}, el('table', {}, el('thead', {}, el('tr', {},
    ['Question (id or LinkedIn field)', 'Fills', ''].map((h) => el('th', {scope: 'col'}, h)))), rows)),
  el('button', {type: 'button', class: 'secondary', id: 'linkedin-add-field', on: {click: () => addRow('', 'email')}}, 'Add a question'),
  el('div', {dataset: {field: 'fields'}}),
  apiField('linkedin-contact-strategy', 'contactStrategyId', 'Contact matching', contactStrategy),
  apiField('linkedin-lead-strategy', 'leadStrategyId', 'Lead matching', leadStrategy),
  apiField('linkedin-partial', 'onPartialMatch', 'A response without the matching fields', partial),
  el('div', {class: 'field checkbox', dataset: {field: 'includeTestLeads'}}, testLeads, ' ',
    el('label', {for: 'linkedin-test-leads'}, 'Take LinkedIn\'s test leads too')),
  el('button', {type: 'submit', id: 'save-linkedin-mapping'}, 'Save the mapping'), result);
  return el('section', {class: 'panel', 'aria-labelledby': 'linkedin-editor-title'},
    el('h2', {id: 'linkedin-editor-title'}, `${proposed ? 'Proposed mapping' : 'Mapping'} of ${mapping.formUrn}`), form);
}
