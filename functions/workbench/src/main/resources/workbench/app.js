// The workbench: signs in (through the stack's hosted sign-in pages where it offers them, a token from the
// local server's link, or a pasted bearer JWT), then shows the view the address bar's fragment names:
// #/telemarketing, #/sales, #/leads/<id>, #/configuration.
import {actor, api, forgetToken, setActor, setToken, takeTokenFromFragment, token} from './api.js';
import {el, show} from './dom.js';
import {SignInError, beginSignIn, completeSignIn, loadSignIn, signOut, takeAuthorizationResponse} from './signin.js';
import {renderQueue} from './queues.js';
import {renderLead} from './detail.js';
import {renderConfiguration} from './config.js';

const main = document.getElementById('main');
let leaveView = () => {};
// The hosted sign-in the stack offers (null: none), what the sign-in panel says next (a failure in words,
// or that the token was forgotten), and whether it offers to sign out of the hosted pages too.
let hostedSignIn = null;
let notice = null;
let offerSignOut = false;

function hostedSignInPart() {
  if (!hostedSignIn) {
    return null;
  }
  const button = el('button', {type: 'button', id: 'sign-in-button'}, 'Sign in');
  const problem = el('p', {id: 'sign-in-button-result', class: 'result', role: 'status'});
  button.addEventListener('click', () => {
    button.disabled = true;
    problem.textContent = '';
    beginSignIn(hostedSignIn).catch((error) => {
      button.disabled = false;
      problem.className = 'result error';
      problem.textContent = error instanceof SignInError ? error.message : 'Signing in failed in the page. Reload it and try again.';
    });
  });
  return el('div', {class: 'hosted-sign-in'},
    el('p', {}, 'Sign in with your Leadcycle account on this stack\'s sign-in page.'),
    button, problem);
}

function signOutPart() {
  if (!hostedSignIn || !offerSignOut) {
    return null;
  }
  return el('div', {class: 'hosted-sign-out'},
    el('p', {class: 'hint'}, 'The sign-in page still remembers you for a while and would sign you in again without asking. ',
      'On a shared computer, sign out there too.'),
    el('button', {type: 'button', id: 'sign-out-button', class: 'secondary', on: {click: () => signOut(hostedSignIn)}},
      'Sign out of the sign-in page'));
}

function signIn() {
  const input = el('textarea', {id: 'token-input', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true});
  const form = el('form', {class: 'paste-token', on: {submit: (event) => {
    event.preventDefault();
    setToken(input.value);
    input.value = '';
    if (token()) {
      route();
    }
  }}},
  hostedSignIn ? el('h2', {}, 'Or paste a token') : null,
  el('p', {}, 'On the local server, open the link it printed at start (…/workbench/#token=…). ',
    'In AWS, paste a bearer token (a JWT from your identity provider) that the API accepts.'),
  el('label', {for: 'token-input'}, 'Bearer token'),
  input,
  el('p', {class: 'hint'}, 'It is kept in this browser tab only (sessionStorage) and sent only to this API.'),
  el('button', {type: 'submit', class: hostedSignIn ? 'secondary' : null}, hostedSignIn ? 'Use this token' : 'Sign in'));
  const said = notice && el('p', {id: 'sign-in-notice', class: notice.error ? 'error-box' : 'result ok',
    role: notice.error ? 'alert' : 'status'}, notice.text);
  notice = null;
  const hosted = hostedSignInPart();
  show(main, el('section', {class: 'panel sign-in', 'aria-labelledby': 'sign-in-title'},
    el('h1', {id: 'sign-in-title'}, 'Sign in'), said, hosted, signOutPart(), form));
  (hosted ? hosted.querySelector('button') : input).focus();
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
  offerSignOut = false;
  showWhoIsSignedIn();
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

/** The token whose user the header shows, so that /v1/me is asked once per token. */
let shownFor = null;

/**
 * Shows who is signed in and their roles (GET /v1/me) in the header. The timeline takes the signed-in
 * user's name, so the "Your name" box shows only for a token that names nobody.
 */
async function showWhoIsSignedIn() {
  const signedIn = document.getElementById('signed-in');
  const actorField = document.getElementById('actor-field');
  const current = token();
  if (!current) {
    shownFor = null;
    signedIn.hidden = true;
    actorField.hidden = false;
    return;
  }
  if (shownFor === current) {
    return;
  }
  shownFor = current;
  try {
    const me = await api('GET', '/v1/me');
    if (shownFor !== current) {
      return;
    }
    const roles = Array.isArray(me.roles) && me.roles.length > 0 ? me.roles.map((r) => r.replace('_', ' ')).join(', ')
      : 'no role yet';
    show(signedIn, 'Signed in as ', el('strong', {}, me.name || 'an unnamed user'), ` (${roles})`);
    signedIn.hidden = false;
    actorField.hidden = Boolean(me.name);
  } catch (failure) {
    shownFor = null;
    signedIn.hidden = true;
    actorField.hidden = false;
  }
}

async function start() {
  // The hosted pages' code and state leave the address bar before anything else happens.
  const answer = takeAuthorizationResponse();
  takeTokenFromFragment();
  const actorInput = document.getElementById('actor');
  actorInput.value = actor();
  actorInput.addEventListener('change', () => setActor(actorInput.value));
  document.getElementById('forget-token').addEventListener('click', () => {
    forgetToken();
    notice = {error: false, text: 'The token is forgotten in this tab.'};
    offerSignOut = true;
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
  hostedSignIn = await loadSignIn();
  if (answer) {
    show(main, el('p', {class: 'loading'}, 'Signing in…'));
    try {
      await completeSignIn(hostedSignIn, answer);
    } catch (error) {
      notice = {error: true, text: error instanceof SignInError ? error.message : 'Signing in failed in the page. Sign in again.'};
    }
  }
  route();
}

start();
