import { createdMessage, projectedMessage, restartMessage, savepointMessage } from '../src/events';

describe('VVP-side event messages', () => {
  it.each([
    [createdMessage('Kubernetes operator'), 'Kubernetes operator created deployment'],
    [projectedMessage('Kubernetes operator', 'PATCH'), 'Kubernetes operator projected deployment config (mode=PATCH)'],
    [
      projectedMessage('Kubernetes operator', 'PUT', { from: 'RUNNING', to: 'RUNNING' }),
      'Kubernetes operator projected deployment config (mode=PUT)',
    ],
    [
      projectedMessage('Kubernetes operator', 'PATCH', { from: 'CANCELLED', to: 'RUNNING' }),
      'Kubernetes operator projected deployment config (mode=PATCH) including state change: CANCELLED → RUNNING',
    ],
    [savepointMessage('Pulumi'), 'Pulumi triggered savepoint'],
    [restartMessage('Pulumi'), 'Pulumi triggered job restart'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
