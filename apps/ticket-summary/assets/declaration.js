// A declared policy (the endpoint's canonical declaration: name, read, write, requests, zaf,
// redact, limits) read back as resources and their fields, for the admin's table. `read` is
// the compiled selection, in which each resource appears once per envelope Zendesk uses
// (ticket(S), tickets(S), results[result_type=ticket](S)); they are folded back into one row.

/** The top-level items of a selection: { name, predicate, inner } ("a[k=v](x,y)" → a, "k=v", "x,y"). */
export function topLevelItems(selection) {
  const items = [];
  let depth = 0;
  let start = 0;
  const push = (text) => {
    const match = /^\s*((?:\\.|[^[(\\])+?)\s*(?:\[([^\]]*)\])?\s*(?:\((.*)\))?\s*$/s.exec(text);
    if (match) items.push({ name: match[1].replace(/\\(.)/g, '$1'), predicate: match[2] ?? null, inner: match[3] ?? null });
  };
  for (let i = 0; i < selection.length; i++) {
    const ch = selection[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      push(selection.slice(start, i));
      start = i + 1;
    }
  }
  if (selection.trim()) push(selection.slice(start));
  return items;
}

const fieldsOf = (inner) => (inner === null ? ['everything'] : topLevelItems(inner).map((item) =>
  `${item.name.replace(/_/g, ' ')}${item.predicate ? ' (chosen ones only)' : ''}`));

/**
 * Rows of [resource, fields], plus the other members and whether pagination is kept.
 * `table` is the core's table of resources (ld.resources): envelope members and pagination members.
 */
export function readableDeclaration(declaration, table) {
  const paginationMembers = new Set(table.pagination);
  const resources = new Map();
  const other = [];
  let pagination = false;
  const resourceOf = (member) => {
    const resource = Object.hasOwn(table.members, member) ? table.members[member] : undefined;
    return resource === undefined ? undefined : resource.replace(/_/g, ' ');
  };
  for (const item of topLevelItems(declaration.read ?? '')) {
    const resultType = item.name === 'results' && /^result_type=(\w+)$/.exec(item.predicate ?? '');
    const resource = resourceOf(resultType ? resultType[1] : item.name);
    if (resource) {
      const fields = resources.get(resource) ?? new Set();
      for (const field of fieldsOf(item.inner)) fields.add(field);
      resources.set(resource, fields);
    } else if (paginationMembers.has(item.name)) pagination = true;
    else other.push(item.name.replace(/_/g, ' '));
  }
  return {
    rows: [...resources].map(([resource, fields]) => [resource, [...fields]]),
    other,
    pagination,
    write: declaration.write ?? null,
    requests: declaration.requests ?? [],
    zaf: declaration.zaf ?? [],
    masked: (declaration.redact ?? []).map((rule) => `${rule.path}: ${rule.detect.join(', ')}`),
  };
}
