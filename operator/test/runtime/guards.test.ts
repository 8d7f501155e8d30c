import { EventEmitter } from 'node:events';
import { installCrashGuards } from '../../src/runtime/guards';
import type { Logger } from '../../src/runtime/logger';

describe('process crash guards', () => {
  it('log an uncaught exception and an unhandled rejection (bounded) instead of letting the process end', () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const log = {
      error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
    } as unknown as Logger;
    const proc = new EventEmitter();
    const caught = installCrashGuards(log, proc as never);
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    expect(proc.listenerCount('unhandledRejection')).toBe(1);
    proc.emit('uncaughtException', new TypeError('Cannot convert object to primitive value'));
    proc.emit('unhandledRejection', 'x'.repeat(100_000));
    expect(caught()).toBe(2);
    expect(lines.map((l) => l.msg)).toEqual([
      'uncaught exception; still serving',
      'unhandled rejection; still serving',
    ]);
    expect(lines[0]!.obj.err).toBe('Cannot convert object to primitive value');
    expect(String(lines[1]!.obj.err).length).toBe(1000);
  });
});
