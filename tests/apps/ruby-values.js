// How the gem's Ruby sees a value parsed from JSON: an absent member and null are both nil, and
// only nil and false are falsy (so 0 and "" count as set).

export function truthy(value) {
  return value !== undefined && value !== null && value !== false;
}

/** Ruby's `x ||= false`: nil becomes false, every other value stays for the type checks. */
export function orFalse(value) {
  return truthy(value) ? value : false;
}

/** A JSON object, which the gem reads as a Hash. */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The class name the gem puts in its messages. */
export function rubyClass(value) {
  if (value === null || value === undefined) return 'NilClass';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return 'Hash';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (typeof value === 'boolean') return value ? 'TrueClass' : 'FalseClass';
  return 'String';
}
