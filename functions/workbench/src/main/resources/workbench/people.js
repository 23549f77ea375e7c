// A contact's page and an account's page: their facts, their leads (each with its stage, scores, owner and
// last activity) and an account's contacts; links between contact, account and leads.
import {all, api, inWords} from './api.js';
import {activityText, dateTime, ownerName, personName, stageName} from './format.js';
import {el, show} from './dom.js';
import {mailLink, phoneLink} from './detail.js';

function facts(pairs) {
  return el('dl', {class: 'facts'}, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

function panel(title, id, ...content) {
  return el('section', {class: 'panel', id, 'aria-labelledby': `${id}-title`}, el('h2', {id: `${id}-title`}, title), content);
}

function problem(main, error, what) {
  show(main, el('div', {class: 'error-box', role: 'alert', id: 'page-problem'}, inWords(error, what)));
}

/** The leads as a table: topic (to the lead), stage, status, every score with its grade, owner, last activity. */
function leadsTable(leads, complete) {
  if (leads.length === 0) {
    return el('p', {class: 'empty'}, 'No leads.');
  }
  return [el('div', {class: 'table-wrap'}, el('table', {},
    el('caption', {class: 'visually-hidden'}, 'Leads'),
    el('thead', {}, el('tr', {}, ['Lead', 'Stage', 'Status', 'Scores', 'Owner', 'Last activity', 'Follow-up', 'Created']
      .map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, leads.map((lead) => el('tr', {dataset: {leadId: lead.id}},
      el('td', {}, el('a', {href: `#/leads/${lead.id}`, class: 'lead-link'}, lead.topic || 'Lead')),
      el('td', {}, stageName(lead.stage)),
      el('td', {}, lead.status),
      el('td', {}, (lead.scores || []).length === 0 ? '—' : (lead.scores || []).map((score) => el('span', {class: 'sub'},
        `${score.modelName || 'Model'}: ${score.score}${score.grade ? ` (${score.grade})` : ''}`))),
      el('td', {}, ownerName(lead)),
      el('td', {}, activityText(lead.lastActivity)),
      el('td', {}, lead.followUpAt ? dateTime(lead.followUpAt) : '—'),
      el('td', {}, dateTime(lead.createdAt))))))),
  el('p', {class: 'status-line'}, `${leads.length} ${leads.length === 1 ? 'lead' : 'leads'}${complete ? '' : ' shown (the first ones; more exist)'}.`)];
}

/** The contacts of an account: name (to its page), email, phone, job title, number of open leads. */
function contactsTable(contacts, complete) {
  if (contacts.length === 0) {
    return el('p', {class: 'empty'}, 'No contacts.');
  }
  return [el('div', {class: 'table-wrap'}, el('table', {},
    el('caption', {class: 'visually-hidden'}, 'Contacts'),
    el('thead', {}, el('tr', {}, ['Contact', 'Email', 'Phone', 'Job title', 'Open leads']
      .map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, contacts.map((contact) => el('tr', {dataset: {contactId: contact.id}},
      el('td', {}, el('a', {href: `#/contacts/${contact.id}`, class: 'contact-link'}, personName(contact) || contact.email || 'Contact')),
      el('td', {}, contact.email ? mailLink(contact.email) : '—'),
      el('td', {}, contact.phone ? phoneLink(contact.phone) : '—'),
      el('td', {}, contact.jobTitle || '—'),
      el('td', {class: 'number'}, String((contact.leadIds || []).length))))))),
  el('p', {class: 'status-line'}, `${contacts.length} ${contacts.length === 1 ? 'contact' : 'contacts'}${complete ? '' : ' shown (the first ones; more exist)'}.`)];
}

/** Every lead of a contact or account (GET /v1/leads?contactId= or ?accountId=), newest first, up to 1,000. */
function leadsOf(parameter, id) {
  return all(`/v1/leads?${parameter}=${encodeURIComponent(id)}&sort=newest&limit=200`);
}

/** Renders contact `id`: its facts, its account (a link) and its leads, open and closed. */
export function renderContact(main, id) {
  const view = {stopped: false};
  (async () => {
    let contact;
    try {
      contact = await api('GET', `/v1/contacts/${id}`);
    } catch (error) {
      if (!view.stopped) problem(main, error, 'see this contact');
      return;
    }
    const [account, leads] = await Promise.all([
      contact.accountId ? api('GET', `/v1/accounts/${contact.accountId}`).catch(() => null) : null,
      leadsOf('contactId', id).catch((error) => error),
    ]);
    if (view.stopped) {
      return;
    }
    show(main,
      el('h1', {id: 'contact-title', tabindex: '-1'}, personName(contact) || contact.email || 'Contact'),
      el('div', {class: 'grid'},
        panel('Contact', 'contact-facts', facts([
          ['Email', contact.email ? mailLink(contact.email) : null], ['Phone', contact.phone ? phoneLink(contact.phone) : null],
          ['Job title', contact.jobTitle], ['Company', contact.companyName], ['Country', contact.country],
          ['Created', dateTime(contact.createdAt)]])),
        panel('Account', 'contact-account', account
          ? facts([['Name', el('a', {href: `#/accounts/${account.id}`, id: 'account-link'}, account.name || 'Account')],
            ['Domain', account.domain], ['Industry', account.industry]])
          : el('p', {}, contact.companyName ? `No account is linked; the contact names the company ${contact.companyName}.`
            : 'No account is linked to this contact.'))),
      panel('Leads', 'contact-leads', leads instanceof Error ? el('p', {class: 'error-box'}, inWords(leads, 'see these leads'))
        : leadsTable(leads.items, leads.complete)));
    document.getElementById('contact-title').focus();
  })();
  return () => { view.stopped = true; };
}

/**
 * Renders account `id`: its facts, its leads (its own, and those of its contacts that have no account of
 * their own, as search counts them) and its contacts.
 */
export function renderAccount(main, id) {
  const view = {stopped: false};
  (async () => {
    let account;
    try {
      account = await api('GET', `/v1/accounts/${id}`);
    } catch (error) {
      if (!view.stopped) problem(main, error, 'see this account');
      return;
    }
    const [leads, contacts] = await Promise.all([
      leadsOf('accountId', id).catch((error) => error),
      all(`/v1/contacts?accountId=${encodeURIComponent(id)}&limit=200`).catch((error) => error),
    ]);
    if (view.stopped) {
      return;
    }
    show(main,
      el('h1', {id: 'account-title', tabindex: '-1'}, account.name || 'Account'),
      panel('Account', 'account-facts', facts([
        ['Domain', account.domain], ['Industry', account.industry], ['Employees', account.employeeCount],
        ['Annual revenue', account.annualRevenue], ['Country', account.country], ['Created', dateTime(account.createdAt)]])),
      panel('Leads', 'account-leads', leads instanceof Error ? el('p', {class: 'error-box'}, inWords(leads, 'see these leads'))
        : leadsTable(leads.items, leads.complete)),
      panel('Contacts', 'account-contacts', contacts instanceof Error
        ? el('p', {class: 'error-box'}, inWords(contacts, 'see these contacts')) : contactsTable(contacts.items, contacts.complete)));
    document.getElementById('account-title').focus();
  })();
  return () => { view.stopped = true; };
}
