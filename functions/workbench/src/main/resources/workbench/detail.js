// One lead: its stage bar, flags, contact and account, marketing context, scores with their explanation,
// qualification, timeline, and the process actions (a 409 is said in words next to the action).
import {actor, api, forget, inWords} from './api.js';
import {contextText, dateTime, fieldName, personName, points, STAGES, stageName, timelineValue, yesNo} from './format.js';
import {announce, el, field, show} from './dom.js';

/** Renders lead `id` into main; answers a function that leaves the view. */
export function renderLead(main, id) {
  const view = {stopped: false};
  load(main, id, view, null);
  return () => { view.stopped = true; };
}

async function load(main, id, view, after) {
  let lead;
  try {
    lead = await api('GET', `/v1/leads/${id}`);
  } catch (error) {
    if (!view.stopped) {
      show(main, el('p', {}, el('a', {href: '#/sales'}, '← Sales queue')),
        el('div', {class: 'error-box', role: 'alert'}, inWords(error)));
    }
    return;
  }
  forget(`/v1/contacts/${lead.contactId}`);
  const [contact, account] = await Promise.all([
    lead.contactId ? api('GET', `/v1/contacts/${lead.contactId}`).catch(() => null) : null,
    lead.accountId ? api('GET', `/v1/accounts/${lead.accountId}`).catch(() => null) : null,
  ]);
  if (view.stopped) {
    return;
  }
  const rerender = (actionId, message) => load(main, id, view, {actionId, message});
  const back = lead.salesReady ? ['#/sales', '← Sales queue'] : ['#/telemarketing', '← Telemarketing queue'];
  const heading = el('h1', {id: 'lead-title', tabindex: '-1'}, lead.topic || 'Lead');
  show(main,
    el('p', {}, el('a', {href: back[0]}, back[1])),
    heading,
    stageBar(lead),
    el('div', {class: 'grid'},
      section('Flags', 'flags', flags(lead)),
      section('Contact', 'contact', contactFacts(contact)),
      section('Account', 'account', accountFacts(account, contact)),
      section('Marketing context', 'context', facts([
        ['Kind', lead.context ? lead.context.kind : null], ['Name', lead.context ? lead.context.name : null],
        ['Id', lead.context ? lead.context.id : null], ['Created', dateTime(lead.createdAt)]]))),
    section('Scores', 'scores', scores(lead)),
    section('Actions', 'actions', actions(lead, rerender)),
    section('Timeline', 'timeline', timeline(lead)));
  if (after) {
    const result = document.getElementById(`${after.actionId}-result`);
    if (result) {
      result.textContent = after.message;
      result.className = 'result ok';
      result.focus();
    }
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

/** The five stages in order, the current one highlighted and marked aria-current. */
function stageBar(lead) {
  const current = STAGES.findIndex(([wire]) => wire === lead.stage);
  const closed = lead.status && lead.status !== 'open';
  return el('nav', {'aria-label': 'Stage'},
    el('ol', {class: closed ? 'stage-bar closed' : 'stage-bar', id: 'stage-bar'},
      STAGES.map(([wire, name], index) => el('li', {
        class: index < current ? 'passed' : null,
        'aria-current': index === current ? 'step' : null,
        dataset: {stage: wire},
      }, name, index === current ? el('span', {class: 'visually-hidden'}, ' (current stage)') : null))));
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
    ['Owner', lead.ownerId || '—'],
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
    ['Name', personName(contact)], ['Email', contact.email], ['Phone', contact.phone], ['Job title', contact.jobTitle],
    ['Company', contact.companyName], ['Country', contact.country]]);
}

function accountFacts(account, contact) {
  if (!account) {
    return el('p', {}, contact && contact.companyName
      ? `No account is linked; the contact names the company ${contact.companyName}.` : 'No account is linked to this lead.');
  }
  return facts([
    ['Name', account.name], ['Domain', account.domain], ['Industry', account.industry],
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

/** Oldest first, as the lead walked: who moved it where, when and why. */
function timeline(lead) {
  const entries = lead.timeline || [];
  return el('table', {id: 'timeline-table'},
    el('caption', {class: 'visually-hidden'}, 'Timeline'),
    el('thead', {}, el('tr', {}, ['When', 'What', 'From', 'To', 'Who', 'Why'].map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, entries.map((entry) => el('tr', {},
      el('td', {}, el('time', {datetime: entry.at}, dateTime(entry.at))),
      el('td', {}, fieldName(entry.field)),
      el('td', {}, timelineValue(entry.field, entry.from)),
      el('td', {}, timelineValue(entry.field, entry.to)),
      el('td', {}, entry.actor || '—'),
      el('td', {}, entry.reason || '—')))));
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
    }
  }}}, el('h3', {}, title), explain ? el('p', {class: 'explain'}, explain) : null, controls);
  return el('div', {class: 'action', id}, form, result);
}

function processAction(leadId, body) {
  return api('POST', `/v1/leads/${leadId}/process`, withActor(body));
}

function simple(lead, id, title, explain, label, actionName, done, rerender, danger) {
  return action(id, title, explain, el('div', {class: 'row'},
    el('button', {type: 'submit', class: danger ? 'danger' : null}, label)),
  async () => { await processAction(lead.id, {action: actionName}); return done; }, rerender);
}

function input(name, attributes = {}) {
  return el('input', {type: 'text', name, autocomplete: 'off', ...attributes});
}

function actions(lead, rerender) {
  const q = lead.qualification || {};
  const qualificationInputs = {
    budget: input('budget', {maxlength: 2000}), authority: input('authority', {maxlength: 2000}),
    need: input('need', {maxlength: 2000}), timeframe: input('timeframe', {maxlength: 2000}),
    notes: el('textarea', {name: 'notes', maxlength: 2000}),
  };
  for (const [name, control] of Object.entries(qualificationInputs)) {
    control.value = q[name] || '';
  }
  const owner = input('ownerId', {maxlength: 200, required: true});
  owner.value = lead.ownerId || '';
  const disqualifyReason = input('reason', {maxlength: 500, required: true});
  const moveStage = el('select', {name: 'stage'}, STAGES.map(([wire, name]) => el('option', {value: wire}, name)));
  moveStage.value = lead.stage;
  const moveReason = input('reason', {maxlength: 500, required: true});

  return el('div', {class: 'actions'},
    simple(lead, 'mark-telemarketing-ready', 'Mark telemarketing-ready',
      'Puts the lead in the telemarketing queue (not for sales-ready leads).',
      'Mark telemarketing-ready', 'mark-telemarketing-ready', 'Marked telemarketing-ready.', rerender),
    simple(lead, 'accept-telemarketing', 'Accept (telemarketing)',
      'A telemarketer takes the lead from the queue to call it.',
      'Accept for telemarketing', 'accept-telemarketing', 'Accepted by telemarketing.', rerender),
    action('qualification', 'Record the qualification', 'What the call revealed; then, if promising, ready for sales.',
      [field('q-budget', 'Budget', qualificationInputs.budget), field('q-authority', 'Authority', qualificationInputs.authority),
        field('q-need', 'Need', qualificationInputs.need), field('q-timeframe', 'Timeframe', qualificationInputs.timeframe),
        field('q-notes', 'Notes', qualificationInputs.notes),
        el('div', {class: 'row'},
          el('button', {type: 'submit', name: 'save', value: 'save', class: 'secondary', id: 'save-qualification'}, 'Save'),
          el('button', {type: 'submit', name: 'ready', value: 'ready', id: 'ready-for-sales'}, 'Save and mark ready for sales'))],
      async (submitter) => {
        const qualification = {};
        for (const [name, control] of Object.entries(qualificationInputs)) {
          qualification[name] = control.value.trim() || null;
        }
        await api('PATCH', `/v1/leads/${lead.id}`, withActor({qualification}));
        if (submitter && submitter.value === 'ready') {
          await processAction(lead.id, {action: 'ready-for-sales'});
          return 'Qualification saved; the lead is ready for sales.';
        }
        return 'Qualification saved.';
      }, rerender),
    simple(lead, 'mark-sales-ready', 'Mark sales-ready',
      'Sends the lead straight to sales acceptance, skipping telemarketing.',
      'Mark sales-ready', 'mark-sales-ready', 'Marked sales-ready.', rerender),
    action('accept-sales', 'Accept for sales', 'A sales manager assigns a salesperson as owner.',
      [field('owner', 'Owner (salesperson)', owner), el('div', {class: 'row'}, el('button', {type: 'submit'}, 'Accept with this owner'))],
      async () => {
        await processAction(lead.id, {action: 'accept-sales', ownerId: owner.value.trim()});
        return `Accepted by sales; owner ${owner.value.trim()}.`;
      }, rerender),
    simple(lead, 'convert', 'Convert', 'Turns an accepted lead into an opportunity.', 'Convert to an opportunity', 'convert',
      'Converted into an opportunity.', rerender),
    action('disqualify', 'Disqualify', 'Closes the lead; the reason is kept.',
      [field('disqualify-reason', 'Reason', disqualifyReason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'danger'}, 'Disqualify'))],
      async () => {
        await processAction(lead.id, {action: 'disqualify', reason: disqualifyReason.value.trim()});
        return 'Disqualified.';
      }, rerender),
    action('move', 'Move to a stage', 'Sets the stage by hand; the flags follow the stage.',
      [field('move-stage', 'Stage', moveStage), field('move-reason', 'Reason', moveReason),
        el('div', {class: 'row'}, el('button', {type: 'submit', class: 'secondary'}, 'Move'))],
      async () => {
        await processAction(lead.id, {action: 'move', stage: moveStage.value, reason: moveReason.value.trim()});
        return `Moved to ${stageName(moveStage.value)}.`;
      }, rerender));
}
