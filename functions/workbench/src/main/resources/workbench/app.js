// The workbench: signs in (through the stack's hosted sign-in pages where it offers them, a token from the
// local server's link, or a pasted bearer JWT), then shows the view the address bar's fragment names:
// a queue (#/mine, #/unassigned, #/my_calls, #/due, #/telemarketing, #/sales), #/leads/<id>,
// #/contacts/<id>, #/accounts/<id>, #/segments, #/segments/<id>, #/configuration, #/models (and a model's designer,
// #/models/<id>), the marketing pages (#/forms, #/subscribers, #/imports, #/linkedin); #/start is the signed-in
// role's first queue.
import {actor, forgetToken, setActor, setToken, takeTokenFromFragment, token, whoAmI} from './api.js';
import {el, show} from './dom.js';
import {SignInError, beginSignIn, completeSignIn, loadSignIn, signOut, takeAuthorizationResponse} from './signin.js';
import {renderQueue} from './queues.js';
import {renderLead} from './detail.js';
import {renderConfiguration} from './config.js';
import {renderForms} from './forms.js';
import {renderSubscribers} from './subscribers.js';
import {renderImports} from './imports.js';
import {renderLinkedIn} from './linkedin.js';
import {renderAccount, renderContact} from './people.js';
import {renderSegment, renderSegments} from './segments.js';
import {renderModels} from './models.js';
import {renderDesigner} from './designer.js';
import {OTHER_VIEWS, QUEUES, offers, startView} from './shift.js';
import {installShortcuts, setViewKeys} from './keys.js';

const main = document.getElementById('main');
/** The marketing pages (#/forms, #/subscribers, #/imports, #/linkedin): each renders into main, returns its leave. */
const MARKETING_PAGES = {forms: renderForms, subscribers: renderSubscribers, imports: renderImports, linkedin: renderLinkedIn};
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

/** The navigation: the queues the signed-in user's roles work (all while the roles are unknown). */
function showNavigation(roles, current) {
  const list = document.getElementById('nav-list');
  const names = [...Object.keys(QUEUES), ...Object.keys(OTHER_VIEWS)].filter((name) => offers(name, roles));
  show(list, names.map((name) => {
    const view = QUEUES[name] || OTHER_VIEWS[name];
    return el('li', {}, el('a', {href: `#/${name}`, dataset: {view: name}, 'aria-current': name === current ? 'page' : null},
      view.nav || view.title));
  }));
}

/** Which route generation is current: a slower /v1/me answer for an older route renders nothing. */
let routing = 0;

/** Shows the view of the current fragment; the previous view stops polling first. */
async function route() {
  leaveView();
  leaveView = () => {};
  setViewKeys({});
  const generation = ++routing;
  if (!token()) {
    showNavigation([], null);
    showWhoIsSignedIn(null);
    signIn();
    return;
  }
  offerSignOut = false;
  const me = await whoAmI();
  // A newer route, or a token just handed over in the address bar (its hashchange takes it), wins.
  if (generation !== routing || window.location.hash.startsWith('#token=')) {
    return;
  }
  showWhoIsSignedIn(me);
  const roles = me && Array.isArray(me.roles) ? me.roles : null;
  const hash = window.location.hash;
  const lead = hash.match(/^#\/leads\/([0-9a-fA-F-]{36})$/);
  const contact = hash.match(/^#\/contacts\/([0-9a-fA-F-]{36})$/);
  const account = hash.match(/^#\/accounts\/([0-9a-fA-F-]{36})$/);
  const segment = hash.match(/^#\/segments\/([0-9a-fA-F-]{36})$/);
  const name = hash.replace(/^#\//, '');
  if (lead) {
    showNavigation(roles, null);
    const shown = renderLead(main, lead[1], me);
    leaveView = shown.leave;
    setViewKeys(shown.keys);
  } else if (contact) {
    showNavigation(roles, null);
    leaveView = renderContact(main, contact[1]);
  } else if (account) {
    showNavigation(roles, null);
    leaveView = renderAccount(main, account[1]);
  } else if (segment) {
    showNavigation(roles, 'segments');
    leaveView = renderSegment(main, segment[1]);
  } else if (name === 'segments') {
    showNavigation(roles, 'segments');
    leaveView = renderSegments(main);
  } else if (name === 'models' || /^models\/(new|[0-9a-fA-F-]{36})$/.test(name)) {
    showNavigation(roles, 'models');
    leaveView = name === 'models' ? renderModels(main) : renderDesigner(main, name.slice('models/'.length));
  } else if (name === 'configuration') {
    showNavigation(roles, 'configuration');
    leaveView = renderConfiguration(main);
  } else if (Object.hasOwn(MARKETING_PAGES, name)) {
    showNavigation(roles, name);
    leaveView = MARKETING_PAGES[name](main);
  } else if (Object.hasOwn(QUEUES, name)) {
    // A queue outside the role's navigation still opens (the API decides): a 403 is said in words there.
    showNavigation(roles, name);
    leaveView = renderQueue(main, name, roles);
    setViewKeys(queueKeys());
  } else {
    // #/start, an empty or unknown fragment: the role's first queue.
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/${startView(roles)}`);
    route();
  }
}

/** j/k (or n/p) move through the queue's leads, Enter opens one; / goes to the search (keys.js). */
function queueKeys() {
  const step = (by) => () => {
    const links = [...main.querySelectorAll('a.lead-link')];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    const next = links[Math.min(links.length - 1, Math.max(0, at < 0 ? (by > 0 ? 0 : links.length - 1) : at + by))];
    next.focus();
    next.closest('tr').scrollIntoView({block: 'nearest'});
  };
  return {j: step(1), n: step(1), k: step(-1), p: step(-1)};
}

/**
 * Shows who is signed in and their roles (GET /v1/me) in the header. The timeline takes the signed-in
 * user's name, so the "Your name" box shows only for a token that names nobody.
 */
function showWhoIsSignedIn(me) {
  const signedIn = document.getElementById('signed-in');
  const actorField = document.getElementById('actor-field');
  if (!me) {
    signedIn.hidden = true;
    actorField.hidden = false;
    return;
  }
  const roles = Array.isArray(me.roles) && me.roles.length > 0 ? me.roles.map((r) => r.replace('_', ' ')).join(', ')
    : 'no role yet';
  show(signedIn, 'Signed in as ', el('strong', {}, me.name || 'an unnamed user'), ` (${roles})`);
  signedIn.hidden = false;
  actorField.hidden = Boolean(me.name);
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
  installShortcuts();
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
