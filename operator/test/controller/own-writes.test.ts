/** Echo suppression: our own writes' watch events are no news; anything else is, also while a run is going on. */
import { OwnWrites } from '../../src/controller/own-writes';

const cr = (rv: string) => ({ metadata: { namespace: 'ns', name: 'a', resourceVersion: rv } });

describe('OwnWrites', () => {
  it('treats the echo of an own write as no news, and a foreign write as news', () => {
    const w = new OwnWrites();
    w.record(cr('5'));
    expect(w.isNews('ns/a', '5', false)).toBe(false);
    expect(w.isNews('ns/a', '6', false)).toBe(true);
    expect(w.changedByOthers('ns/a', '6')).toBe(true);
    expect(w.changedByOthers('ns/a', '5')).toBe(false);
  });

  it('judges events that arrive while the key runs when the run ends', () => {
    const w = new OwnWrites();
    expect(w.isNews('ns/a', '7', true)).toBe(false);
    w.record(cr('7'));
    expect(w.settle('ns/a')).toBe(false);
    expect(w.isNews('ns/a', '8', true)).toBe(false);
    expect(w.settle('ns/a')).toBe(true);
    expect(w.settle('ns/a')).toBe(false);
  });

  it('remembers the last four writes per CR and forgets a CR entirely', () => {
    const w = new OwnWrites();
    for (const rv of ['1', '2', '3', '4', '5']) w.record(cr(rv));
    expect(w.isOwn('ns/a', '1')).toBe(false);
    expect(w.isOwn('ns/a', '2')).toBe(true);
    w.forget('ns/a');
    expect(w.isOwn('ns/a', '5')).toBe(false);
  });

  it('knows whether the watch delivered its last write, also when the echo came before the write answered', () => {
    const w = new OwnWrites();
    expect(w.echoed('ns/a')).toBe(true);
    w.record(cr('10'));
    expect(w.echoed('ns/a')).toBe(false);
    w.observed('ns/a', '9');
    expect(w.echoed('ns/a')).toBe(false);
    w.observed('ns/a', '10');
    expect(w.echoed('ns/a')).toBe(true);
    // the echo first, then the answer of the write
    w.observed('ns/a', '11');
    w.record(cr('11'));
    expect(w.echoed('ns/a')).toBe(true);
    w.record(cr('12'));
    w.caughtUp('ns/a');
    expect(w.echoed('ns/a')).toBe(true);
    w.record(cr('13'));
    w.forget('ns/a');
    expect(w.echoed('ns/a')).toBe(true);
  });
});
