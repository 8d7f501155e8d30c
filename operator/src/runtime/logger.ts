/** The structured logger interface the operator uses (pino satisfies it); never log tokens. */
import pino from 'pino';

/** A structured logger: JSON lines with bindings. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Creates the process logger: JSON to stdout, secrets redacted by key. */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { component: 'vvp-operator' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'token',
        '*.token',
        'apiToken',
        '*.apiToken',
        'authorization',
        '*.authorization',
        'headers.Authorization',
      ],
      censor: '***',
    },
  }) as unknown as Logger;
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
