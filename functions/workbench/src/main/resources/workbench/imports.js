// Imports, for marketing: choose a CSV, see what the import API would make of it (POST /v1/imports/preview),
// change the column mapping there, start it, watch its progress, read its counts and download its row
// errors (docs/import.md).
import {ApiError, api, inWords, token} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';
import {fill, sayFailure, select, table} from './editing.js';

/** The targets a mapping takes (docs/import.md, "The request"), besides `attributes.<name>`. */
export const TARGETS = ['email', 'firstName', 'lastName', 'fullName', 'phone', 'companyName', 'jobTitle', 'country',
  'account.name', 'account.domain', 'lead.topic', 'ignore'];
/** A CSV body is taken up to 5 MiB (API Gateway's limit); larger files go through the API's upload URL. */
const MAX_BYTES = 5 * 1024 * 1024;
const POLL_MS = 1000;

export function renderImports(main) {
  const view = {stopped: false, timer: null};
  const state = {file: null, entity: 'contacts', mapping: {}, preview: null};
  const file = el('input', {type: 'file', id: 'import-file', accept: '.csv,text/csv'});
  const entity = select([['contacts', 'Contacts'], ['leads', 'Leads']], 'contacts');
  entity.id = 'import-entity';
  const said = el('p', {id: 'import-said', class: 'result', role: 'status'});
  const preview = el('div', {id: 'import-preview'});
  const job = el('div', {id: 'import-job'});
  const history = el('div', {id: 'imports-list'}, 'Loading…');
  const chooser = el('form', {id: 'import-chooser', on: {submit: (event) => event.preventDefault()}},
    el('div', {class: 'field', dataset: {field: 'entity'}}, el('label', {for: 'import-entity'}, 'The file holds'), entity),
    el('div', {class: 'field'}, el('label', {for: 'import-file'}, 'CSV file (up to 5 MiB)'), file), said);
  const ask = () => askPreview(view, state, chooser, said, preview, job);
  file.addEventListener('change', () => {
    state.file = file.files[0] || null;
    state.mapping = {};
    show(job);
    ask();
  });
  entity.addEventListener('change', () => {
    state.entity = entity.value;
    ask();
  });
  show(main,
    el('h1', {}, 'Imports'),
    el('p', {}, 'Contacts or leads from a CSV file: exports of Dynamics 365, HubSpot, Mautic, Salesforce and LinkedIn ',
      'are recognised by their headers. Nothing is written until you start the import.'),
    el('section', {class: 'panel'}, chooser), preview, job,
    el('section', {class: 'panel'}, el('h2', {}, 'Earlier imports'), el('div', {class: 'table-wrap'}, history)));
  fill(view, history, async () => {
    const page = await api('GET', '/v1/imports?limit=20');
    return table('imports-table', ['Started', 'File', 'Holds', 'Status', 'Created', 'Updated', 'Failed'],
      (page.items || []).map((j) => [dateTime(j.createdAt), j.fileName, j.entity, j.status,
        j.counts?.created, j.counts?.updated, j.counts?.failed]), 'No imports yet.');
  });
  return () => {
    view.stopped = true;
    clearTimeout(view.timer);
  };
}

/** The query of a CSV body: the options as parameters, the mapping as one JSON object. */
function query(state, extra) {
  const params = new URLSearchParams({entity: state.entity, fileName: state.file.name.slice(0, 200), ...extra});
  if (Object.keys(state.mapping).length > 0) params.set('mapping', JSON.stringify(state.mapping));
  return params.toString();
}

/** The file's bytes as they are (the API detects the encoding), as text/csv. */
async function sendFile(method, path, blob) {
  let response;
  try {
    response = await fetch(path, {method, body: blob, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      headers: {Accept: 'application/json, application/problem+json', 'Content-Type': 'text/csv',
        Authorization: `Bearer ${token()}`}});
  } catch (networkFailure) {
    throw new ApiError(0, null, 'Leadcycle cannot be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (notJson) {
    json = null; // a gateway's own error page: the status says enough
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

async function askPreview(view, state, chooser, said, target, job) {
  show(target);
  if (!state.file) return;
  if (state.file.size > MAX_BYTES) {
    said.className = 'result error';
    said.textContent = `${state.file.name} is over 5 MiB: the workbench sends files up to 5 MiB. Import it through the API's upload URL (docs/import.md).`;
    return;
  }
  said.className = 'result';
  said.textContent = `Reading ${state.file.name}…`;
  try {
    const answer = await sendFile('POST', `/v1/imports/preview?${query(state, {rows: '5'})}`, state.file);
    if (view.stopped) return;
    state.preview = answer;
    said.textContent = '';
    show(target, previewPanel(view, state, chooser, said, target, job));
  } catch (error) {
    if (!view.stopped) sayFailure(chooser, said, error, 'import');
  }
}

function previewPanel(view, state, chooser, said, target, job) {
  const p = state.preview;
  const mappingTable = el('table', {id: 'import-mapping'},
    el('thead', {}, el('tr', {}, ['Column', 'Goes to', 'Why'].map((h) => el('th', {scope: 'col'}, h)))),
    el('tbody', {}, (p.columns || []).map((c) => {
      const attribute = `attributes.${c.header.replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^[^\p{L}]+/u, '') || 'column'}`;
      const options = [...TARGETS.map((t) => [t, t === 'ignore' ? 'ignore (not imported)' : t])];
      if (c.target && !TARGETS.includes(c.target)) options.push([c.target, c.target]);
      if (!options.some(([t]) => t === attribute)) options.push([attribute, `${attribute} (custom attribute)`]);
      const picker = select(options, c.target || 'ignore');
      picker.id = `map-${c.header}`;
      picker.dataset.column = c.header;
      picker.setAttribute('aria-label', `${c.header} goes to`);
      picker.addEventListener('change', () => {
        state.mapping[c.header] = picker.value;
        askPreview(view, state, chooser, said, target, job);
      });
      return el('tr', {}, el('td', {}, c.header), el('td', {}, picker),
        el('td', {}, c.from === 'mapping' ? 'your mapping' : c.from === 'source' ? `${p.detectedSourceName || p.detectedSource}'s column`
          : c.from || '—', c.fallback ? ` (when the one before is empty; else ${c.otherwise})` : ''));
    })));
  const rows = (p.rows || []).map((r) => [r.row, r.status === 'imported' ? 'imported' : 'refused',
    r.contact?.email, [r.contact?.firstName, r.contact?.lastName].filter(Boolean).join(' ') || null,
    r.contact?.companyName ?? r.account?.name, r.topic,
    (r.errors || []).map((e) => `${e.column ?? 'row'}: ${e.reason}`).join('; ') || null]);
  const warnings = [...(p.mappingWarnings || []), ...(p.warnings || []).map((w) => w.message || w)];
  const start = el('button', {type: 'button', id: 'start-import', disabled: Boolean(p.failure),
    on: {click: () => startImport(view, state, chooser, said, job, start)}}, 'Start the import');
  return el('section', {class: 'panel', 'aria-labelledby': 'preview-title'},
    el('h2', {id: 'preview-title'}, `What importing ${state.file.name} would do`),
    el('dl', {class: 'facts', id: 'import-facts'},
      el('dt', {}, 'Exported from'), el('dd', {id: 'import-source'}, p.detectedSourceName || p.detectedSource || 'no known system (general headers)'),
      el('dt', {}, 'Encoding'), el('dd', {id: 'import-encoding'}, p.encoding ?? '—'),
      el('dt', {}, 'Delimiter'), el('dd', {id: 'import-delimiter'}, p.delimiter === ';' ? 'semicolon' : p.delimiter === ',' ? 'comma' : p.delimiter ?? '—'),
      el('dt', {}, 'Rows'), el('dd', {id: 'import-counts'},
        `${p.counts?.rows ?? 0} rows: ${p.counts?.importable ?? 0} importable, ${p.counts?.refused ?? 0} refused`)),
    p.failure ? el('p', {class: 'error-box', role: 'alert', id: 'import-failure'},
      `The import would stop: ${p.failure.message || p.failure.reason || p.failure}. Change the mapping.`) : null,
    el('h3', {}, 'Columns'), el('div', {class: 'table-wrap'}, mappingTable),
    (p.attributeColumns || []).length ? el('p', {class: 'hint'}, `Kept as custom attributes: ${p.attributeColumns.join(', ')}.`) : null,
    warnings.length ? el('ul', {id: 'import-warnings'}, warnings.map((w) => el('li', {}, String(w)))) : null,
    el('h3', {}, 'The first rows'),
    el('div', {class: 'table-wrap'}, table('import-rows', ['Row', 'Would be', 'Email', 'Name', 'Company', 'Topic', 'Why refused'], rows,
      'No data rows.')),
    start);
}

async function startImport(view, state, chooser, said, target, button) {
  button.disabled = true;
  show(target, el('p', {class: 'loading'}, 'Sending the file…'));
  try {
    const started = await sendFile('POST', `/v1/imports?${query(state, {})}`, state.file);
    const total = state.preview?.counts?.rows || 0;
    const progress = el('progress', {id: 'import-progress', max: Math.max(total, 1), value: 0});
    const status = el('p', {id: 'import-status', role: 'status'}, 'Running…');
    const result = el('div', {id: 'import-result'});
    show(target, el('section', {class: 'panel', dataset: {import: started.id}, 'aria-labelledby': 'job-title'},
      el('h2', {id: 'job-title'}, `Importing ${started.fileName}`),
      el('label', {for: 'import-progress'}, 'Progress'), progress, status, result));
    const poll = async () => {
      try {
        const job = await api('GET', `/v1/imports/${started.id}`);
        if (view.stopped) return;
        const read = job.progress?.rowsRead ?? 0;
        progress.value = Math.min(read, progress.max);
        if (job.status === 'running' || job.status === 'awaiting_upload') {
          status.textContent = `Running: ${read} of ${total} rows read.`;
          view.timer = setTimeout(poll, POLL_MS);
          return;
        }
        progress.value = progress.max;
        status.textContent = job.status === 'failed' ? `Failed: ${job.failure?.message || job.failure || 'see the API'}.`
          : `Finished: ${job.status === 'completed' ? 'every row imported' : 'some rows were not imported'}.`;
        show(result, finished(view, job));
      } catch (error) {
        if (view.stopped) return;
        status.textContent = `${inWords(error, 'see imports')} Trying again…`;
        view.timer = setTimeout(poll, POLL_MS * 3);
      }
    };
    poll();
  } catch (error) {
    button.disabled = false;
    show(target);
    sayFailure(chooser, said, error, 'import');
  }
}

function finished(view, job) {
  const c = job.counts || {};
  const parts = [el('dl', {class: 'facts', id: 'import-job-counts'},
    ['created', 'updated', 'unchanged', 'failed'].map((k) => [el('dt', {}, k), el('dd', {dataset: {count: k}}, c[k] ?? 0)]),
    job.contactCounts ? [el('dt', {}, 'contacts'), el('dd', {}, `${job.contactCounts.created ?? 0} created, ${job.contactCounts.updated ?? 0} updated`)] : null)];
  (job.warnings || []).forEach((w) => parts.push(el('p', {class: 'hint'}, w.message)));
  if ((c.failed ?? 0) > 0) {
    const errors = el('div', {id: 'import-errors'}, 'Loading…');
    const saidDownload = el('span', {class: 'hint', role: 'status', id: 'import-errors-download-said'});
    parts.push(el('h3', {}, 'Rows not imported'),
      el('button', {type: 'button', id: 'download-import-errors', class: 'secondary',
        on: {click: () => downloadErrors(job, saidDownload)}}, 'Download the errors as CSV'), ' ', saidDownload,
      el('div', {class: 'table-wrap'}, errors));
    fill(view, errors, async () => {
      const page = await api('GET', `/v1/imports/${job.id}/errors?format=json&limit=100`);
      return [table('import-errors-table', ['Row', 'Column', 'Value', 'Why'],
        (page.items || []).map((e) => [e.row, e.column, e.value, e.reason]), 'None.'),
      page.next ? el('p', {class: 'hint'}, 'The first 100 are shown; the download has them all.') : null];
    });
  }
  return parts;
}

/** Every page of the errors' CSV (the API pages it under 4 MiB), one header, saved as a file. */
async function downloadErrors(job, said) {
  said.textContent = 'Preparing…';
  try {
    const pages = [];
    let after = null;
    do {
      const response = await fetch(`/v1/imports/${job.id}/errors?format=csv&limit=10000${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        {headers: {Authorization: `Bearer ${token()}`, Accept: 'text/csv'}, cache: 'no-store', credentials: 'omit'});
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
      const text = await response.text();
      pages.push(pages.length === 0 ? text : text.slice(text.indexOf('\n') + 1));
      after = response.headers.get('x-next-cursor');
    } while (after);
    const link = el('a', {href: URL.createObjectURL(new Blob(pages, {type: 'text/csv'})),
      download: `${job.fileName.replace(/\.csv$/i, '')}-errors.csv`});
    document.body.append(link);
    link.click();
    link.remove();
    said.textContent = 'Downloaded.';
  } catch (error) {
    said.textContent = inWords(error, 'download the errors');
  }
}
