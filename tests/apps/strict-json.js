// JSON.parse that also reports duplicate object keys. Zendesk parses manifest.json into a hash
// that refuses a key set twice (manifest/no_override_hash.rb), where JSON.parse keeps the last.

/** Returns { value } or { syntaxError } or { value, duplicateKey } (the first key set twice). */
export function parseStrictJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { syntaxError: error.message };
  }
  const duplicateKey = firstDuplicateKey(text);
  return duplicateKey === undefined ? { value } : { value, duplicateKey };
}

// Walks text already known to be valid JSON, so only strings and brackets need telling apart.
function firstDuplicateKey(text) {
  const open = []; // per enclosing container: { keys, expectingKey } for objects, null for arrays
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      const object = open.at(-1);
      if (object?.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1));
        if (object.keys.has(key)) return key;
        object.keys.add(key);
        object.expectingKey = false;
      }
      i = end;
    } else if (c === '{') {
      open.push({ keys: new Set(), expectingKey: true });
    } else if (c === '[') {
      open.push(null);
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',' && open.at(-1)) {
      open.at(-1).expectingKey = true;
    }
  }
  return undefined;
}

function endOfString(text, start) {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}
