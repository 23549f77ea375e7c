// Segments at a glance, read-only: each segment with its member count and evaluation state (#/segments), and
// one segment's members, page by page, each linking to its contact page (#/segments/<id>). The API changes them.
import {all, api, inWords, pageSize} from './api.js';
import {dateTime, personName} from './format.js';
import {el, show} from './dom.js';

const KINDS = {dynamic: 'dynamic (kept current from its definition)', static: 'static (members added by hand)'};

export function renderSegments(main) {
  const view = {stopped: false};
  const list = el('div', {id: 'segments-list'}, 'Loading…');
  show(main,
    el('h1', {id: 'segments-title', tabindex: '-1'}, 'Segments'),
    el('p', {}, 'The contacts a journey reaches. Read-only: change segments through the API (docs/segments.md).'),
    el('section', {class: 'panel'}, el('div', {class: 'table-wrap'}, list)));
  (async () => {
    try {
      const {items, complete} = await all('/v1/segments?limit=200');
      if (view.stopped) return;
      show(list, items.length === 0 ? el('p', {class: 'empty'}, 'No segments yet.') : el('table', {},
        el('thead', {}, el('tr', {}, ['Name', 'Kind', 'Members', 'Evaluation', 'Consent required']
          .map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, items.map((s) => el('tr', {dataset: {segment: s.id}},
          el('td', {}, el('a', {href: `#/segments/${s.id}`}, s.name)),
          el('td', {}, s.kind),
          el('td', {class: 'members'}, String(s.memberCount)),
          el('td', {class: 'evaluation'}, evaluation(s)),
          el('td', {}, s.requiresConsent || '—'))))),
        complete ? null : el('p', {}, 'More segments than shown; the API lists them all.'));
    } catch (error) {
      if (!view.stopped) show(list, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see segments')));
    }
  })();
  return () => { view.stopped = true; };
}

export function renderSegment(main, id) {
  const view = {stopped: false};
  (async () => {
    let segment;
    try {
      segment = await api('GET', `/v1/segments/${id}`);
    } catch (error) {
      if (!view.stopped) show(main, el('p', {class: 'error-box', role: 'alert'}, inWords(error, 'see this segment')));
      return;
    }
    if (view.stopped) return;
    const rows = el('tbody', {id: 'segment-members'});
    const status = el('p', {id: 'segment-members-status'}, 'Loading…');
    const more = el('button', {type: 'button', id: 'segment-members-more', class: 'secondary', hidden: true}, 'Load more');
    show(main,
      el('p', {}, el('a', {href: '#/segments'}, '← All segments')),
      el('h1', {id: 'segment-title', tabindex: '-1'}, segment.name),
      el('section', {class: 'panel'}, el('dl', {class: 'facts', id: 'segment-facts'},
        fact('Kind', KINDS[segment.kind] || segment.kind),
        fact('Members', String(segment.memberCount)),
        fact('Evaluation', evaluation(segment)),
        fact('Consent required', segment.requiresConsent || 'none'))),
      el('section', {class: 'panel'}, el('h2', {}, 'Members'), status,
        el('div', {class: 'table-wrap'}, el('table', {},
          el('thead', {}, el('tr', {}, ['Name', 'Email', 'Company', 'Job title', 'Country', 'Joined']
            .map((h) => el('th', {scope: 'col'}, h)))), rows)), more));
    let shown = 0;
    let next = null;
    const load = async () => {
      more.disabled = true;
      try {
        const page = await api('GET', `/v1/segments/${id}/members?limit=${pageSize()}`
          + (next ? `&after=${encodeURIComponent(next)}` : ''));
        if (view.stopped) return;
        for (const m of page.items || []) {
          rows.append(el('tr', {dataset: {contact: m.contactId}},
            el('td', {}, el('a', {href: `#/contacts/${m.contactId}`}, personName(m) || m.email || 'Contact')),
            el('td', {}, m.email || '—'), el('td', {}, m.companyName || '—'), el('td', {}, m.jobTitle || '—'),
            el('td', {}, m.country || '—'), el('td', {}, dateTime(m.joinedAt))));
        }
        shown += (page.items || []).length;
        next = page.next || null;
        more.hidden = !next;
        more.disabled = false;
        status.textContent = shown === 0 ? 'No members.' : next ? `${shown} members so far; more to load.` : `${shown} members.`;
      } catch (error) {
        if (!view.stopped) status.textContent = inWords(error, 'see these members');
        more.disabled = false;
      }
    };
    more.addEventListener('click', load);
    await load();
  })();
  return () => { view.stopped = true; };
}

function evaluation(segment) {
  const e = segment.evaluation || {};
  if (segment.kind === 'static') return 'kept by hand';
  return e.status === 'evaluated' ? `evaluated ${dateTime(e.evaluatedAt)}` : 'pending: being evaluated';
}

function fact(term, value) {
  return [el('dt', {}, term), el('dd', {}, value)];
}
