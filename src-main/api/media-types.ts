/** The Content-Type of every JSON answer the APIs write themselves (memoised or pre-serialised). */
export const JSON_TYPE = 'application/json; charset=utf-8';
