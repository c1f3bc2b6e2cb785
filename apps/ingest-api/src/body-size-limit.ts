import type { RequestHandler } from 'express';

/** The largest body any route takes (contract: 413 over 1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * 413 decided from `Content-Length` alone, before a byte of the body is read, with `Connection: close` so the
 * client cannot keep streaming the rest into this connection. (A chunked body is cut off by the body parsers'
 * own limit at the same size.)
 */
export const rejectOversizedBodies: RequestHandler = (req, res, next) => {
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > MAX_BODY_BYTES) {
    res.locals.errorCode = 'payload_too_large';
    res.set('Connection', 'close');
    res.status(413).json({ error: { code: 'payload_too_large', message: 'the body is larger than 1 MiB' } });
    return;
  }
  next();
};
