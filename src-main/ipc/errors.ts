/** A failure a handler reports on purpose: its code and message reach the renderer as they are. */
export class HandlerError extends Error {
  constructor(
    readonly code: 'bad_request' | 'not_found' | 'forbidden' | 'conflict' | 'unavailable' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

export function notFound(what: string, uid: number | string): HandlerError {
  return new HandlerError('not_found', `${what} ${uid} does not exist`);
}
