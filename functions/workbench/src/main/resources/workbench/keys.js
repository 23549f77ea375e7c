// Keyboard shortcuts for a shift on the phone. They never fire while typing in a field (Esc leaves it),
// nor with Ctrl, Alt or Cmd, so the browser's own shortcuts stay. The "?" panel lists them from this table.

/** The shortcuts, as the help panel (and docs/workbench.md) lists them. */
export const SHORTCUTS = [
  ['j or n', 'Next lead: on a lead, the next lead of the queue you came from; in a queue, the next row'],
  ['k or p', 'Previous lead (or row)'],
  ['/', 'Search the queue'],
  ['c', 'Log a call'],
  ['1 to 5', 'Pick the call\'s outcome: reached, no answer, voicemail, wrong number, call back'],
  ['a', 'Accept the lead (in telemarketing, or for sales)'],
  ['?', 'Show or hide these shortcuts'],
  ['Esc', 'Close this panel or "More actions"; leave a field'],
];

let viewKeys = {};

/** The current view's own keys ({j: fn, ...}); a new view replaces them. */
export function setViewKeys(keys) {
  viewKeys = keys || {};
}

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function toggleHelp(open) {
  const help = document.getElementById('help');
  const button = document.getElementById('help-button');
  const show = open ?? help.hidden;
  help.hidden = !show;
  button.setAttribute('aria-expanded', String(show));
  if (show) {
    help.focus();
  }
}

export function installShortcuts() {
  const help = document.getElementById('help');
  help.tabIndex = -1;
  const list = document.getElementById('help-keys');
  list.replaceChildren(...SHORTCUTS.flatMap(([key, what]) => {
    const dt = document.createElement('dt');
    key.split(' ').forEach((part, index) => {
      if (index > 0) dt.append(' ');
      if (part === 'or' || part === 'to') {
        dt.append(part);
      } else {
        const kbd = document.createElement('kbd');
        kbd.textContent = part;
        dt.append(kbd);
      }
    });
    const dd = document.createElement('dd');
    dd.textContent = what;
    return [dt, dd];
  }));
  document.getElementById('help-button').addEventListener('click', () => toggleHelp());

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (event.key === 'Escape') {
      if (!help.hidden) {
        toggleHelp(false);
        document.getElementById('help-button').focus();
      } else if (typing(event.target)) {
        event.target.blur();
      } else {
        document.querySelectorAll('details[open]').forEach((details) => { details.open = false; });
      }
      return;
    }
    if (typing(event.target)) {
      return;
    }
    if (event.key === '?') {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (event.key === '/') {
      const search = document.querySelector('main [data-search]');
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    const handler = viewKeys[event.key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  });
}
