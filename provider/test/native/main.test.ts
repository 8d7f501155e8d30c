import { engineAddressOf } from '../../src/native/main';

describe('plugin arguments', () => {
  it('finds the engine address among the flags the engine passes', () => {
    expect(engineAddressOf(['127.0.0.1:4000'])).toBe('127.0.0.1:4000');
    expect(engineAddressOf(['--logtostderr', '-v=9', '--tracing', 'http://zipkin:9411', '127.0.0.1:5'])).toBe(
      '127.0.0.1:5',
    );
    expect(engineAddressOf([])).toBeUndefined();
  });
});
