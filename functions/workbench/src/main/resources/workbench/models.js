// Scoring models (#/models): the list with each model's status and rescoring progress, and a new draft.
// The designer of one model is designer.js.
import {all, inWords} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';

/** How often a rescoring still running is read again. */
export const RESCORING_POLL_MS = 1500;

const STATUS_NAMES = {draft: 'Draft', live: 'Live', retired: 'Retired'};

export function statusName(status) {
  return STATUS_NAMES[status] || status;
}

/** Whether the model's full rescoring is still to finish (scheduled or running). */
export function rescoringOpen(model) {
  const r = model && model.rescoring;
  return Boolean(r) && (r.status === 'pending' || r.status === 'running');
}

/**
 * The rescoring progress as the model API reports it: a bar and words. The API says how many leads were
 * scored, not how many there are, so while it runs the bar moves without an end (indeterminate); once it
 * finished the bar is full.
 */
export function rescoringBar(model, id) {
  const r = model.rescoring || {status: 'idle', leadsScored: 0};
  const count = `${(r.leadsScored ?? 0).toLocaleString('en')} lead${r.leadsScored === 1 ? '' : 's'} scored`;
  let words;
  let bar;
  if (r.status === 'pending') {
    words = 'Rescoring scheduled';
    bar = el('progress', {id, 'aria-label': 'Rescoring', dataset: {state: 'pending'}});
  } else if (r.status === 'running') {
    words = `Rescoring: ${count} so far`;
    bar = el('progress', {id, 'aria-label': 'Rescoring', dataset: {state: 'running'}});
  } else if (r.finishedAt) {
    words = `Rescoring done: ${count}, ${dateTime(r.finishedAt)}`;
    bar = el('progress', {id, 'aria-label': 'Rescoring', max: 1, value: 1, dataset: {state: 'done'}});
  } else {
    return el('span', {class: 'rescoring', dataset: {state: 'none'}}, model.status === 'draft'
      ? 'Not live yet' : 'No rescoring');
  }
  return el('span', {class: 'rescoring', dataset: {state: bar.dataset.state}}, bar, ' ', el('span', {class: 'rescoring-words'}, words));
}

export function renderModels(main) {
  const view = {stopped: false, timer: null};
  const list = el('div', {id: 'models-list', class: 'table-wrap'}, 'Loading…');
  show(main,
    el('h1', {}, 'Scoring models'),
    el('p', {}, 'A model gives each lead points for who they are and what they did, a grade, and makes them sales-ready at its threshold. ',
      'Write a draft, preview it on real leads, then publish it: every lead is rescored.'),
    el('p', {}, el('a', {href: '#/models/new', id: 'new-model', class: 'button-link'}, 'New draft')),
    el('section', {class: 'panel'}, list));
  const load = async () => {
    try {
      const {items} = await all('/v1/scoring-models?limit=200');
      if (view.stopped) return;
      show(list, items.length === 0 ? el('p', {class: 'empty'}, 'No scoring models yet.') : el('table', {},
        el('thead', {}, el('tr', {}, ['Name', 'Status', 'Target', 'Sales-ready at', 'Grades', 'Rescoring']
          .map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, items.map((m) => el('tr', {dataset: {modelId: m.id}},
          el('td', {}, el('a', {href: `#/models/${m.id}`, class: 'model-link'}, m.name),
            m.copiedFrom ? el('span', {class: 'sub'}, 'a copy') : null),
          el('td', {class: 'model-status'}, statusName(m.status)),
          el('td', {}, m.target),
          el('td', {class: 'number'}, m.salesReadyThreshold),
          el('td', {}, (m.grades || []).map((g) => `${g.name} ${g.min}…${g.max}`).join(', ')),
          el('td', {}, rescoringBar(m, `rescoring-${m.id}`)))))));
      if (items.some(rescoringOpen)) {
        view.timer = setTimeout(load, RESCORING_POLL_MS);
      }
    } catch (error) {
      if (!view.stopped) show(list, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see the scoring models')));
    }
  };
  load();
  return () => {
    view.stopped = true;
    clearTimeout(view.timer);
  };
}
