/** FakeVvpClient (vvp-iac/testing): one store for what the platform API writes and what the deployment calls read. */
import { platformApi } from '../src/platform';
import { FakeVvpClient } from '../src/testing';

describe('FakeVvpClient', () => {
  it('finds the session cluster the platform API created, and answers 404 for another', async () => {
    const fake = new FakeVvpClient();
    await platformApi(fake).createSessionCluster('team-a', {
      metadata: { name: 'shared', namespace: 'team-a' },
      spec: { state: 'RUNNING', deploymentTargetName: 't' },
    });
    const found = await fake.getSessionCluster('team-a', 'shared');
    expect(found.metadata).toEqual(expect.objectContaining({ name: 'shared', namespace: 'team-a' }));
    await expect(fake.getSessionCluster('team-a', 'other')).rejects.toMatchObject({ status: 404 });
    await expect(fake.getSessionCluster('team-b', 'shared')).rejects.toMatchObject({ status: 404 });
  });
});
