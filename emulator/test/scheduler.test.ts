import { ManualScheduler } from '../src/scheduler';

describe('ManualScheduler', () => {
  it('runs nothing until advanced, then due tasks in time order, and moves the clock', () => {
    const clock = new ManualScheduler(new Date('2026-01-01T00:00:00.000Z'));
    const seen: string[] = [];
    clock.after(20, () => seen.push(`b@${clock.now().toISOString()}`));
    clock.after(10, () => seen.push(`a@${clock.now().toISOString()}`));
    const cancel = clock.after(15, () => seen.push('cancelled'));
    cancel();
    expect(clock.pending()).toBe(2);
    expect(clock.advance(5)).toBe(0);
    expect(clock.advance(20)).toBe(2);
    expect(seen).toEqual(['a@2026-01-01T00:00:00.010Z', 'b@2026-01-01T00:00:00.020Z']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.025Z');
  });

  it('runAll runs tasks scheduled by tasks, and refuses an endless chain', () => {
    const clock = new ManualScheduler();
    let n = 0;
    const again = () => {
      if (++n < 3) clock.after(1, again);
    };
    clock.after(1, again);
    expect(clock.runAll()).toBe(3);
    const forever = () => clock.after(1, forever);
    clock.after(1, forever);
    expect(() => clock.runAll(50)).toThrow('more than 50 tasks');
  });
});
