// The HTTP API, as the page calls it: same origin, bearer token from this tab's sessionStorage.
// The token never goes into a URL, a log or localStorage.

const TOKEN_KEY = 'leadcycle.workbench.token';
const ACTOR_KEY = 'leadcycle.workbench.actor';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  const clean = String(value || '').trim().replace(/^Bearer\s+/i, '');
  if (clean) {
    sessionStorage.setItem(TOKEN_KEY, clean);
  }
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Who acts, for timelines, when the signed-in token names nobody (a signed-in user's name counts first). */
export function actor() {
  return sessionStorage.getItem(ACTOR_KEY) || '';
}

export function setActor(value) {
  const clean = String(value || '').trim().slice(0, 200);
  if (clean) {
    sessionStorage.setItem(ACTOR_KEY, clean);
  } else {
    sessionStorage.removeItem(ACTOR_KEY);
  }
}

/**
 * Takes a token handed over in the address bar's fragment (#token=..., as the local server prints it),
 * keeps it in sessionStorage and removes it from the address bar and the history entry at once.
 */
export function takeTokenFromFragment() {
  const fragment = window.location.hash.replace(/^#/, '');
  if (!fragment.startsWith('token=')) {
    return false;
  }
  const params = new URLSearchParams(fragment);
  setToken(params.get('token'));
  history.replaceState(null, '', window.location.pathname + window.location.search + '#/start');
  return true;
}

/** A failed call: the HTTP status and the problem details the API answered (or null). */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API; resolves to the JSON answer (null for none), rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const bearer = token();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  const options = {method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (networkFailure) {
    throw new ApiError(0, null, 'Leadcycle cannot be reached. Check the connection; the page tries again by itself.');
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (notJson) {
      json = null;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

/** A failure in words, for the place where it happened; never the raw answer. */
export function inWords(error, what = 'do this') {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong in the page. Reload it and try again.';
  }
  const problem = error.problem || {};
  switch (error.status) {
    case 0:
      return error.message;
    case 401:
      return 'The API did not accept your token. Forget it and sign in again.';
    case 403: {
      const roles = Array.isArray(problem.requiredRoles) ? problem.requiredRoles.map((r) => r.replace('_', ' ')) : [];
      return roles.length > 0 ? `Your role may not ${what}: it needs ${roles.length > 1
        ? `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}` : roles[0]}.` : `You may not ${what}.`;
    }
    case 404:
      return problem.detail || 'It is not there (any more).';
    case 409:
      return problem.detail ? `Not possible now: ${problem.detail}` : 'Not possible in the lead\'s current state.';
    case 400: {
      const errors = Array.isArray(problem.errors) ? problem.errors : [];
      if (errors.length > 0) {
        return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      }
      return problem.detail || 'The input was not accepted.';
    }
    case 422:
      return problem.detail ? `Not accepted: ${problem.detail}.` : 'The input was not accepted.';
    case 429:
    case 503:
      return 'Leadcycle is busy right now. Try again in a few seconds.';
    default:
      return problem.detail || `The API answered ${error.status}. Try again later.`;
  }
}

/** The signed-in user (GET /v1/me: {id, name, email, roles}), asked once per token; null when it fails. */
let me = {token: null, answer: null};
export function whoAmI() {
  const current = token();
  if (me.token !== current || !me.answer) {
    me = {token: current, answer: api('GET', '/v1/me').catch(() => {
      me = {token: null, answer: null};
      return null;
    })};
  }
  return me.answer;
}

/** The people a lead can be assigned to: enabled users holding sales or sales_manager (GET /v1/users). */
export async function salespeople() {
  const users = await cached('/v1/users');
  return (Array.isArray(users) ? users : []).filter((user) => (user.roles || []).some((r) => r === 'sales' || r === 'sales_manager'));
}

/**
 * Leads per queue page: 200 (the API's most), or fewer when this tab says so
 * (`sessionStorage['leadcycle.workbench.pageSize']`, 1–200; the browser test pages with small pages).
 */
export function pageSize() {
  const wanted = Number.parseInt(sessionStorage.getItem('leadcycle.workbench.pageSize') || '', 10);
  return Number.isInteger(wanted) && wanted >= 1 && wanted <= 200 ? wanted : 200;
}

/** Every item of a list, following `next` up to `maxPages` pages. */
export async function all(path, maxPages = 5) {
  const items = [];
  let next = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api('GET', next ? `${path}${separator}after=${encodeURIComponent(next)}` : path);
    items.push(...(answer.items || []));
    next = answer.next;
    if (!next) {
      return {items, complete: true};
    }
  }
  return {items, complete: false};
}

// Contacts and accounts change rarely; one look-up per page load is enough for the queues.
const cache = new Map();

export function cached(path) {
  if (!cache.has(path)) {
    cache.set(path, api('GET', path).catch((error) => {
      cache.delete(path);
      if (error.status === 404) {
        return null;
      }
      throw error;
    }));
  }
  return cache.get(path);
}

export function forget(path) {
  cache.delete(path);
}

/**
 * Ids per look-up (GET /v1/contacts?ids=, GET /v1/accounts?ids=): the API takes 200, but 200 ids are 7.4 KB of
 * URL, and API Gateway's HTTP API allows 10,240 bytes for the request line and all headers together (a
 * Cognito token among them). 100 leave room: a page of 200 leads costs two requests per kind at most.
 */
const IDS_PER_LOOKUP = 100;

/**
 * The contacts (`kind` 'contacts') or accounts ('accounts') of `ids`, as a Map by id, null for those that do
 * not exist or could not be read. Those not yet known on this page load are asked for together, one
 * `GET /v1/{kind}?ids=` per 100: a page of leads costs a request or two for its contacts and as many for its
 * accounts, not one per row. Each record lands in the same cache as `cached('/v1/{kind}/{id}')`, so `forget`
 * still works.
 */
export async function cachedMany(kind, ids) {
  const wanted = [...new Set(ids.filter(Boolean))];
  const missing = wanted.filter((id) => !cache.has(`/v1/${kind}/${id}`));
  for (let i = 0; i < missing.length; i += IDS_PER_LOOKUP) {
    const chunk = missing.slice(i, i + IDS_PER_LOOKUP);
    const answer = api('GET', `/v1/${kind}?ids=${chunk.map(encodeURIComponent).join(',')}`)
      .then((page) => new Map((page.items || []).map((item) => [item.id, item])));
    for (const id of chunk) {
      const path = `/v1/${kind}/${id}`;
      const one = answer.then((found) => found.get(id) ?? null).catch((error) => {
        if (cache.get(path) === one) cache.delete(path); // asked again on the next look, as cached() does
        throw error;
      });
      cache.set(path, one);
    }
  }
  const found = new Map();
  await Promise.all(wanted.map(async (id) => {
    found.set(id, await cache.get(`/v1/${kind}/${id}`).catch(() => null));
  }));
  return found;
}
