// What the marketing pages share: a refusal said on the fields it names, a secret shown once, plain tables.
import {ApiError, inWords} from './api.js';
import {el, show} from './dom.js';

/**
 * Says a failure in `result`; a 400's errors also under the fields they name: each field's wrapper carries
 * `data-field` (`allowedOrigins` takes `allowedOrigins[2]`, `mapping` takes `mapping.Email`).
 */
export function sayFailure(form, result, error, what) {
  clearFieldErrors(form);
  result.className = 'result error';
  result.textContent = inWords(error, what);
  const errors = error instanceof ApiError && error.status === 400 && Array.isArray((error.problem || {}).errors)
    ? error.problem.errors : [];
  for (const e of errors) {
    const name = String(e.field || '');
    const wrapper = [...form.querySelectorAll('[data-field]')].find((node) => node.dataset.field === name)
      || [...form.querySelectorAll('[data-field]')].find((node) => name.startsWith(`${node.dataset.field}[`)
        || name.startsWith(`${node.dataset.field}.`));
    if (wrapper) {
      wrapper.append(el('p', {class: 'field-error', dataset: {error: name}}, e.message));
      const input = wrapper.querySelector('input, select, textarea');
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
}

export function sayDone(result, text) {
  result.className = 'result ok';
  result.textContent = text;
}

/** A labelled field whose wrapper names the API's field, so a 400 can be said under it. */
export function apiField(id, name, labelText, input, hint) {
  input.id = id;
  if (!input.name) input.name = name;
  return el('div', {class: 'field', dataset: {field: name}}, el('label', {for: id}, labelText), input,
    hint ? el('p', {class: 'hint'}, hint) : null);
}

export function select(options, value) {
  return el('select', {}, options.map(([v, text]) => el('option', {value: v, selected: v === value}, text)));
}

/** A secret shown once: the API never shows it again, so the page says so and offers to copy it. */
export function secretOnce(id, what, secret) {
  const box = el('input', {type: 'text', id, readonly: true, value: secret, class: 'secret', size: 50, spellcheck: 'false'});
  const copied = el('span', {class: 'hint', role: 'status'});
  return el('div', {class: 'error-box secret-once', role: 'alert'},
    el('p', {}, el('strong', {}, `Copy ${what} now: `), 'it is shown only this once. Leadcycle keeps no copy it can show again.'),
    box, ' ', copyButton(() => secret, copied), ' ', copied);
}

export function copyButton(text, said) {
  return el('button', {type: 'button', class: 'secondary', on: {click: async () => {
    try {
      await navigator.clipboard.writeText(text());
      said.textContent = 'Copied.';
    } catch (notAllowed) {
      said.textContent = 'Select it and copy with Ctrl+C (the browser did not allow the page to copy).';
    }
  }}}, 'Copy');
}

export function table(id, headers, rows, empty) {
  if (rows.length === 0) {
    return el('p', {class: 'empty', id}, empty);
  }
  return el('table', {id},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col'}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c ?? '—'))))));
}

/** Loads `loader()` into `target`, saying a failure in words. */
export async function fill(view, target, loader, what = 'see this') {
  try {
    const content = await loader();
    if (!view.stopped) show(target, content);
  } catch (error) {
    if (!view.stopped) show(target, el('p', {class: 'error-box', role: 'alert'}, inWords(error, what)));
  }
}
