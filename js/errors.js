// The one error type of the package: every failure has a stable `code`, a human
// `message` and, where it applies, a byte `offset` (DESIGN §2.3).

export class LeastDataError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {number} [offset]
   */
  constructor(code, message, offset) {
    super(message);
    this.name = 'LeastDataError';
    this.code = code;
    if (offset !== undefined) this.offset = offset;
  }

  /** The CLI's one-line form: {"error":{"code":...,"message":...,"offset":N}} */
  toJSON() {
    const error = { code: this.code, message: this.message };
    if (this.offset !== undefined) error.offset = this.offset;
    return { error };
  }
}

/** Turns the module's `{"error":{...}}` text into a LeastDataError. */
export function errorFromJson(text) {
  const { error } = JSON.parse(text);
  return new LeastDataError(error.code, error.message, error.offset);
}
