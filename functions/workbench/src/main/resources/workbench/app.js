// The workbench: signs in (a token from the local server's link, or a pasted bearer JWT), then shows
// the view the address bar's fragment names: #/telemarketing, #/sales, #/leads/<id>, #/configuration.
import {actor, forgetToken, setActor, setToken, takeTokenFromFragment, token} from './api.js';
import {el, show} from './dom.js';
import {renderQueue} from './queues.js';
import {renderLead} from './detail.js';
import {renderConfiguration} from './config.js';

const main = document.getElementById('main');
let leaveView = () => {};

function signIn() {
  const input = el('textarea', {id: 'token-input', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true});
  const form = el('form', {class: 'panel sign-in', on: {submit: (event) => {
    event.preventDefault();
    setToken(input.value);
    input.value = '';
    if (token()) {
      route();
    }
  }}},
  el('h1', {}, 'Sign in'),
  el('p', {}, 'On the local server, open the link it printed at start (…/workbench/#token=…). ',
    'In AWS, paste a bearer token (a JWT from your identity provider) that the API accepts.'),
  el('label', {for: 'token-input'}, 'Bearer token'),
  input,
  el('p', {class: 'hint'}, 'It is kept in this browser tab only (sessionStorage) and sent only to this API.'),
  el('button', {type: 'submit'}, 'Sign in'));
  show(main, form);
  input.focus();
}

function markNavigation(view) {
  for (const link of document.querySelectorAll('[data-view]')) {
    if (link.dataset.view === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

/** Shows the view of the current fragment; the previous view stops polling first. */
function route() {
  leaveView();
  leaveView = () => {};
  if (!token()) {
    markNavigation(null);
    signIn();
    return;
  }
  const hash = window.location.hash || '#/sales';
  const lead = hash.match(/^#\/leads\/([0-9a-fA-F-]{36})$/);
  if (lead) {
    markNavigation(null);
    leaveView = renderLead(main, lead[1]);
  } else if (hash === '#/telemarketing') {
    markNavigation('telemarketing');
    leaveView = renderQueue(main, 'telemarketing');
  } else if (hash === '#/configuration') {
    markNavigation('configuration');
    leaveView = renderConfiguration(main);
  } else {
    markNavigation('sales');
    leaveView = renderQueue(main, 'sales');
  }
}

function start() {
  takeTokenFromFragment();
  const actorInput = document.getElementById('actor');
  actorInput.value = actor();
  actorInput.addEventListener('change', () => setActor(actorInput.value));
  document.getElementById('forget-token').addEventListener('click', () => {
    forgetToken();
    route();
  });
  window.addEventListener('hashchange', () => {
    if (takeTokenFromFragment()) {
      route();
      return;
    }
    route();
    main.focus();
  });
  route();
}

start();
