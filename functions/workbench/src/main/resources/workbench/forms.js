// Forms, for marketing: the list, a form's settings (new or edited), its submission log and the embed
// snippet a landing page takes. Everything goes through the forms API (docs/api.md#forms).
import {ApiError, all, api, inWords} from './api.js';
import {dateTime} from './format.js';
import {el, show} from './dom.js';
import {apiField, clearFieldErrors, copyButton, fill, sayDone, sayFailure, secretOnce, select, table} from './editing.js';

const KINDS = [['marketing_page', 'Marketing page'], ['event', 'Event']];
const UPDATE_MODES = [['contacts_and_leads', 'Contacts and leads'], ['only_contacts', 'Only contacts'],
  ['only_leads', 'Only leads'], ['no_update', 'No update (only the submission log)']];
const ACCOUNT_MATCHING = [['off', 'Off'], ['domain', 'By the email\'s domain'], ['company_name', 'By company name']];
const UNSIGNED_UPDATES = [['fill_empty', 'Fill empty fields only'], ['overwrite', 'Overwrite']];

/** #/forms: the forms, "New form", and the form opened for editing below the list. */
export function renderForms(main) {
  const view = {stopped: false};
  const list = el('div', {id: 'forms-list'}, 'Loading…');
  const editor = el('div', {id: 'form-editor'});
  const reload = () => fill(view, list, () => formsTable(view, editor, reload));
  show(main,
    el('h1', {}, 'Forms'),
    el('p', {}, 'The forms your pages and tools post to: how a submission is matched and what it updates, ',
      'which pages may post from the browser, and the code to put on a landing page.'),
    el('section', {class: 'panel'},
      el('button', {type: 'button', id: 'new-form', on: {click: () => openForm(view, editor, null, reload)}}, 'New form'),
      el('div', {class: 'table-wrap'}, list)),
    editor);
  reload();
  return () => { view.stopped = true; };
}

async function formsTable(view, editor, reload) {
  const {items} = await all('/v1/forms?limit=200');
  const rows = items.map((f) => [
    el('button', {type: 'button', class: 'secondary', dataset: {form: f.id}, on: {click: () => openForm(view, editor, f.id, reload)}},
      f.id),
    f.name, KINDS.find(([k]) => k === f.kind)?.[1] ?? f.kind, UPDATE_MODES.find(([m]) => m === f.updateMode)?.[1] ?? f.updateMode,
    f.processId, f.requireSignature ? 'signed only' : 'open (browser pages)',
    (f.allowedOrigins || []).join(', ') || '—']);
  return table('forms-table', ['Form', 'Name', 'Kind', 'Update mode', 'Process', 'Submissions', 'Allowed origins'], rows,
    'No forms yet: "New form" makes one.');
}

async function openForm(view, editor, formId, reload) {
  show(editor, el('p', {class: 'loading'}, 'Loading…'));
  try {
    const [form, strategies, processes] = await Promise.all([
      formId ? api('GET', `/v1/forms/${encodeURIComponent(formId)}`) : null,
      api('GET', '/v1/matching-strategies'),
      all('/v1/processes?status=live&limit=200')]);
    if (view.stopped) return;
    show(editor, formEditor(view, editor, form, strategies.items || [], processes.items || [], reload));
    editor.querySelector('input, select')?.focus();
  } catch (error) {
    show(editor, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see this form')));
  }
}

function formEditor(view, editor, form, strategies, processes, reload) {
  const isNew = !form;
  const f = form || {kind: 'marketing_page', contactStrategyId: 'default-contact', leadStrategyId: 'default-lead',
    updateMode: 'contacts_and_leads', generateLeadsWithoutMatching: false, requireSignature: false, accountMatching: 'off',
    createAccounts: false, allowedOrigins: [], redirectUrl: null, honeypotField: null, unsignedUpdates: 'fill_empty',
    processId: 'default'};
  const strategyOptions = (entity) => strategies.filter((s) => s.entity === entity).map((s) => [s.id, `${s.name} (${s.id})`]);
  const inputs = {
    id: el('input', {type: 'text', maxlength: 100, required: true, value: f.id || '', readonly: !isNew,
      pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]*'}),
    name: el('input', {type: 'text', maxlength: 200, required: true, value: f.name || ''}),
    kind: select(KINDS, f.kind),
    contactStrategyId: select(strategyOptions('contact'), f.contactStrategyId),
    leadStrategyId: select(strategyOptions('lead'), f.leadStrategyId),
    updateMode: select(UPDATE_MODES, f.updateMode),
    generateLeadsWithoutMatching: el('input', {type: 'checkbox', checked: f.generateLeadsWithoutMatching}),
    processId: select(processes.map((p) => [p.id, p.name ? `${p.name} (${p.id})` : p.id]), f.processId),
    accountMatching: select(ACCOUNT_MATCHING, f.accountMatching),
    createAccounts: el('input', {type: 'checkbox', checked: f.createAccounts}),
    requireSignature: el('input', {type: 'checkbox', checked: f.requireSignature}),
    allowedOrigins: el('textarea', {rows: 3, spellcheck: 'false'}, (f.allowedOrigins || []).join('\n')),
    redirectUrl: el('input', {type: 'url', maxlength: 2000, value: f.redirectUrl || ''}),
    honeypotField: el('input', {type: 'text', value: f.honeypotField || '', spellcheck: 'false'}),
    unsignedUpdates: select(UNSIGNED_UPDATES, f.unsignedUpdates),
  };
  // A form saved on a process retired since keeps it, shown as it is: saving asks for a live one.
  if (!processes.some((p) => p.id === f.processId)) {
    inputs.processId.prepend(el('option', {value: f.processId, selected: true}, `${f.processId} (not live)`));
  }
  const result = el('p', {id: 'form-save-result', class: 'result', role: 'status'});
  const secret = el('div', {id: 'form-secret'});
  const formNode = el('form', {id: 'form-settings', novalidate: true, on: {submit: async (event) => {
    event.preventDefault();
    clearFieldErrors(formNode);
    result.className = 'result';
    result.textContent = 'Saving…';
    const id = inputs.id.value.trim();
    try {
      if (isNew) {
        // PUT creates and replaces alike: "New form" must not replace a form that has this id already.
        const existing = await api('GET', `/v1/forms/${encodeURIComponent(id)}`).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
        if (existing) {
          sayFailure(formNode, result, new ApiError(400, {errors: [{field: 'id', message: 'a form with this id exists; open it from the list'}]}), 'save forms');
          return;
        }
      }
      const saved = await api('PUT', `/v1/forms/${encodeURIComponent(id)}`, settings(inputs));
      sayDone(result, `Saved "${saved.name}".${(saved.warnings || []).length ? ` Note: ${saved.warnings.join(' ')}` : ''}`);
      if (saved.signingSecret) show(secret, secretOnce('form-signing-secret', 'the signing secret', saved.signingSecret));
      reload();
      if (isNew) {
        // The new form is edited from now on (its id stays), with its log and snippet.
        const keep = [...secret.childNodes];
        show(editor, formEditor(view, editor, saved, strategies, processes, reload));
        editor.querySelector('#form-secret').append(...keep);
        sayDone(editor.querySelector('#form-save-result'), result.textContent);
      }
    } catch (error) {
      sayFailure(formNode, result, error, 'save forms');
    }
  }}},
  apiField('form-id', 'id', 'Form id', inputs.id, isNew ? 'Letters, digits, . _ -; part of the form\'s address, kept for good.' : null),
  apiField('form-name', 'name', 'Name', inputs.name),
  apiField('form-kind', 'kind', 'Kind', inputs.kind),
  apiField('form-contact-strategy', 'contactStrategyId', 'Contact matching', inputs.contactStrategyId),
  apiField('form-lead-strategy', 'leadStrategyId', 'Lead matching', inputs.leadStrategyId),
  apiField('form-update-mode', 'updateMode', 'Update mode', inputs.updateMode),
  checkbox('form-generate-leads', 'generateLeadsWithoutMatching', 'Every submission makes a new lead (no lead matching)',
    inputs.generateLeadsWithoutMatching),
  apiField('form-process', 'processId', 'Process of its leads', inputs.processId),
  apiField('form-account-matching', 'accountMatching', 'Account linking', inputs.accountMatching),
  checkbox('form-create-accounts', 'createAccounts', 'Create the account when none is found', inputs.createAccounts),
  el('h3', {}, 'Posting from web pages'),
  checkbox('form-require-signature', 'requireSignature', 'Require signed submissions (servers only: a browser cannot sign)',
    inputs.requireSignature),
  apiField('form-allowed-origins', 'allowedOrigins', 'Allowed origins, one a line', inputs.allowedOrigins,
    'The pages whose browsers may post, as https://www.example.com (no path). Empty: plain HTML posts from anywhere, no fetch().'),
  apiField('form-redirect-url', 'redirectUrl', 'Thank-you page', inputs.redirectUrl,
    'Where a plain HTML post sends the visitor afterwards (errors add ?error=…&field=…).'),
  apiField('form-honeypot', 'honeypotField', 'Honeypot field', inputs.honeypotField,
    'A hidden field only bots fill in, such as website_url; a filled one is answered as taken and writes nothing.'),
  apiField('form-unsigned-updates', 'unsignedUpdates', 'What a browser post may change on a known contact', inputs.unsignedUpdates),
  el('p', {class: 'hint'}, 'The signing secret is shown once, when the form is made; "Rotate signing secret" gives a new one.'),
  el('button', {type: 'submit', id: 'save-form'}, isNew ? 'Create form' : 'Save form'),
  result);
  const parts = [el('section', {class: 'panel', 'aria-labelledby': 'form-editor-title'},
    el('h2', {id: 'form-editor-title'}, isNew ? 'New form' : `Form ${f.id}`), secret, formNode)];
  if (!isNew) {
    parts.push(rotatePanel(f), snippetPanel(f), submissionsPanel(view, f.id));
  }
  return parts;
}

/**
 * "Rotate signing secret", asked twice (senders must switch): the new secret is shown once, and when the old
 * one stops being accepted (POST /v1/forms/{id}/rotate-secret).
 */
function rotatePanel(f) {
  const result = el('p', {id: 'form-rotate-result', class: 'result', role: 'status'});
  const rotated = el('div', {id: 'form-rotated-secret'});
  const confirmation = el('div', {id: 'form-rotate-confirm', hidden: true});
  const ask = el('button', {type: 'button', id: 'rotate-form-secret', class: 'secondary', on: {click: () => {
    confirmation.hidden = false;
    ask.disabled = true;
  }}}, 'Rotate signing secret');
  const cancel = () => {
    confirmation.hidden = true;
    ask.disabled = false;
  };
  const yes = el('button', {type: 'button', id: 'rotate-form-secret-confirm', class: 'danger', on: {click: async () => {
    yes.disabled = true;
    result.className = 'result';
    result.textContent = 'Rotating…';
    try {
      const answer = await api('POST', `/v1/forms/${encodeURIComponent(f.id)}/rotate-secret`);
      cancel();
      sayDone(result, 'Rotated.');
      show(rotated, secretOnce('form-rotated-secret-value', 'the new signing secret', answer.secret),
        el('p', {class: 'hint', id: 'form-old-secret-until'},
          `The old secret is still accepted until ${dateTime(answer.previousSecretExpiresAt)}; after that, submissions `,
          'signed with it are refused. Switch your senders to the new one a few seconds from now.'));
    } catch (error) {
      sayFailure(confirmation, result, error, 'rotate signing secrets');
    } finally {
      yes.disabled = false;
    }
  }}}, 'Yes, rotate');
  confirmation.append(
    el('p', {}, 'A new secret replaces the current one. Senders signing with the current one have 24 hours to switch; ',
      'a secret replaced by an earlier rotation stops working at once.'),
    yes, ' ', el('button', {type: 'button', class: 'secondary', id: 'rotate-form-secret-cancel', on: {click: cancel}}, 'Cancel'));
  return el('section', {class: 'panel', id: 'form-signing', 'aria-labelledby': 'form-signing-title'},
    el('h3', {id: 'form-signing-title'}, 'Signing secret'),
    el('p', {class: 'hint'}, 'Servers sign their submissions with it. It was shown once, when the form was made.'),
    ask, confirmation, result, rotated);
}

function checkbox(id, name, text, input) {
  input.id = id;
  input.name = name;
  return el('div', {class: 'field checkbox', dataset: {field: name}}, input, ' ', el('label', {for: id}, text));
}

/** Every setting, as a PUT takes it (a PUT replaces them all; the signing secret stays). */
function settings(inputs) {
  const text = (input) => input.value.trim() || null;
  return {
    name: inputs.name.value.trim(), kind: inputs.kind.value,
    contactStrategyId: inputs.contactStrategyId.value, leadStrategyId: inputs.leadStrategyId.value,
    updateMode: inputs.updateMode.value, generateLeadsWithoutMatching: inputs.generateLeadsWithoutMatching.checked,
    processId: inputs.processId.value, accountMatching: inputs.accountMatching.value, createAccounts: inputs.createAccounts.checked,
    requireSignature: inputs.requireSignature.checked,
    allowedOrigins: inputs.allowedOrigins.value.split('\n').map((line) => line.trim()).filter(Boolean),
    redirectUrl: text(inputs.redirectUrl), honeypotField: text(inputs.honeypotField),
    unsignedUpdates: inputs.unsignedUpdates.value,
  };
}

/** The form's public address: the API is on the workbench's own origin (one HTTP API). */
export function submissionUrl(formId) {
  return `${window.location.origin}/v1/forms/${encodeURIComponent(formId)}/submissions`;
}

/** A value inside a snippet's double-quoted attribute (a form id or field name could, in principle, hold markup). */
function attr(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const FIELDS = [['email', 'Email', 'email', true], ['firstName', 'First name', 'text'], ['lastName', 'Last name', 'text'],
  ['companyName', 'Company', 'text']];

/** A plain HTML form: posts form-encoded, so it needs no CORS; the redirect shows the thank-you page. */
export function htmlSnippet(form) {
  const lines = [`<form action="${attr(submissionUrl(form.id))}" method="post" accept-charset="utf-8">`];
  for (const [name, label, type, required] of FIELDS) {
    lines.push(`  <label>${label} <input type="${type}" name="${name}"${required ? ' required' : ''}></label>`);
  }
  if (form.honeypotField) {
    lines.push('  <!-- Left empty by people, filled in by bots: keep it out of sight. -->',
      `  <div style="position:absolute;left:-10000px" aria-hidden="true"><input type="text" name="${attr(form.honeypotField)}" tabindex="-1" autocomplete="off"></div>`);
  }
  lines.push('  <!-- One id per page load: a double click or a form sent again is one submission. -->',
    '  <input type="hidden" name="submissionId">',
    '  <button type="submit">Send</button>',
    '</form>',
    '<script>',
    '  document.querySelectorAll(\'input[name="submissionId"]\').forEach(function (field) {',
    '    field.value = window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(36).slice(2);',
    '  });',
    '</script>');
  return lines.join('\n');
}

/** The same fields posted with fetch() as JSON: a preflight, so the page's origin must be allowed. */
export function fetchSnippet(form) {
  const lines = ['<form id="leadcycle-form">'];
  for (const [name, label, type, required] of FIELDS) {
    lines.push(`  <label>${label} <input type="${type}" name="${name}"${required ? ' required' : ''}></label>`);
  }
  if (form.honeypotField) {
    lines.push(`  <div style="position:absolute;left:-10000px" aria-hidden="true"><input type="text" name="${attr(form.honeypotField)}" tabindex="-1" autocomplete="off"></div>`);
  }
  lines.push('  <button type="submit">Send</button>',
    '</form>',
    '<p id="leadcycle-said" role="status"></p>',
    '<script>',
    '  (function () {',
    '    var form = document.getElementById("leadcycle-form");',
    '    var said = document.getElementById("leadcycle-said");',
    '    var submissionId = window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(36).slice(2);',
    '    form.addEventListener("submit", function (event) {',
    '      event.preventDefault();',
    '      var fields = {};',
    '      new FormData(form).forEach(function (value, name) { fields[name] = value; });',
    `      fetch(${JSON.stringify(submissionUrl(form.id)).replace(/</g, '\\u003c')}, {`,
    '        method: "POST", headers: {"Content-Type": "application/json"},',
    '        body: JSON.stringify({submissionId: submissionId, fields: fields})',
    '      }).then(function (answer) {',
    '        said.textContent = answer.ok ? "Thank you!" : "That did not work (" + answer.status + "). Check the fields and try again.";',
    '      }, function () { said.textContent = "That did not work. Try again in a moment."; });',
    '    });',
    '  })();',
    '</script>');
  return lines.join('\n');
}

function snippetPanel(form) {
  const warnings = [];
  if (form.requireSignature) {
    warnings.push('This form takes signed submissions only: a browser cannot sign. Untick "Require signed submissions" for a web page.');
  }
  if ((form.allowedOrigins || []).length === 0) {
    warnings.push('No allowed origins: the plain HTML form works from any page, the fetch() variant from none. Add your page\'s origin.');
  }
  if (!form.redirectUrl) {
    warnings.push('No thank-you page: after a plain HTML post the visitor sees the API\'s JSON answer.');
  }
  const snippet = (id, title, text, explain) => {
    const said = el('span', {class: 'hint', role: 'status'});
    return el('div', {class: 'snippet'}, el('h3', {}, title), el('p', {class: 'hint'}, explain),
      el('pre', {id, class: 'code', tabindex: '0'}, text), copyButton(() => text, said), ' ', said);
  };
  return el('section', {class: 'panel', id: 'form-embed', 'aria-labelledby': 'form-embed-title'},
    el('h2', {id: 'form-embed-title'}, 'Embed it in a page'),
    warnings.map((w) => el('p', {class: 'result error'}, w)),
    snippet('form-snippet-html', 'Plain HTML form', htmlSnippet(form),
      'Paste it into the page. The little script gives each page load its own submission id, so a form sent twice is one submission.'),
    snippet('form-snippet-fetch', 'With fetch()', fetchSnippet(form),
      'For pages that post without leaving: the page\'s origin must be among the allowed origins.'));
}

function submissionsPanel(view, formId) {
  const body = el('div', {id: 'form-submissions'}, 'Loading…');
  const refresh = el('button', {type: 'button', class: 'secondary', id: 'refresh-submissions',
    on: {click: () => load()}}, 'Refresh');
  const load = () => fill(view, body, async () => {
    const page = await api('GET', `/v1/forms/${encodeURIComponent(formId)}/submissions?limit=50`);
    const rows = (page.items || []).map((s) => {
      const outcome = s.outcome || {};
      return [dateTime(s.receivedAt), s.submissionId, (s.fields || {}).email ?? '—',
        outcome.contact ? el('a', {href: `#/contacts/${outcome.contact.id || outcome.contact}`}, 'contact') : '—',
        outcome.lead ? el('a', {href: `#/leads/${outcome.lead.id || outcome.lead}`}, 'lead') : '—',
        outcome.summary ?? '—', (s.warnings || []).join(' ') || '—'];
    });
    return [table('form-submissions-table', ['Received', 'Submission', 'Email', 'Contact', 'Lead', 'What it did', 'Warnings'], rows,
      'No submissions yet.'), page.next ? el('p', {class: 'hint'}, 'The 50 newest are shown.') : null];
  });
  load();
  return el('section', {class: 'panel', 'aria-labelledby': 'form-log-title'},
    el('h2', {id: 'form-log-title'}, 'Submission log'), refresh, el('div', {class: 'table-wrap'}, body));
}
