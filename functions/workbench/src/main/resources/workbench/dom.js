// Building the page: every value becomes a text node or an attribute, never parsed as markup.

/**
 * el('td', {class: 'number', on: {click: fn}}, 'text', childNode, [more]): an element with attributes,
 * event listeners and children; strings and numbers become text nodes, null and undefined are skipped.
 */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'on') {
      for (const [event, listener] of Object.entries(value)) {
        node.addEventListener(event, listener);
      }
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces everything in node with children. */
export function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** A labelled form field: {label, input}. */
export function field(id, labelText, input) {
  input.id = id;
  return el('div', {class: 'field'}, el('label', {for: id}, labelText), input);
}

let announceTimer;
/** Says something to screen readers (the aria-live region) without moving focus. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) {
    return;
  }
  clearTimeout(announceTimer);
  region.textContent = '';
  announceTimer = setTimeout(() => { region.textContent = text; }, 50);
}
