// Signing in through the stack's hosted sign-in pages (its Cognito user pool): OAuth 2.0 authorization
// code with PKCE (RFC 7636, S256), in plain browser APIs. crypto.getRandomValues makes the code verifier
// and the state, crypto.subtle the verifier's SHA-256. Both wait in this tab's sessionStorage while the
// browser is at the hosted pages; the code and state leave the address bar as soon as the page loads, and
// the code is exchanged once, for an access token kept as a pasted one is. Nothing here ever logs a token
// or a code.
import {setToken} from './api.js';

const PENDING_KEY = 'leadcycle.workbench.signin';
// profile: the ID token then carries the user's name, which timelines show (docs/workbench.md).
const SCOPE = 'openid email profile';

/** A sign-in that did not work, in words for the person signing in. */
export class SignInError extends Error {
}

let config = null;

/**
 * The sign-in the page offers, from /workbench/config.json: {authorizeUrl, tokenUrl, clientId, logoutUrl},
 * or null when there is none (or the config cannot be read: the pasted token still works).
 */
export function loadSignIn() {
  if (!config) {
    config = fetch('/workbench/config.json', {cache: 'no-cache', credentials: 'omit', referrerPolicy: 'no-referrer'})
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        const signIn = answer && answer.signIn;
        const fields = ['authorizeUrl', 'tokenUrl', 'clientId', 'logoutUrl'];
        return signIn && fields.every((name) => typeof signIn[name] === 'string' && signIn[name]) ? signIn : null;
      })
      .catch(() => null);
  }
  return config;
}

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** This page's address as the hosted pages return to it: without query or fragment. */
export function redirectUri() {
  return window.location.origin + window.location.pathname;
}

/** Sends the browser to the hosted sign-in page; it comes back to this page with ?code=&state=. */
export async function beginSignIn(signIn) {
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    throw new SignInError('Signing in needs the page at its https address (or on localhost). Open the workbench by its https address.');
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const returnTo = /^#\/[\w/-]+$/.test(window.location.hash) ? window.location.hash : '#/start';
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({state, verifier, redirectUri: redirectUri(), returnTo}));
  const url = new URL(signIn.authorizeUrl);
  const parameters = {response_type: 'code', client_id: signIn.clientId, redirect_uri: redirectUri(), scope: SCOPE,
    state, code_challenge: challenge, code_challenge_method: 'S256'};
  for (const [name, value] of Object.entries(parameters)) {
    url.searchParams.set(name, value);
  }
  window.location.assign(url.href);
}

function takePending() {
  const text = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    const pending = JSON.parse(text);
    return pending && typeof pending.state === 'string' && typeof pending.verifier === 'string' ? pending : null;
  } catch (notJson) {
    return null;
  }
}

/**
 * The hosted pages' answer (?code=&state=, or ?error=), taken out of the address bar and the history entry
 * at once, with the sign-in this tab started (used up: a state counts once); null when there is none.
 */
export function takeAuthorizationResponse() {
  const query = new URLSearchParams(window.location.search);
  if (!query.has('code') && !query.has('state') && !query.has('error')) {
    return null;
  }
  const answer = {code: query.get('code'), state: query.get('state'), error: query.get('error'), pending: takePending()};
  for (const name of ['code', 'state', 'error', 'error_description', 'error_uri', 'iss']) {
    query.delete(name);
  }
  const rest = query.toString();
  const hash = answer.pending && /^#\/[\w/-]+$/.test(answer.pending.returnTo) ? answer.pending.returnTo : window.location.hash;
  history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + hash);
  return answer;
}

// Only the error codes of RFC 6749 are named; any other text in the address bar is not repeated.
function authorizationErrorInWords(error) {
  if (error === 'access_denied') {
    return 'The sign-in was cancelled or refused at the sign-in page. Sign in again, or paste a token.';
  }
  if (['invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope'].includes(error)) {
    return `The sign-in page refused this workbench's request (${error}): the stack's app client may not know `
      + 'the workbench\'s address yet (docs/workbench.md, "Signing in in AWS").';
  }
  return 'The sign-in page could not sign you in just now. Try again in a moment.';
}

function tokenErrorInWords(status, error) {
  if (error === 'invalid_grant') {
    return 'The sign-in was not accepted: its code expired, was used already, or was not made for this tab. Sign in again.';
  }
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return 'The sign-in service does not accept this workbench\'s app client. Ask whoever runs the stack (docs/workbench.md).';
  }
  return `The sign-in service did not hand out a token (it answered ${status}). Sign in again in a moment.`;
}

/**
 * Completes a sign-in: checks that the answer belongs to the sign-in this tab started (its state), then
 * exchanges the code, with the verifier, for tokens and keeps the access token. Rejects with a SignInError.
 */
export async function completeSignIn(signIn, answer) {
  if (answer.error) {
    throw new SignInError(authorizationErrorInWords(answer.error));
  }
  if (!signIn) {
    throw new SignInError('This workbench offers no sign-in page: paste a token instead.');
  }
  const pending = answer.pending;
  if (!pending || !answer.state || answer.state !== pending.state || !answer.code) {
    throw new SignInError('The sign-in was refused: its answer does not belong to a sign-in started in this tab '
      + '(the state does not match). Nothing was kept. Sign in again.');
  }
  const body = new URLSearchParams({grant_type: 'authorization_code', client_id: signIn.clientId, code: answer.code,
    redirect_uri: pending.redirectUri, code_verifier: pending.verifier});
  let response;
  try {
    response = await fetch(signIn.tokenUrl, {method: 'POST', body, cache: 'no-store', credentials: 'omit',
      referrerPolicy: 'no-referrer', headers: {'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json'}});
  } catch (networkFailure) {
    throw new SignInError('The sign-in service cannot be reached. Check the connection and sign in again.');
  }
  let tokens = null;
  try {
    tokens = await response.json();
  } catch (notJson) {
    tokens = null;
  }
  if (!response.ok) {
    throw new SignInError(tokenErrorInWords(response.status, tokens && tokens.error));
  }
  const bearer = !tokens || !tokens.token_type || String(tokens.token_type).toLowerCase() === 'bearer';
  if (!tokens || typeof tokens.access_token !== 'string' || !tokens.access_token || !bearer) {
    throw new SignInError('The sign-in service answered without an access token. Sign in again.');
  }
  // The ID token names the user (name, email) and carries their groups (the roles); its audience is the
  // app client, which the API's authorizer accepts. The access token names only a subject.
  const idToken = typeof tokens.id_token === 'string' && tokens.id_token ? tokens.id_token : null;
  setToken(idToken || tokens.access_token);
}

/** Ends the hosted pages' session too; they send the browser back to this page. */
export function signOut(signIn) {
  const url = new URL(signIn.logoutUrl);
  url.searchParams.set('client_id', signIn.clientId);
  url.searchParams.set('logout_uri', redirectUri());
  window.location.assign(url.href);
}
