import { DirsyncError } from '@dirsync/core';

/** A `/__sim` call answered with an error status; `body` is the parsed answer for the test to inspect. */
export class SimAdminError extends DirsyncError {
  readonly status: number;
  readonly body: unknown;

  constructor(method: string, path: string, status: number, body: unknown) {
    super('sim_admin_request_failed', `${method} ${path} answered ${status}`, {
      details: body,
      retryable: false,
    });
    this.status = status;
    this.body = body;
  }
}
