// The scoring model designer (#/models/<id>, #/models/new): name, target, grades, sales-ready threshold and
// rules of every kind, with pickers from scoring-lists.js; save (the API's 400 is said on the field each error
// names), preview on real leads, publish / retire / copy, and the rescoring progress while it runs.
// The API validates everything: the page sends what was typed and shows what the API answers.
import {api, cached, cachedMany, inWords} from './api.js';
import {personName, points} from './format.js';
import {el, show} from './dom.js';
import {RESCORING_POLL_MS, rescoringBar, rescoringOpen, statusName} from './models.js';
import {
  ATTRIBUTE_PREFIX, FIELDS, FREQUENCIES, FREQUENCY_NAMES, INTERACTIONS, KINDS, KIND_NAMES, OP_NAMES, TARGETS,
  fieldType, isNumericOp, opsFor,
} from './scoring-lists.js';

/** What a new draft starts from: three grades, one rule to change. */
function starter() {
  return {
    name: '', target: 'contact', salesReadyThreshold: '50', minimumConsent: '',
    grades: [{name: 'C', min: '-1000', max: '19'}, {name: 'B', min: '20', max: '49'}, {name: 'A', min: '50', max: '1000'}],
    rules: [newRule('demographic', 1)],
  };
}

function newRule(kind, n) {
  const id = `rule-${n}`;
  if (kind === 'behavioral') {
    return {id, kind, interaction: 'website_visited', frequency: 'each', withinDays: '30', contextId: '', points: '5',
      maxPoints: '', decayHalfLifeDays: ''};
  }
  const field = kind === 'demographic' ? 'jobTitle' : 'industry';
  return {id, kind, field, attribute: '', op: 'eq', value: '', points: '10'};
}

/** The model as the API shows it, as the form edits it: every number as the text of its box. */
function editable(model) {
  const text = (v) => (v === null || v === undefined ? '' : String(v));
  return {
    name: model.name, target: model.target, salesReadyThreshold: text(model.salesReadyThreshold),
    minimumConsent: text(model.minimumConsent),
    grades: (model.grades || []).map((g) => ({name: g.name, min: text(g.min), max: text(g.max)})),
    rules: (model.rules || []).map((r) => {
      if (r.kind === 'behavioral') {
        return {id: r.id, kind: r.kind, interaction: r.interaction, frequency: r.frequency, withinDays: text(r.withinDays),
          contextId: text(r.contextId), points: text(r.points), maxPoints: text(r.maxPoints),
          decayHalfLifeDays: text(r.decayHalfLifeDays)};
      }
      const attribute = String(r.field || '').startsWith(ATTRIBUTE_PREFIX);
      return {id: r.id, kind: r.kind, field: attribute ? ATTRIBUTE_PREFIX : r.field,
        attribute: attribute ? r.field.slice(ATTRIBUTE_PREFIX.length) : '', op: r.op,
        value: Array.isArray(r.value) ? r.value.join(', ') : text(r.value), points: text(r.points)};
    }),
  };
}

/** A box's number, or what was typed when it is none (the API names the field), or undefined when empty. */
function number(text) {
  const t = String(text ?? '').trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function optionalText(text) {
  const t = String(text ?? '').trim();
  return t === '' ? undefined : t;
}

/** The body PUT and POST send. */
function body(state) {
  return {
    name: state.name, target: state.target, salesReadyThreshold: number(state.salesReadyThreshold),
    minimumConsent: state.target === 'contact' ? optionalText(state.minimumConsent) : undefined,
    grades: state.grades.map((g) => ({name: g.name, min: number(g.min), max: number(g.max)})),
    rules: state.rules.map((r) => {
      if (r.kind === 'behavioral') {
        return {id: r.id, kind: r.kind, interaction: r.interaction, frequency: r.frequency,
          withinDays: number(r.withinDays), contextId: optionalText(r.contextId), points: number(r.points),
          maxPoints: number(r.maxPoints), decayHalfLifeDays: number(r.decayHalfLifeDays)};
      }
      const field = r.field === ATTRIBUTE_PREFIX ? `${ATTRIBUTE_PREFIX}${r.attribute.trim()}` : r.field;
      return {id: r.id, kind: r.kind, field, op: r.op, value: ruleValue(r, field), points: number(r.points)};
    }),
  };
}

/** A field rule's value: none for exists, a list for in, a number where the field or the op compares numbers. */
function ruleValue(rule, field) {
  if (rule.op === 'exists') return undefined;
  const type = fieldType(rule.kind, field);
  const asNumber = type === 'number' || (type === 'attribute' && isNumericOp(rule.op));
  const one = (t) => (asNumber ? number(t) : optionalText(t));
  if (rule.op === 'in') {
    const parts = String(rule.value).split(',').map((p) => p.trim()).filter((p) => p !== '');
    return parts.length === 0 ? undefined : parts.map(one);
  }
  return one(rule.value);
}

export function renderDesigner(main, modelId) {
  const view = {stopped: false, timer: null};
  const isNew = modelId === 'new';
  let model = null;
  let state = starter();
  let dirty = false;
  let errors = [];

  const heading = el('h1', {id: 'designer-title', tabindex: '-1'}, isNew ? 'New scoring model' : 'Scoring model');
  const statusLine = el('p', {id: 'designer-status', class: 'status-line'});
  const form = el('form', {id: 'designer-form', novalidate: true, on: {submit: (event) => {
    event.preventDefault();
    save();
  }}});
  const result = el('p', {id: 'designer-result', class: 'result', role: 'status', 'aria-live': 'polite', tabindex: '-1'});
  const actions = el('div', {class: 'row designer-actions', id: 'designer-actions'});
  const previewPanel = el('section', {class: 'panel', id: 'preview', 'aria-labelledby': 'preview-title'});
  show(main, el('p', {}, el('a', {href: '#/models'}, '← Scoring models')), heading, statusLine, form,
    el('section', {class: 'panel'}, actions, result), previewPanel);

  const say = (text, ok) => {
    result.className = `result ${ok ? 'ok' : 'error'}`;
    result.textContent = text;
  };

  // ---- the form ----

  const locked = () => !isNew && model && model.status !== 'draft';
  const changed = () => { dirty = true; };

  /** A control bound to state[key] (or an object's key), with its API path and an error line under it. */
  function control(path, labelText, input, target, key, {rerender = false} = {}) {
    input.id = `f-${path.replace(/[^A-Za-z0-9]/g, '-')}`;
    input.dataset.path = path;
    if (input.tagName === 'SELECT') {
      input.value = target[key];
    } else {
      input.value = target[key] ?? '';
    }
    input.disabled = locked();
    input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', () => {
      target[key] = input.value;
      changed();
      if (rerender) renderForm(input.dataset.path);
    });
    const error = el('p', {class: 'field-error', dataset: {errorFor: path}, id: `${input.id}-error`, hidden: true});
    input.setAttribute('aria-describedby', error.id);
    return el('div', {class: 'field', dataset: {fieldFor: path}}, el('label', {for: input.id}, labelText), input, error);
  }

  const select = (options, names) => el('select', {}, options.map((o) => el('option', {value: o}, names ? names[o] ?? o : o)));
  const box = (type = 'text', extra = {}) => el('input', {type: type === 'number' ? 'text' : type, inputmode: type === 'number' ? 'decimal' : null, ...extra});
  /** An error line for a whole list or rule (grades, rules, rules[2]). */
  const listError = (path) => el('p', {class: 'field-error', dataset: {errorFor: path}, hidden: true});

  function gradeRows() {
    return state.grades.map((g, i) => el('div', {class: 'designer-row grade-row', dataset: {index: i}},
      control(`grades[${i}].name`, 'Grade', box('text', {maxlength: 50}), g, 'name'),
      control(`grades[${i}].min`, 'From score', box('number'), g, 'min'),
      control(`grades[${i}].max`, 'To score', box('number'), g, 'max'),
      locked() ? null : el('button', {type: 'button', class: 'secondary remove-grade', on: {click: () => {
        state.grades.splice(i, 1);
        changed();
        renderForm();
      }}}, 'Remove grade'),
      listError(`grades[${i}]`)));
  }

  function ruleBox(rule, i) {
    const p = `rules[${i}]`;
    const kindSelect = select(KINDS, KIND_NAMES);
    const parts = [control(`${p}.id`, 'Rule name (its id)', box('text', {maxlength: 100}), rule, 'id'),
      control(`${p}.kind`, 'Kind', kindSelect, rule, 'kind')];
    // Another kind (rule.kind is set by then): the members of the new one, keeping the id and points.
    kindSelect.addEventListener('change', () => {
      const fresh = newRule(rule.kind, i + 1);
      Object.keys(rule).forEach((k) => { if (!['id', 'kind', 'points'].includes(k)) delete rule[k]; });
      Object.entries(fresh).forEach(([k, v]) => { if (!['id', 'kind', 'points'].includes(k)) rule[k] = v; });
      renderForm(`${p}.kind`);
    });
    if (rule.kind === 'behavioral') {
      parts.push(
        control(`${p}.interaction`, 'Interaction', select(INTERACTIONS, null), rule, 'interaction'),
        control(`${p}.frequency`, 'How often', select(FREQUENCIES, FREQUENCY_NAMES), rule, 'frequency', {rerender: true}),
        control(`${p}.withinDays`, 'Within the last … days', box('number'), rule, 'withinDays'),
        control(`${p}.contextId`, 'Only in context (id)', box('text', {maxlength: 200}), rule, 'contextId'),
        control(`${p}.points`, rule.frequency === 'each' ? 'Points each time' : 'Points', box('number'), rule, 'points'),
        rule.frequency === 'each' ? control(`${p}.maxPoints`, 'At most (cap)', box('number'), rule, 'maxPoints') : null,
        rule.frequency === 'none' ? null
          : control(`${p}.decayHalfLifeDays`, 'Counts half after … days (decay)', box('number'), rule, 'decayHalfLifeDays'));
    } else {
      const fields = [...FIELDS[rule.kind].map((f) => f.name), ...(rule.kind === 'demographic' ? [ATTRIBUTE_PREFIX] : [])];
      const names = Object.fromEntries(fields.map((f) => [f, f === ATTRIBUTE_PREFIX ? 'a custom attribute…' : f]));
      const field = rule.field === ATTRIBUTE_PREFIX ? `${ATTRIBUTE_PREFIX}${rule.attribute}` : rule.field;
      const ops = opsFor(rule.kind, field);
      if (!ops.includes(rule.op)) rule.op = ops[0];
      parts.push(control(`${p}.field`, 'Field', select(fields, names), rule, 'field', {rerender: true}));
      if (rule.field === ATTRIBUTE_PREFIX) {
        parts.push(control(`${p}.attribute`, 'Attribute name', box('text', {maxlength: 64}), rule, 'attribute'));
      }
      parts.push(control(`${p}.op`, 'Condition', select(ops, OP_NAMES), rule, 'op', {rerender: true}));
      if (rule.op !== 'exists') {
        parts.push(control(`${p}.value`, rule.op === 'in' ? 'Values (separated by commas)' : 'Value', box('text'), rule, 'value'));
      }
      parts.push(control(`${p}.points`, 'Points', box('number'), rule, 'points'));
    }
    return el('fieldset', {class: 'rule', dataset: {index: i, kind: rule.kind}},
      el('legend', {}, `Rule ${i + 1}: ${KIND_NAMES[rule.kind]}`),
      el('div', {class: 'designer-row'}, parts),
      locked() ? null : el('button', {type: 'button', class: 'secondary remove-rule', on: {click: () => {
        state.rules.splice(i, 1);
        changed();
        renderForm();
      }}}, 'Remove rule'),
      listError(p));
  }

  /** Draws the form from the state; the control at `focusPath` keeps the focus. */
  function renderForm(focusPath) {
    const addKind = select(KINDS, KIND_NAMES);
    addKind.id = 'add-rule-kind';
    const targetSelect = select(TARGETS, {contact: 'Contacts (leads with a contact)', account: 'Accounts (leads with only an account)'});
    show(form,
      el('section', {class: 'panel'}, el('h2', {}, 'The model'),
        el('div', {class: 'designer-row'},
          control('name', 'Name', box('text', {maxlength: 200, required: true}), state, 'name'),
          control('target', 'Scores', targetSelect, state, 'target', {rerender: true}),
          control('salesReadyThreshold', 'Sales-ready at (score)', box('number'), state, 'salesReadyThreshold'),
          state.target === 'contact'
            ? control('minimumConsent', 'Only with consent to (optional)', box('text', {maxlength: 100}), state, 'minimumConsent')
            : null),
        listError('')),
      el('section', {class: 'panel', id: 'designer-grades'}, el('h2', {}, 'Grades'),
        el('p', {class: 'hint'}, 'Score bands, each starting right after the one before ends.'),
        gradeRows(), listError('grades'),
        locked() ? null : el('button', {type: 'button', class: 'secondary', id: 'add-grade', on: {click: () => {
          const last = state.grades[state.grades.length - 1];
          const from = last && Number.isFinite(Number(last.max)) ? String(Number(last.max) + 1) : '';
          state.grades.push({name: '', min: from, max: ''});
          changed();
          renderForm(`grades[${state.grades.length - 1}].name`);
        }}}, 'Add grade')),
      el('section', {class: 'panel', id: 'designer-rules'}, el('h2', {}, 'Rules'),
        state.rules.map(ruleBox), listError('rules'),
        locked() ? null : el('div', {class: 'row'}, el('label', {for: 'add-rule-kind'}, 'New rule'), addKind,
          el('button', {type: 'button', class: 'secondary', id: 'add-rule', on: {click: () => {
            const used = new Set(state.rules.map((r) => r.id));
            let n = state.rules.length + 1;
            while (used.has(`rule-${n}`)) n++;
            state.rules.push(newRule(addKind.value, n));
            changed();
            renderForm(`rules[${state.rules.length - 1}].id`);
          }}}, 'Add rule'))));
    showErrors();
    const focus = focusPath && form.querySelector(`[data-path="${CSS.escape(focusPath)}"]`);
    if (focus) focus.focus();
  }

  /**
   * Where an error on `field` is said: its control's line (rules[0].value[2] on rules[0].value), else the
   * nearest rule, list or the model's own line (rules[3].foo on rules[3], grades on grades).
   */
  function slotFor(field) {
    let path = String(field || '').replace(/\[\d+\]$/, '');
    for (;;) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
      if (slot) return {slot, path};
      if (path === '') return null;
      const dot = path.lastIndexOf('.');
      const bracket = path.lastIndexOf('[');
      path = dot > bracket ? path.slice(0, dot) : bracket > 0 ? path.slice(0, bracket) : '';
    }
  }

  /** Says each of the API's errors on the field it names (or the nearest list or rule), the rest above. */
  function showErrors() {
    form.querySelectorAll('.field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    const unplaced = [];
    for (const e of errors) {
      const found = slotFor(e.field);
      if (!found) {
        unplaced.push(e);
        continue;
      }
      const {slot, path} = found;
      const text = path === e.field || `${path}` === String(e.field).replace(/\[\d+\]$/, '') ? e.message : `${e.field}: ${e.message}`;
      slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      slot.hidden = false;
      const input = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
    return unplaced;
  }

  // ---- actions ----

  function renderActions() {
    const button = (id, text, onClick, cls) => el('button', {type: 'button', id, class: cls, on: {click: onClick}}, text);
    const buttons = [];
    if (isNew) {
      buttons.push(button('save-model', 'Create draft', save));
    } else if (model.status === 'draft') {
      buttons.push(button('save-model', 'Save draft', save), button('publish-model', 'Publish', publish));
    } else if (model.status === 'live') {
      buttons.push(button('retire-model', 'Retire', retire, 'danger'));
    }
    if (!isNew) buttons.push(button('copy-model', 'Copy to a new draft', copy, 'secondary'));
    show(actions, buttons,
      model && !isNew ? el('span', {id: 'designer-rescoring'}, rescoringBar(model, 'designer-rescoring-bar')) : null);
  }

  function renderStatus() {
    if (isNew) {
      show(statusLine, 'Not saved yet. The API checks the model when you create it.');
      return;
    }
    heading.textContent = model.name;
    const said = {draft: 'Change it, preview it, publish it.', live: 'It scores every lead. To change it, copy it to a new draft.',
      retired: 'It scores nothing; its scores stay readable.'}[model.status] || '';
    show(statusLine, el('strong', {id: 'designer-model-status'}, statusName(model.status)), `. ${said}`);
  }

  /** Saves the form (POST for a new model, PUT for a draft); true when the API took it. */
  async function save() {
    if (locked()) return true;
    const buttonsOff = setBusy(true);
    try {
      const answer = isNew ? await api('POST', '/v1/scoring-models', body(state))
        : await api('PUT', `/v1/scoring-models/${modelId}`, body(state));
      errors = [];
      dirty = false;
      if (isNew) {
        // The new draft's own address; its designer opens there.
        window.location.hash = `#/models/${answer.id}`;
        return true;
      }
      loaded(answer);
      say('Saved.', true);
      return true;
    } catch (error) {
      errors = error.status === 400 && error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
      const unplaced = showErrors();
      say(errors.length > 0
        ? `Not saved: ${errors.length === 1 ? 'one field needs' : `${errors.length} fields need`} a change.${unplaced.length
          ? ` ${unplaced.map((e) => `${e.field || 'the model'}: ${e.message}`).join('; ')}` : ''}`
        : `Not saved. ${inWords(error, 'change scoring models')}`, false);
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
      return false;
    } finally {
      buttonsOff();
    }
  }

  function setBusy(busy) {
    actions.querySelectorAll('button').forEach((b) => { b.disabled = busy; });
    return () => actions.querySelectorAll('button').forEach((b) => { b.disabled = false; });
  }

  async function act(what, path, done) {
    const buttonsOff = setBusy(true);
    try {
      const answer = await api('POST', path);
      done(answer);
    } catch (error) {
      say(`Not ${what}. ${inWords(error, 'change scoring models')}`, false);
    } finally {
      buttonsOff();
    }
  }

  async function publish() {
    if (dirty && !(await save())) return;
    await act('published', `/v1/scoring-models/${modelId}/publish`, (answer) => {
      loaded(answer);
      say('Published: every lead is being rescored.', true);
    });
  }

  async function retire() {
    await act('retired', `/v1/scoring-models/${modelId}/retire`, (answer) => {
      loaded(answer);
      say('Retired: the model scores no more leads.', true);
    });
  }

  async function copy() {
    await act('copied', `/v1/scoring-models/${modelId}/copy`, (answer) => {
      window.location.hash = `#/models/${answer.id}`;
    });
  }

  /** A model as the API answered it: the form, status, actions, and the rescoring poll. */
  function loaded(answer) {
    model = answer;
    state = editable(answer);
    renderStatus();
    renderForm();
    renderActions();
    clearTimeout(view.timer);
    if (rescoringOpen(model)) view.timer = setTimeout(poll, RESCORING_POLL_MS);
  }

  /** Reads the model again while its rescoring runs: only the bar and the status change. */
  async function poll() {
    try {
      const answer = await api('GET', `/v1/scoring-models/${modelId}`);
      if (view.stopped) return;
      model = answer;
      renderStatus();
      renderActions();
    } catch (error) {
      if (view.stopped) return;
    }
    if (rescoringOpen(model)) view.timer = setTimeout(poll, RESCORING_POLL_MS);
  }

  // ---- preview ----

  function renderPreviewPanel() {
    const sample = el('input', {type: 'text', inputmode: 'numeric', id: 'preview-sample', value: '500', size: 6, dataset: {path: 'sample'}});
    const ids = el('input', {type: 'text', id: 'preview-lead-ids', dataset: {path: 'leadIds'}, size: 40,
      placeholder: 'lead ids, separated by commas or spaces'});
    const problem = el('p', {class: 'field-error', id: 'preview-error', role: 'alert', hidden: true});
    const out = el('div', {id: 'preview-result', 'aria-live': 'polite'});
    const run = el('button', {type: 'button', id: 'preview-model'}, 'Preview');
    run.addEventListener('click', async () => {
      problem.hidden = true;
      if (isNew) {
        show(out, el('p', {class: 'hint'}, 'Create the draft first: the preview scores the model as it is saved.'));
        return;
      }
      if (dirty && !locked() && !(await save())) {
        show(out, el('p', {class: 'hint'}, 'The draft has errors: fix them and preview again.'));
        return;
      }
      const named = ids.value.split(/[\s,]+/).filter(Boolean);
      const request = named.length > 0 ? {leadIds: named} : {sample: number(sample.value)};
      run.disabled = true;
      show(out, el('p', {class: 'loading'}, 'Scoring…'));
      try {
        showPreview(out, await api('POST', `/v1/scoring-models/${modelId}/preview`, request));
      } catch (error) {
        show(out);
        problem.textContent = inWords(error, 'preview scoring models');
        problem.hidden = false;
      } finally {
        run.disabled = false;
      }
    });
    show(previewPanel, el('h2', {id: 'preview-title'}, 'Preview on real leads'),
      el('p', {class: 'hint'}, 'Scores leads with the model as it is saved, without changing anything: the newest open leads, or the leads you name.'),
      el('div', {class: 'row designer-row'},
        el('div', {class: 'field'}, el('label', {for: 'preview-sample'}, 'Newest open leads'), sample),
        el('div', {class: 'field'}, el('label', {for: 'preview-lead-ids'}, 'Or only these leads'), ids), run),
      problem, out);
  }

  async function showPreview(out, preview) {
    const threshold = model.salesReadyThreshold;
    const top = Math.max(1, ...preview.distribution.map((d) => d.count));
    const contactsOf = await leadsWithContacts(preview.leads.map((l) => l.id));
    if (view.stopped) return;
    show(out,
      el('p', {id: 'preview-summary'}, `${preview.scored.toLocaleString('en')} lead${preview.scored === 1 ? '' : 's'} scored`,
        preview.skipped > 0 ? ` (${preview.skipped.toLocaleString('en')} the model would not score: closed, of the other kind, or without consent)` : '',
        '. ', el('strong', {id: 'preview-sales-ready'}, `${preview.salesReady.toLocaleString('en')} would be sales-ready`),
        ` (a score of ${threshold} or more).`),
      el('h3', {}, 'By grade'),
      el('table', {id: 'preview-distribution'},
        el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Grade'), el('th', {scope: 'col'}, 'Leads'), el('th', {scope: 'col'}, ''))),
        el('tbody', {}, preview.distribution.map((d) => el('tr', {dataset: {grade: d.grade ?? ''}},
          el('td', {}, d.grade ?? 'no grade (outside every band)'),
          el('td', {class: 'number'}, d.count),
          el('td', {}, el('meter', {min: 0, max: top, value: d.count, 'aria-label': `${d.grade ?? 'no grade'}: ${d.count}`})))))),
      el('h3', {}, 'Best leads'),
      preview.leads.length === 0 ? el('p', {class: 'empty'}, 'No lead was scored.') : el('table', {id: 'preview-leads'},
        el('thead', {}, el('tr', {}, ['Lead', 'Score', 'Grade', 'Sales-ready', 'Why'].map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, preview.leads.map((l) => el('tr', {dataset: {leadId: l.id}},
          el('td', {}, el('a', {href: `#/leads/${l.id}`}, contactsOf.get(l.id) || 'Lead')),
          el('td', {class: 'number'}, l.score),
          el('td', {}, l.grade ?? '—'),
          el('td', {}, l.salesReady ? 'yes' : 'no'),
          el('td', {class: 'explanation'}, l.explanation.map((r) => `${r.ruleId} ${points(r.points)}${r.occurrences > 1
            ? ` (${r.occurrences}×)` : ''}`).join(', ')))))));
  }

  /** The names of the leads' contacts (or emails), for the best leads' table; what cannot be read stays unnamed. */
  async function leadsWithContacts(leadIds) {
    const names = new Map();
    try {
      const leads = await Promise.all(leadIds.map((id) => cached(`/v1/leads/${id}`).catch(() => null)));
      const contacts = await cachedMany('contacts', leads.map((l) => l && l.contactId));
      leads.forEach((l) => {
        if (!l) return;
        const c = contacts.get(l.contactId);
        names.set(l.id, (c && (personName(c) || c.email)) || l.topic || null);
      });
    } catch (error) {
      // Names are a help only: the table shows the leads without them.
    }
    return names;
  }

  // ---- start ----

  renderPreviewPanel();
  if (isNew) {
    renderStatus();
    renderForm();
    renderActions();
  } else {
    api('GET', `/v1/scoring-models/${modelId}`).then((answer) => {
      if (!view.stopped) loaded(answer);
    }).catch((error) => {
      if (!view.stopped) show(main, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see this scoring model')));
    });
  }
  heading.focus();
  return () => {
    view.stopped = true;
    clearTimeout(view.timer);
  };
}
