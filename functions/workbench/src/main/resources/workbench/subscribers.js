// Subscribers, for marketing: the systems that get Leadcycle's webhooks. Add one, choose its events, turn it
// off and on, rotate its secret, and read its deliveries with every attempt (docs/notifications.md).
import {all, api, inWords} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';
import {apiField, clearFieldErrors, fill, sayDone, sayFailure, secretOnce, table} from './editing.js';

/**
 * The event types the API takes, in docs/notifications.md's order (EventTypes.TYPES; the browser test
 * compares the two, as the API has no route that lists them).
 */
export const EVENT_TYPES = ['lead.created', 'lead.stage_changed', 'lead.telemarketing_ready', 'lead.sales_ready',
  'lead.converted', 'lead.disqualified', 'lead.score_changed', 'lead.assigned', 'lead.follow_up_due',
  'contact.segment_joined', 'contact.segment_left', 'contact.erased'];

export function renderSubscribers(main) {
  const view = {stopped: false};
  const list = el('div', {id: 'subscribers-list'}, 'Loading…');
  const detail = el('div', {id: 'subscriber-detail'});
  const reload = () => fill(view, list, () => subscribersTable(view, detail, reload));
  show(main,
    el('h1', {}, 'Subscribers'),
    el('p', {}, 'The systems Leadcycle tells about leads (a CRM, a chat channel), each by a signed webhook.'),
    el('section', {class: 'panel'}, el('div', {class: 'table-wrap'}, list)),
    addPanel(view, detail, reload),
    detail);
  reload();
  return () => { view.stopped = true; };
}

async function subscribersTable(view, detail, reload) {
  const {items} = await all('/v1/subscribers?limit=200');
  return table('subscribers-table', ['URL', 'Events', 'Description', 'State'], items.map((s) => [
    el('button', {type: 'button', class: 'secondary', dataset: {subscriber: s.id},
      on: {click: () => openSubscriber(view, detail, s.id, reload)}}, s.url),
    (s.events || []).join(', '), s.description, state(s)]), 'No subscribers yet.');
}

function state(s) {
  return s.disabled ? `disabled${s.disabledReason ? `: ${s.disabledReason}` : ''}` : 'active';
}

function eventBoxes(prefix, chosen) {
  const everything = el('input', {type: 'checkbox', id: `${prefix}-all`, value: '*', checked: chosen.includes('*')});
  const boxes = EVENT_TYPES.map((type) => el('input', {type: 'checkbox', id: `${prefix}-${type}`, value: type,
    checked: chosen.includes(type), disabled: chosen.includes('*')}));
  everything.addEventListener('change', () => boxes.forEach((box) => { box.disabled = everything.checked; }));
  const fieldset = el('fieldset', {class: 'field', dataset: {field: 'events'}},
    el('legend', {}, 'Events'),
    el('div', {}, everything, ' ', el('label', {for: everything.id}, 'Every event, today\'s and future ones')),
    boxes.map((box) => el('div', {}, box, ' ', el('label', {for: box.id}, box.value))));
  const value = () => (everything.checked ? ['*'] : boxes.filter((b) => b.checked).map((b) => b.value));
  return {fieldset, value};
}

function addPanel(view, detail, reload) {
  const url = el('input', {type: 'url', maxlength: 2000, required: true, spellcheck: 'false'});
  const description = el('input', {type: 'text', maxlength: 500});
  const events = eventBoxes('new-subscriber-event', ['lead.sales_ready']);
  const result = el('p', {id: 'add-subscriber-result', class: 'result', role: 'status'});
  const secret = el('div', {id: 'subscriber-new-secret'});
  const form = el('form', {id: 'add-subscriber', novalidate: true, on: {submit: async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    show(secret);
    try {
      const made = await api('POST', '/v1/subscribers', {url: url.value.trim(), events: events.value(),
        description: description.value.trim() || undefined});
      sayDone(result, `Added: ${made.url}.`);
      show(secret, secretOnce('subscriber-secret', 'the signing secret', made.secret));
      url.value = '';
      description.value = '';
      reload();
      openSubscriber(view, detail, made.id, reload);
    } catch (error) {
      sayFailure(form, result, error, 'add subscribers');
    }
  }}},
  apiField('new-subscriber-url', 'url', 'Webhook URL', url, 'https, a host name; Leadcycle checks it as it checks every webhook address.'),
  apiField('new-subscriber-description', 'description', 'Description', description),
  events.fieldset,
  el('button', {type: 'submit', id: 'add-subscriber-button'}, 'Add subscriber'), result);
  return el('section', {class: 'panel', 'aria-labelledby': 'add-subscriber-title'},
    el('h2', {id: 'add-subscriber-title'}, 'Add a subscriber'), form, secret);
}

async function openSubscriber(view, detail, id, reload) {
  show(detail, el('p', {class: 'loading'}, 'Loading…'));
  try {
    const s = await api('GET', `/v1/subscribers/${id}`);
    if (!view.stopped) show(detail, subscriberPanel(view, detail, s, reload));
  } catch (error) {
    show(detail, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see this subscriber')));
  }
}

function subscriberPanel(view, detail, s, reload) {
  const result = el('p', {id: 'subscriber-result', class: 'result', role: 'status'});
  const secret = el('div', {id: 'subscriber-rotated-secret'});
  const description = el('input', {type: 'text', maxlength: 500, value: s.description || ''});
  const events = eventBoxes('subscriber-event', s.events || []);
  const form = el('form', {id: 'edit-subscriber', novalidate: true, on: {submit: async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    try {
      await api('PATCH', `/v1/subscribers/${s.id}`, {events: events.value(), description: description.value.trim() || null});
      sayDone(result, 'Saved.');
      reload();
    } catch (error) {
      sayFailure(form, result, error, 'change subscribers');
    }
  }}},
  apiField('subscriber-description', 'description', 'Description', description), events.fieldset,
  el('button', {type: 'submit', id: 'save-subscriber'}, 'Save'));
  const toggle = el('button', {type: 'button', id: 'toggle-subscriber', class: s.disabled ? null : 'danger', on: {click: async () => {
    try {
      await api('PATCH', `/v1/subscribers/${s.id}`, {disabled: !s.disabled});
      reload();
      await openSubscriber(view, detail, s.id, reload);
      sayDone(detail.querySelector('#subscriber-result'), s.disabled ? 'Enabled: deliveries go out again.' : 'Disabled: nothing is sent to it.');
    } catch (error) {
      sayFailure(form, result, error, 'change subscribers');
    }
  }}}, s.disabled ? 'Enable' : 'Disable');
  const rotate = el('button', {type: 'button', id: 'rotate-subscriber-secret', class: 'secondary', on: {click: async () => {
    try {
      const rotated = await api('POST', `/v1/subscribers/${s.id}/rotate-secret`);
      show(secret, secretOnce('subscriber-rotated-secret-value', 'the new secret', rotated.secret),
        el('p', {class: 'hint'}, `The old secret signs beside it until ${dateTime(rotated.previousSecretExpiresAt)}.`));
    } catch (error) {
      sayFailure(form, result, error, 'rotate secrets');
    }
  }}}, 'Rotate secret');
  const deliveries = el('div', {id: 'subscriber-deliveries'}, 'Loading…');
  const loadDeliveries = () => fill(view, deliveries, () => deliveryTable(s, result, loadDeliveries));
  loadDeliveries();
  return el('section', {class: 'panel', id: 'subscriber', dataset: {subscriber: s.id}, 'aria-labelledby': 'subscriber-title'},
    el('h2', {id: 'subscriber-title'}, s.url),
    el('p', {id: 'subscriber-state'}, `State: ${state(s)}.`),
    el('div', {class: 'row'}, toggle, ' ', rotate), secret, form, result,
    el('h3', {}, 'Deliveries'),
    el('button', {type: 'button', class: 'secondary', id: 'refresh-deliveries', on: {click: loadDeliveries}}, 'Refresh'),
    el('div', {class: 'table-wrap'}, deliveries));
}

async function deliveryTable(s, result, reload) {
  const page = await api('GET', `/v1/subscribers/${s.id}/deliveries?limit=50`);
  const rows = (page.items || []).map((d) => [dateTime(d.createdAt), d.type, d.status,
    el('ol', {class: 'attempts'}, (d.attempts || []).map((a) => el('li', {},
      `${dateTime(a.at)}: ${a.httpStatus ?? 'no answer'}${a.error ? ` (${a.error})` : ''}, ${a.durationMs} ms`))),
    d.deliveredAt ? dateTime(d.deliveredAt) : d.nextAttemptAt ? `next try ${dateTime(d.nextAttemptAt)}` : '—',
    d.status === 'pending' ? '—' : el('button', {type: 'button', class: 'secondary', dataset: {redeliver: d.id}, on: {click: async () => {
      try {
        await api('POST', `/v1/subscribers/${s.id}/deliveries/${d.id}/redeliver`);
        sayDone(result, 'Sent again shortly: the delivery is pending.');
        reload();
      } catch (error) {
        result.className = 'result error';
        result.textContent = inWords(error, 'redeliver');
      }
    }}}, 'Redeliver')]);
  return table('deliveries-table', ['Created', 'Event', 'Status', 'Attempts', 'Delivered', ''], rows,
    'Nothing delivered yet: a delivery appears when one of its events happens.');
}
