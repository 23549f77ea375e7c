// One lead: its stage bar, flags, contact (phone and email as links) and account, marketing context, scores
// with their explanation, timeline; logging a call or a note; the process actions its stage allows (the
// rest behind "More actions"; a 409 or 403 is said in words next to the action); the next lead of the queue.
import {actor, all, api, ApiError, cached, forget, inWords, salespeople} from './api.js';
import {activityText, contextText, dateTime, fieldName, OUTCOMES, ownerName, personName, points, STAGES, stageName,
  timelineValue, yesNo} from './format.js';
import {announce, el, field, show} from './dom.js';
import {ACTION_ROLES, arrange, currentStage, editableUpTo, processAllows, roleMay, rolesInWords} from './rules.js';
import {QUEUES, neighbour, rememberedQueue, startView} from './shift.js';

/**
 * Renders lead `id` into main for `me` (GET /v1/me, or null: unknown, every action offered); answers
 * {leave, keys}: a function that leaves the view and the view's keyboard shortcuts.
 */
export function renderLead(main, id, me) {
  const view = {stopped: false, lead: null};
  const go = async (step) => {
    const other = await neighbour(id, step).catch(() => null);
    if (other) {
      window.location.hash = `#/leads/${other}`;
    } else {
      announce(step > 0 ? 'This is the last lead of the queue.' : 'This is the first lead of the queue.');
      const said = document.getElementById('lead-position');
      if (said) said.textContent = step > 0 ? 'This is the last lead of the queue.' : 'This is the first lead of the queue.';
    }
  };
  view.go = go;
  load(main, id, view, me, null);
  const click = (selector) => () => {
    const target = main.querySelector(selector);
    if (target && !target.disabled) target.click();
  };
  const keys = {
    j: () => go(1), n: () => go(1), k: () => go(-1), p: () => go(-1),
    c: () => openCall(main),
    a: () => {
      const form = main.querySelector('#lead-actions-first #accept-telemarketing-form, #lead-actions-first #accept-sales-form');
      if (form) form.requestSubmit();
    },
  };
  OUTCOMES.forEach(([wire], index) => {
    keys[String(index + 1)] = () => {
      openCall(main);
      click(`#log-call [data-outcome='${wire}']`)();
    };
  });
  return {leave: () => { view.stopped = true; }, keys};
}

/** Brings the "Log a call" outcomes into view and focus. */
function openCall(main) {
  const first = main.querySelector('#log-call [data-outcome]');
  if (first) {
    first.scrollIntoView({block: 'center'});
    first.focus();
  }
}

function backLink(me) {
  const queue = rememberedQueue();
  if (queue) {
    return [queue.hash, `← ${queue.title}`];
  }
  const start = startView(me ? me.roles : null);
  return [`#/${start}`, `← ${QUEUES[start].title}`];
}

async function load(main, id, view, me, after) {
  let lead;
  try {
    lead = await api('GET', `/v1/leads/${id}`);
  } catch (error) {
    if (!view.stopped) {
      const back = backLink(me);
      show(main, el('p', {}, el('a', {href: back[0]}, back[1])),
        el('div', {class: 'error-box', role: 'alert', id: 'lead-problem'}, inWords(error, 'see this lead')));
    }
    return;
  }
  forget(`/v1/contacts/${lead.contactId}`);
  const [contact, account, process] = await Promise.all([
    lead.contactId ? api('GET', `/v1/contacts/${lead.contactId}`).catch(() => null) : null,
    lead.accountId ? api('GET', `/v1/accounts/${lead.accountId}`).catch(() => null) : null,
    processVersion(lead),
  ]);
  if (view.stopped) {
    return;
  }
  if (view.lead && view.lead.stage !== lead.stage) {
    view.selectedStage = null; // the lead moved on: show its new stage's fields
  }
  view.lead = lead;
  const rerender = (actionId, message) => load(main, id, view, me, {actionId, message});
  const stages = process ? process.stages : null;
  const selected = (stages || []).find((stage) => stage.name === view.selectedStage) || (process ? currentStage(lead, process) : null);
  const select = (name) => {
    view.selectedStage = name;
    const panel = document.getElementById('lead-stage-fields');
    if (panel) {
      panel.replaceWith(stageFields(lead, process, (process.stages || []).find((stage) => stage.name === name), me, rerender));
      document.getElementById('stage-fields-title').focus();
    }
    for (const button of document.querySelectorAll('#stage-bar button')) {
      button.setAttribute('aria-pressed', String(button.dataset.stage === name));
    }
  };
  const back = backLink(me);
  const queue = rememberedQueue();
  const index = queue ? queue.ids.indexOf(id) : -1;
  const heading = el('h1', {id: 'lead-title', tabindex: '-1'}, lead.topic || 'Lead');
  const walk = (step) => () => view.go(step);
  show(main,
    el('div', {class: 'lead-nav'},
      el('a', {href: back[0], id: 'back-to-queue'}, back[1]),
      index >= 0 ? el('span', {class: 'position', id: 'lead-position', role: 'status'},
        `Lead ${index + 1} of ${queue.ids.length}${queue.nextPath ? '+' : ''} in ${queue.title.toLowerCase()}`) : null,
      index >= 0 ? el('button', {type: 'button', class: 'secondary', id: 'previous-lead', disabled: index === 0,
        on: {click: walk(-1)}}, '← Previous lead') : null,
      index >= 0 ? el('button', {type: 'button', id: 'next-lead', on: {click: walk(1)}}, 'Next lead →') : null),
    heading,
    stageBar(lead, stages, selected ? selected.name : null, process ? select : null),
    process ? stageFields(lead, process, selected, me, rerender)
      : el('p', {class: 'error-box', id: 'process-problem'}, `The stages of process ${lead.processId || 'default'} could not be read; reload the page to see them.`),
    el('div', {class: 'grid'},
      section('Flags', 'flags', flags(lead)),
      section('Contact', 'contact', contactFacts(contact)),
      section('Account', 'account', accountFacts(account, contact)),
      section('Marketing context', 'context', facts([
        ['Kind', lead.context ? lead.context.kind : null], ['Name', lead.context ? lead.context.name : null],
        ['Id', lead.context ? lead.context.id : null], ['Created', dateTime(lead.createdAt)]]))),
    section('Work this lead', 'work', el('p', {id: 'action-said', class: 'result', role: 'status', tabindex: '-1'}),
      actions(lead, me, rerender, process)),
    section('Calls and notes', 'activities', lead.status === 'open' ? activities(lead, rerender)
      : el('p', {}, `The lead is ${lead.status}: its calls and notes are on the timeline.`)),
    section('Scores', 'scores', scores(lead)),
    section('Timeline', 'timeline', timeline(lead)));
  if (after) {
    const said = document.getElementById('action-said');
    said.textContent = after.message;
    said.className = 'result ok';
    const result = document.getElementById(`${after.actionId}-result`);
    if (result) {
      result.textContent = after.message;
      result.className = 'result ok';
    }
    said.focus();
    announce(after.message);
  } else {
    heading.focus();
  }
}

function section(title, id, ...content) {
  return el('section', {class: 'panel', id: `lead-${id}`, 'aria-labelledby': `lead-${id}-title`},
    el('h2', {id: `lead-${id}-title`}, title), content);
}

function facts(pairs) {
  return el('dl', {class: 'facts'}, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

/**
 * The lead's process version (GET /v1/processes/{id}/versions/{n}), read once per page load for all leads on
 * it; null when it cannot be read (the page then says so instead of guessing the stages).
 */
function processVersion(lead) {
  return cached(`/v1/processes/${encodeURIComponent(lead.processId || 'default')}/versions/${lead.processVersion || 1}`)
    .catch(() => null);
}

/**
 * The stages of the lead's process in order, the current one highlighted and marked aria-current; each stage a
 * button that shows its fields below the bar. Without the process (it could not be read), the default five.
 */
function stageBar(lead, stages, selected, onSelect) {
  const names = stages ? stages.map((stage) => stage.name) : STAGES.map(([wire]) => wire);
  const current = names.indexOf(lead.stage);
  const closed = lead.status && lead.status !== 'open';
  return el('nav', {'aria-label': 'Stage'},
    el('ol', {class: closed ? 'stage-bar closed' : 'stage-bar', id: 'stage-bar'},
      names.map((name, index) => el('li', {
        class: index < current ? 'passed' : null,
        'aria-current': index === current ? 'step' : null,
        dataset: {stage: name},
      }, onSelect ? el('button', {type: 'button', class: 'stage', dataset: {stage: name}, 'aria-pressed': String(name === selected),
        'aria-controls': 'lead-stage-fields', on: {click: () => onSelect(name)}}, stageName(name),
      index === current ? el('span', {class: 'visually-hidden'}, ' (current stage)') : null)
        : [stageName(name), index === current ? el('span', {class: 'visually-hidden'}, ' (current stage)') : null]))));
}

// ---- stage fields -----------------------------------------------------------------------------------

const FIELD_TYPES = {text: 'text', long_text: 'long text', number: 'number', boolean: 'yes/no', choice: 'choice',
  date: 'date', user: 'user'};

/** The people a user field can name: every user (GET /v1/users), by name. */
async function users() {
  const answer = await cached('/v1/users');
  return Array.isArray(answer) ? answer : [];
}

/** A control for one stage field, by its type, holding `value`; `read()` gives the value as set-fields takes it. */
function fieldControl(definition, value, id) {
  const options = (values) => values.map(([wire, words]) => el('option', {value: wire}, words));
  let control;
  let read;
  switch (definition.type) {
    case 'long_text':
      control = el('textarea', {maxlength: 20000});
      control.value = value ?? '';
      read = () => control.value.trim() || null;
      break;
    case 'number':
      control = el('input', {type: 'number', step: 'any', autocomplete: 'off'});
      control.value = value ?? '';
      read = () => (control.value === '' ? null : Number(control.value));
      break;
    case 'boolean':
      control = el('select', {}, options([['', '—'], ['yes', 'yes'], ['no', 'no']]));
      control.value = value === true ? 'yes' : value === false ? 'no' : '';
      read = () => (control.value === '' ? null : control.value === 'yes');
      break;
    case 'choice':
      control = el('select', {}, options([['', '—'], ...(definition.options || []).map((o) => [o, o])]));
      control.value = value ?? '';
      read = () => control.value || null;
      break;
    case 'date':
      control = el('input', {type: 'date'});
      control.value = value ?? '';
      read = () => control.value || null;
      break;
    case 'user':
      control = el('select', {}, el('option', {value: ''}, 'Choose a person…'));
      if (value) {
        control.appendChild(el('option', {value}, value)); // named once the users are read
      }
      control.value = value ?? '';
      users().then((people) => {
        const chosen = control.value;
        // GET /v1/users leaves disabled users out: one recorded before is kept, by its id.
        show(control, el('option', {value: ''}, 'Choose a person…'),
          people.map((person) => el('option', {value: person.id}, person.name)),
          chosen && !people.some((person) => person.id === chosen) ? el('option', {value: chosen}, chosen) : null);
        control.value = chosen;
      }).catch(() => {});
      read = () => control.value || null;
      break;
    default:
      control = el('input', {type: 'text', autocomplete: 'off', maxlength: 2000});
      control.value = value ?? '';
      read = () => control.value.trim() || null;
  }
  control.id = id;
  control.name = definition.name;
  control.dataset.field = definition.name;
  return {control, read};
}

/** A recorded value as words, for a stage whose fields this user cannot set (a user field by the user's name). */
function fieldText(definition, value) {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  if (definition.type === 'boolean') {
    return yesNo(value);
  }
  if (definition.type === 'user') {
    const text = el('span', {}, String(value));
    users().then((people) => {
      const person = people.find((p) => p.id === value);
      if (person) text.textContent = person.name;
    }).catch(() => {});
    return text;
  }
  return String(value);
}

/**
 * The fields of `stage` (a stage of the lead's process): the values recorded, editable when the lead is open, the
 * stage is its current one or an earlier one, and the user's roles may set fields; read-only otherwise (a later
 * stage's fields are set once the lead gets there). Required-to-complete fields are marked. On the current stage,
 * "Complete stage" saves what changed and completes it; a 409 naming missing fields marks them.
 */
function stageFields(lead, process, stage, me, rerender) {
  const roles = me ? me.roles || [] : null;
  const stages = process.stages || [];
  const index = stages.indexOf(stage);
  const current = stages.findIndex((s) => s.name === lead.stage);
  const recorded = (lead.stageFields || {})[stage ? stage.name : ''] || {};
  const definitions = stage ? stage.fields || [] : [];
  const editable = lead.status === 'open' && index >= 0 && index <= editableUpTo(lead, process) && processAllows('set-fields', lead, process)
    && (roles === null || roleMay('set-fields', roles));
  const isCurrent = index >= 0 && index === current;
  const mayComplete = isCurrent && processAllows('complete-stage', lead, process) && (roles === null || roleMay('complete-stage', roles));
  const where = !stage ? '' : isCurrent ? 'the current stage' : index < current ? 'a passed stage' : 'a later stage';
  const title = el('h2', {id: 'stage-fields-title', tabindex: '-1'}, stage ? `${stageName(stage.name)}: ${where}` : 'Stage');
  const result = el('p', {class: 'result', id: 'stage-fields-result', role: 'status', 'aria-live': 'polite', tabindex: '-1'});
  const completeResult = el('p', {class: 'result', id: 'complete-stage-result', role: 'status', 'aria-live': 'polite', tabindex: '-1'});
  const panel = (...content) => el('section', {class: 'panel', id: 'lead-stage-fields', 'aria-labelledby': 'stage-fields-title',
    dataset: {stage: stage ? stage.name : ''}}, title, content);
  if (!stage) {
    return panel(el('p', {}, `The lead's stage ${lead.stage} is not a stage of its process.`));
  }
  const why = editable ? null : lead.status !== 'open' ? `The lead is ${lead.status}: its fields are kept as they were.`
    : index > current ? 'A later stage: its fields are set once the lead gets there.'
      : `Your role may not set fields: it needs ${rolesInWords(ACTION_ROLES['set-fields'])}.`;

  const controls = definitions.map((definition, i) => {
    const id = `sf-${i}`;
    const {control, read} = editable ? fieldControl(definition, recorded[definition.name], id) : {control: null, read: null};
    const error = el('p', {class: 'field-error', id: `${id}-error`, hidden: true});
    const label = [definition.name, definition.requiredToComplete
      ? el('span', {class: 'required', title: 'Required to complete the stage'}, ' (required to complete)') : null];
    const box = editable
      ? el('div', {class: 'field stage-field', dataset: {field: definition.name}}, el('label', {for: id}, label), control, error)
      : el('div', {class: 'field stage-field', dataset: {field: definition.name}}, el('span', {class: 'label'}, label),
        el('span', {class: 'value', id}, fieldText(definition, recorded[definition.name])));
    if (control) control.setAttribute('aria-describedby', `${id}-error`);
    return {definition, control, read, error, box};
  });
  const clearMarks = () => controls.forEach(({control, error, box}) => {
    error.hidden = true;
    error.textContent = '';
    box.classList.remove('missing');
    if (control) control.removeAttribute('aria-invalid');
  });
  const mark = (name, message) => {
    const found = controls.find(({definition}) => definition.name === name);
    if (!found) return false;
    found.box.classList.add('missing');
    found.error.textContent = message;
    found.error.hidden = false;
    if (found.control) found.control.setAttribute('aria-invalid', 'true');
    return true;
  };
  const changed = () => {
    const fields = {};
    for (const {definition, read} of controls) {
      const before = recorded[definition.name] ?? null;
      const now = read();
      if (now !== before) fields[definition.name] = now;
    }
    return fields;
  };
  // A 400 names each field as fields.<name>: said on the field; anything else above the buttons.
  const refused = (error, said) => {
    const problem = error instanceof ApiError ? error.problem || {} : {};
    const errors = error instanceof ApiError && error.status === 400 && Array.isArray(problem.errors) ? problem.errors : [];
    const rest = errors.filter((e) => !(typeof e.field === 'string' && e.field.startsWith('fields.')
      && mark(e.field.slice('fields.'.length), e.message)));
    said.textContent = errors.length > 0 ? (rest.length > 0 ? rest.map((e) => `${e.field}: ${e.message}`).join('; ')
      : 'Some fields were not accepted: see each.') : inWords(error, 'set these fields');
    said.className = 'result error';
    said.focus();
  };
  const save = async () => {
    const fields = changed();
    if (Object.keys(fields).length === 0) {
      return false;
    }
    await processAction(lead.id, {action: 'set-fields', stage: stage.name, fields});
    return true;
  };

  const buttons = [];
  if (editable && definitions.length > 0) {
    buttons.push(el('button', {type: 'submit', class: 'secondary', id: 'save-stage-fields'}, 'Save fields'));
  }
  const complete = mayComplete ? el('button', {type: 'button', id: 'complete-stage', on: {click: async () => {
    clearMarks();
    completeResult.textContent = '';
    complete.disabled = true;
    try {
      if (editable) await save();
    } catch (error) {
      refused(error, result);
      complete.disabled = false;
      return;
    }
    try {
      const after = await processAction(lead.id, {action: 'complete-stage'});
      rerender('complete-stage', `${stageName(stage.name)} completed: the lead is in ${stageName(after.stage)}.`);
    } catch (error) {
      const missing = error instanceof ApiError && error.status === 409 && Array.isArray((error.problem || {}).missingFields)
        ? error.problem.missingFields : [];
      missing.forEach((name) => mark(name, 'Required to complete the stage.'));
      completeResult.textContent = missing.length > 0
        ? `${stageName(stage.name)} cannot be completed yet: fill in ${missing.join(', ')}.` : inWords(error, 'complete this stage');
      completeResult.className = 'result error';
      complete.disabled = false;
      completeResult.focus();
    }
  }}}, 'Complete stage') : null;

  const form = el('form', {id: 'stage-fields-form', on: {submit: async (event) => {
    event.preventDefault();
    clearMarks();
    result.textContent = '';
    result.className = 'result';
    try {
      if (await save()) {
        rerender('stage-fields', `Fields of ${stageName(stage.name)} saved.`);
      } else {
        result.textContent = 'Nothing changed.';
        result.focus();
      }
    } catch (error) {
      refused(error, result);
    }
  }}},
  definitions.length === 0 ? el('p', {class: 'explain'}, 'This stage has no fields.') : null,
  why && definitions.length > 0 ? el('p', {class: 'explain', id: 'stage-fields-why'}, why) : null,
  el('div', {class: 'stage-field-list'}, controls.map(({box}) => box)),
  el('div', {class: 'row'}, buttons, complete));
  return panel(form, result, completeResult);
}

function badge(flag) {
  return el('span', {class: flag ? 'badge yes' : 'badge no'}, yesNo(flag));
}

function flags(lead) {
  return facts([
    ['Status', lead.status],
    ['Sales-ready', badge(lead.salesReady)],
    ['Telemarketing-ready', badge(lead.telemarketingReady)],
    ['Telemarketing accepted', badge(lead.telemarketingAccepted)],
    ['Sales accepted', badge(lead.salesAccepted)],
    ['Owner', ownerName(lead)],
    ['Last activity', lead.lastActivity ? activityText(lead.lastActivity) : null],
    ['Follow-up', lead.followUpAt ? dateTime(lead.followUpAt) : null],
    ['Opportunity', lead.opportunityId],
    ['Disqualified because', lead.disqualificationReason],
    ['Not scorable because', lead.unscorableReason],
  ]);
}

function contactFacts(contact) {
  if (!contact) {
    return el('p', {}, 'No contact is linked to this lead.');
  }
  return facts([
    ['Name', el('a', {href: `#/contacts/${contact.id}`, id: 'contact-link'}, personName(contact) || contact.email || 'Contact')],
    ['Email', contact.email ? mailLink(contact.email) : null], ['Phone', contact.phone ? phoneLink(contact.phone) : null],
    ['Job title', contact.jobTitle], ['Company', contact.companyName], ['Country', contact.country]]);
}

/** A phone number as a link that dials: `tel:` with the digits and a leading plus only. */
export function phoneLink(phone) {
  const dial = String(phone).replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return dial ? el('a', {href: `tel:${dial}`, class: 'phone'}, phone) : phone;
}

/** An email address as a link that writes to it; its parts encoded so it can add no headers (`?cc=`). */
export function mailLink(email) {
  const at = email.lastIndexOf('@');
  if (at < 1) {
    return email;
  }
  return el('a', {href: `mailto:${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`,
    class: 'email'}, email);
}

function accountFacts(account, contact) {
  if (!account) {
    return el('p', {}, contact && contact.companyName
      ? `No account is linked; the contact names the company ${contact.companyName}.` : 'No account is linked to this lead.');
  }
  return facts([
    ['Name', el('a', {href: `#/accounts/${account.id}`, id: 'account-link'}, account.name || 'Account')], ['Domain', account.domain], ['Industry', account.industry],
    ['Employees', account.employeeCount], ['Annual revenue', account.annualRevenue], ['Country', account.country]]);
}

/** Every score of the lead with its grade and the points each rule gave. */
function scores(lead) {
  const list = lead.scores || [];
  if (list.length === 0) {
    return el('p', {}, lead.unscorableReason ? `Not scored: ${lead.unscorableReason}` : 'No scoring model has scored this lead yet.');
  }
  return list.map((score, index) => el('div', {class: 'score', dataset: {modelId: score.modelId}},
    el('h3', {}, `${score.modelName || 'Model'} `, el('span', {class: 'badge'}, score.modelStatus || '')),
    facts([
      ['Score', String(score.score)],
      ['Grade', score.grade ? el('span', {class: 'grade'}, score.grade) : '—'],
      ['Reached the sales-ready threshold', badge(score.salesReady)],
      ['Scored', dateTime(score.scoredAt)]]),
    el('table', {class: 'explanation', id: `explanation-${index}`},
      el('caption', {class: 'visually-hidden'}, `Points by rule in ${score.modelName || 'the model'}`),
      el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Rule'), el('th', {scope: 'col'}, 'Points'),
        el('th', {scope: 'col'}, 'Occurrences'))),
      el('tbody', {}, (score.explanation || []).map((rule) => el('tr', {},
        el('td', {}, rule.ruleId), el('td', {class: 'number'}, points(rule.points)),
        el('td', {class: 'number'}, rule.occurrences ?? '—')))))));
}

/** Oldest first, as the lead walked: who moved it where, when and why; calls and notes in between. */
function timeline(lead) {
  const entries = lead.timeline || [];
  return el('table', {id: 'timeline-table'},
    el('caption', {class: 'visually-hidden'}, 'Timeline'),
    el('thead', {}, el('tr', {}, ['When', 'What', 'From', 'To', 'Who', 'Why'].map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, entries.map((entry) => (entry.activity ? activityRow(entry) : el('tr', {},
      el('td', {}, el('time', {datetime: entry.at}, dateTime(entry.at))),
      el('td', {}, fieldName(entry.field)),
      el('td', {}, timelineValue(entry.field, entry.from)),
      el('td', {}, timelineValue(entry.field, entry.to)),
      el('td', {}, entry.actor || '—'),
      el('td', {}, entry.reason || '—'))))));
}

/** A call, note or email on the timeline: what it was (and how the call went), its note and follow-up. */
function activityRow(entry) {
  const activity = entry.activity;
  const said = [activity.note, activity.followUpAt ? `Follow-up: ${dateTime(activity.followUpAt)}` : null].filter(Boolean);
  return el('tr', {class: 'activity', dataset: {activityId: activity.id}},
    el('td', {}, el('time', {datetime: entry.at}, dateTime(entry.at))),
    el('td', {}, activityText({kind: activity.kind, outcome: activity.outcome})),
    el('td', {colspan: '2'}, said.length > 0 ? said.join(' · ') : '—'),
    el('td', {}, entry.actor || activity.actor || '—'),
    el('td', {}, '—'));
}

// ---- actions ----------------------------------------------------------------------------------------

function withActor(body) {
  const who = actor();
  return who ? {...body, actor: who} : body;
}

/**
 * One action: a small form whose submit runs `work`; its result (or the API's refusal, in words) shows
 * next to it, in an element that screen readers hear.
 */
function action(id, title, explain, controls, work, rerender) {
  const result = el('p', {class: 'result', id: `${id}-result`, role: 'status', 'aria-live': 'polite', tabindex: '-1'});
  const form = el('form', {id: `${id}-form`, on: {submit: async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    result.textContent = '';
    result.className = 'result';
    try {
      const message = await work(event.submitter);
      rerender(id, message);
    } catch (error) {
      result.textContent = inWords(error);
      result.className = 'result error';
      buttons.forEach((b) => { b.disabled = false; });
      result.focus();
    }
  }}}, el('h3', {}, title), explain ? el('p', {class: 'explain'}, explain) : null, controls);
  return el('div', {class: 'action', id, dataset: {action: id}}, form, result);
}

function processAction(leadId, body) {
  return api('POST', `/v1/leads/${leadId}/process`, withActor(body));
}

function simple(lead, id, title, explain, label, done, rerender, danger) {
  return action(id, title, explain, el('div', {class: 'row'},
    el('button', {type: 'submit', class: danger ? 'danger' : null}, label)),
  async () => { await processAction(lead.id, {action: id}); return done; }, rerender);
}

function input(name, attributes = {}) {
  return el('input', {type: 'text', name, autocomplete: 'off', ...attributes});
}

/** The form of each action, by the action's name (`qualify`: the findings, with "ready for sales"). */
const FORMS = {
  'mark-telemarketing-ready': (lead, me, rerender) => simple(lead, 'mark-telemarketing-ready', 'Mark telemarketing-ready',
    'Puts the lead in the telemarketing queue (not for sales-ready leads).', 'Mark telemarketing-ready',
    'Marked telemarketing-ready.', rerender),
  'accept-telemarketing': (lead, me, rerender) => simple(lead, 'accept-telemarketing', 'Accept (telemarketing)',
    'Take the lead from the queue to call it: it becomes yours, in your calls.', 'Accept for telemarketing',
    'Accepted by telemarketing.', rerender),
  qualify: (lead, me, rerender) => {
    const q = lead.qualification || {};
    const inputs = {
      budget: input('budget', {maxlength: 2000}), authority: input('authority', {maxlength: 2000}),
      need: input('need', {maxlength: 2000}), timeframe: input('timeframe', {maxlength: 2000}),
      notes: el('textarea', {name: 'notes', maxlength: 2000}),
    };
    for (const [name, control] of Object.entries(inputs)) {
      control.value = q[name] || '';
    }
    return action('qualification', 'Record the qualification', 'What the call revealed; then, if promising, ready for sales.',
      [field('q-budget', 'Budget', inputs.budget), field('q-authority', 'Authority', inputs.authority),
        field('q-need', 'Need', inputs.need), field('q-timeframe', 'Timeframe', inputs.timeframe),
        field('q-notes', 'Notes', inputs.notes),
        el('div', {class: 'row'},
          el('button', {type: 'submit', name: 'save', value: 'save', class: 'secondary', id: 'save-qualification'}, 'Save'),
          el('button', {type: 'submit', name: 'ready', value: 'ready', id: 'ready-for-sales'}, 'Save and mark ready for sales'))],
      async (submitter) => {
        const qualification = {};
        for (const [name, control] of Object.entries(inputs)) {
          qualification[name] = control.value.trim() || null;
        }
        await api('PATCH', `/v1/leads/${lead.id}`, withActor({qualification}));
        if (submitter && submitter.value === 'ready') {
          await processAction(lead.id, {action: 'ready-for-sales'});
          return 'Qualification saved; the lead is ready for sales.';
        }
        return 'Qualification saved.';
      }, rerender);
  },
  'mark-sales-ready': (lead, me, rerender) => simple(lead, 'mark-sales-ready', 'Mark sales-ready',
    'Sends the lead straight to sales acceptance, skipping telemarketing.', 'Mark sales-ready', 'Marked sales-ready.', rerender),
  'accept-sales': (lead, me, rerender) => {
    // The owner sales records: the assigned salesperson, or the signed-in salesperson themself.
    const owner = input('ownerId', {maxlength: 200, required: true});
    const mine = me && (me.roles || []).some((r) => r === 'sales' || r === 'sales_manager') ? me.name : null;
    owner.value = (lead.owner && lead.owner.name) || lead.ownerId || mine || '';
    return action('accept-sales', 'Accept for sales', 'Sales takes the lead on, with its owner (the salesperson).',
      [field('owner', 'Owner (salesperson)', owner), el('div', {class: 'row'}, el('button', {type: 'submit'}, 'Accept with this owner'))],
      async () => {
        await processAction(lead.id, {action: 'accept-sales', ownerId: owner.value.trim()});
        return `Accepted by sales; owner ${owner.value.trim()}.`;
      }, rerender);
  },
  convert: (lead, me, rerender) => simple(lead, 'convert', 'Convert', 'Turns an accepted lead into an opportunity.',
    'Convert to an opportunity', 'Converted into an opportunity.', rerender),
  assign: (lead, me, rerender) => {
    const owner = el('select', {name: 'ownerId', required: true}, el('option', {value: ''}, 'Choose a salesperson…'));
    salespeople().then((people) => {
      for (const person of people) {
        owner.appendChild(el('option', {value: person.id}, person.name));
      }
      owner.value = lead.owner ? lead.owner.id : '';
    }).catch(() => {});
    return action('assign', lead.owner ? 'Reassign' : 'Assign', 'A sales manager gives the lead to a salesperson.',
      [field('assign-owner', 'Salesperson', owner), el('div', {class: 'row'}, el('button', {type: 'submit'}, 'Assign'))],
      async () => {
        const name = owner.value ? owner.options[owner.selectedIndex].textContent : '';
        await processAction(lead.id, {action: 'assign', ownerId: owner.value});
        return `Assigned to ${name}.`;
      }, rerender);
  },
  unassign: (lead, me, rerender) => {
    const reason = input('reason', {maxlength: 500, required: true});
    return action('unassign', 'Unassign', 'Nobody owns the lead any more; it is back among the unassigned.',
      [field('unassign-reason', 'Reason', reason), el('div', {class: 'row'}, el('button', {type: 'submit', class: 'secondary'}, 'Unassign'))],
      async () => {
        await processAction(lead.id, {action: 'unassign', reason: reason.value.trim()});
        return 'Unassigned.';
      }, rerender);
  },
  disqualify: (lead, me, rerender) => {
    const reason = input('reason', {maxlength: 500, required: true});
    return action('disqualify', 'Disqualify', 'Closes the lead; the reason is kept.',
      [field('disqualify-reason', 'Reason', reason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'danger'}, 'Disqualify'))],
      async () => {
        await processAction(lead.id, {action: 'disqualify', reason: reason.value.trim()});
        return 'Disqualified.';
      }, rerender);
  },
  'ready-for-sales': (lead, me, rerender) => simple(lead, 'ready-for-sales', 'Ready for sales',
    'The call went well: the lead goes on to sales acceptance.', 'Mark ready for sales', 'The lead is ready for sales.', rerender),
  move: (lead, me, rerender, process) => {
    // The stages of the lead's own process (the default five when its process could not be read).
    const names = process ? process.stages.map((s) => s.name) : STAGES.map(([wire]) => wire);
    const stage = el('select', {name: 'stage'}, names.map((name) => el('option', {value: name}, stageName(name))));
    stage.value = lead.stage;
    const reason = input('reason', {maxlength: 500, required: true});
    return action('move', 'Move to a stage', 'Sets the stage by hand; the flags follow the stage.',
      [field('move-stage', 'Stage', stage), field('move-reason', 'Reason', reason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'secondary'}, 'Move'))],
      async () => {
        await processAction(lead.id, {action: 'move', stage: stage.value, reason: reason.value.trim()});
        return `Moved to ${stageName(stage.value)}.`;
      }, rerender);
  },
  'switch-process': (lead, me, rerender, process) => {
    const target = el('select', {name: 'processId', required: true}, el('option', {value: ''}, 'Choose a process…'));
    // The live processes; the lead's own only when a newer version of it is live (switching moves it there).
    all('/v1/processes?status=live&limit=200').then(({items}) => {
      for (const other of items) {
        const own = other.id === lead.processId;
        if (own && other.version === lead.processVersion) continue;
        target.appendChild(el('option', {value: other.id}, own ? `${other.name} (version ${other.version}, this process's latest)` : other.name));
      }
    }).catch(() => {});
    const reason = input('reason', {maxlength: 500, required: true});
    return action('switch-process', 'Switch process', `Puts the lead on another live process${process ? ` (now ${process.name}, version ${process.version})` : ''}: it lands in the stage with the same role, or the first.`,
      [field('switch-process-target', 'Process', target), field('switch-process-reason', 'Reason', reason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'secondary'}, 'Switch process'))],
      async () => {
        const name = target.value ? target.options[target.selectedIndex].textContent : '';
        const after = await processAction(lead.id, {action: 'switch-process', processId: target.value, reason: reason.value.trim()});
        return `Switched to ${name}: the lead is in ${stageName(after.stage)}.`;
      }, rerender);
  },
};

/**
 * The steps of the lead's stage that the signed-in user may take first; every other action behind
 * "More actions", each saying why it is there (not a step of this stage, or which roles may).
 */
function actions(lead, me, rerender, process) {
  const {first, more} = arrange(lead, me ? me.roles || [] : null, process);
  if (lead.status !== 'open') {
    return el('p', {id: 'lead-actions-first'}, `The lead is ${lead.status}: it takes no more actions.`);
  }
  return [
    first.length > 0 ? el('div', {class: 'actions', id: 'lead-actions-first'}, first.map((name) => FORMS[name](lead, me, rerender, process)))
      : el('p', {id: 'lead-actions-first'}, 'Nothing for you to do on this lead in its stage.'),
    el('details', {class: 'more-actions', id: 'more-actions'},
      el('summary', {}, `More actions (${more.length})`),
      el('div', {class: 'actions'}, more.map(({action: name, why}) => {
        const form = FORMS[name](lead, me, rerender, process);
        form.insertBefore(el('p', {class: 'why'}, why), form.firstChild);
        return form;
      })))];
}

// ---- calls and notes --------------------------------------------------------------------------------

/** Tomorrow at 09:00 local time, as a datetime-local field shows it. */
export function tomorrowMorning(now = new Date()) {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
  const two = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T09:00`;
}

function followUpValue(control) {
  if (!control.value) {
    return undefined;
  }
  const at = new Date(control.value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/**
 * "Log a call" in two clicks: an outcome (one of five buttons, keys 1–5), then Save; "call back" fills in
 * a callback time (tomorrow 09:00, changeable). "Add note" with an optional follow-up.
 */
function activities(lead, rerender) {
  let outcome = null;
  const result = el('p', {class: 'result', id: 'log-call-result', role: 'status', tabindex: '-1'});
  const note = el('textarea', {name: 'note', maxlength: 2000});
  const followUp = el('input', {type: 'datetime-local', name: 'followUpAt'});
  const save = el('button', {type: 'submit', id: 'save-call', disabled: true}, 'Save the call');
  const details = el('div', {class: 'call-details', hidden: true},
    field('call-note', 'Note (optional)', note), field('call-follow-up', 'Call back at', followUp), el('div', {class: 'row'}, save));
  const buttons = OUTCOMES.map(([wire, words], index) => el('button', {type: 'button', class: 'secondary outcome',
    'aria-pressed': 'false', dataset: {outcome: wire}, on: {click: () => pick(wire)}},
  el('kbd', {}, String(index + 1)), ` ${words}`));
  function pick(wire) {
    outcome = wire;
    for (const button of buttons) {
      button.setAttribute('aria-pressed', String(button.dataset.outcome === wire));
    }
    details.hidden = false;
    followUp.value = wire === 'call_back' ? (followUp.value || tomorrowMorning()) : '';
    const words = OUTCOMES.find(([w]) => w === wire)[1].toLowerCase();
    save.textContent = `Save the call: ${words}`;
    save.disabled = false;
    save.focus();
  }
  const callForm = el('form', {id: 'log-call-form', on: {submit: async (event) => {
    event.preventDefault();
    if (!outcome) {
      return;
    }
    save.disabled = true;
    try {
      await api('POST', `/v1/leads/${lead.id}/activities`, {kind: 'call', outcome, note: note.value.trim() || undefined,
        followUpAt: followUpValue(followUp)});
      rerender('log-call', 'Call saved.');
    } catch (error) {
      result.textContent = inWords(error);
      result.className = 'result error';
      save.disabled = false;
      result.focus();
    }
  }}}, el('div', {class: 'row outcomes', role: 'group', 'aria-label': 'How the call went'}, buttons), details);

  const noteText = el('textarea', {name: 'note', maxlength: 2000, required: true});
  const noteFollowUp = el('input', {type: 'datetime-local', name: 'followUpAt'});
  const noteResult = el('p', {class: 'result', id: 'add-note-result', role: 'status', tabindex: '-1'});
  const noteForm = el('form', {id: 'add-note-form', on: {submit: async (event) => {
    event.preventDefault();
    try {
      await api('POST', `/v1/leads/${lead.id}/activities`, {kind: 'note', note: noteText.value.trim(),
        followUpAt: followUpValue(noteFollowUp)});
      rerender('add-note', 'Note saved.');
    } catch (error) {
      noteResult.textContent = inWords(error);
      noteResult.className = 'result error';
      noteResult.focus();
    }
  }}}, field('note-text', 'Note', noteText), field('note-follow-up', 'Follow up at (optional)', noteFollowUp),
  el('div', {class: 'row'}, el('button', {type: 'submit', class: 'secondary'}, 'Add note')));

  return el('div', {class: 'actions'},
    el('div', {class: 'action', id: 'log-call'}, el('h3', {}, 'Log a call'), callForm, result),
    el('div', {class: 'action', id: 'add-note'}, el('h3', {}, 'Add note'), noteForm, noteResult));
}
